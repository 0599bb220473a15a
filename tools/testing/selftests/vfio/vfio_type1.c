// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_iommu_type1 (reference §3): MAP_DMA and UNMAP_DMA rules for v1 and
 * v2 containers, UNMAP_ALL, VADDR invalidate and update, GET_INFO and its
 * capability chain, DMA_AVAIL down to ENOSPC, hugetlb mappings, locked
 * memory accounting for an unprivileged user, dirty page tracking.
 */
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <linux/mman.h>
#include <time.h>

#include "kselftest_harness.h"
#include "vfio_test.h"

#define PG		4096ULL
#define RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)
#define LIMIT_PARAM	"/sys/module/vfio_iommu_type1/parameters/dma_entry_limit"

static char edu_bdf[32];

static int setup_container(struct __test_metadata *_metadata,
			   struct vfio_pci *d, unsigned long iommu)
{
	if (!edu_bdf[0]) {
		PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, edu_bdf, sizeof(edu_bdf));
		ASSERT_EQ(0, pci_bind(edu_bdf, "vfio-pci"));
	}
	ASSERT_EQ(0, vfio_dev_open(d, edu_bdf, iommu));
	return 0;
}

static void *pages(size_t n)
{
	void *p = mmap(NULL, n * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int map_raw(int c, uint32_t argsz, uint32_t flags, uint64_t vaddr,
		   uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = argsz, .flags = flags, .vaddr = vaddr,
		.iova = iova, .size = size,
	};

	return ioctl(c, VFIO_IOMMU_MAP_DMA, &map) ? errno : 0;
}

static int unmap_raw(int c, uint32_t argsz, uint32_t flags, uint64_t iova,
		     uint64_t size, uint64_t *done)
{
	struct {
		struct vfio_iommu_type1_dma_unmap unmap;
		struct vfio_bitmap bitmap;
	} arg = {
		.unmap = { .argsz = argsz, .flags = flags, .iova = iova, .size = size },
	};
	static uint64_t bits[4];
	int ret;

	arg.bitmap.pgsize = PG;
	arg.bitmap.size = sizeof(bits);
	arg.bitmap.data = (__u64 *)bits;
	ret = ioctl(c, VFIO_IOMMU_UNMAP_DMA, &arg) ? errno : 0;
	if (done)
		*done = arg.unmap.size;
	return ret;
}

/* ---- MAP_DMA ---- */

enum vaddr_kind { VA_BUF, VA_BUF_ODD, VA_UNMAPPED, VA_WRAP };

struct map_case {
	const char *name;
	uint32_t argsz;
	uint32_t flags;
	enum vaddr_kind va;
	uint64_t iova;
	uint64_t size;
	int err;
};

static const struct map_case map_cases[] = {
	{ "argsz below 32", 31, RW, VA_BUF, 0x100000, PG, EINVAL },
	{ "unknown flag", 32, RW | (1 << 3), VA_BUF, 0x100000, PG, EINVAL },
	{ "no permission", 32, 0, VA_BUF, 0x100000, PG, EINVAL },
	{ "VADDR with READ", 32, VFIO_DMA_MAP_FLAG_VADDR | VFIO_DMA_MAP_FLAG_READ,
	  VA_BUF, 0x100000, PG, EINVAL },
	{ "size 0", 32, RW, VA_BUF, 0x100000, 0, EINVAL },
	{ "unaligned iova", 32, RW, VA_BUF, 0x100800, PG, EINVAL },
	{ "unaligned vaddr", 32, RW, VA_BUF_ODD, 0x100000, PG, EINVAL },
	{ "unaligned size", 32, RW, VA_BUF, 0x100000, PG + 0x800, EINVAL },
	{ "iova wraps", 32, RW, VA_BUF, 0xfffffffffffff000ULL, 2 * PG, EINVAL },
	{ "vaddr wraps", 32, RW, VA_WRAP, 0x100000, 2 * PG, EINVAL },
	{ "iova in the MSI window", 32, RW, VA_BUF, 0xfee00000ULL, PG, EINVAL },
	{ "iova beyond the aperture", 32, RW, VA_BUF, 1ULL << 52, PG, EINVAL },
	{ "vaddr not mapped", 32, RW, VA_UNMAPPED, 0x100000, PG, EFAULT },
	{ "a good one", 32, RW, VA_BUF, 0x100000, 2 * PG, 0 },
	{ "the same again", 32, RW, VA_BUF, 0x100000, 2 * PG, EEXIST },
	{ "overlapping its end", 32, RW, VA_BUF, 0x101000, 2 * PG, EEXIST },
	{ "overlapping its start", 32, RW, VA_BUF, 0x0ff000, 2 * PG, EEXIST },
	{ "adjacent below", 32, VFIO_DMA_MAP_FLAG_READ, VA_BUF, 0x0ff000, PG, 0 },
	{ "adjacent above, larger argsz", 64, VFIO_DMA_MAP_FLAG_WRITE, VA_BUF,
	  0x102000, PG, 0 },
};

TEST(map_rules)
{
	unsigned long types[] = { VFIO_TYPE1v2_IOMMU, VFIO_TYPE1_IOMMU };
	unsigned int t, i;
	uint8_t *buf = pages(4), *hole = pages(2);

	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, hole);
	munmap(hole, 2 * PG);

	for (t = 0; t < 2; t++) {
		struct vfio_pci d;

		setup_container(_metadata, &d, types[t]);
		for (i = 0; i < ARRAY_SIZE(map_cases); i++) {
			const struct map_case *c = &map_cases[i];
			uint64_t va = c->va == VA_BUF ? (uintptr_t)buf :
				      c->va == VA_BUF_ODD ? (uintptr_t)buf + 0x10 :
				      c->va == VA_UNMAPPED ? (uintptr_t)hole :
				      0xfffffffffffff000ULL;
			int err = map_raw(d.container, c->argsz, c->flags, va,
					  c->iova, c->size);

			EXPECT_EQ(c->err, err)
				TH_LOG("type %lu, case '%s': errno %d (%s)",
				       types[t], c->name, err, strerror(err));
		}
		vfio_pci_close(&d);
	}
}

/* ---- UNMAP_DMA ---- */

struct unmap_case {
	const char *name;
	uint32_t argsz;
	uint32_t flags;
	uint64_t iova;
	uint64_t size;
	int err;
	uint64_t done;
};

/* A = [0x100000, +4 pages), B = [0x104000, +2 pages), C = [0x200000, +1 page) */
static const struct unmap_case unmap_v2_cases[] = {
	{ "argsz below 24", 23, 0, 0x100000, 4 * PG, EINVAL, 0 },
	{ "unknown flag", 24, 1 << 3, 0x100000, 4 * PG, EINVAL, 0 },
	{ "unaligned iova", 24, 0, 0x100800, PG, EINVAL, 0 },
	{ "size 0", 24, 0, 0x100000, 0, EINVAL, 0 },
	{ "unaligned size", 24, 0, 0x100000, 0x800, EINVAL, 0 },
	{ "range wraps", 24, 0, 0xfffffffffffff000ULL, 2 * PG, EINVAL, 0 },
	{ "starts inside A", 24, 0, 0x101000, 3 * PG, EINVAL, 0 },
	{ "ends inside B", 24, 0, 0x100000, 5 * PG, EINVAL, 0 },
	{ "ALL with an iova", 24, VFIO_DMA_UNMAP_FLAG_ALL, 0x100000, 0, EINVAL, 0 },
	{ "ALL with a size", 24, VFIO_DMA_UNMAP_FLAG_ALL, 0, PG, EINVAL, 0 },
	{ "dirty bitmap with ALL", 48,
	  VFIO_DMA_UNMAP_FLAG_ALL | VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP, 0, 0, EINVAL, 0 },
	{ "dirty bitmap with VADDR", 48,
	  VFIO_DMA_UNMAP_FLAG_VADDR | VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP,
	  0x100000, 4 * PG, EINVAL, 0 },
	{ "dirty bitmap, argsz without it", 24,
	  VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP, 0x100000, 4 * PG, EINVAL, 0 },
	{ "dirty bitmap while not tracking", 48,
	  VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP, 0x100000, 4 * PG, EINVAL, 0 },
	{ "nothing mapped there", 24, 0, 0x300000, 16 * PG, 0, 0 },
	{ "A and B whole", 24, 0, 0x100000, 6 * PG, 0, 6 * PG },
	{ "A again: gone", 24, 0, 0x100000, 4 * PG, 0, 0 },
	{ "ALL takes C", 24, VFIO_DMA_UNMAP_FLAG_ALL, 0, 0, 0, PG },
};

TEST(unmap_rules_v2)
{
	uint8_t *buf = pages(8);
	struct vfio_pci d;
	unsigned int i;

	ASSERT_NE(NULL, buf);
	setup_container(_metadata, &d, VFIO_TYPE1v2_IOMMU);
	ASSERT_EQ(0, vfio_map(d.container, buf, 0x100000, 4 * PG, RW));
	ASSERT_EQ(0, vfio_map(d.container, buf + 4 * PG, 0x104000, 2 * PG, RW));
	ASSERT_EQ(0, vfio_map(d.container, buf + 6 * PG, 0x200000, PG, RW));

	for (i = 0; i < ARRAY_SIZE(unmap_v2_cases); i++) {
		const struct unmap_case *c = &unmap_v2_cases[i];
		uint64_t done = ~0ULL;
		int err = unmap_raw(d.container, c->argsz, c->flags, c->iova,
				    c->size, &done);

		EXPECT_EQ(c->err, err) TH_LOG("case '%s': errno %d", c->name, err);
		if (!c->err)
			EXPECT_EQ(c->done, done) TH_LOG("case '%s': unmapped %#llx",
							c->name, (unsigned long long)done);
	}
	/* everything is gone: the same ranges map again */
	EXPECT_EQ(0, vfio_map(d.container, buf, 0x100000, 8 * PG, RW));
	vfio_pci_close(&d);
}

/*
 * v1 keeps the legacy semantics: a range starting inside a mapping
 * unmaps nothing (and succeeds); one covering a mapping's first IOVA
 * removes the whole mapping.
 */
TEST(unmap_rules_v1)
{
	uint8_t *buf = pages(8);
	struct vfio_pci d;
	uint64_t done;

	ASSERT_NE(NULL, buf);
	setup_container(_metadata, &d, VFIO_TYPE1_IOMMU);
	ASSERT_EQ(0, vfio_map(d.container, buf, 0x100000, 3 * PG, RW));

	EXPECT_EQ(0, vfio_unmap(d.container, 0x101000, PG, 0, &done));
	EXPECT_EQ(0, done);
	EXPECT_EQ(-EEXIST, vfio_map(d.container, buf, 0x101000, PG, RW));

	/* covering only the first page takes all three */
	EXPECT_EQ(0, vfio_unmap(d.container, 0x100000, PG, 0, &done));
	EXPECT_EQ(3 * PG, done);
	EXPECT_EQ(0, vfio_map(d.container, buf, 0x101000, PG, RW));

	/* a range bisecting a mapping's end is accepted too */
	ASSERT_EQ(0, vfio_map(d.container, buf, 0x200000, 3 * PG, RW));
	EXPECT_EQ(0, vfio_unmap(d.container, 0x1ff000, 2 * PG, 0, &done));
	EXPECT_EQ(3 * PG, done);

	/* UNMAP_ALL works on v1 as well */
	EXPECT_EQ(0, vfio_unmap(d.container, 0, 0, VFIO_DMA_UNMAP_FLAG_ALL, &done));
	EXPECT_EQ(PG, done);
	vfio_pci_close(&d);
}

TEST(vaddr_invalidate_and_update)
{
	uint8_t *buf = pages(8), *buf2 = pages(8);
	struct vfio_pci d;
	uint64_t done;

	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, buf2);
	setup_container(_metadata, &d, VFIO_TYPE1v2_IOMMU);
	EXPECT_EQ(1, ioctl(d.container, VFIO_CHECK_EXTENSION, VFIO_UPDATE_VADDR));
	ASSERT_EQ(0, vfio_map(d.container, buf, 0x100000, 2 * PG, RW));
	ASSERT_EQ(0, vfio_map(d.container, buf + 2 * PG, 0x102000, 2 * PG, RW));

	/* update needs an invalidated vaddr, an existing and exact range */
	EXPECT_EQ(EINVAL, map_raw(d.container, 32, VFIO_DMA_MAP_FLAG_VADDR,
				  (uintptr_t)buf2, 0x100000, 2 * PG));
	EXPECT_EQ(ENOENT, map_raw(d.container, 32, VFIO_DMA_MAP_FLAG_VADDR,
				  (uintptr_t)buf2, 0x300000, 2 * PG));

	ASSERT_EQ(0, vfio_unmap(d.container, 0x102000, 2 * PG,
				VFIO_DMA_UNMAP_FLAG_VADDR, &done));
	EXPECT_EQ(2 * PG, done);
	/* the second one is invalid already: the request fails, rolls back */
	EXPECT_EQ(-EINVAL, vfio_unmap(d.container, 0x100000, 4 * PG,
				      VFIO_DMA_UNMAP_FLAG_VADDR, &done));
	/* the first was rolled back: it can be invalidated alone */
	EXPECT_EQ(0, vfio_unmap(d.container, 0x100000, 2 * PG,
				VFIO_DMA_UNMAP_FLAG_VADDR, &done));
	EXPECT_EQ(2 * PG, done);

	EXPECT_EQ(EINVAL, map_raw(d.container, 32, VFIO_DMA_MAP_FLAG_VADDR,
				  (uintptr_t)buf2, 0x100000, PG));
	EXPECT_EQ(0, map_raw(d.container, 32, VFIO_DMA_MAP_FLAG_VADDR,
			     (uintptr_t)buf2, 0x100000, 2 * PG));
	EXPECT_EQ(0, map_raw(d.container, 32, VFIO_DMA_MAP_FLAG_VADDR,
			     (uintptr_t)buf2 + 2 * PG, 0x102000, 2 * PG));
	/* valid again: a second update is refused */
	EXPECT_EQ(EINVAL, map_raw(d.container, 32, VFIO_DMA_MAP_FLAG_VADDR,
				  (uintptr_t)buf, 0x100000, 2 * PG));
	EXPECT_EQ(0, vfio_unmap(d.container, 0, 0, VFIO_DMA_UNMAP_FLAG_ALL, &done));
	EXPECT_EQ(4 * PG, done);
	vfio_pci_close(&d);
}

/* ---- GET_INFO ---- */

struct info_buf {
	struct vfio_iommu_type1_info info;
	uint8_t caps[512];
};

static struct vfio_info_cap_header *find_cap(struct info_buf *b, uint16_t id)
{
	uint32_t off = b->info.cap_offset;

	while (off) {
		struct vfio_info_cap_header *h = (void *)((uint8_t *)b + off);

		if (off >= sizeof(*b))
			return NULL;
		if (h->id == id)
			return h;
		off = h->next;
	}
	return NULL;
}

TEST(get_info_and_caps)
{
	struct vfio_iommu_type1_info_cap_iova_range *iova;
	struct vfio_iommu_type1_info_cap_migration *mig;
	struct vfio_iommu_type1_info_dma_avail *avail;
	struct vfio_info_cap_header *h;
	struct info_buf b;
	struct vfio_pci d;
	uint8_t *buf = pages(2);
	uint16_t order[3];
	uint32_t off;
	int n = 0;

	setup_container(_metadata, &d, VFIO_TYPE1v2_IOMMU);

	memset(&b, 0, sizeof(b));
	b.info.argsz = 15;
	EXPECT_EQ(EINVAL, ioctl_errno(d.container, VFIO_IOMMU_GET_INFO, &b));

	/* a 16-byte caller: flags and the needed size, cap_offset untouched */
	b.info.argsz = 16;
	b.info.cap_offset = 0xdeadbeef;
	ASSERT_EQ(0, ioctl(d.container, VFIO_IOMMU_GET_INFO, &b));
	EXPECT_EQ(VFIO_IOMMU_INFO_PGSIZES | VFIO_IOMMU_INFO_CAPS, b.info.flags);
	EXPECT_LT(sizeof(b.info), b.info.argsz);
	EXPECT_EQ(0xdeadbeef, b.info.cap_offset);
	EXPECT_EQ(PG, b.info.iova_pgsizes & -b.info.iova_pgsizes);

	/* room for the header only: cap_offset 0, argsz raised */
	b.info.argsz = sizeof(b.info);
	ASSERT_EQ(0, ioctl(d.container, VFIO_IOMMU_GET_INFO, &b));
	EXPECT_EQ(0, b.info.cap_offset);
	EXPECT_LT(sizeof(b.info), b.info.argsz);

	ASSERT_EQ(0, vfio_map(d.container, buf, 0x100000, 2 * PG, RW));
	b.info.argsz = sizeof(b);
	ASSERT_EQ(0, ioctl(d.container, VFIO_IOMMU_GET_INFO, &b));
	EXPECT_EQ(sizeof(b.info), b.info.cap_offset);

	/* upstream order: MIGRATION, DMA_AVAIL, IOVA_RANGE */
	for (off = b.info.cap_offset; off && n < 3; n++) {
		h = (void *)((uint8_t *)&b + off);
		order[n] = h->id;
		EXPECT_EQ(1, h->version);
		off = h->next;
	}
	ASSERT_EQ(3, n);
	EXPECT_EQ(0, off);
	EXPECT_EQ(VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION, order[0]);
	EXPECT_EQ(VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, order[1]);
	EXPECT_EQ(VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, order[2]);

	mig = (void *)find_cap(&b, VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION);
	ASSERT_NE(NULL, mig);
	EXPECT_EQ(PG, mig->pgsize_bitmap);
	EXPECT_EQ(256ULL << 20, mig->max_dirty_bitmap_size);

	avail = (void *)find_cap(&b, VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL);
	ASSERT_NE(NULL, avail);
	EXPECT_EQ(65535 - 1, avail->avail);

	/* the aperture minus the MSI window of the Intel IOMMU */
	iova = (void *)find_cap(&b, VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE);
	ASSERT_NE(NULL, iova);
	ASSERT_EQ(2, iova->nr_iovas);
	EXPECT_EQ(0, iova->iova_ranges[0].start);
	EXPECT_EQ(0xfedfffffULL, iova->iova_ranges[0].end);
	EXPECT_EQ(0xfef00000ULL, iova->iova_ranges[1].start);
	EXPECT_LE((1ULL << 39) - 1, iova->iova_ranges[1].end);
	EXPECT_EQ(0, (iova->iova_ranges[1].end + 1) & iova->iova_ranges[1].end);
	vfio_pci_close(&d);
}

TEST(dma_avail_counts_down_to_enospc)
{
	struct vfio_iommu_type1_info_dma_avail *avail;
	uint8_t *buf = pages(16);
	struct info_buf b;
	struct vfio_pci d;
	int i;

	ASSERT_EQ(0, sysfs_write(LIMIT_PARAM, "8"));
	/* the limit is read when the container gets its IOMMU */
	setup_container(_metadata, &d, VFIO_TYPE1v2_IOMMU);
	ASSERT_EQ(0, sysfs_write(LIMIT_PARAM, "65535"));

	for (i = 0; i < 8; i++)
		EXPECT_EQ(0, vfio_map(d.container, buf + i * PG,
				      0x100000 + i * 2 * PG, PG, RW));
	EXPECT_EQ(-ENOSPC, vfio_map(d.container, buf + 8 * PG, 0x200000, PG, RW));

	memset(&b, 0, sizeof(b));
	b.info.argsz = sizeof(b);
	ASSERT_EQ(0, ioctl(d.container, VFIO_IOMMU_GET_INFO, &b));
	avail = (void *)find_cap(&b, VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL);
	ASSERT_NE(NULL, avail);
	EXPECT_EQ(0, avail->avail);

	EXPECT_EQ(0, vfio_unmap(d.container, 0x100000, PG, 0, NULL));
	ASSERT_EQ(0, ioctl(d.container, VFIO_IOMMU_GET_INFO, &b));
	EXPECT_EQ(1, avail->avail);
	EXPECT_EQ(0, vfio_map(d.container, buf + 8 * PG, 0x200000, PG, RW));
	vfio_pci_close(&d);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* 4 KiB, 2 MiB and 1 GiB backed mappings (the guest reserves hugepages). */
TEST(hugetlb_mappings)
{
	static const struct {
		const char *what;
		int flags;
		size_t size;
	} kinds[] = {
		{ "4 KiB pages", 0, 64 << 20 },
		{ "2 MiB hugetlb", MAP_HUGETLB | MAP_HUGE_2MB, 64 << 20 },
		{ "1 GiB hugetlb", MAP_HUGETLB | MAP_HUGE_1GB, 1 << 30 },
	};
	struct vfio_pci d;
	unsigned int i;

	setup_container(_metadata, &d, VFIO_TYPE1v2_IOMMU);
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		uint64_t iova = 1ULL << 32, done;
		double t0, t1;
		void *p;

		p = mmap(NULL, kinds[i].size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | kinds[i].flags,
			 -1, 0);
		ASSERT_NE(MAP_FAILED, p) TH_LOG("%s: %s", kinds[i].what, strerror(errno));
		t0 = now();
		ASSERT_EQ(0, vfio_map(d.container, p, iova, kinds[i].size, RW))
			TH_LOG("%s", kinds[i].what);
		t1 = now();
		ASSERT_EQ(0, vfio_unmap(d.container, iova, kinds[i].size, 0, &done));
		EXPECT_EQ(kinds[i].size, done);
		TH_LOG("%s: %zu MiB mapped in %.1f ms, unmapped in %.1f ms",
		       kinds[i].what, kinds[i].size >> 20, (t1 - t0) * 1e3,
		       (now() - t1) * 1e3);
		munmap(p, kinds[i].size);
	}
	vfio_pci_close(&d);
}

static long vmlck_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/*
 * An unprivileged user with a small RLIMIT_MEMLOCK: a mapping beyond it
 * fails with ENOMEM, one within it is accounted in VmLck, and unmapping
 * gives it back.
 */
TEST(memlock_for_unprivileged_user)
{
	char group_path[64];
	int status, gid;
	pid_t pid;

	if (!edu_bdf[0]) {
		PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, edu_bdf, sizeof(edu_bdf));
		ASSERT_EQ(0, pci_bind(edu_bdf, "vfio-pci"));
	}
	gid = pci_iommu_group(edu_bdf);
	snprintf(group_path, sizeof(group_path), "/dev/vfio/%d", gid);
	ASSERT_EQ(0, chown(group_path, 1000, 1000));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct rlimit rl = { 64 << 10, 64 << 10 };
		int c, g, code = 0;
		uint8_t *buf;

		if (setgid(1000) || setuid(1000) || setrlimit(RLIMIT_MEMLOCK, &rl))
			_exit(10);
		buf = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (buf == MAP_FAILED)
			_exit(11);
		c = open("/dev/vfio/vfio", O_RDWR);
		if (c < 0)
			_exit(12);
		g = open(group_path, O_RDWR);
		if (g < 0)
			_exit(errno == EACCES ? 13 : 14);
		if (ioctl(g, VFIO_GROUP_SET_CONTAINER, &c))
			_exit(errno == EPERM ? 15 : 16);
		if (ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
			_exit(errno == EPERM ? 17 : 18);
		if (vmlck_kb() != 0)
			code |= 1 << 1;
		if (vfio_map(c, buf, 0x100000, 1 << 20, RW) != -ENOMEM)
			code |= 1 << 2;
		if (vmlck_kb() != 0)
			code |= 1 << 3;
		if (vfio_map(c, buf, 0x100000, 32 << 10, RW))
			code |= 1 << 4;
		if (vmlck_kb() != 32)
			code |= 1 << 5;
		if (vfio_unmap(c, 0x100000, 32 << 10, 0, NULL))
			code |= 1 << 6;
		if (vmlck_kb() != 0)
			code |= 1 << 7;
		close(g);
		close(c);
		_exit(code);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, chown(group_path, 0, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("child failed checks %#x (11-18: set-up step failed; bit1 VmLck at start, bit2 no ENOMEM, bit3 VmLck after ENOMEM, bit4 small map, bit5 VmLck 32, bit6 unmap, bit7 VmLck back to 0)",
		       WEXITSTATUS(status));
}

/* ---- dirty tracking ---- */

static int dirty_raw(int c, uint32_t flags, uint64_t iova, uint64_t size,
		     uint64_t pgsize, uint64_t *bits, uint64_t bits_size)
{
	struct {
		struct vfio_iommu_type1_dirty_bitmap hdr;
		struct vfio_iommu_type1_dirty_bitmap_get get;
	} arg = {
		.hdr = { .argsz = sizeof(arg), .flags = flags },
		.get = { .iova = iova, .size = size,
			 .bitmap = { .pgsize = pgsize, .size = bits_size,
				     .data = (__u64 *)bits } },
	};

	if (!(flags & VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP))
		arg.hdr.argsz = sizeof(arg.hdr);
	return ioctl(c, VFIO_IOMMU_DIRTY_PAGES, &arg) ? errno : 0;
}

TEST(dirty_tracking)
{
	const uint32_t start = VFIO_IOMMU_DIRTY_PAGES_FLAG_START;
	const uint32_t stop = VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP;
	const uint32_t get = VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP;
	struct {
		struct vfio_iommu_type1_dma_unmap unmap;
		struct vfio_bitmap bitmap;
	} arg;
	uint8_t *buf = pages(8);
	uint64_t bits[2];
	struct vfio_pci d;

	setup_container(_metadata, &d, VFIO_TYPE1_IOMMU);
	EXPECT_EQ(EACCES, dirty_raw(d.container, start, 0, 0, 0, NULL, 0));
	vfio_pci_close(&d);

	setup_container(_metadata, &d, VFIO_TYPE1v2_IOMMU);
	ASSERT_EQ(0, vfio_map(d.container, buf, 0x100000, 4 * PG, RW));
	EXPECT_EQ(EINVAL, dirty_raw(d.container, 0, 0, 0, 0, NULL, 0));
	EXPECT_EQ(EINVAL, dirty_raw(d.container, start | stop, 0, 0, 0, NULL, 0));
	EXPECT_EQ(EINVAL, dirty_raw(d.container, 1 << 3, 0, 0, 0, NULL, 0));
	/* not tracking yet */
	EXPECT_EQ(EINVAL, dirty_raw(d.container, get, 0x100000, 4 * PG, PG,
				    bits, sizeof(bits)));

	ASSERT_EQ(0, dirty_raw(d.container, start, 0, 0, 0, NULL, 0));
	EXPECT_EQ(0, dirty_raw(d.container, start, 0, 0, 0, NULL, 0));
	EXPECT_EQ(EINVAL, dirty_raw(d.container, get, 0x100000, 4 * PG, 2 * PG,
				    bits, sizeof(bits)));
	EXPECT_EQ(EINVAL, dirty_raw(d.container, get, 0x100000, 4 * PG, PG,
				    bits, 0));
	EXPECT_EQ(EINVAL, dirty_raw(d.container, get, 0x101000, 2 * PG, PG,
				    bits, sizeof(bits)));

	/* a real device may write anywhere mapped: all pages are dirty */
	memset(bits, 0, sizeof(bits));
	ASSERT_EQ(0, dirty_raw(d.container, get, 0x100000, 4 * PG, PG,
			       bits, sizeof(bits)));
	EXPECT_EQ(0xfULL, bits[0]);

	/* a mapping added while tracking gets tracked too; bit offsets hold */
	ASSERT_EQ(0, vfio_map(d.container, buf + 4 * PG, 0x104000, 2 * PG, RW));
	memset(bits, 0, sizeof(bits));
	ASSERT_EQ(0, dirty_raw(d.container, get, 0x100000, 6 * PG, PG,
			       bits, sizeof(bits)));
	EXPECT_EQ(0x3fULL, bits[0]);

	/* unmap can report too */
	arg.unmap.argsz = sizeof(arg);
	arg.unmap.flags = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP;
	arg.unmap.iova = 0x104000;
	arg.unmap.size = 2 * PG;
	arg.bitmap.pgsize = PG;
	arg.bitmap.size = sizeof(bits);
	arg.bitmap.data = (__u64 *)bits;
	memset(bits, 0, sizeof(bits));
	ASSERT_EQ(0, ioctl(d.container, VFIO_IOMMU_UNMAP_DMA, &arg));
	EXPECT_EQ(2 * PG, arg.unmap.size);
	EXPECT_EQ(0x3ULL, bits[0]);

	ASSERT_EQ(0, dirty_raw(d.container, stop, 0, 0, 0, NULL, 0));
	EXPECT_EQ(EINVAL, dirty_raw(d.container, get, 0x100000, 4 * PG, PG,
				    bits, sizeof(bits)));
	vfio_pci_close(&d);
}

TEST_HARNESS_MAIN
