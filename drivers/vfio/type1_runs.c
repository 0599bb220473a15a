// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_iommu_type1: the record of what a mapping pinned.
 *
 * Each IOMMU-mapped vfio_dma keeps the physically contiguous runs it put
 * into the IOMMU, in IOVA order, one u64 each. Unmap, replay into a new
 * domain and the unwinding of a failed replay read the runs here instead
 * of walking an IOMMU page table one 4 KiB page at a time, so a mapping
 * leaves every domain in one iommu_unmap() per GiB and is unpinned a run
 * at a time. It costs 8 bytes per run: nothing for a small mapping (the
 * first run is kept in the vfio_dma), 16 KiB for 1 GiB of 2 MiB pages and
 * 2 MiB for 1 GiB of pages no two of which are contiguous (0.2%).
 *
 * A run packs its first pfn above bit 24 (40 bits: 52-bit physical
 * addresses with 4 KiB pages), a reserved flag in bit 23 and its length
 * less one below that, so one entry covers at most 32 GiB.
 */
#include <linux/mm.h>
#include <kunit/visibility.h>
#include <linux/slab.h>

#include "type1.h"

#define VFIO_RUN_RSVD		BIT_ULL(VFIO_RUN_NPAGE_BITS)
#define VFIO_RUN_PFN_SHIFT	(VFIO_RUN_NPAGE_BITS + 1)
#define VFIO_RUNS_FIRST		16	/* entries of the first allocation */

static u64 vfio_run_pack(unsigned long pfn, long npage, bool rsvd)
{
	return (u64)pfn << VFIO_RUN_PFN_SHIFT | (rsvd ? VFIO_RUN_RSVD : 0) |
	       (npage - 1);
}

/**
 * vfio_run_get - unpack one recorded run
 * @dma: the mapping
 * @i: the run's index, below @dma->nr_runs
 * @run: receives it
 */
void vfio_run_get(struct vfio_dma *dma, unsigned long i, struct vfio_run *run)
{
	u64 v = dma->runs[i];

	run->pfn = v >> VFIO_RUN_PFN_SHIFT;
	run->npage = (v & (VFIO_RUN_NPAGE_MAX - 1)) + 1;
	run->rsvd = v & VFIO_RUN_RSVD;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_run_get);

/**
 * vfio_runs_reserve - make room for more runs
 * @dma: the mapping
 * @n: runs to make room for
 *
 * Called before runs are pinned, so that recording them cannot fail.
 *
 * Return: 0 or -ENOMEM.
 */
int vfio_runs_reserve(struct vfio_dma *dma, unsigned long n)
{
	unsigned long max;
	u64 *runs;

	if (!dma->runs) {
		dma->runs = &dma->run_first;
		dma->max_runs = 1;
	}
	if (dma->nr_runs + n <= dma->max_runs)
		return 0;

	max = max3(VFIO_RUNS_FIRST, dma->max_runs * 2, dma->nr_runs + n);
	if (dma->runs == &dma->run_first) {
		runs = kvmalloc_array(max, sizeof(*runs), GFP_KERNEL_ACCOUNT);
		if (runs)
			runs[0] = dma->run_first;
	} else {
		runs = kvrealloc(dma->runs, dma->max_runs * sizeof(*runs),
				 max * sizeof(*runs), GFP_KERNEL_ACCOUNT);
	}
	if (!runs)
		return -ENOMEM;
	dma->runs = runs;
	dma->max_runs = max;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_runs_reserve);

/**
 * vfio_runs_add - record the run that follows the recorded ones
 * @dma: the mapping, with room reserved by vfio_runs_reserve()
 * @pfn: the run's first page frame
 * @npage: its length, at most VFIO_RUN_NPAGE_MAX
 * @rsvd: its pages are reserved (mapped, never pinned nor accounted)
 *
 * A run that continues the last one is merged into it when both fit.
 */
void vfio_runs_add(struct vfio_dma *dma, unsigned long pfn, long npage,
		   bool rsvd)
{
	if (dma->nr_runs) {
		struct vfio_run last;

		vfio_run_get(dma, dma->nr_runs - 1, &last);
		if (last.rsvd == rsvd && last.pfn + last.npage == pfn &&
		    last.npage + npage <= VFIO_RUN_NPAGE_MAX) {
			dma->runs[dma->nr_runs - 1] =
				vfio_run_pack(last.pfn, last.npage + npage, rsvd);
			return;
		}
	}
	dma->runs[dma->nr_runs++] = vfio_run_pack(pfn, npage, rsvd);
}
EXPORT_SYMBOL_IF_KUNIT(vfio_runs_add);

/**
 * vfio_runs_free - forget every recorded run
 * @dma: the mapping
 */
void vfio_runs_free(struct vfio_dma *dma)
{
	if (dma->runs != &dma->run_first)
		kvfree(dma->runs);
	dma->runs = NULL;
	dma->nr_runs = 0;
	dma->max_runs = 0;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_runs_free);

/**
 * vfio_runs_stats_add - add a mapping's recorded runs to a summary
 * @dma: the mapping, its container locked
 * @st: the summary; the counts add up, the largest run is the maximum
 */
void vfio_runs_stats_add(struct vfio_dma *dma, struct vfio_runs_stats *st)
{
	unsigned long i;

	for (i = 0; i < dma->nr_runs; i++) {
		struct vfio_run run;

		vfio_run_get(dma, i, &run);
		if (!run.rsvd)
			st->pinned += run.npage;
		st->max_run = max_t(u64, st->max_run,
				    (u64)run.npage << PAGE_SHIFT);
	}
	st->nr_runs += dma->nr_runs;
}
