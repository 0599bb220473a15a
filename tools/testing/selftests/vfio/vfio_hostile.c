// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hostile input that once broke the stack, each case named for the defect
 * it proves fixed (issue "Hostile input, races and allocation failures"):
 *
 *  - type1 must never unpin a page it did not pin: failed MAP_DMA over a
 *    hole or past a buffer, a map killed by SIGKILL, dirty tracking over
 *    aliased memory, a replay into a new IOMMU domain that fails. After
 *    each, the system-wide pin balance and the process's VmLck are back
 *    where they started.
 *  - a 1-byte write to PCI_COMMAND that clears Memory Space Enable revokes
 *    BAR access exactly like a 2- or 4-byte one;
 *  - VFIO_DEVICE_IOEVENTFD and region accesses with offsets whose index
 *    bits are huge or negative as an loff_t are refused;
 *  - VFIO_DEVICE_FEATURE for a driver without features is ENOTTY;
 *  - threads faulting on a BAR mmap (forked, split, remapped) while
 *    others toggle memory decode and reset the device: no kernel report
 *    (the runner fails on any WARN, e.g. in the PAT code).
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <linux/pci_regs.h>

#include "kselftest_harness.h"
#include "vfio_test.h"

#define PG		4096ULL
#define RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)
#define IOVA		0x100000000ULL

static char edu_bdf[32];

static void find_edu(struct __test_metadata *_metadata)
{
	if (edu_bdf[0])
		return;
	PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, edu_bdf, sizeof(edu_bdf));
	ASSERT_EQ(0, pci_bind(edu_bdf, "vfio-pci"));
}

static void *populated(size_t npages)
{
	void *p = mmap(NULL, npages * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * The pin balance settles once every release ran; a process that was just
 * reaped has released everything already, but give deferred work a moment.
 */
static long settled_pin_balance(long want)
{
	long now = pin_balance();
	int i;

	for (i = 0; i < 50 && now != want; i++) {
		usleep(100 * 1000);
		now = pin_balance();
	}
	return now;
}

FIXTURE(type1) {
	struct vfio_pci d;
	long pins;
	long locked;
};

FIXTURE_SETUP(type1)
{
	find_edu(_metadata);
	ASSERT_EQ(0, vfio_dev_open(&self->d, edu_bdf, VFIO_TYPE1v2_IOMMU));
	self->pins = pin_balance();
	ASSERT_NE(LONG_MIN, self->pins);
	self->locked = vm_locked_kb();
	ASSERT_LE(0, self->locked);
}

FIXTURE_TEARDOWN(type1)
{
	vfio_pci_close(&self->d);
}

/* Nothing the test mapped is left: pins and locked memory as at setup. */
static void expect_balanced(struct __test_metadata *_metadata,
			    FIXTURE_DATA(type1) *self)
{
	EXPECT_EQ(self->pins, pin_balance());
	EXPECT_EQ(self->locked, vm_locked_kb());
}

/* Defect 0a: the 41st of 64 pages is gone; the map fails, pins balance. */
TEST_F(type1, map_over_a_hole_unpins_only_what_it_pinned)
{
	uint8_t *buf = populated(64);

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, munmap(buf + 40 * PG, PG));

	EXPECT_EQ(-EFAULT, vfio_map(self->d.container, buf, IOVA, 64 * PG, RW));
	expect_balanced(_metadata, self);

	/* the pages before the hole are still good, and mappable */
	buf[0] = 0x5a;
	EXPECT_EQ(0, vfio_map(self->d.container, buf, IOVA, 16 * PG, RW));
	EXPECT_EQ(self->pins + 16, pin_balance());
	EXPECT_EQ(self->locked + 16 * 4, vm_locked_kb());
	EXPECT_EQ(0, vfio_unmap(self->d.container, IOVA, 16 * PG, 0, NULL));
	expect_balanced(_metadata, self);
	EXPECT_EQ(0x5a, buf[0]);

	/* and a hole in the first page of a batch, and in the very first page */
	EXPECT_EQ(-EFAULT, vfio_map(self->d.container, buf + 32 * PG, IOVA,
				   16 * PG, RW));
	expect_balanced(_metadata, self);
	EXPECT_EQ(-EFAULT, vfio_map(self->d.container, buf + 40 * PG, IOVA,
				   PG, RW));
	expect_balanced(_metadata, self);
	munmap(buf, 40 * PG);
	munmap(buf + 41 * PG, 23 * PG);
}

/* Defect 0a: a size far past the end of the buffer. */
TEST_F(type1, map_far_past_the_buffer)
{
	uint8_t *buf = populated(600);	/* more than one batch of 512 */

	ASSERT_NE(NULL, buf);
	EXPECT_EQ(-EFAULT, vfio_map(self->d.container, buf, IOVA, 1ULL << 36,
				   RW));
	expect_balanced(_metadata, self);
	EXPECT_EQ(0, vfio_map(self->d.container, buf, IOVA, 600 * PG, RW));
	EXPECT_EQ(self->pins + 600, pin_balance());
	EXPECT_EQ(0, vfio_unmap(self->d.container, IOVA, 600 * PG, 0, NULL));
	expect_balanced(_metadata, self);
	munmap(buf, 600 * PG);
}

/* Defect 0c: dirty tracking over mappings that alias the same memory. */
TEST_F(type1, dirty_tracking_over_aliased_memory)
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
	};
	uint64_t bits[4] = { 0 };
	uint8_t *buf = populated(16);
	uint64_t done = 0;
	int i;

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, ioctl(self->d.container, VFIO_IOMMU_DIRTY_PAGES, &start));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, vfio_map(self->d.container, buf + (i % 2) * 8 * PG,
				      IOVA + i * 0x100000ULL, 8 * PG, RW));
	EXPECT_EQ(self->pins + 32, pin_balance());

	get.g.iova = IOVA;
	get.g.size = 8 * PG;
	get.g.bitmap.pgsize = PG;
	get.g.bitmap.size = sizeof(bits);
	get.g.bitmap.data = (__u64 *)bits;
	ASSERT_EQ(0, ioctl(self->d.container, VFIO_IOMMU_DIRTY_PAGES, &get));
	/* a real device may DMA anywhere it is mapped: all dirty */
	EXPECT_EQ(0xffULL, bits[0]);

	EXPECT_EQ(0, vfio_unmap(self->d.container, 0, 0,
				VFIO_DMA_UNMAP_FLAG_ALL, &done));
	EXPECT_EQ(32 * PG, done);
	ASSERT_EQ(0, ioctl(self->d.container, VFIO_IOMMU_DIRTY_PAGES, &stop));
	expect_balanced(_metadata, self);
	munmap(buf, 16 * PG);
}

/* Defect 0b: SIGKILL in the middle of large maps. */
TEST(sigkill_during_large_maps)
{
	static const int delays_ms[] = { 30, 150, 400 };
	size_t size = 256ULL << 20;
	long pins = pin_balance();
	unsigned int i;

	find_edu(_metadata);
	ASSERT_NE(LONG_MIN, pins);
	for (i = 0; i < ARRAY_SIZE(delays_ms); i++) {
		int ready[2], status;
		pid_t pid;
		char c;

		ASSERT_EQ(0, pipe(ready));
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			struct vfio_pci d;
			uint8_t *buf = populated(size / PG);
			uint64_t iova = IOVA;

			if (!buf || vfio_dev_open(&d, edu_bdf, VFIO_TYPE1v2_IOMMU))
				_exit(1);
			if (write(ready[1], "r", 1) != 1)
				_exit(1);
			/* map and unmap until killed */
			for (;;) {
				vfio_map(d.container, buf, iova, size, RW);
				vfio_map(d.container, buf, iova + size, size, RW);
				vfio_unmap(d.container, 0, 0,
					   VFIO_DMA_UNMAP_FLAG_ALL, NULL);
			}
		}
		close(ready[1]);
		ASSERT_EQ(1, read(ready[0], &c, 1));
		close(ready[0]);
		usleep(delays_ms[i] * 1000);
		kill(pid, SIGKILL);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status));
		EXPECT_EQ(pins, settled_pin_balance(pins));
	}
}

static void make_mdev_uuid(char *uuid)
{
	snprintf(uuid, 37, "6b2d1a74-%04x-4c1e-8a35-%012x", getpid() & 0xffff,
		 (unsigned int)time(NULL));
}

/*
 * Defect 0d and 4: a container that so far held only an mtty (no IOMMU
 * domain, so a mapping over a hole is accepted unpinned) takes the edu's
 * group; replaying the mapping into the new domain fails at the hole.
 */
TEST(failed_replay_into_new_domain)
{
	struct vfio_pci mdev, edu;
	long pins, locked;
	char uuid[37], path[64];
	uint8_t *buf;
	int group;

	find_edu(_metadata);
	MDEV_TYPE_OR_SKIP("mtty-2");
	make_mdev_uuid(uuid);
	ASSERT_EQ(0, mdev_create("mtty-2", uuid));
	ASSERT_EQ(0, vfio_dev_open(&mdev, uuid, VFIO_TYPE1v2_IOMMU));
	pins = pin_balance();
	locked = vm_locked_kb();

	buf = populated(64);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, munmap(buf + 40 * PG, PG));
	ASSERT_EQ(0, vfio_map(mdev.container, buf, IOVA, 64 * PG, RW));
	/* a good one before it in IOVA order, replayed first */
	ASSERT_EQ(0, vfio_map(mdev.container, buf, 0x10000000ULL, 8 * PG, RW));
	EXPECT_EQ(pins, pin_balance());	/* no domain: nothing pinned */

	edu.group_id = pci_iommu_group(edu_bdf);
	ASSERT_LE(0, edu.group_id);
	snprintf(path, sizeof(path), "/dev/vfio/%d", edu.group_id);
	group = open(path, O_RDWR);
	ASSERT_LE(0, group);
	EXPECT_EQ(EFAULT, ioctl_errno(group, VFIO_GROUP_SET_CONTAINER,
				      &mdev.container));
	EXPECT_EQ(pins, pin_balance());
	EXPECT_EQ(locked, vm_locked_kb());

	/* without the bad mapping the same attach works and pins the rest */
	EXPECT_EQ(0, vfio_unmap(mdev.container, IOVA, 64 * PG, 0, NULL));
	EXPECT_EQ(0, ioctl_errno(group, VFIO_GROUP_SET_CONTAINER,
				 &mdev.container));
	EXPECT_EQ(pins + 8, pin_balance());
	EXPECT_EQ(locked + 8 * 4, vm_locked_kb());
	EXPECT_EQ(0, ioctl_errno(group, VFIO_GROUP_UNSET_CONTAINER, NULL));
	EXPECT_EQ(pins, pin_balance());
	EXPECT_EQ(locked, vm_locked_kb());

	close(group);
	vfio_pci_close(&mdev);
	munmap(buf, 40 * PG);
	munmap(buf + 41 * PG, 23 * PG);
	EXPECT_EQ(0, mdev_remove(uuid));
	EXPECT_EQ(pins, pin_balance());
}

/* ---- vfio-pci ---- */

FIXTURE(edu) {
	struct vfio_pci d;
	uint64_t cfg;
	uint64_t bar0;
	volatile uint32_t *mmio;
	size_t mmio_size;
};

FIXTURE_SETUP(edu)
{
	struct vfio_region_info ri;

	find_edu(_metadata);
	ASSERT_EQ(0, vfio_dev_open(&self->d, edu_bdf, VFIO_TYPE1v2_IOMMU));
	self->cfg = vfio_region_offset(self->d.device,
				       VFIO_PCI_CONFIG_REGION_INDEX);
	ASSERT_EQ(0, vfio_region_info(self->d.device, VFIO_PCI_BAR0_REGION_INDEX,
				      &ri));
	self->bar0 = ri.offset;
	self->mmio_size = ri.size;
	self->mmio = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED,
			  self->d.device, ri.offset);
	ASSERT_NE(MAP_FAILED, self->mmio);
}

FIXTURE_TEARDOWN(edu)
{
	munmap((void *)self->mmio, self->mmio_size);
	vfio_pci_close(&self->d);
}

/* Is BAR0 reachable through the mmap and through pread? */
static void expect_bar0(struct __test_metadata *_metadata,
			FIXTURE_DATA(edu) *self, bool on)
{
	uint32_t id = 0;
	ssize_t n;

	EXPECT_EQ(!on, mmio_read_faults(self->mmio, &id));
	if (on)
		EXPECT_EQ(EDU_ID_VALUE, id);
	n = pread(self->d.device, &id, 4, self->bar0);
	if (on) {
		EXPECT_EQ(4, n);
		EXPECT_EQ(EDU_ID_VALUE, id);
	} else {
		EXPECT_EQ(-1, n);
		EXPECT_EQ(EIO, errno);
	}
}

/* Defect 2: every width of write at PCI_COMMAND controls memory decode. */
TEST_F(edu, command_write_of_each_width_revokes_bars)
{
	static const int widths[] = { 1, 2, 4 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(widths); i++) {
		uint8_t cmd[4];

		ASSERT_EQ(widths[i], pread(self->d.device, cmd, widths[i],
					   self->cfg + PCI_COMMAND));
		cmd[0] |= PCI_COMMAND_MEMORY;
		ASSERT_EQ(widths[i], pwrite(self->d.device, cmd, widths[i],
					    self->cfg + PCI_COMMAND));
		expect_bar0(_metadata, self, true);

		TH_LOG("%d-byte write clearing Memory Space Enable", widths[i]);
		cmd[0] &= ~PCI_COMMAND_MEMORY;
		ASSERT_EQ(widths[i], pwrite(self->d.device, cmd, widths[i],
					    self->cfg + PCI_COMMAND));
		EXPECT_EQ(0, vfio_cfg_read16(&self->d, PCI_COMMAND) &
			     PCI_COMMAND_MEMORY);
		expect_bar0(_metadata, self, false);

		cmd[0] |= PCI_COMMAND_MEMORY;
		ASSERT_EQ(widths[i], pwrite(self->d.device, cmd, widths[i],
					    self->cfg + PCI_COMMAND));
		expect_bar0(_metadata, self, true);
	}
}

/* Defect 3: offsets whose index is past every region, or negative. */
TEST_F(edu, ioeventfd_and_region_offsets_with_huge_index)
{
	static const uint64_t offsets[] = {
		1ULL << 63, ~0ULL, 0xffffffULL << 40, 0x8000000000000000ULL | 0x10,
		(uint64_t)(VFIO_PCI_NUM_REGIONS) << 40,
		/* BAR -2 .. -6 as a signed loff_t: beside pdev->resource[] */
		0xfffffe0000000000ULL, 0xfffffd0000000000ULL,
		0xfffffc0000000000ULL, 0xfffffb0000000000ULL,
		0xfffffa0000000000ULL,
	};
	int efd = eventfd(0, EFD_CLOEXEC);
	unsigned int i;
	uint32_t v = 0;

	ASSERT_LE(0, efd);
	for (i = 0; i < ARRAY_SIZE(offsets); i++) {
		struct vfio_device_ioeventfd ioe = {
			.argsz = sizeof(ioe),
			.flags = VFIO_DEVICE_IOEVENTFD_32,
			.offset = offsets[i],
			.data = 1,
			.fd = efd,
		};

		TH_LOG("offset 0x%llx", (unsigned long long)offsets[i]);
		EXPECT_EQ(EINVAL, ioctl_errno(self->d.device,
					      VFIO_DEVICE_IOEVENTFD, &ioe));
		ioe.fd = -1;	/* de-assign of what does not exist */
		EXPECT_EQ(EINVAL, ioctl_errno(self->d.device,
					      VFIO_DEVICE_IOEVENTFD, &ioe));
		/* pread takes a non-negative loff_t only */
		if ((int64_t)offsets[i] < 0) {
			EXPECT_EQ(-1, pread(self->d.device, &v, 4, offsets[i]));
			EXPECT_EQ(EINVAL, errno);
		} else {
			EXPECT_EQ(-1, pread(self->d.device, &v, 4, offsets[i]));
			EXPECT_EQ(EINVAL, errno);
			EXPECT_EQ(-1, pwrite(self->d.device, &v, 4, offsets[i]));
			EXPECT_EQ(EINVAL, errno);
		}
	}
	close(efd);
	expect_bar0(_metadata, self, true);
}

/* Defect 6: a driver without a device_feature op answers ENOTTY. */
TEST(feature_on_driver_without_features)
{
	struct {
		struct vfio_device_feature f;
		uint8_t data[16];
	} arg = { .f = { .argsz = sizeof(arg) } };
	static const uint32_t kinds[] = {
		VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_SET,
		VFIO_DEVICE_FEATURE_SET,
		VFIO_DEVICE_FEATURE_GET,
	};
	struct vfio_pci mdev;
	char uuid[37];
	unsigned int i;

	MDEV_TYPE_OR_SKIP("mtty-1");
	make_mdev_uuid(uuid);
	ASSERT_EQ(0, mdev_create("mtty-1", uuid));
	ASSERT_EQ(0, vfio_dev_open(&mdev, uuid, VFIO_TYPE1v2_IOMMU));
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		/* 0 is PCI_VF_TOKEN, 0xffff no feature at all */
		arg.f.flags = kinds[i] | VFIO_DEVICE_FEATURE_PCI_VF_TOKEN;
		EXPECT_EQ(ENOTTY, ioctl_errno(mdev.device, VFIO_DEVICE_FEATURE,
					      &arg));
		arg.f.flags = kinds[i] | 0xffff;
		EXPECT_EQ(ENOTTY, ioctl_errno(mdev.device, VFIO_DEVICE_FEATURE,
					      &arg));
	}
	vfio_pci_close(&mdev);
	EXPECT_EQ(0, mdev_remove(uuid));
}

/* ---- defect 1: BAR mmaps under races ---- */

#define RACE_SECONDS	8

struct race {
	FIXTURE_DATA(edu) *self;
	volatile bool stop;
	unsigned long faults, reads, toggles, resets;
};

static __thread sigjmp_buf race_jmp;

static void race_sigbus(int sig)
{
	siglongjmp(race_jmp, 1);
}

/* Touch every page of BAR0 through a fresh mapping, split it, fork. */
static void *race_toucher(void *arg)
{
	struct race *r = arg;
	FIXTURE_DATA(edu) *self = r->self;
	unsigned int n = 0;

	while (!r->stop) {
		volatile uint32_t *m = mmap(NULL, self->mmio_size,
					    PROT_READ | PROT_WRITE, MAP_SHARED,
					    self->d.device, self->bar0);
		size_t off;

		if (m == MAP_FAILED)
			continue;
		for (off = 0; off < self->mmio_size; off += PG) {
			if (sigsetjmp(race_jmp, 1)) {
				__atomic_add_fetch(&r->faults, 1, __ATOMIC_RELAXED);
				continue;
			}
			(void)m[off / 4];
			__atomic_add_fetch(&r->reads, 1, __ATOMIC_RELAXED);
		}
		/*
		 * No fork here: a fork's copy-on-write faults in this
		 * process, racing the zap of a page table they share with
		 * the BAR mapping, twice stalled the TCG guest on a TLB
		 * flush IPI that never arrived (no VFIO frame on either
		 * CPU). bar_mmap_survives_fork covers fork, alone.
		 */
		if (n++ % 2) {	/* split: unmap a middle page, then the rest */
			munmap((void *)((uint8_t *)m + 16 * PG), PG);
			munmap((void *)m, 16 * PG);
			munmap((void *)((uint8_t *)m + 17 * PG),
			       self->mmio_size - 17 * PG);
		} else {
			munmap((void *)m, self->mmio_size);
		}
	}
	return NULL;
}

static void *race_toggler(void *arg)
{
	struct race *r = arg;
	FIXTURE_DATA(edu) *self = r->self;

	while (!r->stop) {
		uint8_t cmd;

		if (pread(self->d.device, &cmd, 1, self->cfg + PCI_COMMAND) != 1)
			continue;
		cmd ^= PCI_COMMAND_MEMORY;
		pwrite(self->d.device, &cmd, 1, self->cfg + PCI_COMMAND);
		__atomic_add_fetch(&r->toggles, 1, __ATOMIC_RELAXED);
		if (r->toggles % 16 == 0) {
			ioctl(self->d.device, VFIO_DEVICE_RESET);
			__atomic_add_fetch(&r->resets, 1, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

/* A populated BAR mapping copied by fork, then revoked in both. */
TEST_F(edu, bar_mmap_survives_fork)
{
	int read_done[2], decode_off[2], status;
	uint32_t id = 0;
	char c = 0;
	pid_t pid;

	ASSERT_EQ(0, pipe(read_done));
	ASSERT_EQ(0, pipe(decode_off));
	expect_bar0(_metadata, self, true);	/* populated */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		uint32_t v = 0;
		int bad;

		/* the child's copy reads the device, then loses it */
		bad = mmio_read_faults(self->mmio, &v) || v != EDU_ID_VALUE;
		if (write(read_done[1], &c, 1) != 1 || bad)
			_exit(1);
		/* the parent turns decode off, then tells us */
		if (read(decode_off[0], &c, 1) != 1)
			_exit(3);
		_exit(mmio_read_faults(self->mmio, &v) ? 0 : 2);
	}
	/* in step with the child, however slowly either runs */
	ASSERT_EQ(1, read(read_done[0], &c, 1));
	vfio_cfg_write16(&self->d, PCI_COMMAND,
			 vfio_cfg_read16(&self->d, PCI_COMMAND) & ~PCI_COMMAND_MEMORY);
	EXPECT_TRUE(mmio_read_faults(self->mmio, &id));
	ASSERT_EQ(1, write(decode_off[1], &c, 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	close(read_done[0]);
	close(read_done[1]);
	close(decode_off[0]);
	close(decode_off[1]);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	vfio_cfg_write16(&self->d, PCI_COMMAND,
			 vfio_cfg_read16(&self->d, PCI_COMMAND) | PCI_COMMAND_MEMORY);
	expect_bar0(_metadata, self, true);
}

TEST_F(edu, bar_mmap_faults_race_decode_and_reset)
{
	struct sigaction sa = { .sa_handler = race_sigbus }, old;
	struct race r = { .self = self };
	pthread_t t[3];
	unsigned int i;

	sigaction(SIGBUS, &sa, &old);
	ASSERT_EQ(0, pthread_create(&t[0], NULL, race_toucher, &r));
	ASSERT_EQ(0, pthread_create(&t[1], NULL, race_toucher, &r));
	ASSERT_EQ(0, pthread_create(&t[2], NULL, race_toggler, &r));
	sleep(RACE_SECONDS);
	r.stop = true;
	for (i = 0; i < ARRAY_SIZE(t); i++)
		pthread_join(t[i], NULL);
	sigaction(SIGBUS, &old, NULL);
	TH_LOG("%lu reads, %lu SIGBUS, %lu decode toggles, %lu resets",
	       r.reads, r.faults, r.toggles, r.resets);
	EXPECT_LT(0, r.reads);
	EXPECT_LT(0, r.toggles);

	/* decode back on: the device answers through the mmap again */
	vfio_cfg_write16(&self->d, PCI_COMMAND,
			 vfio_cfg_read16(&self->d, PCI_COMMAND) | PCI_COMMAND_MEMORY);
	expect_bar0(_metadata, self, true);
}

TEST_HARNESS_MAIN
