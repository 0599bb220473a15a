// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_iommu_type1: pinning user memory and putting it in the IOMMU.
 *
 * Speed comes from three things. Pages are pinned in batches of 512 with
 * one pin_user_pages_remote() call. Physically contiguous runs, however
 * many batches they span, go to iommu_map() as one call, so the IOMMU
 * driver can use 2 MiB and 1 GiB page table entries. On unmap the IOTLB
 * is flushed once per up to 512 runs (iommu_unmap_fast with a gather)
 * before the pages are unpinned. Locked memory is accounted once per run.
 *
 * Reserved pages (MMIO behind VM_PFNMAP, the zero page) are mapped but
 * never accounted and never kept pinned: they cannot go away.
 */
#include <linux/highmem.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/vfio.h>

#include "type1.h"

#define VFIO_BATCH_MAX		(PAGE_SIZE / sizeof(struct page *))
#define VFIO_TLB_SYNC_MAX	512
#define VFIO_UNMAP_SMALL	16	/* runs kept on the stack */

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

/**
 * struct vfio_batch - pages pinned ahead of use
 * @pages: pinned pages (when !@pfnmap)
 * @fallback: one-entry array when no page could be allocated
 * @capacity: entries @pages can hold
 * @size: valid entries
 * @offset: next entry to consume
 * @pfnmap: the batch is one pfn of a VM_PFNMAP vma, @pfn, not pinned
 * @pfn: that pfn
 */
struct vfio_batch {
	struct page	**pages;
	struct page	*fallback;
	unsigned int	capacity;
	unsigned int	size;
	unsigned int	offset;
	bool		pfnmap;
	unsigned long	pfn;
};

static void vfio_batch_init(struct vfio_batch *batch)
{
	memset(batch, 0, sizeof(*batch));
	if (!disable_hugepages) {
		batch->pages = (struct page **)__get_free_page(GFP_KERNEL);
		if (batch->pages) {
			batch->capacity = VFIO_BATCH_MAX;
			return;
		}
	}
	batch->pages = &batch->fallback;
	batch->capacity = 1;
}

static unsigned long vfio_batch_pfn(struct vfio_batch *batch)
{
	if (batch->pfnmap)
		return batch->pfn;
	return page_to_pfn(batch->pages[batch->offset]);
}

/*
 * Is the next page of the batch reserved? A pinned page has a struct
 * page by construction, so only its flag needs a look; the per-page
 * pfn_valid() of vfio_pfn_is_reserved() is for pfnmap pfns.
 */
static bool vfio_batch_reserved(struct vfio_batch *batch)
{
	if (batch->pfnmap)
		return vfio_pfn_is_reserved(batch->pfn);
	return PageReserved(batch->pages[batch->offset]);
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

/* The pfn behind a VM_IO/VM_PFNMAP address, faulting it in if needed. */
static int vfio_follow_pfnmap(struct mm_struct *mm, struct vm_area_struct *vma,
			      unsigned long vaddr, bool write,
			      unsigned long *pfn)
{
	bool unlocked = false;
	int ret;

	if (write && !(vma->vm_flags & VM_WRITE))
		return -EFAULT;

	ret = follow_pfn(vma, vaddr, pfn);
	if (!ret)
		return 0;

	ret = fixup_user_fault(mm, vaddr,
			       FAULT_FLAG_REMOTE |
			       (write ? FAULT_FLAG_WRITE : 0),
			       &unlocked);
	if (unlocked)
		return -EAGAIN;	/* the vma may have changed: look again */
	if (ret)
		return ret;
	return follow_pfn(vma, vaddr, pfn);
}

/* Fill @batch with pages from @vaddr on (at most @npage). */
static long vfio_batch_fill(struct vfio_dma *dma, struct mm_struct *mm,
			    unsigned long vaddr, long npage,
			    struct vfio_batch *batch)
{
	unsigned int flags = FOLL_LONGTERM;
	struct vm_area_struct *vma;
	long ret;

	if (dma->prot & IOMMU_WRITE)
		flags |= FOLL_WRITE;

	/*
	 * The old contents were consumed: whatever this call returns, the
	 * batch holds only what it pins now, so that vfio_batch_unpin()
	 * never unpins a page twice.
	 */
	batch->size = 0;
	batch->offset = 0;
	batch->pfnmap = false;
	npage = min_t(long, npage, batch->capacity);

	mmap_read_lock(mm);
retry:
	ret = pin_user_pages_remote(mm, vaddr, npage, flags, batch->pages,
				    NULL, NULL);
	if (ret > 0) {
		batch->size = ret;
		goto out;
	}

	/* not pinnable: maybe MMIO mapped with remap_pfn_range */
	vma = vma_lookup(mm, vaddr);
	if (vma && (vma->vm_flags & (VM_IO | VM_PFNMAP))) {
		ret = vfio_follow_pfnmap(mm, vma, vaddr,
					 dma->prot & IOMMU_WRITE, &batch->pfn);
		if (ret == -EAGAIN)
			goto retry;
		/*
		 * Only MMIO or reserved memory may be mapped unpinned: a
		 * normal page behind a PFNMAP could be freed under the DMA.
		 */
		if (!ret && !vfio_pfn_is_reserved(batch->pfn))
			ret = -EFAULT;
		if (!ret) {
			batch->pfnmap = true;
			batch->size = 1;
			ret = 1;
		}
	} else if (!ret) {
		ret = -EFAULT;
	}
out:
	mmap_read_unlock(mm);
	return ret;
}

/*
 * Pin from @vaddr (the IOVA @iova) a physically contiguous run of at most
 * @npage pages and account it. Pages pinned ahead stay in @batch for the
 * next call. Returns the run's length with its first pfn in @pfn_base.
 */
static long vfio_pin_run(struct vfio_dma *dma, unsigned long vaddr,
			 dma_addr_t iova, long npage, unsigned long *pfn_base,
			 struct vfio_batch *batch)
{
	unsigned long limit = task_rlimit(dma->task, RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	struct mm_struct *mm = dma->mm;
	/* iommu->lock held: no vfio_pin_pages() can add pins meanwhile */
	bool has_vpfns = !RB_EMPTY_ROOT(&dma->pfn_list);
	long pinned = 0, acct = 0;
	bool rsvd = false;
	long ret = 0;

	if (!mmget_not_zero(mm))
		return -ENODEV;

	while (pinned < npage) {
		unsigned long pfn;

		if (batch->offset == batch->size) {
			if (pinned && fatal_signal_pending(current))
				break;
			ret = vfio_batch_fill(dma, mm, vaddr + pinned * PAGE_SIZE,
					      npage - pinned, batch);
			if (ret <= 0)
				break;
			ret = 0;
		}

		pfn = vfio_batch_pfn(batch);
		if (!pinned) {
			*pfn_base = pfn;
			rsvd = vfio_batch_reserved(batch);
		} else if (pfn != *pfn_base + pinned ||
			   vfio_batch_reserved(batch) != rsvd) {
			break;	/* the run ends; keep the page for next time */
		}

		/* pages an emulated device pinned are accounted already */
		if (!rsvd && !(has_vpfns &&
			       vfio_find_vpfn(dma, iova + pinned * PAGE_SIZE))) {
			if (!dma->lock_cap &&
			    mm->locked_vm + acct + 1 > limit) {
				ret = -ENOMEM;
				break;
			}
			acct++;
		}

		/* reserved pages never go away: no need to hold them */
		if (rsvd && !batch->pfnmap)
			unpin_user_page(batch->pages[batch->offset]);
		batch->offset++;
		pinned++;

		if (disable_hugepages)
			break;
	}

	if (ret == -ENOMEM)
		pr_warn("%s: RLIMIT_MEMLOCK (%lu) exceeded\n", __func__,
			limit << PAGE_SHIFT);

	if (!ret && pinned)
		ret = vfio_lock_acct(dma, acct, false);
	if (ret && pinned && !rsvd) {
		struct page *first = pfn_to_page(*pfn_base);

		unpin_user_page_range_dirty_lock(first, pinned, false);
	}
	mmput(mm);
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
	struct vfio_batch batch = {
		.pages = &batch.fallback,
		.capacity = 1,
	};
	long ret;

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
 * @pfn: its first page frame
 * @npage: its length in pages
 * @dirty: mark the pages dirty
 *
 * Reserved pages were never kept pinned and are skipped. The return value
 * is what leaves the owner's locked_vm: a page that an emulated device
 * still pins stays accounted, to that pin (see struct vfio_dma).
 *
 * Return: the number of pages to unaccount.
 */
static long vfio_unpin_run(struct vfio_dma *dma, dma_addr_t iova,
			   unsigned long pfn, long npage, bool dirty)
{
	bool has_vpfns = !RB_EMPTY_ROOT(&dma->pfn_list);
	long i, start = -1, unlocked = 0;

	for (i = 0; i <= npage; i++) {
		bool pinned = i < npage && !vfio_pfn_is_reserved(pfn + i);

		if (pinned && start < 0)
			start = i;
		if (!pinned && start >= 0) {
			unpin_user_page_range_dirty_lock(pfn_to_page(pfn + start),
							 i - start, dirty);
			unlocked += i - start;
			start = -1;
		}
		if (pinned && has_vpfns &&
		    vfio_find_vpfn(dma, iova + i * PAGE_SIZE))
			unlocked--;
	}
	return unlocked;
}

/*
 * The physically contiguous run that @domain translates at @iova, at most
 * up to @end: its length in bytes (0 when @iova is not mapped), and its
 * first physical address in @phys.
 */
static size_t vfio_domain_run(struct iommu_domain *domain, dma_addr_t iova,
			      dma_addr_t end, phys_addr_t *phys)
{
	size_t len = PAGE_SIZE;

	*phys = iommu_iova_to_phys(domain, iova);
	if (!*phys)
		return 0;
	while (iova + len < end &&
	       iommu_iova_to_phys(domain, iova + len) == *phys + len)
		len += PAGE_SIZE;
	return len;
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
	struct vfio_batch batch;
	size_t size = map_size;
	int ret = 0;

	vfio_batch_init(&batch);

	while (size) {
		dma_addr_t iova = dma->iova + dma->size;
		unsigned long pfn;
		long npage;

		npage = vfio_pin_run(dma, dma->vaddr + dma->size, iova,
				     size >> PAGE_SHIFT, &pfn, &batch);
		if (npage <= 0) {
			ret = npage ? npage : -EINVAL;
			break;
		}

		ret = vfio_iommu_map(iommu, iova, pfn, npage, dma->prot);
		if (ret) {
			vfio_lock_acct(dma, -vfio_unpin_run(dma, iova, pfn, npage,
							    false), true);
			break;
		}

		size -= npage << PAGE_SHIFT;
		dma->size += npage << PAGE_SHIFT;
		cond_resched();
	}

	vfio_batch_fini(&batch);
	/* what is mapped is in every domain; vfio_remove_dma undoes it */
	dma->iommu_mapped = true;
	return ret;
}

/**
 * struct vfio_unmapped - a run taken out of the IOMMU, to unpin after sync
 * @iova: its IOVA
 * @pfn: its first pfn
 * @npage: its length in pages
 */
struct vfio_unmapped {
	dma_addr_t	iova;
	unsigned long	pfn;
	long		npage;
};

static long vfio_unpin_runs(struct vfio_dma *dma, struct vfio_unmapped *runs,
			    unsigned int n, bool dirty)
{
	long unlocked = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		unlocked += vfio_unpin_run(dma, runs[i].iova, runs[i].pfn,
					   runs[i].npage, dirty);
	return unlocked;
}

/**
 * vfio_unmap_unpin - take a mapping out of every domain and unpin it
 * @iommu: the container, locked
 * @dma: the mapping
 *
 * The pages leave the owner's locked_vm, except those that an emulated
 * device still pins: they stay accounted to that pin.
 */
void vfio_unmap_unpin(struct vfio_iommu *iommu, struct vfio_dma *dma)
{
	struct vfio_unmapped small[VFIO_UNMAP_SMALL], *runs = small;
	unsigned int n = 0, capacity = ARRAY_SIZE(small);
	struct iommu_iotlb_gather gather;
	struct vfio_domain *d, *first;
	dma_addr_t iova = dma->iova, end = dma->iova + dma->size;
	bool dirty = dma->prot & IOMMU_WRITE;
	long unlocked = 0;

	if (!dma->size || !dma->iommu_mapped ||
	    list_empty(&iommu->domain_list))
		return;

	/* Every domain holds the same translation; read it from the first. */
	first = list_first_entry(&iommu->domain_list, struct vfio_domain, next);
	d = first;
	list_for_each_entry_continue(d, &iommu->domain_list, next) {
		iommu_unmap(d->domain, dma->iova, dma->size);
		cond_resched();
	}

	/*
	 * Runs wait for the IOTLB flush before they are unpinned. A small
	 * mapping's fit on the stack; a large one gets a bigger list, so
	 * that it is flushed rarely (if that allocation fails, more often).
	 */
	if (dma->size > VFIO_UNMAP_SMALL * PAGE_SIZE) {
		struct vfio_unmapped *big;

		big = kmalloc_array(VFIO_TLB_SYNC_MAX, sizeof(*big),
				    GFP_KERNEL | __GFP_NOWARN);
		if (big) {
			runs = big;
			capacity = VFIO_TLB_SYNC_MAX;
		}
	}
	iommu_iotlb_gather_init(&gather);

	while (iova < end) {
		phys_addr_t phys;
		size_t len = vfio_domain_run(first->domain, iova, end, &phys);
		size_t done;

		if (!len) {
			iova += PAGE_SIZE;
			continue;
		}

		/* never more than the run: the rest is another run's */
		done = iommu_unmap_fast(first->domain, iova, len, &gather);
		runs[n].iova = iova;
		runs[n].pfn = phys >> PAGE_SHIFT;
		runs[n].npage = min(done, len) >> PAGE_SHIFT;
		if (++n == capacity) {
			iommu_iotlb_sync(first->domain, &gather);
			unlocked += vfio_unpin_runs(dma, runs, n, dirty);
			n = 0;
		}
		if (!done)
			done = PAGE_SIZE;	/* never spin on a stuck page */
		iova += done;
		cond_resched();
	}

	iommu_iotlb_sync(first->domain, &gather);
	unlocked += vfio_unpin_runs(dma, runs, n, dirty);
	if (runs != small)
		kfree(runs);
	dma->iommu_mapped = false;
	vfio_lock_acct(dma, -unlocked, true);
}

/* Take @domain's mappings of every vfio_dma out again after a failed replay. */
static void vfio_replay_unwind(struct vfio_iommu *iommu,
			       struct vfio_domain *domain)
{
	struct rb_node *n;

	for (n = rb_first(&iommu->dma_list); n; n = rb_next(n)) {
		struct vfio_dma *dma = rb_entry(n, struct vfio_dma, node);
		dma_addr_t iova = dma->iova, end = dma->iova + dma->size;
		long unlocked = 0;

		while (iova < end) {
			phys_addr_t phys;
			size_t len = vfio_domain_run(domain->domain, iova, end,
						     &phys);

			if (!len) {
				iova += PAGE_SIZE;
				continue;
			}
			len = iommu_unmap(domain->domain, iova, len) ? : PAGE_SIZE;
			/* pins taken for the replay only: a mapped one has its own */
			if (!dma->iommu_mapped)
				unlocked += vfio_unpin_run(dma, iova,
							   phys >> PAGE_SHIFT,
							   len >> PAGE_SHIFT,
							   false);
			iova += len;
			cond_resched();
		}
		vfio_lock_acct(dma, -unlocked, true);
	}
}

/**
 * vfio_replay_into - map every existing mapping into a new domain
 * @iommu: the container, locked
 * @domain: the new domain, not yet on the domain list
 *
 * Mappings already in other domains are copied from the first domain's
 * page table, without pinning again; mappings of an emulated-only
 * container are pinned now.
 *
 * Return: 0, or a negative errno with @domain left empty and every pin
 * and locked page the replay took given back.
 */
int vfio_replay_into(struct vfio_iommu *iommu, struct vfio_domain *domain)
{
	struct vfio_domain *first = NULL;
	struct vfio_batch batch;
	struct rb_node *n;
	int ret = 0;

	if (!list_empty(&iommu->domain_list))
		first = list_first_entry(&iommu->domain_list,
					 struct vfio_domain, next);

	vfio_batch_init(&batch);
	for (n = rb_first(&iommu->dma_list); n; n = rb_next(n)) {
		struct vfio_dma *dma = rb_entry(n, struct vfio_dma, node);
		dma_addr_t iova = dma->iova, end = dma->iova + dma->size;

		while (iova < end) {
			phys_addr_t phys;
			size_t len;

			if (dma->iommu_mapped) {
				len = vfio_domain_run(first->domain, iova, end,
						      &phys);
				if (!len) {
					iova += PAGE_SIZE;
					continue;
				}
			} else {
				unsigned long vaddr = dma->vaddr + iova - dma->iova;
				unsigned long pfn;
				long npage;

				if (dma->vaddr_invalid) {
					ret = -EBUSY;
					goto unwind;
				}
				npage = vfio_pin_run(dma, vaddr, iova,
						     (end - iova) >> PAGE_SHIFT,
						     &pfn, &batch);
				if (npage <= 0) {
					ret = npage ? npage : -EINVAL;
					goto unwind;
				}
				phys = (phys_addr_t)pfn << PAGE_SHIFT;
				len = npage << PAGE_SHIFT;
			}

			ret = iommu_map(domain->domain, iova, phys, len,
					dma->prot | IOMMU_CACHE);
			if (ret) {
				if (!dma->iommu_mapped)
					vfio_lock_acct(dma,
						       -vfio_unpin_run(dma, iova,
								       phys >> PAGE_SHIFT,
								       len >> PAGE_SHIFT,
								       false),
						       true);
				goto unwind;
			}
			iova += len;
			cond_resched();
		}
	}
	vfio_batch_fini(&batch);

	/* now every mapping is pinned and in an IOMMU domain */
	for (n = rb_first(&iommu->dma_list); n; n = rb_next(n))
		rb_entry(n, struct vfio_dma, node)->iommu_mapped = true;
	return 0;

unwind:
	vfio_batch_fini(&batch);
	vfio_replay_unwind(iommu, domain);
	return ret;
}
