// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci power management on QEMU's e1000e (it has a PM capability, so
 * runtime suspend really reaches D3hot): idle devices suspend, opening
 * wakes them, and the low power device features (entry, entry with wakeup
 * eventfd, exit) with their argument checks, mmap revocation and SIGBUS,
 * and transparent wakeup by read().
 */
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <linux/pci_regs.h>

#include "kselftest_harness.h"
#include "vfio_test.h"

#define CFG_OFF(d)	vfio_region_offset((d)->device, VFIO_PCI_CONFIG_REGION_INDEX)

/* Poll a sysfs attribute of the device until it reads @want. */
static bool wait_attr(const char *bdf, const char *attr, const char *want,
		      int ms)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	for (; ms >= 0; ms -= 20) {
		if (!sysfs_read(path, buf, sizeof(buf)) && !strcmp(buf, want))
			return true;
		usleep(20000);
	}
	return false;
}

static int feature(int device, uint32_t flags, void *data, size_t len)
{
	struct {
		struct vfio_device_feature hdr;
		uint8_t data[16];
	} f = { .hdr = { .argsz = sizeof(f.hdr) + len, .flags = flags } };

	if (len)
		memcpy(f.data, data, len);
	return ioctl_errno(device, VFIO_DEVICE_FEATURE, &f);
}

static int set_feature(int device, uint32_t which)
{
	return feature(device, VFIO_DEVICE_FEATURE_SET | which, NULL, 0);
}

static int enter_with_wakeup(int device, int32_t efd)
{
	struct vfio_device_low_power_entry_with_wakeup e = {
		.wakeup_eventfd = efd,
	};

	return feature(device, VFIO_DEVICE_FEATURE_SET |
		       VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP,
		       &e, sizeof(e));
}

static uint16_t cfg_read16(struct vfio_pci *d, unsigned int off)
{
	uint16_t v = 0;

	if (pread(d->device, &v, 2, CFG_OFF(d) + off) != 2)
		return 0xdead;
	return v;
}

static bool read_faults(volatile uint32_t *p)
{
	uint32_t v;

	return mmio_read_faults(p, &v);
}

FIXTURE(pm) {
	struct vfio_pci d;
	char bdf[32];
	bool open;
};

FIXTURE_SETUP(pm)
{
	PCI_FIND_OR_SKIP(E1000E_VENDOR, E1000E_DEVICE, 0, true, self->bdf, sizeof(self->bdf));
	ASSERT_EQ(0, pci_bind(self->bdf, "vfio-pci"));
}

FIXTURE_TEARDOWN(pm)
{
	if (self->open)
		vfio_pci_close(&self->d);
}

static void pm_open(struct __test_metadata *_metadata,
		    FIXTURE_DATA(pm) *self)
{
	ASSERT_EQ(0, vfio_dev_open(&self->d, self->bdf, VFIO_TYPE1v2_IOMMU));
	self->open = true;
}

/* Without a user the device sleeps in D3hot; its first user wakes it. */
TEST_F(pm, idle_device_suspends)
{
	EXPECT_TRUE(wait_attr(self->bdf, "power/runtime_status", "suspended", 5000));
	EXPECT_TRUE(wait_attr(self->bdf, "power_state", "D3hot", 0));

	pm_open(_metadata, self);
	EXPECT_TRUE(wait_attr(self->bdf, "power/runtime_status", "active", 0));
	EXPECT_TRUE(wait_attr(self->bdf, "power_state", "D0", 0));
	/* and it stays awake while open */
	usleep(300000);
	EXPECT_TRUE(wait_attr(self->bdf, "power/runtime_status", "active", 0));
	EXPECT_EQ(E1000E_VENDOR, cfg_read16(&self->d, 0));

	vfio_pci_close(&self->d);
	self->open = false;
	EXPECT_TRUE(wait_attr(self->bdf, "power/runtime_status", "suspended", 5000));
	EXPECT_TRUE(wait_attr(self->bdf, "power_state", "D3hot", 0));
}

TEST_F(pm, feature_argument_checks)
{
	struct vfio_device_low_power_entry_with_wakeup e = { .wakeup_eventfd = -1 };
	int devnull = open("/dev/null", O_RDONLY);
	uint32_t f;

	pm_open(_metadata, self);
	for (f = VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY;
	     f <= VFIO_DEVICE_FEATURE_LOW_POWER_EXIT; f++) {
		/* SET only */
		EXPECT_EQ(0, feature(self->d.device, VFIO_DEVICE_FEATURE_PROBE |
				     VFIO_DEVICE_FEATURE_SET | f, NULL, 0));
		EXPECT_EQ(EINVAL, feature(self->d.device, VFIO_DEVICE_FEATURE_PROBE |
					   VFIO_DEVICE_FEATURE_GET | f, NULL, 0));
		EXPECT_EQ(EINVAL, feature(self->d.device, VFIO_DEVICE_FEATURE_GET | f,
					   NULL, 0));
	}
	/* the wakeup entry needs its payload and a real eventfd */
	EXPECT_EQ(EINVAL, feature(self->d.device, VFIO_DEVICE_FEATURE_SET |
				   VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP,
				   &e, sizeof(e) - 1));
	EXPECT_EQ(EINVAL, enter_with_wakeup(self->d.device, -1));
	EXPECT_EQ(EBADF, enter_with_wakeup(self->d.device, 999));
	ASSERT_LE(0, devnull);
	EXPECT_EQ(EINVAL, enter_with_wakeup(self->d.device, devnull));
	close(devnull);

	/* none of that engaged low power: the device is still awake */
	usleep(300000);
	EXPECT_TRUE(wait_attr(self->bdf, "power/runtime_status", "active", 0));
	/* an exit without an entry is harmless */
	EXPECT_EQ(0, set_feature(self->d.device, VFIO_DEVICE_FEATURE_LOW_POWER_EXIT));
}

TEST_F(pm, entry_and_exit)
{
	volatile uint32_t *bar;
	uint16_t cmd;

	pm_open(_metadata, self);
	cmd = cfg_read16(&self->d, PCI_COMMAND);
	vfio_cfg_write16(&self->d, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY);
	bar = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, self->d.device,
		   vfio_region_offset(self->d.device, VFIO_PCI_BAR0_REGION_INDEX));
	ASSERT_NE(MAP_FAILED, bar);
	EXPECT_FALSE(read_faults(&bar[E1000_STATUS / 4]));

	ASSERT_EQ(0, set_feature(self->d.device, VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY));
	EXPECT_TRUE(wait_attr(self->bdf, "power/runtime_status", "suspended", 5000));
	EXPECT_TRUE(wait_attr(self->bdf, "power_state", "D3hot", 0));
	/* the mapping was revoked and cannot come back while in low power */
	EXPECT_TRUE(read_faults(&bar[E1000_STATUS / 4]));

	/* read() wakes it transparently, then it sleeps again */
	EXPECT_EQ(E1000E_VENDOR, cfg_read16(&self->d, 0));
	EXPECT_TRUE(wait_attr(self->bdf, "power/runtime_status", "suspended", 5000));
	EXPECT_TRUE(read_faults(&bar[E1000_STATUS / 4]));

	/* a second entry while engaged is refused */
	EXPECT_EQ(EINVAL, set_feature(self->d.device,
				       VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY));

	EXPECT_EQ(0, set_feature(self->d.device, VFIO_DEVICE_FEATURE_LOW_POWER_EXIT));
	usleep(300000);
	EXPECT_TRUE(wait_attr(self->bdf, "power/runtime_status", "active", 0));
	EXPECT_TRUE(wait_attr(self->bdf, "power_state", "D0", 0));
	/* the config space came back with memory decode on */
	EXPECT_TRUE(cfg_read16(&self->d, PCI_COMMAND) & PCI_COMMAND_MEMORY);
	EXPECT_FALSE(read_faults(&bar[E1000_STATUS / 4]));
	munmap((void *)bar, 4096);
}

TEST_F(pm, entry_with_wakeup)
{
	uint64_t count;
	int efd = eventfd(0, EFD_NONBLOCK);

	ASSERT_LE(0, efd);
	pm_open(_metadata, self);
	ASSERT_EQ(0, enter_with_wakeup(self->d.device, efd));
	EXPECT_TRUE(wait_attr(self->bdf, "power/runtime_status", "suspended", 5000));
	EXPECT_EQ(-1, read(efd, &count, sizeof(count)));
	EXPECT_EQ(EAGAIN, errno);

	/* the next wakeup signals the eventfd and ends low power */
	EXPECT_EQ(E1000E_VENDOR, cfg_read16(&self->d, 0));
	EXPECT_EQ(sizeof(count), read(efd, &count, sizeof(count)));
	EXPECT_EQ(1, count);
	usleep(300000);
	EXPECT_TRUE(wait_attr(self->bdf, "power/runtime_status", "active", 0));

	/* so a new entry is accepted, and an ioctl wakeup signals again */
	ASSERT_EQ(0, enter_with_wakeup(self->d.device, efd));
	EXPECT_TRUE(wait_attr(self->bdf, "power/runtime_status", "suspended", 5000));
	EXPECT_EQ(0, set_feature(self->d.device, VFIO_DEVICE_FEATURE_LOW_POWER_EXIT));
	EXPECT_EQ(sizeof(count), read(efd, &count, sizeof(count)));
	EXPECT_EQ(1, count);
	EXPECT_TRUE(wait_attr(self->bdf, "power/runtime_status", "active", 0));
	close(efd);
}

/* Closing while in low power puts everything back; the next user is fine. */
TEST_F(pm, close_in_low_power)
{
	int efd = eventfd(0, EFD_NONBLOCK);

	ASSERT_LE(0, efd);
	pm_open(_metadata, self);
	ASSERT_EQ(0, enter_with_wakeup(self->d.device, efd));
	EXPECT_TRUE(wait_attr(self->bdf, "power/runtime_status", "suspended", 5000));
	close(efd);	/* the device keeps its own eventfd reference */
	vfio_pci_close(&self->d);
	self->open = false;
	EXPECT_TRUE(wait_attr(self->bdf, "power/runtime_status", "suspended", 5000));

	pm_open(_metadata, self);
	EXPECT_TRUE(wait_attr(self->bdf, "power/runtime_status", "active", 0));
	EXPECT_EQ(E1000E_VENDOR, cfg_read16(&self->d, 0));
	ASSERT_EQ(0, set_feature(self->d.device, VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY));
	EXPECT_TRUE(wait_attr(self->bdf, "power/runtime_status", "suspended", 5000));
	/* device reset wakes it and works */
	EXPECT_EQ(0, ioctl_errno(self->d.device, VFIO_DEVICE_RESET, NULL));
}

TEST_HARNESS_MAIN
