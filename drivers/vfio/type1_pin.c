// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_iommu_type1: pinning user memory and putting it in the IOMMU.
 *
 * Speed comes from doing per folio, per run or per GiB what could be done
 * per 4 KiB page. Pages of the mapper's own memory are pinned 512 at a
 * time by lockless GUP (one reference per THP or hugetlb page), others by
 * pin_user_pages_remote(); VM_PFNMAP memory (a BAR) is read a page table
 * page at a time. A batch is walked a folio at a time. Physically
 * contiguous runs, however many batches they span, go to iommu_map() as
 * one call, so the IOMMU driver can use 2 MiB and 1 GiB entries, and are
 * recorded (type1_runs.c), so that unmap takes the whole range out of
 * each domain at once, flushes the IOTLB once and unpins run by run, each
 * folio's pins dropped at once. Locked memory is accounted once per run.
 *
 * Reserved pages (MMIO behind VM_PFNMAP, the zero page) are mapped but
 * never accounted and never kept pinned: they cannot go away.
 */
#include <linux/highmem.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vfio.h>
#include <trace/events/vfio.h>

#include "type1.h"

#define VFIO_BATCH_MAX		(PAGE_SIZE / sizeof(struct page *))

/**
 * vfio_lock_acct - account pages to a mapping owner's locked_vm
 * @dma: the mapping
 * @npage: pages to add (positive) or remove (negative)
 * @async: called outside the owner's context: the mm may be exiting
 *
 * Return: 0, -ENOMEM over RLIMIT_MEMLOCK (without CAP_IPC_LOCK), or
 * -ESRCH when the owner's mm is gone.
 */
int vfio_lock_acct(struct vfio_dma *dma, long npage, bool async)
{
	struct mm_struct *mm = dma->mm;
	int ret;

	if (!npage)
		return 0;
	if (async && !mmget_not_zero(mm))
		return -ESRCH;

	ret = mmap_write_lock_killable(mm);
	if (!ret) {
		ret = __account_locked_vm(mm, abs(npage), npage > 0, dma->task,
					  dma->lock_cap);
		mmap_write_unlock(mm);
	}
	if (async)
		mmput(mm);

	if (!ret)
		dma->locked_pages += npage;
	else if (ret == -ENOMEM)
		pr_warn("%s: RLIMIT_MEMLOCK (%lu) exceeded\n", __func__,
			task_rlimit(dma->task, RLIMIT_MEMLOCK));
	return ret;
}

/**
 * vfio_change_dma_owner - move a mapping to the calling process
 * @dma: a mapping whose vaddr is being updated (VFIO_DMA_MAP_FLAG_VADDR)
 *
 * The locked pages move from the old owner's accounting to the caller's.
 *
 * Return: 0 or a negative errno (-ENOMEM over the new owner's limit).
 */
int vfio_change_dma_owner(struct vfio_dma *dma)
{
	struct task_struct *task = current->group_leader;
	struct mm_struct *mm = current->mm;
	long npage = dma->locked_pages;
	bool lock_cap;
	int ret;

	if (mm == dma->mm)
		return 0;

	lock_cap = capable(CAP_IPC_LOCK);
	ret = mmap_write_lock_killable(mm);
	if (ret)
		return ret;
	ret = __account_locked_vm(mm, npage, true, task, lock_cap);
	mmap_write_unlock(mm);
	if (ret)
		return ret;

	if (mmget_not_zero(dma->mm)) {
		mmap_write_lock(dma->mm);
		__account_locked_vm(dma->mm, npage, false, dma->task,
				    dma->lock_cap);
		mmap_write_unlock(dma->mm);
		mmput(dma->mm);
	}

	put_task_struct(dma->task);
	mmdrop(dma->mm);
	get_task_struct(task);
	dma->task = task;
	mmgrab(mm);
	dma->mm = mm;
	dma->lock_cap = lock_cap;
	return 0;
}

/* ---- batches of pinned pages ---- */

#define VFIO_BATCH_SMALL	16	/* entries on the stack */

/**
 * struct vfio_batch - pages pinned ahead of use
 * @pages: pinned pages (when !@pfnmap)
 * @small: the array of a mapping of at most VFIO_BATCH_SMALL pages, or
 *	one entry of it when no page could be allocated for a larger one
 * @capacity: entries @pages can hold
 * @size: valid entries, or pfns from @pfn on
 * @offset: next entry to consume
 * @pfnmap: the batch is @size contiguous pfns of a VM_PFNMAP vma from
 *	@pfn on, not pinned; after a failed fill: the vma was VM_PFNMAP
 * @pfn: the first of them
 */
struct vfio_batch {
	struct page	**pages;
	struct page	*small[VFIO_BATCH_SMALL];
	unsigned int	capacity;
	unsigned int	size;
	unsigned int	offset;
	bool		pfnmap;
	unsigned long	pfn;
};

/*
 * A batch for @npage pages to come: a small mapping (the per-ioctl cost of
 * many small maps) needs no page allocated for its batch.
 */
static void vfio_batch_init(struct vfio_batch *batch, size_t npage)
{
	batch->pages = batch->small;
	batch->size = 0;
	batch->offset = 0;
	batch->pfnmap = false;
	batch->pfn = 0;
	if (vfio_type1_disable_hugepages) {
		batch->capacity = 1;
		return;
	}
	batch->capacity = VFIO_BATCH_SMALL;
	if (npage <= VFIO_BATCH_SMALL)
		return;
	batch->pages = (struct page **)__get_free_page(GFP_KERNEL);
	if (batch->pages) {
		batch->capacity = VFIO_BATCH_MAX;
		return;
	}
	batch->pages = batch->small;
	batch->capacity = 1;
}

static unsigned long vfio_batch_pfn(struct vfio_batch *batch)
{
	if (batch->pfnmap)
		return batch->pfn + batch->offset;
	return page_to_pfn(batch->pages[batch->offset]);
}

/*
 * How many entries from the batch's next one on can join a run in one
 * step, at most @max: the rest of a pfnmap batch (reserved by
 * construction), or the pages of one folio that follow in the batch in
 * order. Only the first page's struct page is read: a large folio is
 * never reserved, so the step is a folio, not a page, at a time.
 */
static long vfio_batch_step(struct vfio_batch *batch, long max, bool *rsvd)
{
	long n = 1, left = min_t(long, max, batch->size - batch->offset);
	struct page *page;
	struct folio *folio;

	if (batch->pfnmap) {
		*rsvd = true;
		return left;
	}

	page = batch->pages[batch->offset];
	*rsvd = PageReserved(page);
	folio = page_folio(page);
	if (folio_test_large(folio)) {
		left = min_t(long, left, folio_nr_pages(folio) -
					 folio_page_idx(folio, page));
		while (n < left &&
		       batch->pages[batch->offset + n] == nth_page(page, n))
			n++;
	}
	return n;
}

/* Unpin what was pinned ahead but not used. */
static void vfio_batch_unpin(struct vfio_batch *batch)
{
	if (!batch->pfnmap && batch->size > batch->offset)
		unpin_user_pages(batch->pages + batch->offset,
				 batch->size - batch->offset);
	batch->size = 0;
	batch->offset = 0;
}

static void vfio_batch_fini(struct vfio_batch *batch)
{
	vfio_batch_unpin(batch);
	if (batch->capacity == VFIO_BATCH_MAX)
		free_page((unsigned long)batch->pages);
}

/*
 * Fill @batch from a VM_IO/VM_PFNMAP vma: the physically contiguous pfns
 * mapped from @vaddr on, as far as one page table page, the vma and
 * @npage reach, the first one faulted in if needed (vfio-pci's BAR fault
 * handler then fills 16 MiB at once). Nothing is pinned, so only reserved
 * pfns (MMIO) may be taken: a normal page behind a PFNMAP could be freed
 * under the DMA.
 */
static long vfio_pfnmap_fill(struct mm_struct *mm, struct vm_area_struct *vma,
			     unsigned long vaddr, bool write, long npage,
			     struct vfio_batch *batch)
{
	unsigned long end = pmd_addr_end(vaddr, min(vma->vm_end,
					 vaddr + (npage << PAGE_SHIFT)));
	spinlock_t *ptl;	/* the page table page's, from follow_pte() */
	pte_t *ptep;
	long n;
	int ret;

	if (follow_pte(mm, vaddr, &ptep, &ptl)) {
		bool unlocked = false;

		ret = fixup_user_fault(mm, vaddr,
				       FAULT_FLAG_REMOTE |
				       (write ? FAULT_FLAG_WRITE : 0),
				       &unlocked);
		if (unlocked)
			return -EAGAIN;	/* the vma may have changed */
		if (ret)
			return ret;
		ret = follow_pte(mm, vaddr, &ptep, &ptl);
		if (ret)
			return ret;
	}
	__acquire(ptl);		/* for sparse: follow_pte() returned it held */

	/* one page table page: the ptes are consecutive entries */
	for (n = 0; vaddr + (n << PAGE_SHIFT) < end; n++) {
		pte_t pte = ptep_get(ptep + n);

		if (!pte_present(pte) || (write && !pte_write(pte)) ||
		    (n && pte_pfn(pte) != batch->pfn + n) ||
		    !vfio_pfn_is_reserved(pte_pfn(pte)))
			break;
		if (!n)
			batch->pfn = pte_pfn(pte);
	}
	pte_unmap_unlock(ptep, ptl);
	if (!n)
		return -EFAULT;
	batch->pfnmap = true;
	batch->size = n;
	return n;
}

/* Fill @batch with pages from @vaddr on (at most @npage). */
static long vfio_batch_fill(struct vfio_dma *dma, struct mm_struct *mm,
			    unsigned long vaddr, long npage,
			    struct vfio_batch *batch)
{
	bool write = dma->prot & IOMMU_WRITE;
	unsigned int flags = FOLL_LONGTERM | (write ? FOLL_WRITE : 0);
	struct vm_area_struct *vma;
	long ret;

	/*
	 * The old contents were consumed: whatever this call returns, the
	 * batch holds only what it pins now, so that vfio_batch_unpin()
	 * never unpins a page twice.
	 */
	batch->size = 0;
	batch->offset = 0;
	batch->pfnmap = false;
	npage = min_t(long, npage, batch->capacity);

	/*
	 * The mapper's own memory, present and pinnable: lockless, one
	 * reference per THP or hugetlb page rather than a page table walk
	 * under the mmap lock per 4 KiB page.
	 */
	if (mm == current->mm) {
		ret = pin_user_pages_fast_only(vaddr, npage, flags,
					       batch->pages);
		if (ret > 0) {
			batch->size = ret;
			return ret;
		}
	}

	mmap_read_lock(mm);
retry:
	vma = vma_lookup(mm, vaddr);
	batch->pfnmap = vma && (vma->vm_flags & (VM_IO | VM_PFNMAP));
	if (batch->pfnmap) {
		ret = vfio_pfnmap_fill(mm, vma, vaddr, write, npage, batch);
		if (ret == -EAGAIN)
			goto retry;
	} else {
		ret = pin_user_pages_remote(mm, vaddr, npage, flags,
					    batch->pages, NULL, NULL);
		if (ret > 0)
			batch->size = ret;
		else if (!ret)
			ret = -EFAULT;
	}
	mmap_read_unlock(mm);
	return ret;
}

/*
 * Pin from @vaddr (the IOVA @iova) a physically contiguous run of at most
 * @npage pages. Pages pinned ahead stay in @batch for the next call.
 * Returns the run's length with its first pfn in @pfn_base, whether its
 * pages are reserved in @rsvd and, in @charge, how many pages it adds to
 * locked_vm: the caller charges them, and -ENOMEM comes back here when
 * they and the @pending pages not charged yet would pass RLIMIT_MEMLOCK.
 * On error nothing stays pinned.
 */
static long vfio_pin_run(struct vfio_iommu *iommu, struct vfio_dma *dma,
			 unsigned long vaddr, dma_addr_t iova, long npage,
			 long pending, unsigned long *pfn_base, bool *rsvd,
			 long *charge, struct vfio_batch *batch)
{
	unsigned long limit = task_rlimit(dma->task, RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	struct mm_struct *mm = dma->mm;
	/* iommu->lock held: no vfio_pin_pages() can add pins meanwhile */
	bool has_vpfns = !RB_EMPTY_ROOT(&dma->pfn_list);
	long pinned = 0, acct = 0, left = npage;
	long ret = 0;

	if (!mmget_not_zero(mm))
		return -ENODEV;

	npage = min(npage, VFIO_RUN_NPAGE_MAX);
	*rsvd = false;
	while (pinned < npage) {
		bool step_rsvd;
		long i, n;

		if (batch->offset == batch->size) {
			if (pinned && fatal_signal_pending(current))
				break;
			ret = vfio_batch_fill(dma, mm, vaddr + pinned * PAGE_SIZE,
					      npage - pinned, batch);
			if (ret <= 0) {
				trace_vfio_dma_pin_fail(iommu, batch->pfnmap ?
							VFIO_PIN_FAIL_PFNMAP :
							VFIO_PIN_FAIL_FAULT,
							iova + pinned * PAGE_SIZE,
							vaddr + pinned * PAGE_SIZE,
							ret, 0, 0);
				break;
			}
			ret = 0;
		}

		n = vfio_batch_step(batch, vfio_type1_disable_hugepages ? 1 : npage - pinned,
				    &step_rsvd);
		if (!pinned) {
			*pfn_base = vfio_batch_pfn(batch);
			*rsvd = step_rsvd;
		} else if (vfio_batch_pfn(batch) != *pfn_base + pinned ||
			   step_rsvd != *rsvd) {
			break;	/* the run ends; keep the pages for next time */
		}

		if (!*rsvd) {
			long add = n;

			/* pages an emulated device pinned are accounted already */
			for (i = 0; has_vpfns && i < n; i++)
				if (vfio_find_vpfn(dma, iova + (pinned + i) * PAGE_SIZE))
					add--;
			if (!dma->lock_cap &&
			    mm->locked_vm + pending + acct + add > limit) {
				trace_vfio_dma_pin_fail(iommu, VFIO_PIN_FAIL_MEMLOCK,
							iova + pinned * PAGE_SIZE,
							vaddr + pinned * PAGE_SIZE,
							-ENOMEM,
							(u64)limit << PAGE_SHIFT,
							(u64)(mm->locked_vm + pending +
							      acct + add) << PAGE_SHIFT);
				ret = -ENOMEM;
				break;
			}
			acct += add;
		} else if (!batch->pfnmap) {
			/* reserved pages never go away: no need to hold them */
			unpin_user_pages(batch->pages + batch->offset, n);
		}
		batch->offset += n;
		pinned += n;

		if (vfio_type1_disable_hugepages)
			break;
	}

	if (ret == -ENOMEM) {
		/* what the caller's locked memory would be with all of @dma */
		u64 need_kb = (u64)(mm->locked_vm + pending + acct + left -
				    pinned) << (PAGE_SHIFT - 10);

		pr_warn_ratelimited("vfio: %s[%d] container %d: DMA map of iova 0x%llx size 0x%llx needs %llu KiB of locked memory, RLIMIT_MEMLOCK is %lu KiB: raise the memlock limit (ulimit -l, systemd LimitMEMLOCK=) to at least %llu KiB\n",
				    current->comm, task_tgid_nr(current),
				    iommu->debug_id, (u64)dma->iova,
				    (u64)(iova - dma->iova) + ((u64)left << PAGE_SHIFT),
				    need_kb,
				    limit << (PAGE_SHIFT - 10), need_kb);
	}

	if (ret && pinned && !*rsvd)
		unpin_user_page_range_dirty_lock(pfn_to_page(*pfn_base), pinned,
						 false);
	mmput(mm);
	*charge = acct;
	return ret ? ret : pinned;
}

/**
 * vfio_pin_page_external - pin one page for vfio_pin_pages() and account it
 * @dma: the mapping
 * @vaddr: the page's user address in @dma's mm
 * @pfn: receives its page frame
 *
 * Memory behind a VM_PFNMAP mapping (MMIO) resolves to its pfn without a
 * pin. A reserved page is neither kept pinned nor accounted; any other
 * page is accounted unless the run pinning of an IOMMU-mapped mapping
 * holds (and accounts) it already.
 *
 * Return: 0, or a negative errno with nothing pinned or accounted.
 */
int vfio_pin_page_external(struct vfio_dma *dma, unsigned long vaddr,
			   unsigned long *pfn)
{
	struct vfio_batch batch;
	long ret;

	vfio_batch_init(&batch, 1);
	if (!mmget_not_zero(dma->mm))
		return -ENODEV;
	ret = vfio_batch_fill(dma, dma->mm, vaddr, 1, &batch);
	mmput(dma->mm);
	if (ret < 0)
		return ret;

	*pfn = vfio_batch_pfn(&batch);
	if (batch.pfnmap || vfio_pfn_is_reserved(*pfn)) {
		vfio_batch_unpin(&batch);
		return 0;
	}
	if (!dma->iommu_mapped) {
		ret = vfio_lock_acct(dma, 1, true);
		if (ret) {
			vfio_batch_unpin(&batch);
			return ret;
		}
	}
	return 0;
}

/**
 * vfio_unpin_page_external - undo vfio_pin_page_external()
 * @dma: the mapping
 * @pfn: the page frame it returned
 *
 * The page is marked dirty when the mapping is writable.
 */
void vfio_unpin_page_external(struct vfio_dma *dma, unsigned long pfn)
{
	struct page *page;

	if (vfio_pfn_is_reserved(pfn))
		return;
	page = pfn_to_page(pfn);
	unpin_user_pages_dirty_lock(&page, 1, dma->prot & IOMMU_WRITE);
	if (!dma->iommu_mapped)
		vfio_lock_acct(dma, -1, true);
}

/* Put [iova, iova + npage pages) -> pfn into every domain. */
static int vfio_iommu_map(struct vfio_iommu *iommu, dma_addr_t iova,
			  unsigned long pfn, long npage, int prot)
{
	struct vfio_domain *d;
	int ret;

	list_for_each_entry(d, &iommu->domain_list, next) {
		ret = iommu_map(d->domain, iova, (phys_addr_t)pfn << PAGE_SHIFT,
				npage << PAGE_SHIFT, prot | IOMMU_CACHE);
		if (ret)
			goto unwind;
		cond_resched();
	}
	return 0;

unwind:
	list_for_each_entry_continue_reverse(d, &iommu->domain_list, next) {
		iommu_unmap(d->domain, iova, npage << PAGE_SHIFT);
		cond_resched();
	}
	return ret;
}

/**
 * vfio_unpin_run - unpin a run that vfio_pin_run() pinned
 * @dma: the mapping
 * @iova: the run's first IOVA
 * @run: the run
 * @dirty: mark the pages dirty
 *
 * Reserved runs were never kept pinned. The return value is what leaves
 * the owner's locked_vm: a page that an emulated device still pins stays
 * accounted, to that pin (see struct vfio_dma).
 *
 * Return: the number of pages to unaccount.
 */
static long vfio_unpin_run(struct vfio_dma *dma, dma_addr_t iova,
			   const struct vfio_run *run, bool dirty)
{
	long i, unlocked = run->npage;

	if (run->rsvd)
		return 0;
	unpin_user_page_range_dirty_lock(pfn_to_page(run->pfn), run->npage,
					 dirty);
	for (i = 0; !RB_EMPTY_ROOT(&dma->pfn_list) && i < run->npage; i++)
		if (vfio_find_vpfn(dma, iova + i * PAGE_SIZE))
			unlocked--;
	return unlocked;
}

/*
 * Unpin the recorded runs that lie wholly in the first @size bytes of
 * @dma, unaccount them and forget every run. A run past @size is still
 * in an IOMMU (an unmap came up short, which no IOMMU driver should do):
 * it stays pinned, forever, rather than be freed under a device.
 */
static void vfio_unpin_recorded(struct vfio_dma *dma, size_t size, bool dirty)
{
	dma_addr_t iova = dma->iova;
	long unlocked = 0;
	unsigned long i;

	for (i = 0; i < dma->nr_runs; i++) {
		struct vfio_run run;

		vfio_run_get(dma, i, &run);
		if (iova - dma->iova + (run.npage << PAGE_SHIFT) > size) {
			pr_err("%s: IOVA %pad still mapped, its pages stay pinned\n",
			       __func__, &iova);
			break;
		}
		unlocked += vfio_unpin_run(dma, iova, &run, dirty);
		iova += run.npage << PAGE_SHIFT;
		if (!(i % 512))
			cond_resched();
	}
	vfio_runs_free(dma);
	vfio_lock_acct(dma, -unlocked, true);
}

/*
 * Take [@iova, @iova + @size) out of @domain, a GiB-aligned GiB at a time
 * (never splitting an IOMMU page; rescheduling between). With @gather
 * the IOTLB flush is the caller's. Returns the bytes unmapped.
 */
static size_t vfio_domain_unmap(struct iommu_domain *domain, dma_addr_t iova,
				size_t size, struct iommu_iotlb_gather *gather)
{
	size_t done = 0;

	while (done < size) {
		dma_addr_t at = iova + done;
		size_t len = min_t(size_t, size - done,
				   SZ_1G - (at & (SZ_1G - 1)));
		size_t got = gather ? iommu_unmap_fast(domain, at, len, gather) :
				      iommu_unmap(domain, at, len);

		if (got != len)
			return done + min(got, len);
		done += len;
		cond_resched();
	}
	return done;
}

/* Unpin a run that is in no IOMMU and charged to nobody. */
static void vfio_run_release(const struct vfio_run *run)
{
	if (!run->rsvd)
		unpin_user_page_range_dirty_lock(pfn_to_page(run->pfn),
						 run->npage, false);
}

/* Put @sgl (@bytes from @iova) into @domain with one IOTLB sync. */
static int vfio_domain_map_sg(struct iommu_domain *domain, dma_addr_t iova,
			      struct scatterlist *sgl, unsigned int n,
			      size_t bytes, int prot)
{
	ssize_t mapped = iommu_map_sg(domain, iova, sgl, n, prot | IOMMU_CACHE);

	if (mapped == bytes)
		return 0;
	if (mapped > 0)
		iommu_unmap(domain, iova, mapped);
	return mapped < 0 ? mapped : -EFAULT;
}

/*
 * Small runs wait here until up to VFIO_PENDING_MAX of them can be charged
 * to locked_vm with one vfio_lock_acct() and mapped with one
 * iommu_map_sg(), whose single iotlb_sync_map() matters: an IOMMU in
 * caching mode (a virtual one, VT-d with CM=1) invalidates on every map.
 */
#define VFIO_PENDING_SMALL	16	/* runs kept on the stack */
#define VFIO_PENDING_MAX	512	/* runs per flush once allocated */
#define VFIO_PENDING_RUN	512	/* pages: longer runs go in alone */

/**
 * struct vfio_pending - small runs pinned but not yet charged, mapped or
 *	recorded
 * @small: the first table, on the stack
 * @sgl: the table in use: @small, or VFIO_PENDING_MAX entries once a
 *	mapping has filled @small
 * @max: entries @sgl holds
 * @n: entries in use, consecutive in IOVA from @iova
 * @iova: IOVA of the first
 * @bytes: their length together
 * @charge: the pages they add to locked_vm
 */
struct vfio_pending {
	struct scatterlist	small[VFIO_PENDING_SMALL];
	struct scatterlist	*sgl;
	unsigned int		max;
	unsigned int		n;
	dma_addr_t		iova;
	size_t			bytes;
	long			charge;
};

static void vfio_pending_init(struct vfio_pending *p)
{
	/* entries are initialized as they are used (most mappings use one) */
	p->sgl = p->small;
	p->max = VFIO_PENDING_SMALL;
	p->n = 0;
	p->bytes = 0;
	p->charge = 0;
}

static void vfio_pending_add(struct vfio_pending *p, dma_addr_t iova,
			     const struct vfio_run *run, long charge)
{
	struct scatterlist *sg = &p->sgl[p->n];

	if (!p->n)
		p->iova = iova;
	else
		sg_unmark_end(sg - 1);
	memset(sg, 0, sizeof(*sg));
	sg_mark_end(sg);
	sg_set_page(sg, pfn_to_page(run->pfn), run->npage << PAGE_SHIFT, 0);
	p->n++;
	p->bytes += run->npage << PAGE_SHIFT;
	p->charge += charge;
}

/* Unpin every pending run: it failed to go in. */
static void vfio_pending_drop(struct vfio_pending *p)
{
	struct scatterlist *sg;
	unsigned int i;

	for_each_sg(p->sgl, sg, p->n, i)
		unpin_user_page_range_dirty_lock(sg_page(sg),
						 sg->length >> PAGE_SHIFT, false);
	p->n = 0;
	p->bytes = 0;
	p->charge = 0;
}

/*
 * Charge, map into @only (or every domain when NULL) and record the
 * pending runs; @done advances past them. On failure they are unpinned.
 */
static int vfio_pending_flush(struct vfio_iommu *iommu, struct vfio_dma *dma,
			      struct vfio_domain *only, struct vfio_pending *p,
			      size_t *done)
{
	struct vfio_domain *d;
	struct scatterlist *sg;
	bool full = p->n == p->max;
	unsigned int i;
	int ret;

	if (!p->n)
		return 0;

	ret = vfio_lock_acct(dma, p->charge, dma->mm != current->mm);
	if (ret)
		goto drop;
	if (p->n == 1) {
		/* one run (a small mapping): no scatterlist walk */
		unsigned long pfn = page_to_pfn(sg_page(p->sgl));

		if (only)
			ret = iommu_map(only->domain, p->iova, PFN_PHYS(pfn),
					p->bytes, dma->prot | IOMMU_CACHE);
		else
			ret = vfio_iommu_map(iommu, p->iova, pfn,
					     p->bytes >> PAGE_SHIFT, dma->prot);
	} else if (only) {
		ret = vfio_domain_map_sg(only->domain, p->iova, p->sgl, p->n,
					 p->bytes, dma->prot);
	} else {
		list_for_each_entry(d, &iommu->domain_list, next) {
			ret = vfio_domain_map_sg(d->domain, p->iova, p->sgl,
						 p->n, p->bytes, dma->prot);
			if (ret)
				break;
		}
		if (ret)
			list_for_each_entry_continue_reverse(d, &iommu->domain_list,
							     next)
				iommu_unmap(d->domain, p->iova, p->bytes);
	}
	if (ret) {
		vfio_lock_acct(dma, -p->charge, dma->mm != current->mm);
		goto drop;
	}

	for_each_sg(p->sgl, sg, p->n, i)
		vfio_runs_add(dma, page_to_pfn(sg_page(sg)),
			      sg->length >> PAGE_SHIFT, false);
	*done += p->bytes;
	p->n = 0;
	p->bytes = 0;
	p->charge = 0;

	/* a mapping this fragmented gets the big table (or keeps the small) */
	if (full && p->sgl == p->small) {
		struct scatterlist *big;

		big = kmalloc_array(VFIO_PENDING_MAX, sizeof(*big),
				    GFP_KERNEL | __GFP_NOWARN);
		if (big) {
			p->sgl = big;
			p->max = VFIO_PENDING_MAX;
		}
	}
	cond_resched();
	return 0;

drop:
	vfio_pending_drop(p);
	return ret;
}

static void vfio_pending_fini(struct vfio_pending *p)
{
	if (p->sgl != p->small)
		kfree(p->sgl);
}

/* Charge, map and record one run on its own; on failure it is unpinned. */
static int vfio_map_run(struct vfio_iommu *iommu, struct vfio_dma *dma,
			struct vfio_domain *only, dma_addr_t iova,
			const struct vfio_run *run, long charge, size_t *done)
{
	bool async = dma->mm != current->mm;
	int ret = vfio_lock_acct(dma, charge, async);

	if (!ret) {
		if (only)
			ret = iommu_map(only->domain, iova, PFN_PHYS(run->pfn),
					run->npage << PAGE_SHIFT,
					dma->prot | IOMMU_CACHE);
		else
			ret = vfio_iommu_map(iommu, iova, run->pfn, run->npage,
					     dma->prot);
		if (ret)
			vfio_lock_acct(dma, -charge, async);
	}
	if (ret) {
		vfio_run_release(run);
		return ret;
	}
	vfio_runs_add(dma, run->pfn, run->npage, run->rsvd);
	*done += run->npage << PAGE_SHIFT;
	return 0;
}

/*
 * Pin @dma from @done bytes on, up to @size, run by run; put the runs into
 * @only, or into every domain of @iommu when NULL, and record them. Small
 * runs go in by the pending batch, long and reserved ones alone, in IOVA
 * order either way. @done advances by what is pinned, mapped, charged and
 * recorded; nothing past it stays pinned.
 */
static int vfio_pin_runs(struct vfio_iommu *iommu, struct vfio_dma *dma,
			 struct vfio_domain *only, size_t size, size_t *done)
{
	struct vfio_pending pending;
	struct vfio_batch batch;
	int ret = 0;

	vfio_batch_init(&batch, (size - *done) >> PAGE_SHIFT);
	vfio_pending_init(&pending);
	while (*done + pending.bytes < size) {
		size_t at = *done + pending.bytes;
		dma_addr_t iova = dma->iova + at;
		struct vfio_run run;
		long charge;

		ret = vfio_runs_reserve(dma, pending.n + 1);
		if (ret)
			break;
		run.npage = vfio_pin_run(iommu, dma, dma->vaddr + at, iova,
					 (size - at) >> PAGE_SHIFT,
					 pending.charge, &run.pfn, &run.rsvd,
					 &charge, &batch);
		if (run.npage <= 0) {
			ret = run.npage ? run.npage : -EINVAL;
			break;
		}

		if (!run.rsvd && run.npage < VFIO_PENDING_RUN) {
			vfio_pending_add(&pending, iova, &run, charge);
			if (pending.n == pending.max) {
				ret = vfio_pending_flush(iommu, dma, only,
							 &pending, done);
				if (ret)
					break;
			}
			continue;
		}

		ret = vfio_pending_flush(iommu, dma, only, &pending, done);
		if (ret) {
			vfio_run_release(&run);
			break;
		}
		ret = vfio_map_run(iommu, dma, only, iova, &run, charge, done);
		if (ret)
			break;
		cond_resched();
	}
	if (!ret)
		ret = vfio_pending_flush(iommu, dma, only, &pending, done);
	else
		vfio_pending_drop(&pending);
	vfio_pending_fini(&pending);
	vfio_batch_fini(&batch);
	return ret;
}

/**
 * vfio_pin_map_dma - pin a new mapping and put it into every domain
 * @iommu: the container, locked, with at least one domain
 * @dma: the mapping, linked with size 0
 * @map_size: bytes to map
 *
 * On failure @dma->size covers what was mapped, for vfio_remove_dma().
 *
 * Return: 0 or a negative errno.
 */
int vfio_pin_map_dma(struct vfio_iommu *iommu, struct vfio_dma *dma,
		     size_t map_size)
{
	int ret = vfio_pin_runs(iommu, dma, NULL, map_size, &dma->size);

	/* what is mapped is in every domain; vfio_remove_dma undoes it */
	dma->iommu_mapped = true;
	return ret;
}

/**
 * vfio_unmap_unpin - take a mapping out of every domain and unpin it
 * @iommu: the container, locked
 * @dma: the mapping
 *
 * Every domain drops the whole range in one pass, the IOTLB is flushed
 * once, and only then are the recorded runs unpinned. The pages leave the
 * owner's locked_vm, except those that an emulated device still pins:
 * they stay accounted to that pin.
 */
void vfio_unmap_unpin(struct vfio_iommu *iommu, struct vfio_dma *dma)
{
	struct iommu_iotlb_gather gather;
	struct vfio_domain *d, *first;
	size_t unmapped = 0;

	if (!dma->iommu_mapped)
		return;

	if (dma->size && !list_empty(&iommu->domain_list)) {
		first = list_first_entry(&iommu->domain_list,
					 struct vfio_domain, next);
		d = first;
		list_for_each_entry_continue(d, &iommu->domain_list, next)
			vfio_domain_unmap(d->domain, dma->iova, dma->size, NULL);

		iommu_iotlb_gather_init(&gather);
		unmapped = vfio_domain_unmap(first->domain, dma->iova,
					     dma->size, &gather);
		iommu_iotlb_sync(first->domain, &gather);
	}
	vfio_unpin_recorded(dma, unmapped, dma->prot & IOMMU_WRITE);
	dma->iommu_mapped = false;
}

/* Put @dma's recorded runs into @domain; @done advances as they go in. */
static int vfio_map_recorded(struct vfio_domain *domain, struct vfio_dma *dma,
			     size_t *done)
{
	unsigned long i;
	int ret;

	for (i = 0; i < dma->nr_runs; i++) {
		struct vfio_run run;

		vfio_run_get(dma, i, &run);
		ret = iommu_map(domain->domain, dma->iova + *done,
				PFN_PHYS(run.pfn), run.npage << PAGE_SHIFT,
				dma->prot | IOMMU_CACHE);
		if (ret)
			return ret;
		*done += run.npage << PAGE_SHIFT;
		cond_resched();
	}
	return 0;
}

/*
 * Undo a failed replay: take out of @domain every mapping before @failed
 * and the first @done bytes of @failed, and give back the pins and locked
 * memory that the replay took for mappings that were not IOMMU-mapped.
 */
static void vfio_replay_unwind(struct vfio_iommu *iommu,
			       struct vfio_domain *domain,
			       struct vfio_dma *failed, size_t done)
{
	struct rb_node *n;

	for (n = rb_first(&iommu->dma_list); n; n = rb_next(n)) {
		struct vfio_dma *dma = rb_entry(n, struct vfio_dma, node);
		size_t size = dma == failed ? done : dma->size;
		size_t unmapped = 0;

		if (size)
			unmapped = vfio_domain_unmap(domain->domain, dma->iova,
						     size, NULL);
		if (!dma->iommu_mapped)
			vfio_unpin_recorded(dma, unmapped, false);
		if (dma == failed)
			break;
	}
}

/**
 * vfio_replay_into - map every existing mapping into a new domain
 * @iommu: the container, locked
 * @domain: the new domain, not yet on the domain list
 *
 * Mappings already in other domains go in from their recorded runs,
 * without pinning again; mappings of an emulated-only container are
 * pinned now.
 *
 * Return: 0, or a negative errno with @domain left empty and every pin
 * and locked page the replay took given back.
 */
int vfio_replay_into(struct vfio_iommu *iommu, struct vfio_domain *domain)
{
	struct vfio_dma *dma = NULL;
	struct rb_node *n;
	size_t done = 0;
	int ret = 0;

	for (n = rb_first(&iommu->dma_list); n; n = rb_next(n)) {
		dma = rb_entry(n, struct vfio_dma, node);
		done = 0;
		if (dma->iommu_mapped)
			ret = vfio_map_recorded(domain, dma, &done);
		else if (dma->vaddr_invalid)
			ret = -EBUSY;
		else
			ret = vfio_pin_runs(iommu, dma, domain, dma->size, &done);
		if (ret) {
			vfio_replay_unwind(iommu, domain, dma, done);
			return ret;
		}
	}

	/* now every mapping is pinned and in an IOMMU domain */
	for (n = rb_first(&iommu->dma_list); n; n = rb_next(n))
		rb_entry(n, struct vfio_dma, node)->iommu_mapped = true;
	return 0;
}
