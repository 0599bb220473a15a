// SPDX-License-Identifier: GPL-2.0-only
/*
 * mdev and the mtty sample: the sysfs life cycle of mediated devices
 * (create, remove, available_instances, bad UUIDs, duplicates, budget),
 * the 16550A behind the region API (loopback, LSR/IIR, divisor latch,
 * INTx and MSI), reset, migration from one instance to another, removal
 * while open, and creation storms.
 */
#include <dirent.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <linux/pci_regs.h>

#include "kselftest_harness.h"
#include "vfio_test.h"

#define TYPES	MDEV_TYPES
#define MDEVS	MDEV_DEVICES
#define CFG_OFF(d)	vfio_region_offset((d)->device, VFIO_PCI_CONFIG_REGION_INDEX)

static int type_avail(const char *type)
{
	char path[256], buf[32];

	snprintf(path, sizeof(path), TYPES "/%s/available_instances", type);
	if (sysfs_read(path, buf, sizeof(buf)))
		return -1;
	return atoi(buf);
}

static bool exists(const char *uuid)
{
	char path[256];

	snprintf(path, sizeof(path), MDEVS "/%s", uuid);
	return !access(path, F_OK);
}

static void make_uuid(char *buf, unsigned int n)
{
	snprintf(buf, 37, "b5b0a7e2-%04x-4a7f-9d3b-%012x", n & 0xffff, n);
}

TEST(parent_and_types)
{
	char buf[128];
	struct stat st;

	MDEV_TYPE_OR_SKIP("mtty-2");
	EXPECT_EQ(0, lstat("/sys/class/mdev_bus/mtty", &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	EXPECT_EQ(0, sysfs_read(TYPES "/mtty-1/name", buf, sizeof(buf)));
	EXPECT_STREQ("Single port serial", buf);
	EXPECT_EQ(0, sysfs_read(TYPES "/mtty-2/name", buf, sizeof(buf)));
	EXPECT_STREQ("Dual port serial", buf);
	EXPECT_EQ(0, sysfs_read(TYPES "/mtty-2/device_api", buf, sizeof(buf)));
	EXPECT_STREQ("vfio-pci", buf);
	EXPECT_EQ(24, type_avail("mtty-1"));
	EXPECT_EQ(12, type_avail("mtty-2"));
	EXPECT_EQ(0, access(TYPES "/mtty-2/devices", F_OK));
	/* no description without the driver's show_description */
	EXPECT_NE(0, access(TYPES "/mtty-2/description", F_OK));
}

TEST(create_and_remove)
{
	char uuid[40], path[256], buf[128], target[256];
	ssize_t n;

	MDEV_TYPE_OR_SKIP("mtty-2");
	make_uuid(uuid, 1);
	ASSERT_EQ(0, mdev_create("mtty-2", uuid));
	EXPECT_TRUE(exists(uuid));
	EXPECT_EQ(11, type_avail("mtty-2"));
	EXPECT_EQ(22, type_avail("mtty-1"));

	snprintf(path, sizeof(path), MDEVS "/%s/mdev_type", uuid);
	n = readlink(path, target, sizeof(target) - 1);
	ASSERT_LT(0, n);
	target[n] = 0;
	EXPECT_STREQ("mtty-2", strrchr(target, '/') + 1);
	snprintf(path, sizeof(path), MDEVS "/%s/iommu_group", uuid);
	EXPECT_EQ(0, access(path, F_OK));
	snprintf(path, sizeof(path), TYPES "/mtty-2/devices/%s", uuid);
	EXPECT_EQ(0, access(path, F_OK));
	snprintf(path, sizeof(path), MDEVS "/%s/vendor/sample_mdev_dev", uuid);
	EXPECT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
	snprintf(path, sizeof(path), "This is MDEV %s", uuid);
	EXPECT_STREQ(path, buf);
	/* QEMU checks the subsystem */
	snprintf(path, sizeof(path), MDEVS "/%s/subsystem", uuid);
	n = readlink(path, target, sizeof(target) - 1);
	ASSERT_LT(0, n);
	target[n] = 0;
	EXPECT_STREQ("mdev", strrchr(target, '/') + 1);

	/* "remove": 0 does nothing, garbage is refused */
	snprintf(path, sizeof(path), MDEVS "/%s/remove", uuid);
	EXPECT_EQ(0, sysfs_write(path, "0"));
	EXPECT_TRUE(exists(uuid));
	EXPECT_EQ(-EINVAL, sysfs_write(path, "abc"));
	EXPECT_EQ(0, mdev_remove(uuid));
	EXPECT_FALSE(exists(uuid));
	EXPECT_EQ(12, type_avail("mtty-2"));
}

TEST(bad_uuids_and_duplicates)
{
	static const char *bad[] = {
		"hello",
		"b5b0a7e2-0001-4a7f-9d3b-00000000000",		/* 35 */
		"b5b0a7e2-0001-4a7f-9d3b-00000000000012",	/* 38 */
		"b5b0a7e2x0001-4a7f-9d3b-000000000001",
		"g5b0a7e2-0001-4a7f-9d3b-000000000001",
	};
	char uuid[40], upper[64], lower_path[256];
	unsigned int i;

	MDEV_TYPE_OR_SKIP("mtty-1");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(-EINVAL, mdev_create("mtty-1", bad[i])) TH_LOG("bad UUID #%u", i);
	EXPECT_EQ(24, type_avail("mtty-1"));

	make_uuid(uuid, 0xabcdef);
	ASSERT_EQ(0, mdev_create("mtty-1", uuid));
	/* the same UUID, in any type, in any case */
	EXPECT_EQ(-EEXIST, mdev_create("mtty-1", uuid));
	EXPECT_EQ(-EEXIST, mdev_create("mtty-2", uuid));
	for (i = 0; uuid[i]; i++)
		upper[i] = uuid[i] >= 'a' && uuid[i] <= 'f' ? uuid[i] - 32 : uuid[i];
	upper[i] = 0;
	EXPECT_EQ(-EEXIST, mdev_create("mtty-2", upper));
	EXPECT_EQ(0, mdev_remove(uuid));

	/* upper case is accepted; the device is named in lower case */
	ASSERT_EQ(0, mdev_create("mtty-1", upper));
	snprintf(lower_path, sizeof(lower_path), MDEVS "/%s", uuid);
	EXPECT_EQ(0, access(lower_path, F_OK));
	EXPECT_EQ(0, mdev_remove(uuid));
	/* with a trailing newline, as echo writes it */
	snprintf(upper, sizeof(upper), "%s\n", uuid);
	EXPECT_EQ(0, mdev_create("mtty-1", upper));
	EXPECT_EQ(0, mdev_remove(uuid));
}

TEST(port_budget)
{
	char uuid[40];
	int i, made2 = 0, made1 = 0;

	MDEV_TYPE_OR_SKIP("mtty-2");
	for (i = 0; i < 12; i++) {
		make_uuid(uuid, 0x200 + i);
		if (!mdev_create("mtty-2", uuid))
			made2++;
	}
	EXPECT_EQ(12, made2);
	EXPECT_EQ(0, type_avail("mtty-2"));
	EXPECT_EQ(0, type_avail("mtty-1"));
	make_uuid(uuid, 0x300);
	EXPECT_EQ(-ENOSPC, mdev_create("mtty-2", uuid));
	EXPECT_EQ(-ENOSPC, mdev_create("mtty-1", uuid));
	EXPECT_FALSE(exists(uuid));

	/* one 2-port instance away: two 1-port ones fit */
	make_uuid(uuid, 0x200);
	EXPECT_EQ(0, mdev_remove(uuid));
	EXPECT_EQ(2, type_avail("mtty-1"));
	for (i = 0; i < 3; i++) {
		make_uuid(uuid, 0x400 + i);
		if (!mdev_create("mtty-1", uuid))
			made1++;
	}
	EXPECT_EQ(2, made1);

	for (i = 1; i < 12; i++) {
		make_uuid(uuid, 0x200 + i);
		EXPECT_EQ(0, mdev_remove(uuid));
	}
	for (i = 0; i < 2; i++) {
		make_uuid(uuid, 0x400 + i);
		EXPECT_EQ(0, mdev_remove(uuid));
	}
	EXPECT_EQ(24, type_avail("mtty-1"));
}

FIXTURE(mtty) {
	char uuid[40];
	struct vfio_pci d;
};

FIXTURE_SETUP(mtty)
{
	MDEV_TYPE_OR_SKIP("mtty-2");
	make_uuid(self->uuid, 0x5000);
	ASSERT_EQ(0, mdev_create("mtty-2", self->uuid));
	ASSERT_EQ(0, vfio_dev_open(&self->d, self->uuid, VFIO_TYPE1v2_IOMMU));
}

FIXTURE_TEARDOWN(mtty)
{
	vfio_pci_close(&self->d);
	mdev_remove(self->uuid);
}

TEST_F(mtty, info_and_config)
{
	struct vfio_irq_info ii = { .argsz = sizeof(ii) };
	struct vfio_region_info ri;
	uint32_t v;

	EXPECT_EQ(VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET, self->d.info.flags);
	EXPECT_EQ(9, self->d.info.num_regions);
	EXPECT_EQ(5, self->d.info.num_irqs);

	ASSERT_EQ(0, vfio_region_info(self->d.device, VFIO_PCI_CONFIG_REGION_INDEX, &ri));
	EXPECT_EQ(256, ri.size);
	ASSERT_EQ(0, vfio_region_info(self->d.device, 0, &ri));
	EXPECT_EQ(8, ri.size);
	EXPECT_EQ(0, ri.offset);
	ASSERT_EQ(0, vfio_region_info(self->d.device, 1, &ri));
	EXPECT_EQ(8, ri.size);
	EXPECT_EQ(1ULL << 40, ri.offset);
	ASSERT_EQ(0, vfio_region_info(self->d.device, 2, &ri));
	EXPECT_EQ(0, ri.size);
	EXPECT_EQ(-EINVAL, vfio_region_info(self->d.device, 9, &ri));

	ii.index = VFIO_PCI_INTX_IRQ_INDEX;
	ASSERT_EQ(0, ioctl(self->d.device, VFIO_DEVICE_GET_IRQ_INFO, &ii));
	EXPECT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
		  VFIO_IRQ_INFO_AUTOMASKED, ii.flags);
	ii.index = VFIO_PCI_MSIX_IRQ_INDEX;
	EXPECT_EQ(EINVAL, ioctl_errno(self->d.device, VFIO_DEVICE_GET_IRQ_INFO, &ii));

	v = vfio_read32(&self->d, VFIO_PCI_CONFIG_REGION_INDEX, 0);
	EXPECT_EQ(0x32534348, v);
	v = vfio_read32(&self->d, VFIO_PCI_CONFIG_REGION_INDEX, 8);
	EXPECT_EQ(0x07000210, v);
	/* BAR sizing: 8 bytes of I/O */
	vfio_write32(&self->d, VFIO_PCI_CONFIG_REGION_INDEX, 0x10, 0xffffffff);
	EXPECT_EQ(0xfffffff9, vfio_read32(&self->d, VFIO_PCI_CONFIG_REGION_INDEX, 0x10));
	vfio_write32(&self->d, VFIO_PCI_CONFIG_REGION_INDEX, 0x18, 0xffffffff);
	EXPECT_EQ(0, vfio_read32(&self->d, VFIO_PCI_CONFIG_REGION_INDEX, 0x18));
	/* out of bounds: config, BARs, other regions */
	EXPECT_EQ(-1, pread(self->d.device, &v, 4, (7ULL << 40) + 254));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pread(self->d.device, &v, 1, 8));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pread(self->d.device, &v, 1, 2ULL << 40));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pwrite(self->d.device, &v, 4, 4ULL << 40));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(mtty, loopback_all_lengths_both_ports)
{
	int port, n, i;

	for (port = 0; port < 2; port++) {
		uart_wr(&self->d, port, FCR, 0x07);	/* FIFO on, cleared */
		for (n = 1; n <= 16; n++) {
			uint8_t got[16];

			for (i = 0; i < n; i++)
				uart_wr(&self->d, port, THR, (uint8_t)(port * 100 + n * 3 + i));
			EXPECT_EQ(0x61, uart_rd(&self->d, port, LSR));	/* DR THRE TEMT */
			for (i = 0; i < n; i++)
				got[i] = uart_rd(&self->d, port, THR);
			for (i = 0; i < n; i++)
				EXPECT_EQ((uint8_t)(port * 100 + n * 3 + i), got[i])
					TH_LOG("port %d, %d bytes, byte %d", port, n, i);
			EXPECT_EQ(0x60, uart_rd(&self->d, port, LSR));
		}
	}
}

TEST_F(mtty, overrun_lsr_and_iir)
{
	int i;

	uart_wr(&self->d, 0, FCR, 0x07);
	EXPECT_EQ(0xc1, uart_rd(&self->d, 0, IIR));	/* FIFO, no interrupt */
	for (i = 0; i < 17; i++)
		uart_wr(&self->d, 0, THR, i);
	/* overrun is reported once, by LSR, and cleared by reading it */
	EXPECT_EQ(0x63, uart_rd(&self->d, 0, LSR));
	EXPECT_EQ(0x61, uart_rd(&self->d, 0, LSR));
	/* the 16 bytes that fit, in order */
	for (i = 0; i < 16; i++)
		EXPECT_EQ(i, uart_rd(&self->d, 0, THR));
	EXPECT_EQ(0x60, uart_rd(&self->d, 0, LSR));

	/* interrupt identification, by priority */
	uart_wr(&self->d, 0, IER, 0x02);			/* THRI */
	EXPECT_EQ(0xc2, uart_rd(&self->d, 0, IIR));
	EXPECT_EQ(0xc1, uart_rd(&self->d, 0, IIR));	/* read acknowledged it */
	uart_wr(&self->d, 0, IER, 0x07);			/* RLSI RDI THRI */
	uart_wr(&self->d, 0, FCR, 0x81);			/* trigger at 8 */
	uart_wr(&self->d, 0, THR, 0x41);
	EXPECT_EQ(0xcc, uart_rd(&self->d, 0, IIR));	/* below trigger: timeout */
	for (i = 0; i < 7; i++)
		uart_wr(&self->d, 0, THR, 0x42);
	EXPECT_EQ(0xc4, uart_rd(&self->d, 0, IIR));	/* trigger reached */
	for (i = 0; i < 9; i++)
		uart_wr(&self->d, 0, THR, 0x43);
	EXPECT_EQ(0xc6, uart_rd(&self->d, 0, IIR));	/* line status first */
	(void)uart_rd(&self->d, 0, LSR);
	EXPECT_EQ(0xc4, uart_rd(&self->d, 0, IIR));
	uart_wr(&self->d, 0, FCR, 0x00);			/* FIFO off, cleared */
	EXPECT_EQ(0x02, uart_rd(&self->d, 0, IIR) & 0xcf);
	EXPECT_EQ(0x01, uart_rd(&self->d, 0, IIR));
}

TEST_F(mtty, divisor_latch_and_scratch)
{
	uart_wr(&self->d, 1, LCR, 0x83);
	uart_wr(&self->d, 1, THR, 0x0c);	/* DLL */
	uart_wr(&self->d, 1, IER, 0x01);	/* DLM */
	EXPECT_EQ(0x0c, uart_rd(&self->d, 1, THR));
	EXPECT_EQ(0x01, uart_rd(&self->d, 1, IER));
	uart_wr(&self->d, 1, LCR, 0x03);
	EXPECT_EQ(0x03, uart_rd(&self->d, 1, LCR));
	EXPECT_EQ(0x00, uart_rd(&self->d, 1, IER));	/* IER untouched */
	EXPECT_EQ(0x60, uart_rd(&self->d, 1, LSR));	/* nothing received */
	uart_wr(&self->d, 1, LCR, 0x83);
	EXPECT_EQ(0x0c, uart_rd(&self->d, 1, THR));	/* latch kept */
	uart_wr(&self->d, 1, LCR, 0x03);
	uart_wr(&self->d, 1, SCR, 0x5a);
	EXPECT_EQ(0x5a, uart_rd(&self->d, 1, SCR));
	/* modem lines: CTS follows RTS, DSR follows DTR, deltas clear on read */
	uart_wr(&self->d, 1, MCR, 0x03);
	EXPECT_EQ(0xb3, uart_rd(&self->d, 1, MSR));
	EXPECT_EQ(0xb0, uart_rd(&self->d, 1, MSR));
}

TEST_F(mtty, intx_data_ready_and_thr_empty)
{
	int efd = eventfd(0, EFD_CLOEXEC), unmask = eventfd(0, EFD_CLOEXEC);
	struct {
		struct vfio_irq_set set;
		int32_t fd;
	} arg = { .set = { .argsz = sizeof(arg),
			   .flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_UNMASK,
			   .index = VFIO_PCI_INTX_IRQ_INDEX, .count = 1 } };
	uint64_t one = 1;

	ASSERT_EQ(0, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &efd));
	uart_wr(&self->d, 0, FCR, 0x07);
	uart_wr(&self->d, 0, IER, 0x01);		/* RDI */
	EXPECT_EQ(0, eventfd_wait(efd, 100));
	uart_wr(&self->d, 0, THR, 0x33);
	EXPECT_EQ(1, eventfd_wait(efd, 1000));
	/* automasked: nothing more until unmasked */
	uart_wr(&self->d, 0, THR, 0x34);
	EXPECT_EQ(0, eventfd_wait(efd, 100));
	/* unmask while data is still there: signalled again */
	EXPECT_EQ(0, vfio_irq_set_action(self->d.device, VFIO_PCI_INTX_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_UNMASK, 0, 1));
	EXPECT_EQ(1, eventfd_wait(efd, 1000));
	/* drained, then unmasked: quiet */
	(void)uart_rd(&self->d, 0, THR);
	(void)uart_rd(&self->d, 0, THR);
	EXPECT_EQ(0, vfio_irq_set_action(self->d.device, VFIO_PCI_INTX_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_UNMASK, 0, 1));
	EXPECT_EQ(0, eventfd_wait(efd, 100));

	/* THR empty on port 1, unmasked through an eventfd */
	arg.fd = unmask;
	ASSERT_EQ(0, ioctl(self->d.device, VFIO_DEVICE_SET_IRQS, &arg));
	uart_wr(&self->d, 1, IER, 0x02);
	EXPECT_EQ(1, eventfd_wait(efd, 1000));
	EXPECT_EQ(0xc2 & 0x0f, uart_rd(&self->d, 1, IIR) & 0x0f);	/* acknowledges */
	uart_wr(&self->d, 1, THR, 0x55);	/* data: RDI is off on port 1 */
	(void)uart_rd(&self->d, 1, THR);
	ASSERT_EQ(8, write(unmask, &one, 8));
	EXPECT_EQ(1, eventfd_wait(efd, 1000)) TH_LOG("THR write re-raised THRE");

	/* the user's INTx disable holds the line back */
	uart_wr(&self->d, 1, IER, 0x00);
	(void)uart_rd(&self->d, 1, IIR);
	EXPECT_EQ(0, vfio_irq_set_action(self->d.device, VFIO_PCI_INTX_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_UNMASK, 0, 1));
	vfio_cfg_write16(&self->d, 4, 0x0401);
	uart_wr(&self->d, 0, THR, 0x77);
	EXPECT_EQ(0, eventfd_wait(efd, 100));
	vfio_cfg_write16(&self->d, 4, 0x0001);
	EXPECT_EQ(1, eventfd_wait(efd, 1000));

	/* MSI needs INTx off */
	EXPECT_EQ(-EINVAL, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &efd));
	/* no mask eventfd */
	arg.set.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_MASK;
	arg.fd = efd;
	EXPECT_EQ(ENOTTY, ioctl_errno(self->d.device, VFIO_DEVICE_SET_IRQS, &arg));
	EXPECT_EQ(0, vfio_irq_disable(self->d.device, VFIO_PCI_INTX_IRQ_INDEX));
	close(efd);
	close(unmask);
}

TEST_F(mtty, msi_data_ready)
{
	int efd = eventfd(0, EFD_CLOEXEC);

	ASSERT_EQ(0, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &efd));
	uart_wr(&self->d, 1, FCR, 0x07);
	uart_wr(&self->d, 1, IER, 0x01);
	uart_wr(&self->d, 1, THR, 0x01);
	EXPECT_EQ(1, eventfd_wait(efd, 1000));
	/* still pending: no new message until it clears and rises again */
	uart_wr(&self->d, 1, THR, 0x02);
	EXPECT_EQ(0, eventfd_wait(efd, 100));
	(void)uart_rd(&self->d, 1, THR);
	(void)uart_rd(&self->d, 1, THR);
	uart_wr(&self->d, 1, THR, 0x03);
	EXPECT_EQ(1, eventfd_wait(efd, 1000));
	EXPECT_EQ(-ENOTTY, vfio_irq_set_action(self->d.device, VFIO_PCI_MSI_IRQ_INDEX,
					       VFIO_IRQ_SET_ACTION_MASK, 0, 1));
	EXPECT_EQ(0, vfio_irq_disable(self->d.device, VFIO_PCI_MSI_IRQ_INDEX));
	close(efd);
}

TEST_F(mtty, reset_restores_power_on_state)
{
	uart_wr(&self->d, 0, FCR, 0x07);
	uart_wr(&self->d, 0, IER, 0x05);
	uart_wr(&self->d, 0, SCR, 0x99);
	uart_wr(&self->d, 0, THR, 0x11);
	vfio_write32(&self->d, VFIO_PCI_CONFIG_REGION_INDEX, 0x10, 0xffffffff);
	ASSERT_EQ(0, ioctl(self->d.device, VFIO_DEVICE_RESET));
	EXPECT_EQ(0x60, uart_rd(&self->d, 0, LSR));
	EXPECT_EQ(0x00, uart_rd(&self->d, 0, IER));
	EXPECT_EQ(0x00, uart_rd(&self->d, 0, SCR));
	EXPECT_EQ(0x01, uart_rd(&self->d, 0, IIR));
	EXPECT_EQ(0x1, vfio_read32(&self->d, VFIO_PCI_CONFIG_REGION_INDEX, 0x10));
}

static int mig_get(int device)
{
	struct {
		struct vfio_device_feature f;
		struct vfio_device_feature_mig_state s;
	} arg = {
		.f = { .argsz = sizeof(arg),
		       .flags = VFIO_DEVICE_FEATURE_GET |
				VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE },
	};

	return ioctl(device, VFIO_DEVICE_FEATURE, &arg) ? -errno : (int)arg.s.device_state;
}

TEST_F(mtty, migration_moves_fifo_contents)
{
	struct {
		struct vfio_device_feature f;
		uint64_t flags;
	} mig = { .f = { .argsz = sizeof(mig),
			 .flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_MIGRATION } };
	char uuid_b[40];
	struct vfio_pci b;
	uint8_t stream[4096];
	ssize_t len, n;
	int fd = -1, i;

	ASSERT_EQ(0, ioctl(self->d.device, VFIO_DEVICE_FEATURE, &mig));
	EXPECT_EQ(VFIO_MIGRATION_STOP_COPY, mig.flags);
	EXPECT_EQ(VFIO_DEVICE_STATE_RUNNING, mig_get(self->d.device));

	/* state on A: bytes waiting in both FIFOs, registers set */
	uart_wr(&self->d, 0, FCR, 0x07);
	uart_wr(&self->d, 1, FCR, 0x47);	/* trigger 4 */
	for (i = 0; i < 3; i++)
		uart_wr(&self->d, 0, THR, 0xa0 + i);
	for (i = 0; i < 16; i++)
		uart_wr(&self->d, 1, THR, 0xb0 + i);
	uart_wr(&self->d, 0, SCR, 0x12);
	uart_wr(&self->d, 1, IER, 0x03);
	uart_wr(&self->d, 1, LCR, 0x1b);
	(void)uart_rd(&self->d, 1, THR);	/* the FIFO wraps */
	uart_wr(&self->d, 1, THR, 0xc0);

	/* RUNNING -> STOP_COPY in one request: the stream comes back */
	ASSERT_EQ(0, vfio_mig_set_state(self->d.device, VFIO_DEVICE_STATE_STOP_COPY, &fd));
	ASSERT_LE(0, fd);
	EXPECT_EQ(VFIO_DEVICE_STATE_STOP_COPY, mig_get(self->d.device));
	for (len = 0; (n = read(fd, stream + len, 7)) > 0; len += n)
		;
	EXPECT_EQ(0, n);
	EXPECT_LT(256, len);
	close(fd);
	EXPECT_EQ(0, vfio_mig_set_state(self->d.device, VFIO_DEVICE_STATE_STOP, NULL));

	/* into a fresh instance B */
	make_uuid(uuid_b, 0x5001);
	ASSERT_EQ(0, mdev_create("mtty-2", uuid_b));
	ASSERT_EQ(0, vfio_dev_open(&b, uuid_b, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, vfio_mig_set_state(b.device, VFIO_DEVICE_STATE_RESUMING, &fd));
	ASSERT_LE(0, fd);
	EXPECT_EQ(len - 10, write(fd, stream, len - 10));
	EXPECT_EQ(10, write(fd, stream + len - 10, 10));
	EXPECT_EQ(-1, write(fd, stream, 1));	/* nothing beyond a state */
	close(fd);
	ASSERT_EQ(0, vfio_mig_set_state(b.device, VFIO_DEVICE_STATE_RUNNING, NULL));

	for (i = 0; i < 3; i++)
		EXPECT_EQ(0xa0 + i, uart_rd(&b, 0, THR));
	EXPECT_EQ(0x60, uart_rd(&b, 0, LSR));
	for (i = 1; i < 16; i++)
		EXPECT_EQ(0xb0 + i, uart_rd(&b, 1, THR));
	EXPECT_EQ(0xc0, uart_rd(&b, 1, THR));
	EXPECT_EQ(0x12, uart_rd(&b, 0, SCR));
	EXPECT_EQ(0x03, uart_rd(&b, 1, IER));
	EXPECT_EQ(0x1b, uart_rd(&b, 1, LCR));

	/* a short stream is refused, the target stays in RESUMING */
	EXPECT_EQ(0, vfio_mig_set_state(b.device, VFIO_DEVICE_STATE_STOP, NULL));
	ASSERT_EQ(0, vfio_mig_set_state(b.device, VFIO_DEVICE_STATE_RESUMING, &fd));
	EXPECT_EQ(100, write(fd, stream, 100));
	close(fd);
	EXPECT_EQ(-EINVAL, vfio_mig_set_state(b.device, VFIO_DEVICE_STATE_STOP, NULL));
	EXPECT_EQ(VFIO_DEVICE_STATE_RESUMING, mig_get(b.device));
	/* and again, and through STOP to RUNNING: refused, nothing breaks */
	EXPECT_EQ(-EINVAL, vfio_mig_set_state(b.device, VFIO_DEVICE_STATE_STOP, NULL));
	EXPECT_EQ(-EINVAL, vfio_mig_set_state(b.device, VFIO_DEVICE_STATE_RUNNING, NULL));
	EXPECT_EQ(VFIO_DEVICE_STATE_RESUMING, mig_get(b.device));
	/* a reset is the way out of any migration state */
	EXPECT_EQ(0, ioctl_errno(b.device, VFIO_DEVICE_RESET, NULL));
	EXPECT_EQ(VFIO_DEVICE_STATE_RUNNING, mig_get(b.device));
	uart_wr(&b, 0, SCR, 0x5a);
	EXPECT_EQ(0x5a, uart_rd(&b, 0, SCR));
	/* a stream completed after a refusal loads on the retry */
	ASSERT_EQ(0, vfio_mig_set_state(b.device, VFIO_DEVICE_STATE_STOP, NULL));
	ASSERT_EQ(0, vfio_mig_set_state(b.device, VFIO_DEVICE_STATE_RESUMING, &fd));
	EXPECT_EQ(100, write(fd, stream, 100));
	EXPECT_EQ(-EINVAL, vfio_mig_set_state(b.device, VFIO_DEVICE_STATE_STOP, NULL));
	EXPECT_EQ(len - 100, write(fd, stream + 100, len - 100));
	close(fd);
	EXPECT_EQ(0, vfio_mig_set_state(b.device, VFIO_DEVICE_STATE_STOP, NULL));
	EXPECT_EQ(0x12, uart_rd(&b, 0, SCR));
	EXPECT_EQ(0, vfio_mig_set_state(b.device, VFIO_DEVICE_STATE_RESUMING, &fd));
	close(fd);
	EXPECT_EQ(VFIO_DEVICE_STATE_RESUMING, mig_get(b.device));
	/* unknown states and ERROR are refused */
	EXPECT_EQ(-EINVAL, vfio_mig_set_state(b.device, 77, NULL));
	EXPECT_EQ(-EINVAL, vfio_mig_set_state(b.device, VFIO_DEVICE_STATE_ERROR, NULL));
	EXPECT_EQ(-EINVAL, vfio_mig_set_state(b.device, VFIO_DEVICE_STATE_RUNNING_P2P, NULL));

	vfio_pci_close(&b);
	EXPECT_EQ(0, mdev_remove(uuid_b));
	EXPECT_EQ(0, vfio_mig_set_state(self->d.device, VFIO_DEVICE_STATE_RUNNING, NULL));
}

struct async_remove {
	const char *uuid;
	int ret;
	volatile int done;
};

static void *remover(void *arg)
{
	struct async_remove *r = arg;

	r->ret = mdev_remove(r->uuid);
	r->done = 1;
	return NULL;
}

/*
 * INTx Disable as vfio-pci has it (setting masks, clearing unmasks, also
 * through the byte at 0x05), a bad trigger fd changing nothing, and a
 * device stopped for migration holding its interrupts until it runs.
 */
TEST_F(mtty, intx_disable_bad_fd_and_stopped_device)
{
	int efd = eventfd(0, EFD_CLOEXEC);
	struct {
		struct vfio_irq_set set;
		int32_t fd;
	} bad = { .set = { .argsz = sizeof(bad),
			   .flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
			   .index = VFIO_PCI_INTX_IRQ_INDEX, .count = 1 },
		  .fd = -2 };
	uint8_t b;

	ASSERT_EQ(0, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &efd));
	uart_wr(&self->d, 0, FCR, 0x07);
	uart_wr(&self->d, 0, IER, 0x01);
	uart_wr(&self->d, 0, THR, 0x42);
	EXPECT_EQ(1, eventfd_wait(efd, 1000));		/* and automasked */
	vfio_cfg_write16(&self->d, PCI_COMMAND, 0x0001);	/* no toggle */
	EXPECT_EQ(0, eventfd_wait(efd, 100));

	b = 0x04;					/* DisINTx, one byte */
	ASSERT_EQ(1, pwrite(self->d.device, &b, 1, CFG_OFF(&self->d) + PCI_COMMAND + 1));
	EXPECT_EQ(0x0401, vfio_cfg_read16(&self->d, PCI_COMMAND));
	EXPECT_EQ(0, vfio_irq_set_action(self->d.device, VFIO_PCI_INTX_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_UNMASK, 0, 1));
	EXPECT_EQ(0, eventfd_wait(efd, 100));
	b = 0x00;					/* cleared: fires again */
	ASSERT_EQ(1, pwrite(self->d.device, &b, 1, CFG_OFF(&self->d) + PCI_COMMAND + 1));
	EXPECT_EQ(1, eventfd_wait(efd, 1000));

	/* fd -2 is refused and keeps the trigger */
	EXPECT_EQ(EINVAL, ioctl_errno(self->d.device, VFIO_DEVICE_SET_IRQS, &bad));
	EXPECT_EQ(0, vfio_irq_set_action(self->d.device, VFIO_PCI_INTX_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_UNMASK, 0, 1));
	EXPECT_EQ(1, eventfd_wait(efd, 1000));

	/* stopped: an unmask of the asserted line waits for RUNNING */
	ASSERT_EQ(0, vfio_mig_set_state(self->d.device, VFIO_DEVICE_STATE_STOP, NULL));
	EXPECT_EQ(0, vfio_irq_set_action(self->d.device, VFIO_PCI_INTX_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_UNMASK, 0, 1));
	EXPECT_EQ(0, eventfd_wait(efd, 100));
	ASSERT_EQ(0, vfio_mig_set_state(self->d.device, VFIO_DEVICE_STATE_RUNNING, NULL));
	EXPECT_EQ(1, eventfd_wait(efd, 1000));

	/* an MSI edge while stopped is delivered on RUNNING, once */
	EXPECT_EQ(0, vfio_irq_disable(self->d.device, VFIO_PCI_INTX_IRQ_INDEX));
	(void)uart_rd(&self->d, 0, THR);
	EXPECT_EQ(0x60, uart_rd(&self->d, 0, LSR));	/* drained: line low */
	ASSERT_EQ(0, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &efd));
	ASSERT_EQ(0, vfio_mig_set_state(self->d.device, VFIO_DEVICE_STATE_STOP, NULL));
	uart_wr(&self->d, 0, THR, 0x43);
	EXPECT_EQ(0, eventfd_wait(efd, 100));
	ASSERT_EQ(0, vfio_mig_set_state(self->d.device, VFIO_DEVICE_STATE_RUNNING, NULL));
	EXPECT_EQ(1, eventfd_wait(efd, 1000));
	EXPECT_EQ(0, eventfd_wait(efd, 100));
	EXPECT_EQ(0, vfio_irq_disable(self->d.device, VFIO_PCI_MSI_IRQ_INDEX));
	close(efd);
}

/*
 * One eventfd as both the INTx trigger and its unmask eventfd: each
 * signal unmasks, so interrupts repeat while the line is up, and nothing
 * may deadlock (the signal once ran under the lock the unmask takes).
 */
TEST_F(mtty, one_eventfd_for_trigger_and_unmask)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	struct {
		struct vfio_irq_set set;
		int32_t fd;
	} arg = { .set = { .argsz = sizeof(arg),
			   .flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_UNMASK,
			   .index = VFIO_PCI_INTX_IRQ_INDEX, .count = 1 },
		  .fd = efd };
	uint64_t n = 0;

	ASSERT_EQ(0, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &efd));
	ASSERT_EQ(0, ioctl(self->d.device, VFIO_DEVICE_SET_IRQS, &arg));
	uart_wr(&self->d, 0, FCR, 0x07);
	uart_wr(&self->d, 0, IER, 0x01);
	uart_wr(&self->d, 0, THR, 0x5a);
	usleep(200000);
	EXPECT_EQ(0x5a, uart_rd(&self->d, 0, THR));	/* line goes down */
	/*
	 * The unmask side consumes the eventfd's count, so the user cannot
	 * count the interrupts; what matters is that the storm ended and
	 * nothing hung.
	 */
	usleep(200000);
	(void)read(efd, &n, sizeof(n));
	usleep(100000);
	EXPECT_EQ(-1, read(efd, &n, sizeof(n)));
	EXPECT_EQ(EAGAIN, errno);
	uart_wr(&self->d, 0, SCR, 0x42);
	EXPECT_EQ(0x42, uart_rd(&self->d, 0, SCR));
	EXPECT_EQ(0, vfio_irq_disable(self->d.device, VFIO_PCI_INTX_IRQ_INDEX));
	close(efd);
}

TEST_F(mtty, remove_while_open)
{
	struct async_remove r = { .uuid = self->uuid };
	int efd = eventfd(0, EFD_CLOEXEC);
	pthread_t t;

	ASSERT_EQ(0, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &efd));
	ASSERT_EQ(0, pthread_create(&t, NULL, remover, &r));
	EXPECT_LE(1, eventfd_wait(efd, 5000));
	EXPECT_EQ(0, r.done);
	uart_wr(&self->d, 0, SCR, 0x42);
	EXPECT_EQ(0x42, uart_rd(&self->d, 0, SCR));
	vfio_pci_close(&self->d);
	pthread_join(t, NULL);
	EXPECT_EQ(0, r.ret);
	EXPECT_FALSE(exists(self->uuid));
	EXPECT_EQ(12, type_avail("mtty-2"));
	close(efd);
}

/* Parent unregistration (module unload) with instances, open or not. */
TEST(unload_with_instances)
{
	char a[40], b[40];
	struct vfio_pci d;

	MDEV_TYPE_OR_SKIP("mtty-1");
	make_uuid(a, 0x6001);
	make_uuid(b, 0x6002);
	ASSERT_EQ(0, mdev_create("mtty-1", a));
	ASSERT_EQ(0, mdev_create("mtty-2", b));

	/* an open instance pins the module */
	ASSERT_EQ(0, vfio_dev_open(&d, a, VFIO_TYPE1v2_IOMMU));
	EXPECT_NE(0, system("rmmod mtty 2>/dev/null"));
	EXPECT_TRUE(exists(a));
	EXPECT_EQ(0x4348, vfio_read32(&d, VFIO_PCI_CONFIG_REGION_INDEX, 0) & 0xffff);
	vfio_pci_close(&d);

	/* closed: unloading takes the instances with it */
	EXPECT_EQ(0, system("rmmod mtty"));
	EXPECT_FALSE(exists(a));
	EXPECT_FALSE(exists(b));
	EXPECT_NE(0, access("/sys/class/mdev_bus/mtty", F_OK));
	ASSERT_EQ(0, system("modprobe mtty"));
	EXPECT_EQ(24, type_avail("mtty-1"));
	/* the UUIDs are free again */
	EXPECT_EQ(0, mdev_create("mtty-1", a));
	EXPECT_EQ(0, mdev_remove(a));
}

/* Several processes creating and removing at once. */
TEST(storm)
{
	pid_t pids[4];
	int i, status;
	DIR *dir;
	struct dirent *de;
	int left = 0;

	MDEV_TYPE_OR_SKIP("mtty-1");
	for (i = 0; i < 4; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			char uuid[40];
			int n, bad = 0;

			for (n = 0; n < 40; n++) {
				int ret;

				make_uuid(uuid, 0x7000 + i * 100 + n);
				ret = mdev_create(n % 2 ? "mtty-1" : "mtty-2", uuid);
				if (ret && ret != -ENOSPC)
					bad++;
				if (!ret && mdev_remove(uuid))
					bad++;
				/* and a racing duplicate from everybody */
				make_uuid(uuid, 0x7fff);
				ret = mdev_create("mtty-1", uuid);
				if (!ret)
					mdev_remove(uuid);
				else if (ret != -EEXIST && ret != -ENOSPC)
					bad++;
			}
			_exit(bad ? 1 : 0);
		}
	}
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	dir = opendir(MDEVS);
	ASSERT_NE(NULL, dir);
	while ((de = readdir(dir)))
		if (de->d_name[0] != '.')
			left++;
	closedir(dir);
	EXPECT_EQ(0, left);
	EXPECT_EQ(24, type_avail("mtty-1"));
}

TEST_HARNESS_MAIN
