// SPDX-License-Identifier: GPL-2.0-only
/*
 * Resets: VFIO_DEVICE_RESET restoring device registers (nvme has FLR),
 * hot reset of the edu alone behind a root port with and without the
 * right group fds, and no hot reset on the root bus.
 */
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "vfio_test.h"

#define NVME_VENDOR	0x1b36
#define NVME_DEVICE	0x0010
#define NVME_CC		0x14

static int hot_reset(int device, const int *fds, uint32_t count, uint32_t flags,
		     uint32_t argsz_adjust)
{
	struct {
		struct vfio_pci_hot_reset hdr;
		int32_t fds[4];
	} arg = { .hdr = { .flags = flags, .count = count } };

	arg.hdr.argsz = sizeof(arg.hdr) + count * sizeof(int32_t) - argsz_adjust;
	memcpy(arg.fds, fds, count * sizeof(int32_t));
	return ioctl(device, VFIO_DEVICE_PCI_HOT_RESET, &arg) ? errno : 0;
}

TEST(hot_reset_behind_root_port)
{
	struct {
		struct vfio_pci_hot_reset_info hdr;
		struct vfio_pci_dependent_device devs[4];
	} info;
	struct vfio_pci d, other;
	char bdf[32], nic[32];
	unsigned int bus, dev, fn;
	int fds[2];

	PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, bdf, sizeof(bdf));
	ASSERT_EQ(0, pci_bind(bdf, "vfio-pci"));
	ASSERT_EQ(0, vfio_dev_open(&d, bdf, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(3, sscanf(bdf, "0000:%x:%x.%x", &bus, &dev, &fn));

	/* a bare header: ENOSPC and the number of affected devices */
	memset(&info, 0, sizeof(info));
	info.hdr.argsz = sizeof(info.hdr);
	EXPECT_EQ(ENOSPC, ioctl_errno(d.device, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info));
	EXPECT_EQ(1, info.hdr.count);
	info.hdr.argsz = 11;
	EXPECT_EQ(EINVAL, ioctl_errno(d.device, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info));

	info.hdr.argsz = sizeof(info);
	ASSERT_EQ(0, ioctl(d.device, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info));
	ASSERT_EQ(1, info.hdr.count);
	EXPECT_EQ(0, info.hdr.flags);
	EXPECT_EQ(d.group_id, info.devs[0].group_id);
	EXPECT_EQ(0, info.devs[0].segment);
	EXPECT_EQ(bus, info.devs[0].bus);
	EXPECT_EQ((dev << 3) | fn, info.devs[0].devfn);

	/* bad requests */
	fds[0] = d.group;
	EXPECT_EQ(EINVAL, hot_reset(d.device, fds, 1, 1, 0));
	EXPECT_EQ(EINVAL, hot_reset(d.device, fds, 0, 0, 0));
	fds[1] = d.group;
	EXPECT_EQ(EINVAL, hot_reset(d.device, fds, 2, 0, 0));	/* more than devices */
	EXPECT_EQ(EINVAL, hot_reset(d.device, fds, 1, 0, 4));	/* argsz short */
	fds[0] = 1000;
	EXPECT_EQ(EBADF, hot_reset(d.device, fds, 1, 0, 0));
	fds[0] = d.container;
	EXPECT_EQ(EINVAL, hot_reset(d.device, fds, 1, 0, 0));	/* not a group */

	/* another device's group does not prove ownership of this one */
	PCI_FIND_OR_SKIP(E1000E_VENDOR, E1000E_DEVICE, 0, true, nic, sizeof(nic));
	ASSERT_EQ(0, pci_bind(nic, "vfio-pci"));
	ASSERT_EQ(0, vfio_dev_open(&other, nic, VFIO_TYPE1v2_IOMMU));
	fds[0] = other.group;
	EXPECT_EQ(EINVAL, hot_reset(d.device, fds, 1, 0, 0));
	vfio_pci_close(&other);

	fds[0] = d.group;
	EXPECT_EQ(0, hot_reset(d.device, fds, 1, 0, 0));
	EXPECT_EQ(EDU_ID_VALUE, vfio_read32(&d, 0, EDU_ID));
	vfio_pci_close(&d);
}

TEST(no_hot_reset_on_the_root_bus)
{
	struct vfio_pci_hot_reset_info info = { .argsz = sizeof(info) };
	struct vfio_pci d;
	char bdf[32];
	int fd;

	PCI_FIND_OR_SKIP(E1000E_VENDOR, E1000E_DEVICE, 0, true, bdf, sizeof(bdf));
	ASSERT_EQ(0, pci_bind(bdf, "vfio-pci"));
	ASSERT_EQ(0, vfio_dev_open(&d, bdf, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(ENODEV, ioctl_errno(d.device, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info));
	fd = d.group;
	EXPECT_EQ(ENODEV, hot_reset(d.device, &fd, 1, 0, 0));
	vfio_pci_close(&d);
}

/* nvme has FLR: a reset puts its controller registers back to zero. */
TEST(device_reset_restores_registers)
{
	struct vfio_pci d;
	char bdf[32];
	uint32_t cc;

	PCI_FIND_OR_SKIP(NVME_VENDOR, NVME_DEVICE, 0, false, bdf, sizeof(bdf));
	ASSERT_EQ(0, pci_bind(bdf, "vfio-pci"));
	ASSERT_EQ(0, vfio_dev_open(&d, bdf, VFIO_TYPE1v2_IOMMU));
	ASSERT_TRUE(d.info.flags & VFIO_DEVICE_FLAGS_RESET);
	vfio_bus_master(&d, false);

	/* queue entry sizes, without enabling the controller */
	vfio_write32(&d, 0, NVME_CC, 0x00460000);
	cc = vfio_read32(&d, 0, NVME_CC);
	EXPECT_EQ(0x00460000, cc);
	EXPECT_EQ(0, ioctl(d.device, VFIO_DEVICE_RESET));
	EXPECT_EQ(0, vfio_read32(&d, 0, NVME_CC));

	/* the same through the PCIe FLR bit in config space */
	vfio_write32(&d, 0, NVME_CC, 0x00460000);
	{
		uint64_t cfg = vfio_region_offset(d.device, VFIO_PCI_CONFIG_REGION_INDEX);
		uint8_t pos = 0, id = 0;
		uint16_t ctl;

		EXPECT_EQ(1, pread(d.device, &pos, 1, cfg + 0x34));
		while (pos) {
			EXPECT_EQ(1, pread(d.device, &id, 1, cfg + pos));
			if (id == 0x10)
				break;
			EXPECT_EQ(1, pread(d.device, &pos, 1, cfg + pos + 1));
		}
		ASSERT_NE(0, pos);
		EXPECT_EQ(2, pread(d.device, &ctl, 2, cfg + pos + 8));
		ctl |= 0x8000;
		EXPECT_EQ(2, pwrite(d.device, &ctl, 2, cfg + pos + 8));
		EXPECT_EQ(2, pread(d.device, &ctl, 2, cfg + pos + 8));
		EXPECT_EQ(0, ctl & 0x8000);
	}
	EXPECT_EQ(0, vfio_read32(&d, 0, NVME_CC));
	vfio_pci_close(&d);
}

TEST_HARNESS_MAIN
