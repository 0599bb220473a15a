/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio_iommu_type1: private structures shared by its source files.
 *
 * Locking: vfio_iommu.lock protects everything in the vfio_iommu and its
 * vfio_dma entries; device_list_lock protects device_list only, so that
 * dma_unmap callbacks can run without the main lock.
 */
#ifndef __VFIO_TYPE1_H__
#define __VFIO_TYPE1_H__

#include <linux/iommu.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/sched.h>
#include <linux/vfio.h>

/**
 * struct vfio_iommu - one type1 container
 * @domain_list: struct vfio_domain, IOMMU domains of the attached groups
 * @emulated_groups: struct vfio_iommu_group of emulated (mdev) groups
 * @iova_ranges: usable IOVA ranges (aperture minus reserved regions)
 * @nr_iova_ranges: entries in @iova_ranges; 0 means unrestricted
 * @lock: see above
 * @dma_list: struct vfio_dma by IOVA
 * @device_list: open devices with a dma_unmap op
 * @device_list_lock: protects @device_list
 * @dma_avail: mappings left under dma_entry_limit
 * @dma_limit: dma_entry_limit when the container was opened
 * @debug_dir: its debugfs directory (type1_debugfs.c)
 * @debug_id: the directory's name, or -1 without one
 * @vaddr_invalid_count: mappings whose vaddr was invalidated
 * @pgsize_bitmap: page sizes all domains support
 * @num_non_pinned_groups: IOMMU groups whose DMA is not limited to pages
 *	pinned through vfio_pin_pages(); while non-zero every mapped page
 *	is reported dirty
 * @v2: TYPE1v2 (or nesting) semantics
 * @nesting: domains are put into nesting mode
 * @dirty_page_tracking: VFIO_IOMMU_DIRTY_PAGES_FLAG_START is in effect
 */
struct vfio_iommu {
	struct list_head	domain_list;
	struct list_head	emulated_groups;
	struct vfio_iova_range	*iova_ranges;
	unsigned int		nr_iova_ranges;
	struct mutex		lock;		/* see above */
	struct rb_root		dma_list;
	struct list_head	device_list;
	struct mutex		device_list_lock;	/* see above */
	unsigned int		dma_avail;
	unsigned int		dma_limit;
	struct dentry		*debug_dir;
	int			debug_id;
	unsigned int		vaddr_invalid_count;
	u64			pgsize_bitmap;
	u64			num_non_pinned_groups;
	bool			v2;
	bool			nesting;
	bool			dirty_page_tracking;
};

/**
 * struct vfio_domain - an IOMMU domain shared by compatible groups
 * @domain: the IOMMU domain
 * @next: link in vfio_iommu.domain_list
 * @group_list: struct vfio_iommu_group attached to @domain
 * @enforce_cache_coherency: the domain forces snooped DMA
 */
struct vfio_domain {
	struct iommu_domain	*domain;
	struct list_head	next;
	struct list_head	group_list;
	bool			enforce_cache_coherency;
};

/**
 * struct vfio_iommu_group - an attached IOMMU group
 * @iommu_group: the group
 * @next: link in a domain's group_list or in emulated_groups
 * @pinned_page_dirty_scope: the group's devices only DMA to pages pinned
 *	through vfio_pin_pages()
 */
struct vfio_iommu_group {
	struct iommu_group	*iommu_group;
	struct list_head	next;
	bool			pinned_page_dirty_scope;
};

/**
 * struct vfio_dma - one VFIO_IOMMU_MAP_DMA mapping
 * @node: in vfio_iommu.dma_list
 * @iova: first IO virtual address
 * @vaddr: user virtual address of @iova in @mm
 * @size: bytes; while mapping, the part mapped so far
 * @prot: IOMMU_READ / IOMMU_WRITE
 * @iommu_mapped: the range is pinned and in every domain
 * @lock_cap: the mapper had CAP_IPC_LOCK
 * @vaddr_invalid: VFIO_DMA_UNMAP_FLAG_VADDR invalidated @vaddr
 * @task: the mapping process (group leader), for RLIMIT_MEMLOCK
 * @mm: its address space (mmgrab'ed)
 * @locked_pages: pages accounted to @mm's locked_vm for this mapping:
 *	every non-reserved page that is pinned, by the run pinning of an
 *	IOMMU-mapped mapping (@iommu_mapped) or by vfio_pin_pages() (in
 *	@pfn_list), counted once. So the run pinning accounts the pages
 *	without a vfio_pfn, and a vfio_pfn accounts its page only while
 *	the mapping is not @iommu_mapped (type1_pin.c owns both rules).
 * @pfn_list: struct vfio_pfn, pages pinned by vfio_pin_pages()
 * @bitmap: dirty bitmap while tracking, one bit per smallest page
 * @runs: while @iommu_mapped, the runs put into the IOMMU, in IOVA order
 *	from @iova and covering @size (type1_runs.c)
 * @nr_runs: entries in @runs
 * @max_runs: entries @runs has room for
 * @run_first: where a mapping's first run is kept
 */
struct vfio_dma {
	struct rb_node		node;
	dma_addr_t		iova;
	unsigned long		vaddr;
	size_t			size;
	int			prot;
	bool			iommu_mapped;
	bool			lock_cap;
	bool			vaddr_invalid;
	struct task_struct	*task;
	struct mm_struct	*mm;
	long			locked_pages;
	struct rb_root		pfn_list;
	unsigned long		*bitmap;
	u64			*runs;
	unsigned long		nr_runs;
	unsigned long		max_runs;
	u64			run_first;
};

/**
 * struct vfio_run - one physically contiguous run of a mapping, unpacked
 * @pfn: its first page frame
 * @npage: its length in pages
 * @rsvd: reserved pages: in the IOMMU, but neither pinned nor accounted
 */
struct vfio_run {
	unsigned long	pfn;
	long		npage;
	bool		rsvd;
};

#define VFIO_RUN_NPAGE_BITS	23
#define VFIO_RUN_NPAGE_MAX	((long)BIT(VFIO_RUN_NPAGE_BITS))

/**
 * struct vfio_pfn - a page pinned by vfio_pin_pages()
 * @node: in vfio_dma.pfn_list
 * @iova: its IOVA
 * @pfn: its page frame
 * @ref_count: outstanding pins
 */
struct vfio_pfn {
	struct rb_node		node;
	dma_addr_t		iova;
	unsigned long		pfn;
	unsigned int		ref_count;
};

/* Dirty bitmaps: one bit per page, whole u64 words, at most 256 MiB. */
#define DIRTY_BITMAP_BYTES(n)	(ALIGN(n, BITS_PER_TYPE(u64)) / BITS_PER_BYTE)
#define DIRTY_BITMAP_PAGES_MAX	((u64)INT_MAX)
#define DIRTY_BITMAP_SIZE_MAX	DIRTY_BITMAP_BYTES(DIRTY_BITMAP_PAGES_MAX)

static inline size_t vfio_pgsize(struct vfio_iommu *iommu)
{
	return (size_t)1 << __ffs(iommu->pgsize_bitmap);
}

/* type1_main.c */
extern bool vfio_type1_disable_hugepages;
struct vfio_iommu_group *vfio_find_group(struct vfio_iommu *iommu,
					 struct iommu_group *iommu_group,
					 struct vfio_domain **domain);
#if IS_ENABLED(CONFIG_KUNIT)
/* static without KUnit; the open and release ops of the backend */
void *vfio_iommu_type1_open(unsigned long arg);
void vfio_iommu_type1_release(void *iommu_data);
#endif

/* type1_dma.c: the mapping tree */
struct vfio_dma *vfio_find_dma(struct vfio_iommu *iommu, dma_addr_t start,
			       size_t size);
struct rb_node *vfio_find_dma_first_node(struct vfio_iommu *iommu,
					 dma_addr_t start, u64 size);
int vfio_dma_do_map(struct vfio_iommu *iommu,
		    struct vfio_iommu_type1_dma_map *map);
int vfio_dma_do_unmap(struct vfio_iommu *iommu,
		      struct vfio_iommu_type1_dma_unmap *unmap,
		      struct vfio_bitmap *bitmap);
void vfio_remove_dma(struct vfio_iommu *iommu, struct vfio_dma *dma);
void vfio_remove_all_dma(struct vfio_iommu *iommu);

/* type1_pin.c: pinning, accounting, IOMMU page tables */
int vfio_pin_map_dma(struct vfio_iommu *iommu, struct vfio_dma *dma,
		     size_t map_size);
void vfio_unmap_unpin(struct vfio_iommu *iommu, struct vfio_dma *dma);
int vfio_replay_into(struct vfio_iommu *iommu, struct vfio_domain *domain);
int vfio_lock_acct(struct vfio_dma *dma, long npage, bool async);
int vfio_pin_page_external(struct vfio_dma *dma, unsigned long vaddr,
			   unsigned long *pfn);
void vfio_unpin_page_external(struct vfio_dma *dma, unsigned long pfn);
int vfio_change_dma_owner(struct vfio_dma *dma);

/**
 * vfio_pfn_is_reserved - is a pfn outside normal pinnable memory
 * @pfn: page frame number
 *
 * Inline: it runs for every page pinned.
 *
 * Return: true for pfns without a struct page (MMIO) or reserved pages.
 */
static inline bool vfio_pfn_is_reserved(unsigned long pfn)
{
	return !pfn_valid(pfn) || PageReserved(pfn_to_page(pfn));
}

/* type1_runs.c: the record of what a mapping pinned */
void vfio_run_get(struct vfio_dma *dma, unsigned long i, struct vfio_run *run);
int vfio_runs_reserve(struct vfio_dma *dma, unsigned long n);
void vfio_runs_add(struct vfio_dma *dma, unsigned long pfn, long npage,
		   bool rsvd);
void vfio_runs_free(struct vfio_dma *dma);

/**
 * struct vfio_runs_stats - a summary of recorded runs
 * @nr_runs: runs
 * @pinned: pages pinned by them (reserved runs are not)
 * @max_run: bytes in the largest run
 */
struct vfio_runs_stats {
	unsigned long	nr_runs;
	unsigned long	pinned;
	u64		max_run;
};

void vfio_runs_stats_add(struct vfio_dma *dma, struct vfio_runs_stats *st);

/* type1_debugfs.c */
void vfio_iommu_debugfs_init(struct vfio_iommu *iommu);
void vfio_iommu_debugfs_exit(struct vfio_iommu *iommu);
void __init vfio_type1_debugfs_init(void);
void vfio_type1_debugfs_exit(void);

/* type1_emulated.c: pinning for emulated devices */
struct vfio_pfn *vfio_find_vpfn(struct vfio_dma *dma, dma_addr_t iova);
int vfio_iommu_type1_pin_pages(void *iommu_data, struct iommu_group *group,
			       dma_addr_t user_iova, int npage, int prot,
			       struct page **pages);
void vfio_iommu_type1_unpin_pages(void *iommu_data, dma_addr_t user_iova,
				  int npage);
int vfio_iommu_type1_dma_rw(void *iommu_data, dma_addr_t user_iova,
			    void *data, size_t count, bool write);

/* type1_dirty.c */
int vfio_dma_bitmap_alloc(struct vfio_dma *dma, size_t size, size_t pgsize);
void vfio_dma_bitmap_free(struct vfio_dma *dma);
int vfio_dirty_start(struct vfio_iommu *iommu);
void vfio_dirty_stop(struct vfio_iommu *iommu);
int vfio_dirty_verify_bitmap_size(u64 npages, u64 bitmap_size);
int vfio_dirty_report_dma(struct vfio_iommu *iommu, struct vfio_dma *dma,
			  u64 __user *bitmap, dma_addr_t base_iova,
			  size_t pgsize);
int vfio_dirty_get_bitmap(struct vfio_iommu *iommu, dma_addr_t iova,
			  size_t size, size_t pgsize, u64 __user *bitmap);
void vfio_dirty_mark(struct vfio_iommu *iommu, struct vfio_dma *dma,
		     dma_addr_t iova, size_t len);
long vfio_iommu_type1_dirty_pages(struct vfio_iommu *iommu,
				  unsigned long arg);

#endif /* __VFIO_TYPE1_H__ */
