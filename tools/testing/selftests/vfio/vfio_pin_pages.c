// SPDX-License-Identifier: GPL-2.0-only
/*
 * type1 pinning for emulated devices (vfio_pin_pages()), driven through
 * the test-only vfio_pin_probe module (pin_probe/): every pin is
 * accounted once to locked memory whatever the order of pins, unpins,
 * attaching and detaching an IOMMU domain, and failed replays; memory
 * behind VM_PFNMAP (a BAR mmap) pins as in 6.1; every pin marks its page
 * dirty. After each case the pin balance and VmLck are back at the start.
 */
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/pci_regs.h>

#include "kselftest_harness.h"
#include "vfio_test.h"
#include "pin_probe/vfio_pin_probe.h"

#define PG		4096ULL
#define KB_PER_PG	4
#define RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)
#define IOMMU_READ	1
#define IOMMU_WRITE	2
#define IOVA		0x100000000ULL
#define PROBE_SYSFS	"/sys/bus/platform/devices/" VFIO_PIN_PROBE_NAME

static char edu_bdf[32];

static int probe_pin(int dev, uint64_t iova, uint32_t npage, uint32_t prot,
		     uint64_t *pfn)
{
	struct vfio_pin_probe_pin req = {
		.iova = iova, .npage = npage, .prot = prot,
	};

	if (ioctl(dev, VFIO_PIN_PROBE_PIN, &req))
		return -errno;
	if (pfn)
		*pfn = req.pfn;
	return 0;
}

static int probe_unpin(int dev, uint64_t iova, uint32_t npage)
{
	struct vfio_pin_probe_pin req = { .iova = iova, .npage = npage };

	return ioctl(dev, VFIO_PIN_PROBE_UNPIN, &req) ? -errno : 0;
}

static void *populated(size_t npages)
{
	void *p = mmap(NULL, npages * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

FIXTURE(probe) {
	struct vfio_pci d;
	long pins;
	long locked;
	int edu_group;
};

FIXTURE_SETUP(probe)
{
	char path[64];
	int fd;

	if (access(PROBE_SYSFS, F_OK)) {
		fd = open("vfio_pin_probe.ko", O_RDONLY | O_CLOEXEC);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, syscall(__NR_finit_module, fd, "", 0));
		close(fd);
	}
	if (!edu_bdf[0]) {
		PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, edu_bdf, sizeof(edu_bdf));
		ASSERT_EQ(0, pci_bind(edu_bdf, "vfio-pci"));
	}
	ASSERT_EQ(0, vfio_dev_open(&self->d, VFIO_PIN_PROBE_NAME,
				   VFIO_TYPE1v2_IOMMU));
	snprintf(path, sizeof(path), "/dev/vfio/%d", pci_iommu_group(edu_bdf));
	self->edu_group = open(path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->edu_group);
	self->pins = pin_balance();
	ASSERT_NE(LONG_MIN, self->pins);
	self->locked = vm_locked_kb();
	ASSERT_LE(0, self->locked);
}

FIXTURE_TEARDOWN(probe)
{
	close(self->edu_group);
	vfio_pci_close(&self->d);
}

/* However the cases end, the module goes, so the runner can unload vfio. */
static void __attribute__((destructor)) unload_probe(void)
{
	syscall(__NR_delete_module, "vfio_pin_probe", O_NONBLOCK);
}

static void expect_pins_locked(struct __test_metadata *_metadata,
			       FIXTURE_DATA(probe) *self, long pins,
			       long locked_pages)
{
	EXPECT_EQ(self->pins + pins, pin_balance());
	EXPECT_EQ(self->locked + locked_pages * KB_PER_PG, vm_locked_kb());
}

static int attach_edu(FIXTURE_DATA(probe) *self)
{
	return ioctl_errno(self->edu_group, VFIO_GROUP_SET_CONTAINER,
			   &self->d.container);
}

static int detach_edu(FIXTURE_DATA(probe) *self)
{
	return ioctl_errno(self->edu_group, VFIO_GROUP_UNSET_CONTAINER, NULL);
}

TEST_F(probe, pins_without_a_domain_are_accounted_once)
{
	uint8_t *buf = populated(8);
	uint64_t pfn;

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, vfio_map(self->d.container, buf, IOVA, 8 * PG, RW));
	expect_pins_locked(_metadata, self, 0, 0);	/* pinned on demand */

	ASSERT_EQ(0, probe_pin(self->d.device, IOVA, 4, IOMMU_READ | IOMMU_WRITE,
			       &pfn));
	expect_pins_locked(_metadata, self, 4, 4);
	ASSERT_EQ(0, probe_pin(self->d.device, IOVA, 4, IOMMU_READ, NULL));
	expect_pins_locked(_metadata, self, 4, 4);	/* the same pages */
	EXPECT_EQ(0, probe_unpin(self->d.device, IOVA, 4));
	expect_pins_locked(_metadata, self, 4, 4);
	EXPECT_EQ(0, probe_unpin(self->d.device, IOVA, 4));
	expect_pins_locked(_metadata, self, 0, 0);

	/* unmap asks the driver to let go of what it still pins */
	ASSERT_EQ(0, probe_pin(self->d.device, IOVA + 6 * PG, 2, IOMMU_WRITE,
			       NULL));
	expect_pins_locked(_metadata, self, 2, 2);
	EXPECT_EQ(0, vfio_unmap(self->d.container, IOVA, 8 * PG, 0, NULL));
	expect_pins_locked(_metadata, self, 0, 0);

	/* outside any mapping, or beyond its permissions */
	EXPECT_EQ(-EINVAL, probe_pin(self->d.device, IOVA, 1, IOMMU_READ, NULL));
	ASSERT_EQ(0, vfio_map(self->d.container, buf, IOVA, 8 * PG,
			      VFIO_DMA_MAP_FLAG_READ));
	EXPECT_EQ(-EPERM, probe_pin(self->d.device, IOVA, 1, IOMMU_WRITE, NULL));
	EXPECT_EQ(0, vfio_unmap(self->d.container, IOVA, 8 * PG, 0, NULL));
	expect_pins_locked(_metadata, self, 0, 0);
	munmap(buf, 8 * PG);
}

/* Defect 4: pins of an emulated device across a new IOMMU domain. */
TEST_F(probe, pins_across_attach_and_detach_of_a_domain)
{
	uint8_t *buf = populated(16);

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, vfio_map(self->d.container, buf, IOVA, 16 * PG, RW));

	/* pinned before the domain: the replay pins all, counts 16 once */
	ASSERT_EQ(0, probe_pin(self->d.device, IOVA, 4, IOMMU_WRITE, NULL));
	expect_pins_locked(_metadata, self, 4, 4);
	ASSERT_EQ(0, attach_edu(self));
	expect_pins_locked(_metadata, self, 20, 16);
	EXPECT_EQ(0, probe_unpin(self->d.device, IOVA, 4));
	expect_pins_locked(_metadata, self, 16, 16);

	/* pinned while mapped, then the domain goes: the pin keeps its page */
	ASSERT_EQ(0, probe_pin(self->d.device, IOVA + 8 * PG, 2, IOMMU_READ,
			       NULL));
	expect_pins_locked(_metadata, self, 18, 16);
	ASSERT_EQ(0, detach_edu(self));
	expect_pins_locked(_metadata, self, 2, 2);
	EXPECT_EQ(0, probe_unpin(self->d.device, IOVA + 8 * PG, 2));
	expect_pins_locked(_metadata, self, 0, 0);

	EXPECT_EQ(0, vfio_unmap(self->d.container, IOVA, 16 * PG, 0, NULL));
	expect_pins_locked(_metadata, self, 0, 0);
	munmap(buf, 16 * PG);
}

/* Defect 4: a replay that fails must not unaccount the driver's pins. */
TEST_F(probe, failed_replay_keeps_pins_accounted)
{
	uint8_t *buf = populated(64);

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, munmap(buf + 40 * PG, PG));
	ASSERT_EQ(0, vfio_map(self->d.container, buf, IOVA, 64 * PG, RW));
	ASSERT_EQ(0, probe_pin(self->d.device, IOVA, 4, IOMMU_WRITE, NULL));
	expect_pins_locked(_metadata, self, 4, 4);

	EXPECT_EQ(EFAULT, attach_edu(self));
	expect_pins_locked(_metadata, self, 4, 4);

	EXPECT_EQ(0, probe_unpin(self->d.device, IOVA, 4));
	expect_pins_locked(_metadata, self, 0, 0);
	EXPECT_EQ(0, vfio_unmap(self->d.container, IOVA, 64 * PG, 0, NULL));
	expect_pins_locked(_metadata, self, 0, 0);
	munmap(buf, 40 * PG);
	munmap(buf + 41 * PG, 23 * PG);
}

/* Defect 5: a pin of MMIO behind VM_PFNMAP (a BAR mmap) works as in 6.1. */
TEST_F(probe, pin_of_a_bar_mmap)
{
	struct vfio_region_info ri;
	unsigned long long start = 0;
	struct vfio_pci edu;
	char path[128], line[128];
	uint64_t pfn = 0;
	void *bar;
	FILE *f;

	/* the edu in a container of its own: the fixture's group fd goes */
	close(self->edu_group);
	self->edu_group = -1;
	ASSERT_EQ(0, vfio_dev_open(&edu, edu_bdf, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, vfio_region_info(edu.device, VFIO_PCI_BAR0_REGION_INDEX,
				      &ri));
	bar = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   edu.device, ri.offset);
	ASSERT_NE(MAP_FAILED, bar);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource",
		 edu_bdf);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(line, sizeof(line), f));
	fclose(f);
	ASSERT_EQ(1, sscanf(line, "%llx", &start));

	ASSERT_EQ(0, vfio_map(self->d.container, bar, IOVA, 4 * PG, RW));
	EXPECT_EQ(0, probe_pin(self->d.device, IOVA + PG, 1,
			       IOMMU_READ | IOMMU_WRITE, &pfn));
	EXPECT_EQ(start / PG + 1, pfn);
	expect_pins_locked(_metadata, self, 0, 0);	/* MMIO: no pin */
	EXPECT_EQ(0, probe_unpin(self->d.device, IOVA + PG, 1));
	EXPECT_EQ(0, vfio_unmap(self->d.container, IOVA, 4 * PG, 0, NULL));
	expect_pins_locked(_metadata, self, 0, 0);
	munmap(bar, ri.size);
	vfio_pci_close(&edu);
}

/* Defect 5: a read-only pin marks its page dirty, as 6.1 does. */
TEST_F(probe, every_pin_marks_its_page_dirty)
{
	struct vfio_iommu_type1_dirty_bitmap start = {
		.argsz = sizeof(start),
		.flags = VFIO_IOMMU_DIRTY_PAGES_FLAG_START,
	};
	struct vfio_iommu_type1_dirty_bitmap stop = {
		.argsz = sizeof(stop),
		.flags = VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP,
	};
	struct {
		struct vfio_iommu_type1_dirty_bitmap h;
		struct vfio_iommu_type1_dirty_bitmap_get g;
	} get = {
		.h = { .argsz = sizeof(get),
		       .flags = VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP },
		.g = { .iova = IOVA, .size = 8 * PG,
		       .bitmap = { .pgsize = PG, .size = 8 } },
	};
	uint8_t *buf = populated(8);
	uint64_t bits;

	ASSERT_NE(NULL, buf);
	get.g.bitmap.data = (__u64 *)&bits;
	ASSERT_EQ(0, vfio_map(self->d.container, buf, IOVA, 8 * PG, RW));
	ASSERT_EQ(0, ioctl(self->d.container, VFIO_IOMMU_DIRTY_PAGES, &start));
	ASSERT_EQ(0, probe_pin(self->d.device, IOVA + PG, 1, IOMMU_READ, NULL));
	ASSERT_EQ(0, probe_pin(self->d.device, IOVA + 3 * PG, 1, IOMMU_WRITE,
			       NULL));
	bits = 0;
	ASSERT_EQ(0, ioctl(self->d.container, VFIO_IOMMU_DIRTY_PAGES, &get));
	EXPECT_EQ(0x0aULL, bits);
	EXPECT_EQ(0, probe_unpin(self->d.device, IOVA + PG, 1));
	EXPECT_EQ(0, probe_unpin(self->d.device, IOVA + 3 * PG, 1));
	ASSERT_EQ(0, ioctl(self->d.container, VFIO_IOMMU_DIRTY_PAGES, &stop));
	EXPECT_EQ(0, vfio_unmap(self->d.container, IOVA, 8 * PG, 0, NULL));
	expect_pins_locked(_metadata, self, 0, 0);
	munmap(buf, 8 * PG);
}

TEST_HARNESS_MAIN
