// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of vfio_iommu_type1's tree of mappings and its MAP_DMA and
 * UNMAP_DMA rules (type1_dma.c), on containers made by the backend's own
 * open op, VFIO_TYPE1_IOMMU (v1) or VFIO_TYPE1v2_IOMMU (v2), with no group
 * attached. As upstream, a container without an IOMMU domain only records
 * a mapping (nothing is pinned or accounted); that is checked, and it lets
 * every rule be tested without a device:
 *
 *  - MAP: zero, unaligned or wrapping ranges and missing permissions are
 *    -EINVAL, overlaps -EEXIST, the entry limit -ENOSPC; lookups with
 *    vfio_find_dma() and vfio_find_dma_first_node() over a tree of many
 *    mappings;
 *  - UNMAP: argument checks, v2 refusing to bisect a mapping (-EINVAL),
 *    v1's legacy rule (a range starting inside a mapping unmaps nothing,
 *    one covering a mapping's first page unmaps all of it), UNMAP_ALL, and
 *    the size reported back in each case;
 *  - VADDR: UNMAP with VFIO_DMA_UNMAP_FLAG_VADDR invalidates whole
 *    mappings (rolled back if one already is), MAP with
 *    VFIO_DMA_MAP_FLAG_VADDR sets the new address with the exact
 *    iova/size, -ENOENT/-EINVAL otherwise, -EBUSY with emulated groups.
 *
 * The mm: vfio_dma_do_map() records current->mm (mmgrab) and its task for
 * the locked memory accounting, and KUnit cases run in kthreads without
 * one. Linux 6.1 exports no way for a module to make an mm (mm_alloc() is
 * not exported), so the suites borrow the address space of the process
 * loading the module: suite_init runs inside its finit_module() call and
 * takes a reference with get_task_mm(), and each map is made between
 * kthread_use_mm() and kthread_unuse_mm() (exported) with no assertion in
 * between, since a failed one ends the kthread. The borrowed memory is
 * never touched: nothing is pinned without a domain. Built in, there is no
 * loader and the cases are skipped.
 *
 * A third suite checks the record of pinned runs (type1_runs.c): the
 * first run kept in the vfio_dma, merging, packing at the widest pfn and
 * longest run, growth and order.
 *
 * Reaching type1's internals: vfio_dma_do_map(), vfio_dma_do_unmap(),
 * vfio_find_dma(), vfio_find_dma_first_node(), the runs functions and the
 * open and release ops are exported to the EXPORTED_FOR_KUNIT_TESTING namespace when KUnit
 * is enabled (EXPORT_SYMBOL_IF_KUNIT); the ops are static otherwise.
 */
#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vfio.h>

#include "type1.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)
#define VA		0x7f1200000000ULL	/* never touched */
#define TOP_PAGE	(U64_MAX & PAGE_MASK)

static struct mm_struct *t1_test_mm;

static int t1_suite_init(struct kunit_suite *suite)
{
	/* NULL when built in: the suite then runs from a kernel thread */
	t1_test_mm = get_task_mm(current);
	return 0;
}

static void t1_suite_exit(struct kunit_suite *suite)
{
	if (t1_test_mm)
		mmput(t1_test_mm);
	t1_test_mm = NULL;
}

static int t1_init(struct kunit *test)
{
	if (!t1_test_mm)
		kunit_skip(test, "built in: no loader address space to borrow");
	return 0;
}

/* ---- containers, released by KUnit whatever the outcome ---- */

static int t1_res_init(struct kunit_resource *res, void *model)
{
	void *iommu = vfio_iommu_type1_open((unsigned long)model);

	if (IS_ERR(iommu))
		return PTR_ERR(iommu);
	res->data = iommu;
	return 0;
}

static void t1_res_free(struct kunit_resource *res)
{
	vfio_iommu_type1_release(res->data);
}

static struct vfio_iommu *t1_open(struct kunit *test, unsigned long model)
{
	struct vfio_iommu *iommu;

	iommu = kunit_alloc_resource(test, t1_res_init, t1_res_free,
				     GFP_KERNEL, (void *)model);
	KUNIT_ASSERT_NOT_NULL(test, iommu);
	return iommu;
}

/* ---- MAP_DMA and UNMAP_DMA as the ioctls make them ---- */

static int t1_map(struct vfio_iommu *iommu, u64 iova, u64 size, u64 vaddr,
		  u32 flags)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = flags,
		.vaddr = vaddr,
		.iova = iova,
		.size = size,
	};
	int ret;

	kthread_use_mm(t1_test_mm);
	ret = vfio_dma_do_map(iommu, &map);
	kthread_unuse_mm(t1_test_mm);
	return ret;
}

/* Returns the errno; *@unmapped gets the size reported back. */
static int t1_unmap(struct vfio_iommu *iommu, u64 iova, u64 size, u32 flags,
		    u64 *unmapped)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.flags = flags,
		.iova = iova,
		.size = size,
	};
	struct vfio_bitmap bitmap = { };
	int ret;

	ret = vfio_dma_do_unmap(iommu, &unmap, &bitmap);
	*unmapped = unmap.size;
	return ret;
}

/* Number of mappings and their total size. */
static unsigned int t1_count(struct vfio_iommu *iommu, u64 *total)
{
	unsigned int n = 0;
	struct rb_node *p;

	*total = 0;
	mutex_lock(&iommu->lock);
	for (p = rb_first(&iommu->dma_list); p; p = rb_next(p)) {
		*total += rb_entry(p, struct vfio_dma, node)->size;
		n++;
	}
	mutex_unlock(&iommu->lock);
	return n;
}

/* Is [iova, iova + size) mapped as one whole mapping? */
static bool t1_has(struct vfio_iommu *iommu, u64 iova, u64 size)
{
	struct vfio_dma *dma;

	mutex_lock(&iommu->lock);
	dma = vfio_find_dma(iommu, iova, 1);
	mutex_unlock(&iommu->lock);
	return dma && dma->iova == iova && dma->size == size;
}

static void expect_mappings(struct kunit *test, struct vfio_iommu *iommu,
			    unsigned int n, u64 bytes, int line)
{
	u64 total;

	KUNIT_EXPECT_EQ_MSG(test, t1_count(iommu, &total), n, "line %d", line);
	KUNIT_EXPECT_EQ_MSG(test, total, bytes, "line %d", line);
}

/* that many mappings of that many bytes in all */
#define EXPECT_MAPPINGS(test, iommu, n, bytes) \
	expect_mappings(test, iommu, n, bytes, __LINE__)

/* ---- suite vfio_type1_map ---- */

static void open_models(struct kunit *test)
{
	struct vfio_iommu *v1, *v2;
	void *bad;

	v1 = t1_open(test, VFIO_TYPE1_IOMMU);
	KUNIT_EXPECT_FALSE(test, v1->v2);
	KUNIT_EXPECT_FALSE(test, v1->nesting);
	v2 = t1_open(test, VFIO_TYPE1v2_IOMMU);
	KUNIT_EXPECT_TRUE(test, v2->v2);
	KUNIT_EXPECT_FALSE(test, v2->nesting);

	/* empty, smallest page the CPU's, the default entry limit */
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_ROOT(&v2->dma_list));
	KUNIT_EXPECT_TRUE(test, list_empty(&v2->domain_list));
	KUNIT_EXPECT_EQ(test, v2->pgsize_bitmap, (u64)PAGE_MASK);
	KUNIT_EXPECT_EQ(test, v2->dma_avail, U16_MAX);

	bad = vfio_iommu_type1_open(VFIO_SPAPR_TCE_IOMMU);
	KUNIT_EXPECT_EQ(test, PTR_ERR(bad), -EINVAL);
	bad = vfio_iommu_type1_open(0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(bad), -EINVAL);
}

static void map_records_without_domain(struct kunit *test)
{
	struct vfio_iommu *iommu = t1_open(test, VFIO_TYPE1v2_IOMMU);
	unsigned long locked = t1_test_mm->locked_vm;
	unsigned int avail = iommu->dma_avail;
	struct vfio_dma *dma;

	/* VA is not mapped in the borrowed mm: nothing may touch it */
	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x100000, 0x4000, VA, RW), 0);
	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x200000, 0x1000, VA,
				     VFIO_DMA_MAP_FLAG_READ), 0);
	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x300000, 0x1000, VA,
				     VFIO_DMA_MAP_FLAG_WRITE), 0);

	dma = vfio_find_dma(iommu, 0x100000, 1);
	KUNIT_ASSERT_NOT_NULL(test, dma);
	KUNIT_EXPECT_EQ(test, dma->iova, 0x100000);
	KUNIT_EXPECT_EQ(test, dma->size, 0x4000);
	KUNIT_EXPECT_EQ(test, dma->vaddr, VA);
	KUNIT_EXPECT_EQ(test, dma->prot, IOMMU_READ | IOMMU_WRITE);
	KUNIT_EXPECT_FALSE(test, dma->iommu_mapped);
	KUNIT_EXPECT_FALSE(test, dma->vaddr_invalid);
	KUNIT_EXPECT_EQ(test, dma->locked_pages, 0);
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_ROOT(&dma->pfn_list));
	KUNIT_EXPECT_PTR_EQ(test, dma->mm, t1_test_mm);
	KUNIT_EXPECT_PTR_EQ(test, dma->task, current->group_leader);

	dma = vfio_find_dma(iommu, 0x200000, 1);
	KUNIT_ASSERT_NOT_NULL(test, dma);
	KUNIT_EXPECT_EQ(test, dma->prot, IOMMU_READ);
	dma = vfio_find_dma(iommu, 0x300000, 1);
	KUNIT_ASSERT_NOT_NULL(test, dma);
	KUNIT_EXPECT_EQ(test, dma->prot, IOMMU_WRITE);

	EXPECT_MAPPINGS(test, iommu, 3, 0x6000);
	KUNIT_EXPECT_EQ(test, iommu->dma_avail, avail - 3);
	/* nothing pinned, nothing accounted */
	KUNIT_EXPECT_EQ(test, t1_test_mm->locked_vm, locked);
}

static void map_rejects_bad_arguments(struct kunit *test)
{
	static const struct {
		const char *what;
		u64 iova, size, vaddr;
		u32 flags;
		int ret;
	} c[] = {
		{ "size 0", 0x10000, 0, VA, RW, -EINVAL },
		{ "iova unaligned", 0x10800, 0x1000, VA, RW, -EINVAL },
		{ "size unaligned", 0x10000, 0x1800, VA, RW, -EINVAL },
		{ "vaddr unaligned", 0x10000, 0x1000, VA + 0x800, RW, -EINVAL },
		{ "no permission", 0x10000, 0x1000, VA, 0, -EINVAL },
		{ "VADDR with READ", 0x10000, 0x1000, VA,
		  VFIO_DMA_MAP_FLAG_VADDR | VFIO_DMA_MAP_FLAG_READ, -EINVAL },
		{ "iova wraps", TOP_PAGE, 0x2000, VA, RW, -EINVAL },
		{ "iova + size == 2^64", TOP_PAGE, 0x1000, VA, RW, -EINVAL },
		{ "size to 2^64", 0x1000, TOP_PAGE, VA, RW, -EINVAL },
		{ "vaddr wraps", 0x10000, 0x2000, TOP_PAGE, RW, -EINVAL },
	};
	struct vfio_iommu *iommu = t1_open(test, VFIO_TYPE1v2_IOMMU);
	unsigned int avail = iommu->dma_avail;
	int i;

	for (i = 0; i < ARRAY_SIZE(c); i++)
		KUNIT_EXPECT_EQ_MSG(test, t1_map(iommu, c[i].iova, c[i].size,
						 c[i].vaddr, c[i].flags),
				    c[i].ret, "%s", c[i].what);
	/* a failed map leaves nothing behind */
	EXPECT_MAPPINGS(test, iommu, 0, 0);
	KUNIT_EXPECT_EQ(test, iommu->dma_avail, avail);
}

/*
 * The highest mapping there can be ends one page below 2^64 (and a vaddr
 * may end at 2^64 exactly): it is found, refuses overlaps and unmaps.
 */
static void map_top_of_iova_space(struct kunit *test)
{
	struct vfio_iommu *iommu = t1_open(test, VFIO_TYPE1v2_IOMMU);
	u64 top = TOP_PAGE - 0x1000, unmapped;

	KUNIT_ASSERT_EQ(test, t1_map(iommu, top, 0x1000, TOP_PAGE, RW), 0);
	KUNIT_EXPECT_TRUE(test, t1_has(iommu, top, 0x1000));
	KUNIT_EXPECT_EQ(test, t1_map(iommu, top, 0x1000, VA, RW), -EEXIST);
	KUNIT_EXPECT_EQ(test, t1_map(iommu, top - 0x1000, 0x2000, VA, RW),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, top, 0x1000, 0, &unmapped), 0);
	KUNIT_EXPECT_EQ(test, unmapped, 0x1000);
	EXPECT_MAPPINGS(test, iommu, 0, 0);

	/* a range reaching 2^64 may be unmapped (UNMAP_ALL is one) */
	KUNIT_ASSERT_EQ(test, t1_map(iommu, top, 0x1000, VA, RW), 0);
	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0x100000, TOP_PAGE - 0x100000 +
				       0x1000, 0, &unmapped), 0);
	KUNIT_EXPECT_EQ(test, unmapped, 0x1000);
	EXPECT_MAPPINGS(test, iommu, 0, 0);
}

static void map_overlap_eexist(struct kunit *test)
{
	static const struct {
		u64 iova, size;
	} overlap[] = {
		{ 0x10000, 0x4000 },	/* the same */
		{ 0x11000, 0x1000 },	/* inside */
		{ 0xf000, 0x2000 },	/* across the start */
		{ 0x13000, 0x2000 },	/* across the end */
		{ 0x8000, 0x10000 },	/* around */
	};
	static const unsigned long models[] = {
		VFIO_TYPE1_IOMMU, VFIO_TYPE1v2_IOMMU,
	};
	struct vfio_iommu *iommu;
	int m, i;

	for (m = 0; m < ARRAY_SIZE(models); m++) {
		iommu = t1_open(test, models[m]);
		KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x10000, 0x4000, VA, RW), 0);
		for (i = 0; i < ARRAY_SIZE(overlap); i++)
			KUNIT_EXPECT_EQ_MSG(test,
					    t1_map(iommu, overlap[i].iova,
						   overlap[i].size, VA + 0x100000,
						   RW),
					    -EEXIST, "model %lu, [%#llx, +%#llx)",
					    models[m], overlap[i].iova,
					    overlap[i].size);
		/* neighbours on both sides are fine, so is the same vaddr */
		KUNIT_EXPECT_EQ(test, t1_map(iommu, 0x14000, 0x1000, VA, RW), 0);
		KUNIT_EXPECT_EQ(test, t1_map(iommu, 0xf000, 0x1000, VA, RW), 0);
		KUNIT_ASSERT_TRUE(test, t1_has(iommu, 0x10000, 0x4000));
		KUNIT_EXPECT_EQ(test, vfio_find_dma(iommu, 0x10000, 1)->vaddr,
				VA);
		EXPECT_MAPPINGS(test, iommu, 3, 0x6000);
	}
}

static void map_entry_limit(struct kunit *test)
{
	struct vfio_iommu *iommu = t1_open(test, VFIO_TYPE1v2_IOMMU);
	u64 unmapped;

	iommu->dma_avail = 2;
	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x10000, 0x1000, VA, RW), 0);
	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x20000, 0x1000, VA, RW), 0);
	KUNIT_EXPECT_EQ(test, iommu->dma_avail, 0);
	KUNIT_EXPECT_EQ(test, t1_map(iommu, 0x30000, 0x1000, VA, RW), -ENOSPC);
	/* an overlap is reported first, as upstream */
	KUNIT_EXPECT_EQ(test, t1_map(iommu, 0x10000, 0x1000, VA, RW), -EEXIST);

	KUNIT_ASSERT_EQ(test, t1_unmap(iommu, 0x10000, 0x1000, 0, &unmapped),
			0);
	KUNIT_EXPECT_EQ(test, iommu->dma_avail, 1);
	KUNIT_EXPECT_EQ(test, t1_map(iommu, 0x30000, 0x1000, VA, RW), 0);
	EXPECT_MAPPINGS(test, iommu, 2, 0x2000);
}

#define NR_LOOKUP	32
#define LOOKUP_BASE	0x100000ULL
#define LOOKUP_STRIDE	0x4000ULL

static u64 lookup_iova(int i)
{
	return LOOKUP_BASE + i * LOOKUP_STRIDE;
}

/* 1 to 3 pages: at least one free page after each mapping */
static u64 lookup_size(int i)
{
	return 0x1000ULL * (1 + i % 3);
}

static u64 dma_iova(struct vfio_dma *dma)
{
	return dma ? dma->iova : U64_MAX;
}

static u64 node_iova(struct rb_node *node)
{
	return node ? rb_entry(node, struct vfio_dma, node)->iova : U64_MAX;
}

static void find_dma_lookups(struct kunit *test)
{
	struct vfio_iommu *iommu = t1_open(test, VFIO_TYPE1v2_IOMMU);
	u64 iova, end, gap;
	int i;

	/* insert out of order so the tree rebalances */
	for (i = 0; i < NR_LOOKUP; i++) {
		int j = (i * 7) % NR_LOOKUP;

		KUNIT_ASSERT_EQ(test, t1_map(iommu, lookup_iova(j),
					     lookup_size(j), VA, RW), 0);
	}

	mutex_lock(&iommu->lock);
	for (i = 0; i < NR_LOOKUP; i++) {
		iova = lookup_iova(i);
		end = iova + lookup_size(i);
		gap = LOOKUP_STRIDE - lookup_size(i);

		KUNIT_EXPECT_EQ(test, dma_iova(vfio_find_dma(iommu, iova, 1)),
				iova);
		KUNIT_EXPECT_EQ(test, dma_iova(vfio_find_dma(iommu, end - 1, 1)),
				iova);
		KUNIT_EXPECT_EQ(test, dma_iova(vfio_find_dma(iommu, iova - 1, 2)),
				iova);
		/* the gaps around it hold nothing */
		KUNIT_EXPECT_NULL(test, vfio_find_dma(iommu, end, gap));
		KUNIT_EXPECT_NULL(test, vfio_find_dma(iommu, iova - 1, 1));
		if (i + 1 < NR_LOOKUP)
			KUNIT_EXPECT_EQ(test,
					dma_iova(vfio_find_dma(iommu, end,
							       gap + 1)),
					lookup_iova(i + 1));

		/* the lowest mapping overlapping a range */
		KUNIT_EXPECT_EQ(test,
				node_iova(vfio_find_dma_first_node(iommu,
								   end - 1,
								   SZ_1M)),
				iova);
		KUNIT_EXPECT_EQ(test,
				node_iova(vfio_find_dma_first_node(iommu, 0,
								   end)),
				LOOKUP_BASE);
		KUNIT_EXPECT_EQ(test,
				node_iova(vfio_find_dma_first_node(iommu, end,
								   gap)),
				U64_MAX);
		if (i + 1 < NR_LOOKUP)
			KUNIT_EXPECT_EQ(test,
					node_iova(vfio_find_dma_first_node(iommu,
									   end,
									   SZ_1M)),
					lookup_iova(i + 1));
	}
	/* whole space, and past the last */
	KUNIT_EXPECT_EQ(test,
			node_iova(vfio_find_dma_first_node(iommu, 0, U64_MAX)),
			LOOKUP_BASE);
	KUNIT_EXPECT_NULL(test,
			  vfio_find_dma_first_node(iommu,
						   lookup_iova(NR_LOOKUP),
						   U64_MAX - lookup_iova(NR_LOOKUP)));
	mutex_unlock(&iommu->lock);
}

/* ---- suite vfio_type1_unmap ---- */

static void unmap_rejects_bad_arguments(struct kunit *test)
{
	static const struct {
		const char *what;
		u64 iova, size;
		u32 flags;
	} c[] = {
		{ "iova unaligned", 0x10800, 0x1000, 0 },
		{ "size 0", 0x10000, 0, 0 },
		{ "size unaligned", 0x10000, 0x800, 0 },
		{ "range wraps", TOP_PAGE, 0x2000, 0 },
		{ "ALL with iova", 0x10000, 0, VFIO_DMA_UNMAP_FLAG_ALL },
		{ "ALL with size", 0, 0x4000, VFIO_DMA_UNMAP_FLAG_ALL },
		{ "dirty bitmap, not tracking", 0x10000, 0x4000,
		  VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP },
	};
	struct vfio_iommu *iommu = t1_open(test, VFIO_TYPE1v2_IOMMU);
	u64 unmapped;
	int i;

	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x10000, 0x4000, VA, RW), 0);
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		KUNIT_EXPECT_EQ_MSG(test, t1_unmap(iommu, c[i].iova, c[i].size,
						   c[i].flags, &unmapped),
				    -EINVAL, "%s", c[i].what);
		KUNIT_EXPECT_EQ_MSG(test, unmapped, 0, "%s", c[i].what);
	}
	EXPECT_MAPPINGS(test, iommu, 1, 0x4000);
}

static void unmap_v2_no_bisect(struct kunit *test)
{
	static const struct {
		const char *what;
		u64 iova, size;
	} bisect[] = {
		{ "inside", 0x11000, 0x1000 },
		{ "first page", 0x10000, 0x1000 },
		{ "last page", 0x13000, 0x1000 },
		{ "across the start", 0xf000, 0x2000 },
		{ "from inside past the end", 0x12000, 0x4000 },
		{ "all of A, into B", 0x10000, 0x11000 },
		{ "from inside A, all of B", 0x13000, 0xf000 },
	};
	struct vfio_iommu *iommu = t1_open(test, VFIO_TYPE1v2_IOMMU);
	unsigned int avail = iommu->dma_avail;
	u64 unmapped;
	int i;

	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x10000, 0x4000, VA, RW), 0);
	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x20000, 0x2000, VA, RW), 0);

	for (i = 0; i < ARRAY_SIZE(bisect); i++) {
		KUNIT_EXPECT_EQ_MSG(test, t1_unmap(iommu, bisect[i].iova,
						   bisect[i].size, 0,
						   &unmapped),
				    -EINVAL, "%s", bisect[i].what);
		KUNIT_EXPECT_EQ(test, unmapped, 0);
	}
	EXPECT_MAPPINGS(test, iommu, 2, 0x6000);

	/* ranges holding no mapping: success, nothing unmapped */
	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0, 0x10000, 0, &unmapped), 0);
	KUNIT_EXPECT_EQ(test, unmapped, 0);
	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0x14000, 0xc000, 0, &unmapped), 0);
	KUNIT_EXPECT_EQ(test, unmapped, 0);
	EXPECT_MAPPINGS(test, iommu, 2, 0x6000);

	/* exactly one mapping, then one inside a large range */
	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0x10000, 0x4000, 0, &unmapped), 0);
	KUNIT_EXPECT_EQ(test, unmapped, 0x4000);
	KUNIT_EXPECT_FALSE(test, t1_has(iommu, 0x10000, 0x4000));
	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0, SZ_1M, 0, &unmapped), 0);
	KUNIT_EXPECT_EQ(test, unmapped, 0x2000);
	EXPECT_MAPPINGS(test, iommu, 0, 0);
	KUNIT_EXPECT_EQ(test, iommu->dma_avail, avail);
}

/* v2: several whole mappings at once, the size is their sum */
static void unmap_v2_many(struct kunit *test)
{
	struct vfio_iommu *iommu = t1_open(test, VFIO_TYPE1v2_IOMMU);
	u64 unmapped;

	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x10000, 0x4000, VA, RW), 0);
	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x14000, 0x1000, VA, RW), 0);
	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x20000, 0x2000, VA, RW), 0);
	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x30000, 0x1000, VA, RW), 0);

	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0x10000, 0x12000, 0, &unmapped),
			0);
	KUNIT_EXPECT_EQ(test, unmapped, 0x7000);
	EXPECT_MAPPINGS(test, iommu, 1, 0x1000);
	KUNIT_EXPECT_TRUE(test, t1_has(iommu, 0x30000, 0x1000));
}

/*
 * v1 never splits either, but instead of refusing: a range that starts
 * inside a mapping unmaps nothing (and stops there, even if it covers
 * further mappings), one that covers a mapping's first page unmaps all
 * of it. Both succeed; the size reported is what went away.
 */
static void unmap_v1_bisection(struct kunit *test)
{
	struct vfio_iommu *iommu = t1_open(test, VFIO_TYPE1_IOMMU);
	u64 unmapped;

	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x10000, 0x4000, VA, RW), 0);
	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x20000, 0x2000, VA, RW), 0);
	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x30000, 0x1000, VA, RW), 0);

	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0x11000, 0x1000, 0, &unmapped), 0);
	KUNIT_EXPECT_EQ(test, unmapped, 0);
	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0x12000, 0x20000, 0, &unmapped),
			0);
	KUNIT_EXPECT_EQ(test, unmapped, 0);
	EXPECT_MAPPINGS(test, iommu, 3, 0x7000);

	/* the first page takes the whole mapping */
	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0x10000, 0x1000, 0, &unmapped), 0);
	KUNIT_EXPECT_EQ(test, unmapped, 0x4000);
	KUNIT_EXPECT_FALSE(test, t1_has(iommu, 0x10000, 0x4000));
	/* from before a mapping into it */
	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0x1f000, 0x2000, 0, &unmapped), 0);
	KUNIT_EXPECT_EQ(test, unmapped, 0x2000);
	EXPECT_MAPPINGS(test, iommu, 1, 0x1000);

	/* one whole mapping and the start of the next: both go */
	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x40000, 0x2000, VA, RW), 0);
	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x43000, 0x3000, VA, RW), 0);
	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0x40000, 0x4000, 0, &unmapped), 0);
	KUNIT_EXPECT_EQ(test, unmapped, 0x5000);
	EXPECT_MAPPINGS(test, iommu, 1, 0x1000);
	KUNIT_EXPECT_TRUE(test, t1_has(iommu, 0x30000, 0x1000));
}

static void unmap_all(struct kunit *test)
{
	static const unsigned long models[] = {
		VFIO_TYPE1_IOMMU, VFIO_TYPE1v2_IOMMU,
	};
	struct vfio_iommu *iommu;
	unsigned int avail;
	u64 unmapped;
	int m;

	for (m = 0; m < ARRAY_SIZE(models); m++) {
		iommu = t1_open(test, models[m]);
		avail = iommu->dma_avail;
		KUNIT_ASSERT_EQ(test, t1_map(iommu, 0, 0x1000, VA, RW), 0);
		KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x10000, 0x4000, VA, RW), 0);
		KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x7fff00000000ULL, 0x2000,
					     VA, RW), 0);
		KUNIT_ASSERT_EQ(test, t1_map(iommu, TOP_PAGE - 0x1000, 0x1000,
					     VA, RW), 0);

		KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0, 0,
					       VFIO_DMA_UNMAP_FLAG_ALL,
					       &unmapped), 0);
		KUNIT_EXPECT_EQ_MSG(test, unmapped, 0x8000, "model %lu",
				    models[m]);
		EXPECT_MAPPINGS(test, iommu, 0, 0);
		KUNIT_EXPECT_EQ(test, iommu->dma_avail, avail);

		KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0, 0,
					       VFIO_DMA_UNMAP_FLAG_ALL,
					       &unmapped), 0);
		KUNIT_EXPECT_EQ(test, unmapped, 0);
	}
}

static void vaddr_invalidate_and_update(struct kunit *test)
{
	struct vfio_iommu *iommu = t1_open(test, VFIO_TYPE1v2_IOMMU);
	const u32 unmap_vaddr = VFIO_DMA_UNMAP_FLAG_VADDR;
	const u32 map_vaddr = VFIO_DMA_MAP_FLAG_VADDR;
	u64 new_va = VA + 0x100000, unmapped;
	struct vfio_dma *a;

	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x10000, 0x4000, VA, RW), 0);
	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x20000, 0x2000, VA, RW), 0);
	a = vfio_find_dma(iommu, 0x10000, 1);
	KUNIT_ASSERT_NOT_NULL(test, a);

	/* invalidation keeps the mapping; v2 still refuses to split */
	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0x11000, 0x1000, unmap_vaddr,
				       &unmapped), -EINVAL);
	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0x10000, 0x4000, unmap_vaddr,
				       &unmapped), 0);
	KUNIT_EXPECT_EQ(test, unmapped, 0x4000);
	KUNIT_EXPECT_TRUE(test, a->vaddr_invalid);
	KUNIT_EXPECT_EQ(test, iommu->vaddr_invalid_count, 1);
	EXPECT_MAPPINGS(test, iommu, 2, 0x6000);
	/* twice is an error */
	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0x10000, 0x4000, unmap_vaddr,
				       &unmapped), -EINVAL);
	KUNIT_EXPECT_EQ(test, unmapped, 0);
	KUNIT_EXPECT_EQ(test, iommu->vaddr_invalid_count, 1);

	/* the iova range stays taken */
	KUNIT_EXPECT_EQ(test, t1_map(iommu, 0x10000, 0x4000, new_va, RW),
			-EEXIST);
	/* updates: no permission bits, an existing invalid exact mapping */
	KUNIT_EXPECT_EQ(test, t1_map(iommu, 0x10000, 0x4000, new_va,
				     map_vaddr | VFIO_DMA_MAP_FLAG_WRITE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t1_map(iommu, 0x50000, 0x1000, new_va,
				     map_vaddr), -ENOENT);
	KUNIT_EXPECT_EQ(test, t1_map(iommu, 0x20000, 0x2000, new_va,
				     map_vaddr), -EINVAL);
	KUNIT_EXPECT_EQ(test, t1_map(iommu, 0x10000, 0x2000, new_va,
				     map_vaddr), -EINVAL);
	KUNIT_EXPECT_EQ(test, t1_map(iommu, 0x11000, 0x3000, new_va,
				     map_vaddr), -EINVAL);
	KUNIT_EXPECT_EQ(test, a->vaddr, VA);
	KUNIT_EXPECT_TRUE(test, a->vaddr_invalid);

	KUNIT_EXPECT_EQ(test, t1_map(iommu, 0x10000, 0x4000, new_va,
				     map_vaddr), 0);
	KUNIT_EXPECT_EQ(test, a->vaddr, new_va);
	KUNIT_EXPECT_FALSE(test, a->vaddr_invalid);
	KUNIT_EXPECT_EQ(test, iommu->vaddr_invalid_count, 0);
	/* same mapping otherwise */
	KUNIT_EXPECT_EQ(test, a->size, 0x4000);
	KUNIT_EXPECT_EQ(test, a->prot, IOMMU_READ | IOMMU_WRITE);
	KUNIT_EXPECT_PTR_EQ(test, a->mm, t1_test_mm);
	/* valid again: no second update */
	KUNIT_EXPECT_EQ(test, t1_map(iommu, 0x10000, 0x4000, VA, map_vaddr),
			-EINVAL);

	/* ALL | VADDR invalidates everything, ALL then removes it */
	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0, 0,
				       VFIO_DMA_UNMAP_FLAG_ALL | unmap_vaddr,
				       &unmapped), 0);
	KUNIT_EXPECT_EQ(test, unmapped, 0x6000);
	KUNIT_EXPECT_EQ(test, iommu->vaddr_invalid_count, 2);
	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0, 0, VFIO_DMA_UNMAP_FLAG_ALL,
				       &unmapped), 0);
	KUNIT_EXPECT_EQ(test, unmapped, 0x6000);
	KUNIT_EXPECT_EQ(test, iommu->vaddr_invalid_count, 0);
	EXPECT_MAPPINGS(test, iommu, 0, 0);
}

/* An invalidation meeting an already invalid mapping undoes itself. */
static void vaddr_invalidate_rollback(struct kunit *test)
{
	struct vfio_iommu *iommu = t1_open(test, VFIO_TYPE1v2_IOMMU);
	const u32 unmap_vaddr = VFIO_DMA_UNMAP_FLAG_VADDR;
	struct vfio_dma *a, *b, *c;
	u64 unmapped;

	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x10000, 0x1000, VA, RW), 0);
	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x20000, 0x1000, VA, RW), 0);
	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x30000, 0x1000, VA, RW), 0);
	a = vfio_find_dma(iommu, 0x10000, 1);
	b = vfio_find_dma(iommu, 0x20000, 1);
	c = vfio_find_dma(iommu, 0x30000, 1);
	KUNIT_ASSERT_TRUE(test, a && b && c);

	KUNIT_ASSERT_EQ(test, t1_unmap(iommu, 0x30000, 0x1000, unmap_vaddr,
				       &unmapped), 0);
	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0, SZ_1M, unmap_vaddr,
				       &unmapped), -EINVAL);
	KUNIT_EXPECT_EQ(test, unmapped, 0);
	KUNIT_EXPECT_FALSE(test, a->vaddr_invalid);
	KUNIT_EXPECT_FALSE(test, b->vaddr_invalid);
	KUNIT_EXPECT_TRUE(test, c->vaddr_invalid);
	KUNIT_EXPECT_EQ(test, iommu->vaddr_invalid_count, 1);
	EXPECT_MAPPINGS(test, iommu, 3, 0x3000);
}

/* Emulated devices pin through vaddr: with one, no invalidation. */
static void vaddr_busy_with_emulated_group(struct kunit *test)
{
	struct vfio_iommu *iommu = t1_open(test, VFIO_TYPE1v2_IOMMU);
	struct vfio_iommu_group *group;
	struct vfio_dma *dma;
	u64 unmapped;

	KUNIT_ASSERT_EQ(test, t1_map(iommu, 0x10000, 0x1000, VA, RW), 0);
	dma = vfio_find_dma(iommu, 0x10000, 1);
	KUNIT_ASSERT_NOT_NULL(test, dma);
	/* a stand-in attachment; the release op frees it */
	group = kzalloc(sizeof(*group), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, group);
	mutex_lock(&iommu->lock);
	list_add(&group->next, &iommu->emulated_groups);
	mutex_unlock(&iommu->lock);

	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0x10000, 0x1000,
				       VFIO_DMA_UNMAP_FLAG_VADDR, &unmapped),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0, 0, VFIO_DMA_UNMAP_FLAG_ALL |
				       VFIO_DMA_UNMAP_FLAG_VADDR, &unmapped),
			-EBUSY);
	KUNIT_EXPECT_FALSE(test, dma->vaddr_invalid);
	KUNIT_EXPECT_EQ(test, iommu->vaddr_invalid_count, 0);
	/* a plain unmap is fine */
	KUNIT_EXPECT_EQ(test, t1_unmap(iommu, 0x10000, 0x1000, 0, &unmapped), 0);
	KUNIT_EXPECT_EQ(test, unmapped, 0x1000);
}

static struct kunit_case vfio_type1_map_cases[] = {
	KUNIT_CASE(open_models),
	KUNIT_CASE(map_records_without_domain),
	KUNIT_CASE(map_rejects_bad_arguments),
	KUNIT_CASE(map_top_of_iova_space),
	KUNIT_CASE(map_overlap_eexist),
	KUNIT_CASE(map_entry_limit),
	KUNIT_CASE(find_dma_lookups),
	{}
};

static struct kunit_suite vfio_type1_map_suite = {
	.name = "vfio_type1_map",
	.suite_init = t1_suite_init,
	.suite_exit = t1_suite_exit,
	.init = t1_init,
	.test_cases = vfio_type1_map_cases,
};

static struct kunit_case vfio_type1_unmap_cases[] = {
	KUNIT_CASE(unmap_rejects_bad_arguments),
	KUNIT_CASE(unmap_v2_no_bisect),
	KUNIT_CASE(unmap_v2_many),
	KUNIT_CASE(unmap_v1_bisection),
	KUNIT_CASE(unmap_all),
	KUNIT_CASE(vaddr_invalidate_and_update),
	KUNIT_CASE(vaddr_invalidate_rollback),
	KUNIT_CASE(vaddr_busy_with_emulated_group),
	{}
};

static struct kunit_suite vfio_type1_unmap_suite = {
	.name = "vfio_type1_unmap",
	.suite_init = t1_suite_init,
	.suite_exit = t1_suite_exit,
	.init = t1_init,
	.test_cases = vfio_type1_unmap_cases,
};

/* ---- the record of runs (type1_runs.c) ---- */

static void t1_run_expect(struct kunit *test, struct vfio_dma *dma,
			  unsigned long i, unsigned long pfn, long npage,
			  bool rsvd)
{
	struct vfio_run run;

	vfio_run_get(dma, i, &run);
	KUNIT_EXPECT_EQ(test, run.pfn, pfn);
	KUNIT_EXPECT_EQ(test, run.npage, npage);
	KUNIT_EXPECT_EQ(test, run.rsvd, rsvd);
}

static void t1_run_add(struct kunit *test, struct vfio_dma *dma,
		       unsigned long pfn, long npage, bool rsvd)
{
	KUNIT_ASSERT_EQ(test, vfio_runs_reserve(dma, 1), 0);
	vfio_runs_add(dma, pfn, npage, rsvd);
}

/* The first run lives in the vfio_dma; contiguous runs merge. */
static void runs_first_inline_and_merge(struct kunit *test)
{
	struct vfio_dma *dma = kunit_kzalloc(test, sizeof(*dma), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, dma);
	t1_run_add(test, dma, 100, 10, false);
	KUNIT_EXPECT_PTR_EQ(test, dma->runs, &dma->run_first);
	/* a merge needs no room (the caller reserves before it knows) */
	vfio_runs_add(dma, 110, 5, false);
	KUNIT_EXPECT_EQ(test, dma->nr_runs, 1);
	KUNIT_EXPECT_PTR_EQ(test, dma->runs, &dma->run_first);
	t1_run_expect(test, dma, 0, 100, 15, false);

	t1_run_add(test, dma, 115, 1, true);	/* reserved: not merged */
	t1_run_add(test, dma, 116, 1, false);	/* after a reserved one */
	t1_run_add(test, dma, 50, 2, false);	/* goes backwards */
	KUNIT_EXPECT_EQ(test, dma->nr_runs, 4);
	KUNIT_EXPECT_PTR_NE(test, dma->runs, &dma->run_first);
	t1_run_expect(test, dma, 0, 100, 15, false);
	t1_run_expect(test, dma, 1, 115, 1, true);
	t1_run_expect(test, dma, 2, 116, 1, false);
	t1_run_expect(test, dma, 3, 50, 2, false);
	/* room for many at once, as a batch of pending runs needs */
	KUNIT_ASSERT_EQ(test, vfio_runs_reserve(dma, 40), 0);
	KUNIT_EXPECT_GE(test, dma->max_runs, dma->nr_runs + 40);
	t1_run_expect(test, dma, 3, 50, 2, false);
	vfio_runs_free(dma);
	KUNIT_EXPECT_NULL(test, dma->runs);
	KUNIT_EXPECT_EQ(test, dma->nr_runs, 0);
}

/* The widest pfn and the longest run survive packing; merges stop there. */
static void runs_packing_limits(struct kunit *test)
{
	struct vfio_dma *dma = kunit_kzalloc(test, sizeof(*dma), GFP_KERNEL);
	unsigned long top = BIT(40) - VFIO_RUN_NPAGE_MAX;

	KUNIT_ASSERT_NOT_NULL(test, dma);
	t1_run_add(test, dma, top, VFIO_RUN_NPAGE_MAX - 1, true);
	t1_run_add(test, dma, top + VFIO_RUN_NPAGE_MAX - 1, 1, true);
	KUNIT_EXPECT_EQ(test, dma->nr_runs, 1);
	t1_run_expect(test, dma, 0, top, VFIO_RUN_NPAGE_MAX, true);
	t1_run_add(test, dma, BIT(40) - 1, 1, true);	/* would be too long */
	KUNIT_EXPECT_EQ(test, dma->nr_runs, 2);
	t1_run_expect(test, dma, 1, BIT(40) - 1, 1, true);
	t1_run_add(test, dma, 0, 1, false);
	t1_run_expect(test, dma, 2, 0, 1, false);
	vfio_runs_free(dma);
}

/* Many discontiguous runs: the record grows and keeps its order. */
static void runs_grow(struct kunit *test)
{
	struct vfio_dma *dma = kunit_kzalloc(test, sizeof(*dma), GFP_KERNEL);
	unsigned long i, n = 5000;

	KUNIT_ASSERT_NOT_NULL(test, dma);
	for (i = 0; i < n; i++)
		t1_run_add(test, dma, 2 * i, 1, false);
	KUNIT_EXPECT_EQ(test, dma->nr_runs, n);
	KUNIT_EXPECT_GE(test, dma->max_runs, n);
	for (i = 0; i < n; i += 499)
		t1_run_expect(test, dma, i, 2 * i, 1, false);
	vfio_runs_free(dma);
}

static struct kunit_case vfio_type1_runs_cases[] = {
	KUNIT_CASE(runs_first_inline_and_merge),
	KUNIT_CASE(runs_packing_limits),
	KUNIT_CASE(runs_grow),
	{}
};

static struct kunit_suite vfio_type1_runs_suite = {
	.name = "vfio_type1_runs",
	.test_cases = vfio_type1_runs_cases,
};

kunit_test_suites(&vfio_type1_map_suite, &vfio_type1_unmap_suite,
		  &vfio_type1_runs_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for vfio_iommu_type1's mappings and unmap rules");
