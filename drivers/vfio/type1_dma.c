// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_iommu_type1: the tree of mappings and the MAP_DMA / UNMAP_DMA rules
 * (v1 and v2 semantics, UNMAP_ALL, VADDR invalidate and update).
 */
#include <kunit/visibility.h>
#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/ratelimit.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/vfio.h>
#include <trace/events/vfio.h>

#include "type1.h"

/**
 * vfio_find_dma - a mapping overlapping [start, start + size)
 * @iommu: the container
 * @start: first IOVA
 * @size: length, at least 1
 *
 * Return: any overlapping mapping, or NULL.
 */
struct vfio_dma *vfio_find_dma(struct vfio_iommu *iommu, dma_addr_t start,
			       size_t size)
{
	struct rb_node *node = iommu->dma_list.rb_node;

	while (node) {
		struct vfio_dma *dma = rb_entry(node, struct vfio_dma, node);

		if (start + size <= dma->iova)
			node = node->rb_left;
		else if (start >= dma->iova + dma->size)
			node = node->rb_right;
		else
			return dma;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_find_dma);

/**
 * vfio_find_dma_first_node - the lowest mapping overlapping a range
 * @iommu: the container
 * @start: first IOVA
 * @size: length; may reach past the end of the address space
 *
 * Return: the node of the lowest overlapping mapping, or NULL.
 */
struct rb_node *vfio_find_dma_first_node(struct vfio_iommu *iommu,
					 dma_addr_t start, u64 size)
{
	struct rb_node *res = NULL, *node = iommu->dma_list.rb_node;
	u64 last = start + size - 1;	/* callers exclude wrap */

	while (node) {
		struct vfio_dma *dma = rb_entry(node, struct vfio_dma, node);

		if (start < dma->iova + dma->size) {
			if (dma->iova <= last)
				res = node;	/* overlaps; look further left */
			if (start >= dma->iova)
				break;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return res;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_find_dma_first_node);

static void vfio_link_dma(struct vfio_iommu *iommu, struct vfio_dma *new)
{
	struct rb_node **link = &iommu->dma_list.rb_node, *parent = NULL;

	while (*link) {
		struct vfio_dma *dma;

		parent = *link;
		dma = rb_entry(parent, struct vfio_dma, node);
		if (new->iova + new->size <= dma->iova)
			link = &(*link)->rb_left;
		else
			link = &(*link)->rb_right;
	}
	rb_link_node(&new->node, parent, link);
	rb_insert_color(&new->node, &iommu->dma_list);
}

/**
 * vfio_remove_dma - unmap, unpin and free a mapping
 * @iommu: the container, locked
 * @dma: a mapping without pages pinned by vfio_pin_pages()
 */
void vfio_remove_dma(struct vfio_iommu *iommu, struct vfio_dma *dma)
{
	WARN_ON(!RB_EMPTY_ROOT(&dma->pfn_list));
	vfio_unmap_unpin(iommu, dma);
	vfio_dma_bitmap_free(dma);
	if (dma->vaddr_invalid)
		iommu->vaddr_invalid_count--;
	rb_erase(&dma->node, &iommu->dma_list);
	put_task_struct(dma->task);
	mmdrop(dma->mm);
	kfree(dma);
	iommu->dma_avail++;
}

/* Tear down every mapping; vfio_pin_pages() users are gone by now. */
void vfio_remove_all_dma(struct vfio_iommu *iommu)
{
	struct rb_node *node;

	while ((node = rb_first(&iommu->dma_list))) {
		struct vfio_dma *dma = rb_entry(node, struct vfio_dma, node);
		struct rb_node *p;

		/* drop pins a departing emulated device left behind */
		while ((p = rb_first(&dma->pfn_list))) {
			struct vfio_pfn *vpfn = rb_entry(p, struct vfio_pfn, node);

			vfio_unpin_page_external(dma, vpfn->pfn);
			rb_erase(p, &dma->pfn_list);
			kfree(vpfn);
		}
		vfio_remove_dma(iommu, dma);
		cond_resched();
	}
}

/* Is [start, end] inside one usable IOVA range (always, when unknown)? */
static bool vfio_iova_usable(struct vfio_iommu *iommu, dma_addr_t start,
			     dma_addr_t end)
{
	unsigned int i;

	/* no IOMMU domain (emulated devices only): any IOVA */
	if (list_empty(&iommu->domain_list))
		return true;
	for (i = 0; i < iommu->nr_iova_ranges; i++) {
		if (start >= iommu->iova_ranges[i].start &&
		    end <= iommu->iova_ranges[i].end)
			return true;
	}
	return false;
}

/* Say, rate limited, which IOVA ranges a refused mapping must fit in. */
static void vfio_warn_iova_unusable(struct vfio_iommu *iommu, dma_addr_t iova,
				    size_t size)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	char ranges[160];
	unsigned int i;
	int len = 0;

	if (!__ratelimit(&rs))
		return;
	ranges[0] = 0;
	for (i = 0; i < iommu->nr_iova_ranges && i < 4; i++)
		len += scnprintf(ranges + len, sizeof(ranges) - len, "%s0x%llx-0x%llx",
				 i ? "," : "",
				 (u64)iommu->iova_ranges[i].start,
				 (u64)iommu->iova_ranges[i].end);
	if (i < iommu->nr_iova_ranges)
		scnprintf(ranges + len, sizeof(ranges) - len, ",...");
	pr_warn("vfio: %s[%d] container %d: VFIO_IOMMU_MAP_DMA iova 0x%llx size 0x%llx is outside the usable IOVA ranges %s: map inside them (VFIO_IOMMU_GET_INFO reports them)\n",
		current->comm, task_tgid_nr(current), iommu->debug_id,
		(u64)iova, (u64)size, ranges);
}

static int vfio_dma_update_vaddr(struct vfio_iommu *iommu,
				 struct vfio_dma *dma, dma_addr_t iova,
				 unsigned long vaddr, size_t size)
{
	int ret;

	if (!dma)
		return -ENOENT;
	if (!dma->vaddr_invalid || dma->iova != iova || dma->size != size)
		return -EINVAL;

	ret = vfio_change_dma_owner(dma);
	if (ret)
		return ret;

	dma->vaddr = vaddr;
	dma->vaddr_invalid = false;
	iommu->vaddr_invalid_count--;
	return 0;
}

/**
 * vfio_dma_do_map - VFIO_IOMMU_MAP_DMA
 * @iommu: the container
 * @map: the validated-for-flags request
 *
 * Return: 0 or a negative errno; a failed map leaves nothing behind.
 */
int vfio_dma_do_map(struct vfio_iommu *iommu,
		    struct vfio_iommu_type1_dma_map *map)
{
	bool set_vaddr = map->flags & VFIO_DMA_MAP_FLAG_VADDR;
	dma_addr_t iova = map->iova;
	unsigned long vaddr = map->vaddr;
	size_t size = map->size;
	struct vfio_runs_stats st = { 0 };
	struct vfio_dma *dma;
	size_t pgsize;
	int prot = 0;
	int ret = 0;

	/* the __u64 fields must fit the native types */
	if (map->size != size || map->vaddr != vaddr || map->iova != iova) {
		ret = -EINVAL;
		goto out;
	}

	if (map->flags & VFIO_DMA_MAP_FLAG_READ)
		prot |= IOMMU_READ;
	if (map->flags & VFIO_DMA_MAP_FLAG_WRITE)
		prot |= IOMMU_WRITE;
	/* a vaddr update keeps the permissions; a new mapping needs some */
	if (set_vaddr ? prot : !prot) {
		ret = -EINVAL;
		goto out;
	}

	mutex_lock(&iommu->lock);

	pgsize = vfio_pgsize(iommu);
	if (!size || (size | iova | vaddr) & (pgsize - 1)) {
		ret = -EINVAL;
		goto out_unlock;
	}
	/*
	 * No wrap, and unlike upstream 6.1 no mapping ending at 2^64 either:
	 * the tree compares exclusive ends (iova + size), which would be 0
	 * for it, so it could never be found, unmapped or seen as overlapping.
	 */
	if (iova + size <= iova || vaddr + size - 1 < vaddr) {
		ret = -EINVAL;
		goto out_unlock;
	}

	dma = vfio_find_dma(iommu, iova, size);
	if (set_vaddr) {
		ret = vfio_dma_update_vaddr(iommu, dma, iova, vaddr, size);
		goto out_unlock;
	}
	if (dma) {
		ret = -EEXIST;
		goto out_unlock;
	}
	if (!iommu->dma_avail) {
		trace_vfio_dma_pin_fail(iommu, VFIO_PIN_FAIL_ENTRY_LIMIT, iova,
					vaddr, -ENOSPC, iommu->dma_limit,
					(u64)iommu->dma_limit + 1);
		pr_warn_ratelimited("vfio: %s[%d] container %d: VFIO_IOMMU_MAP_DMA iova 0x%llx: dma_entry_limit (%u mappings) reached: unmap some, map in larger pieces, or raise the vfio_iommu_type1 dma_entry_limit parameter\n",
				    current->comm, task_tgid_nr(current),
				    iommu->debug_id, (u64)iova, iommu->dma_limit);
		ret = -ENOSPC;
		goto out_unlock;
	}
	if (!vfio_iova_usable(iommu, iova, iova + size - 1)) {
		vfio_warn_iova_unusable(iommu, iova, size);
		ret = -EINVAL;
		goto out_unlock;
	}

	dma = kzalloc(sizeof(*dma), GFP_KERNEL_ACCOUNT);
	if (!dma) {
		ret = -ENOMEM;
		goto out_unlock;
	}

	iommu->dma_avail--;
	dma->iova = iova;
	dma->vaddr = vaddr;
	dma->prot = prot;
	dma->pfn_list = RB_ROOT;
	/*
	 * Pages are accounted to the mapping process, checked against the
	 * RLIMIT_MEMLOCK of its thread group leader.
	 */
	get_task_struct(current->group_leader);
	dma->task = current->group_leader;
	dma->lock_cap = capable(CAP_IPC_LOCK);
	dma->mm = current->mm;
	mmgrab(dma->mm);

	/* size 0 while linking: the tree sees it only once complete */
	vfio_link_dma(iommu, dma);

	if (iommu->dirty_page_tracking) {
		ret = vfio_dma_bitmap_alloc(dma, size, pgsize);
		if (ret) {
			vfio_remove_dma(iommu, dma);
			goto out_unlock;
		}
	}

	if (list_empty(&iommu->domain_list)) {
		/* emulated devices only: pin on demand, in vfio_pin_pages() */
		dma->size = size;
	} else {
		ret = vfio_pin_map_dma(iommu, dma, size);
		if (ret)
			vfio_remove_dma(iommu, dma);
		else if (trace_vfio_dma_map_enabled())
			vfio_runs_stats_add(dma, &st);
	}

out_unlock:
	mutex_unlock(&iommu->lock);
out:
	trace_vfio_dma_map(iommu, map->iova, map->size, map->vaddr, map->flags,
			   ret, st.pinned, st.nr_runs, st.max_run);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_dma_do_map);

/* Ask every device that may hold pins in @dma to drop them. */
static void vfio_notify_dma_unmap(struct vfio_iommu *iommu,
				  struct vfio_dma *dma)
{
	struct vfio_device *device;
	dma_addr_t iova = dma->iova;
	size_t size = dma->size;

	/* the callbacks call vfio_unpin_pages(), which takes iommu->lock */
	mutex_unlock(&iommu->lock);
	mutex_lock(&iommu->device_list_lock);
	list_for_each_entry(device, &iommu->device_list, iommu_entry)
		device->ops->dma_unmap(device, iova, size);
	mutex_unlock(&iommu->device_list_lock);
	mutex_lock(&iommu->lock);
}

/* Undo the vaddr invalidation of the mappings from @first up to @stop. */
static void vfio_revalidate_vaddr(struct vfio_iommu *iommu,
				  struct rb_node *first, struct rb_node *stop)
{
	struct rb_node *n;

	for (n = first; n != stop; n = rb_next(n)) {
		struct vfio_dma *dma = rb_entry(n, struct vfio_dma, node);

		dma->vaddr_invalid = false;
		iommu->vaddr_invalid_count--;
	}
}

#define VFIO_UNMAP_NOTIFY_RETRIES	10

/**
 * vfio_dma_do_unmap - VFIO_IOMMU_UNMAP_DMA
 * @iommu: the container
 * @unmap: the request; @unmap->size is set to the bytes unmapped
 * @bitmap: with GET_DIRTY_BITMAP, where to report dirty pages
 *
 * v2 refuses to bisect a mapping and removes whole mappings inside the
 * range. v1 keeps the legacy behaviour: a range starting inside a mapping
 * unmaps nothing, one covering a mapping's first IOVA removes all of it.
 *
 * Return: 0 or a negative errno.
 */
int vfio_dma_do_unmap(struct vfio_iommu *iommu,
		      struct vfio_iommu_type1_dma_unmap *unmap,
		      struct vfio_bitmap *bitmap)
{
	bool unmap_all = unmap->flags & VFIO_DMA_UNMAP_FLAG_ALL;
	bool invalidate = unmap->flags & VFIO_DMA_UNMAP_FLAG_VADDR;
	struct vfio_dma *dma, *dma_last = NULL;
	dma_addr_t iova = unmap->iova;
	u64 size = unmap->size;
	struct vfio_runs_stats st = { 0 };
	u64 first_vaddr = 0;
	struct rb_node *n, *first;
	size_t unmapped = 0;
	unsigned int retries = 0;
	size_t pgsize;
	int ret = -EINVAL;

	mutex_lock(&iommu->lock);

	/* emulated devices cannot pin or copy while a vaddr is invalid */
	if (invalidate && !list_empty(&iommu->emulated_groups)) {
		ret = -EBUSY;
		goto out_unlock;
	}

	pgsize = vfio_pgsize(iommu);
	if (iova & (pgsize - 1))
		goto out_unlock;

	if (unmap_all) {
		if (iova || size)
			goto out_unlock;
		size = U64_MAX;
	} else if (!size || size & (pgsize - 1) || iova + size - 1 < iova ||
		   size > SIZE_MAX) {
		goto out_unlock;
	}

	if ((unmap->flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) &&
	    (!iommu->dirty_page_tracking || bitmap->pgsize != pgsize))
		goto out_unlock;

again:
	if (iommu->v2 && !unmap_all) {
		dma = vfio_find_dma(iommu, iova, 1);
		if (dma && dma->iova != iova)
			goto out_unlock;	/* starts inside a mapping */
		dma = vfio_find_dma(iommu, iova + size - 1, 1);
		if (dma && dma->iova + dma->size != iova + size)
			goto out_unlock;	/* ends inside a mapping */
	}

	ret = 0;
	first = vfio_find_dma_first_node(iommu, iova, size);
	n = first;
	while (n) {
		dma = rb_entry(n, struct vfio_dma, node);
		if (dma->iova > iova + size - 1)
			break;
		if (!iommu->v2 && iova > dma->iova)
			break;

		if (invalidate) {
			if (dma->vaddr_invalid) {
				vfio_revalidate_vaddr(iommu, first, n);
				ret = -EINVAL;
				unmapped = 0;
				break;
			}
			dma->vaddr_invalid = true;
			iommu->vaddr_invalid_count++;
			unmapped += dma->size;
			n = rb_next(n);
			continue;
		}

		if (!RB_EMPTY_ROOT(&dma->pfn_list)) {
			/*
			 * A device still holds pins: ask the drivers to let
			 * go, then look again. Upstream BUG()s on a driver
			 * that never does; we give up with EBUSY.
			 */
			if (dma_last == dma) {
				if (++retries > VFIO_UNMAP_NOTIFY_RETRIES) {
					pr_warn("vfio_iommu_type1: pinned pages at iova 0x%llx not released by their driver\n",
						(unsigned long long)dma->iova);
					ret = -EBUSY;
					break;
				}
			} else {
				dma_last = dma;
				retries = 0;
			}
			vfio_notify_dma_unmap(iommu, dma);
			goto again;
		}

		if (unmap->flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) {
			ret = vfio_dirty_report_dma(iommu, dma,
						    (u64 __user *)bitmap->data,
						    iova, pgsize);
			if (ret)
				break;
		}

		if (trace_vfio_dma_unmap_enabled()) {
			if (!unmapped)
				first_vaddr = dma->vaddr;
			vfio_runs_stats_add(dma, &st);
		}
		unmapped += dma->size;
		n = rb_next(n);
		vfio_remove_dma(iommu, dma);
		cond_resched();
	}

out_unlock:
	mutex_unlock(&iommu->lock);
	trace_vfio_dma_unmap(iommu, unmap->iova, unmap->size, first_vaddr,
			     unmap->flags, ret, unmapped, st.pinned, st.nr_runs,
			     st.max_run);
	unmap->size = unmapped;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_dma_do_unmap);
