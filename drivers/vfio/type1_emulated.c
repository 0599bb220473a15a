// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_iommu_type1: DMA for emulated (mdev) devices. Their vendor drivers
 * pin guest pages on demand with vfio_pin_pages() or copy through
 * vfio_dma_rw(); pinned pages are tracked per mapping so that an unmap
 * can ask the drivers to let go first.
 *
 * A pin is accounted to locked_vm only while its mapping is not in an
 * IOMMU domain: once it is, the whole mapping is pinned and accounted by
 * the run pinning (type1_pin.c owns both rules).
 */
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "type1.h"

/**
 * vfio_find_vpfn - the vfio_pfn of an IOVA in a mapping
 * @dma: the mapping
 * @iova: page aligned IOVA
 *
 * Return: the vfio_pfn, or NULL if the page is not pinned externally.
 */
struct vfio_pfn *vfio_find_vpfn(struct vfio_dma *dma, dma_addr_t iova)
{
	struct rb_node *node = dma->pfn_list.rb_node;

	while (node) {
		struct vfio_pfn *vpfn = rb_entry(node, struct vfio_pfn, node);

		if (iova < vpfn->iova)
			node = node->rb_left;
		else if (iova > vpfn->iova)
			node = node->rb_right;
		else
			return vpfn;
	}
	return NULL;
}

static int vfio_add_vpfn(struct vfio_dma *dma, dma_addr_t iova,
			 unsigned long pfn)
{
	struct rb_node **link = &dma->pfn_list.rb_node, *parent = NULL;
	struct vfio_pfn *vpfn;

	vpfn = kzalloc(sizeof(*vpfn), GFP_KERNEL);
	if (!vpfn)
		return -ENOMEM;
	vpfn->iova = iova;
	vpfn->pfn = pfn;
	vpfn->ref_count = 1;

	while (*link) {
		struct vfio_pfn *it;

		parent = *link;
		it = rb_entry(parent, struct vfio_pfn, node);
		link = iova < it->iova ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&vpfn->node, parent, link);
	rb_insert_color(&vpfn->node, &dma->pfn_list);
	return 0;
}

static void vfio_unpin_one(struct vfio_dma *dma, dma_addr_t iova)
{
	struct vfio_pfn *vpfn = vfio_find_vpfn(dma, iova);

	if (!vpfn || --vpfn->ref_count)
		return;

	vfio_unpin_page_external(dma, vpfn->pfn);
	rb_erase(&vpfn->node, &dma->pfn_list);
	kfree(vpfn);
}

/**
 * vfio_iommu_type1_pin_pages - the backend of vfio_pin_pages()
 * @iommu_data: the container
 * @iommu_group: the calling device's group
 * @user_iova: first IOVA, page aligned
 * @npage: number of pages
 * @prot: IOMMU_READ / IOMMU_WRITE wanted; must be within the mapping's
 * @pages: receives the pages
 *
 * Return: @npage, or a negative errno with nothing left pinned.
 */
int vfio_iommu_type1_pin_pages(void *iommu_data, struct iommu_group *iommu_group,
			       dma_addr_t user_iova, int npage, int prot,
			       struct page **pages)
{
	struct vfio_iommu *iommu = iommu_data;
	struct vfio_iommu_group *group;
	int i, j, ret;

	if (!iommu->v2)
		return -EACCES;
	if (!PAGE_ALIGNED(user_iova))
		return -EINVAL;

	mutex_lock(&iommu->lock);

	/* somebody must be able to give the pins back on unmap */
	if (list_empty(&iommu->device_list)) {
		ret = -EINVAL;
		goto out_unlock;
	}

	for (i = 0; i < npage; i++) {
		dma_addr_t iova = user_iova + (dma_addr_t)i * PAGE_SIZE;
		struct vfio_pfn *vpfn;
		struct vfio_dma *dma;
		unsigned long pfn;

		dma = vfio_find_dma(iommu, iova, PAGE_SIZE);
		if (!dma) {
			ret = -EINVAL;
			goto unwind;
		}
		if ((dma->prot & prot) != prot) {
			ret = -EPERM;
			goto unwind;
		}
		if (dma->vaddr_invalid) {
			ret = -EBUSY;
			goto unwind;
		}

		vpfn = vfio_find_vpfn(dma, iova);
		if (vpfn) {
			vpfn->ref_count++;
			pages[i] = pfn_to_page(vpfn->pfn);
			continue;
		}

		ret = vfio_pin_page_external(dma, dma->vaddr + (iova - dma->iova),
					     &pfn);
		if (ret)
			goto unwind;
		ret = vfio_add_vpfn(dma, iova, pfn);
		if (ret) {
			vfio_unpin_page_external(dma, pfn);
			goto unwind;
		}
		pages[i] = pfn_to_page(pfn);
		/* a vendor driver may write through any pin: as 6.1, dirty */
		vfio_dirty_mark(iommu, dma, iova, PAGE_SIZE);
	}

	/* the group now tells which pages it touches */
	group = vfio_find_group(iommu, iommu_group, NULL);
	if (group && !group->pinned_page_dirty_scope) {
		group->pinned_page_dirty_scope = true;
		iommu->num_non_pinned_groups--;
	}
	ret = npage;
	goto out_unlock;

unwind:
	for (j = 0; j < i; j++) {
		dma_addr_t iova = user_iova + (dma_addr_t)j * PAGE_SIZE;
		struct vfio_dma *dma = vfio_find_dma(iommu, iova, PAGE_SIZE);

		if (dma)
			vfio_unpin_one(dma, iova);
	}
out_unlock:
	mutex_unlock(&iommu->lock);
	return ret;
}

/**
 * vfio_iommu_type1_unpin_pages - the backend of vfio_unpin_pages()
 * @iommu_data: the container
 * @user_iova: first IOVA
 * @npage: number of pages
 */
void vfio_iommu_type1_unpin_pages(void *iommu_data, dma_addr_t user_iova,
				  int npage)
{
	struct vfio_iommu *iommu = iommu_data;
	int i;

	if (!iommu->v2)
		return;

	mutex_lock(&iommu->lock);
	for (i = 0; i < npage; i++) {
		dma_addr_t iova = user_iova + (dma_addr_t)i * PAGE_SIZE;
		struct vfio_dma *dma = vfio_find_dma(iommu, iova, PAGE_SIZE);

		if (!dma)
			break;
		vfio_unpin_one(dma, iova);
	}
	mutex_unlock(&iommu->lock);
}

/* Copy within one mapping; returns the bytes done in @done. */
static int vfio_dma_rw_chunk(struct vfio_iommu *iommu, dma_addr_t iova,
			     void *data, size_t count, bool write,
			     size_t *done)
{
	bool kthread = current->flags & PF_KTHREAD;
	struct vfio_dma *dma;
	struct mm_struct *mm;
	unsigned long vaddr;
	size_t offset;
	int ret = 0;

	*done = 0;
	dma = vfio_find_dma(iommu, iova, 1);
	if (!dma)
		return -EINVAL;
	if ((write && !(dma->prot & IOMMU_WRITE)) ||
	    !(dma->prot & IOMMU_READ))
		return -EPERM;
	if (dma->vaddr_invalid)
		return -EBUSY;

	offset = iova - dma->iova;
	count = min_t(size_t, count, dma->size - offset);
	vaddr = dma->vaddr + offset;

	mm = dma->mm;
	if (!mmget_not_zero(mm))
		return -EPERM;
	if (kthread) {
		kthread_use_mm(mm);
	} else if (current->mm != mm) {
		ret = -EPERM;
		goto out;
	}

	if (write ? copy_to_user((void __user *)vaddr, data, count) :
		    copy_from_user(data, (void __user *)vaddr, count))
		ret = -EFAULT;
	else if (write)
		vfio_dirty_mark(iommu, dma, iova, count);

	if (kthread)
		kthread_unuse_mm(mm);
out:
	mmput(mm);
	if (!ret)
		*done = count;
	return ret;
}

/**
 * vfio_iommu_type1_dma_rw - the backend of vfio_dma_rw()
 * @iommu_data: the container
 * @user_iova: first IOVA
 * @data: kernel buffer
 * @count: bytes
 * @write: copy @data into the IOVA range
 *
 * Return: 0 or a negative errno.
 */
int vfio_iommu_type1_dma_rw(void *iommu_data, dma_addr_t user_iova,
			    void *data, size_t count, bool write)
{
	struct vfio_iommu *iommu = iommu_data;
	int ret = 0;

	mutex_lock(&iommu->lock);
	while (count) {
		size_t done;

		ret = vfio_dma_rw_chunk(iommu, user_iova, data, count, write,
					&done);
		if (ret)
			break;
		count -= done;
		data += done;
		user_iova += done;
	}
	mutex_unlock(&iommu->lock);
	return ret;
}
