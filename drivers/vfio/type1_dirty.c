// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_iommu_type1: dirty page tracking (VFIO_IOMMU_DIRTY_PAGES and
 * VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP), v2 only.
 *
 * Each mapping has a bitmap, one bit per smallest IOMMU page, set by
 * vfio_pin_pages() and vfio_dma_rw() writes. Without a dirty-capable
 * IOMMU, a group that may DMA anywhere (any real device that has not
 * limited itself to pinned pages) makes every mapped page dirty.
 */
#include <linux/bitmap.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "type1.h"

/**
 * vfio_dma_bitmap_alloc - give a mapping an empty dirty bitmap
 * @dma: the mapping
 * @size: bytes the bitmap covers
 * @pgsize: bytes per bit
 *
 * One spare word leaves room to shift the bitmap into the user's
 * alignment when reporting.
 *
 * Return: 0 or -ENOMEM.
 */
int vfio_dma_bitmap_alloc(struct vfio_dma *dma, size_t size, size_t pgsize)
{
	u64 npages = size / pgsize;

	dma->bitmap = kvzalloc(DIRTY_BITMAP_BYTES(npages) + sizeof(u64),
			       GFP_KERNEL);
	return dma->bitmap ? 0 : -ENOMEM;
}

/**
 * vfio_dma_bitmap_free - drop a mapping's dirty bitmap
 * @dma: the mapping
 */
void vfio_dma_bitmap_free(struct vfio_dma *dma)
{
	kvfree(dma->bitmap);
	dma->bitmap = NULL;
}

/* After a report the bits restart from the pages still pinned. */
static void vfio_dma_populate_bitmap(struct vfio_dma *dma, size_t pgsize)
{
	unsigned long pgshift = __ffs(pgsize);
	struct rb_node *p;

	for (p = rb_first(&dma->pfn_list); p; p = rb_next(p)) {
		struct vfio_pfn *vpfn = rb_entry(p, struct vfio_pfn, node);

		bitmap_set(dma->bitmap, (vpfn->iova - dma->iova) >> pgshift, 1);
	}
}

/**
 * vfio_dirty_start - VFIO_IOMMU_DIRTY_PAGES_FLAG_START
 * @iommu: the container, locked
 *
 * Return: 0 or -ENOMEM.
 */
int vfio_dirty_start(struct vfio_iommu *iommu)
{
	size_t pgsize = vfio_pgsize(iommu);
	struct rb_node *n;
	int ret;

	if (iommu->dirty_page_tracking)
		return 0;

	for (n = rb_first(&iommu->dma_list); n; n = rb_next(n)) {
		struct vfio_dma *dma = rb_entry(n, struct vfio_dma, node);

		ret = vfio_dma_bitmap_alloc(dma, dma->size, pgsize);
		if (ret) {
			for (n = rb_prev(n); n; n = rb_prev(n))
				vfio_dma_bitmap_free(rb_entry(n, struct vfio_dma,
							      node));
			return ret;
		}
		vfio_dma_populate_bitmap(dma, pgsize);
	}
	iommu->dirty_page_tracking = true;
	return 0;
}

/**
 * vfio_dirty_stop - VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP
 * @iommu: the container, locked
 */
void vfio_dirty_stop(struct vfio_iommu *iommu)
{
	struct rb_node *n;

	if (!iommu->dirty_page_tracking)
		return;
	iommu->dirty_page_tracking = false;
	for (n = rb_first(&iommu->dma_list); n; n = rb_next(n))
		vfio_dma_bitmap_free(rb_entry(n, struct vfio_dma, node));
}

/**
 * vfio_dirty_mark - record a write to guest memory
 * @iommu: the container, locked
 * @dma: the mapping written to
 * @iova: first IOVA written
 * @len: bytes written, at least 1
 */
void vfio_dirty_mark(struct vfio_iommu *iommu, struct vfio_dma *dma,
		     dma_addr_t iova, size_t len)
{
	unsigned long pgshift = __ffs(iommu->pgsize_bitmap);
	unsigned long first, last;

	if (!iommu->dirty_page_tracking || !dma->bitmap)
		return;
	first = (iova - dma->iova) >> pgshift;
	last = (iova - dma->iova + len - 1) >> pgshift;
	bitmap_set(dma->bitmap, first, last - first + 1);
}

/**
 * vfio_dirty_verify_bitmap_size - is a user bitmap right for a range
 * @npages: pages the range has
 * @bitmap_size: bytes of the user's bitmap
 *
 * Return: 0, or -EINVAL when too small, empty or over 256 MiB.
 */
int vfio_dirty_verify_bitmap_size(u64 npages, u64 bitmap_size)
{
	if (!npages || !bitmap_size || bitmap_size > DIRTY_BITMAP_SIZE_MAX ||
	    bitmap_size < DIRTY_BITMAP_BYTES(npages))
		return -EINVAL;
	return 0;
}

/**
 * vfio_dirty_report_dma - copy one mapping's bits into a user bitmap
 * @iommu: the container, locked
 * @dma: the mapping
 * @bitmap: the user bitmap, bit 0 standing for @base_iova
 * @base_iova: IOVA of bit 0
 * @pgsize: bytes per bit
 *
 * The mapping's bits are shifted to their place; a word shared with the
 * previous mapping is merged with what the user bitmap already has.
 *
 * Return: 0 or -EFAULT.
 */
int vfio_dirty_report_dma(struct vfio_iommu *iommu, struct vfio_dma *dma,
			  u64 __user *bitmap, dma_addr_t base_iova,
			  size_t pgsize)
{
	unsigned long pgshift = __ffs(pgsize);
	unsigned long nbits = dma->size >> pgshift;
	unsigned long bit_offset = (dma->iova - base_iova) >> pgshift;
	unsigned long copy_offset = bit_offset / BITS_PER_LONG;
	unsigned long shift = bit_offset % BITS_PER_LONG;
	unsigned long leftover;

	if (!dma->bitmap)
		return 0;

	/* the device may have written anywhere it is mapped */
	if (iommu->num_non_pinned_groups && dma->iommu_mapped)
		bitmap_set(dma->bitmap, 0, nbits);

	if (shift) {
		bitmap_shift_left(dma->bitmap, dma->bitmap, shift,
				  nbits + shift);
		if (copy_from_user(&leftover,
				   (void __user *)(bitmap + copy_offset),
				   sizeof(leftover)))
			return -EFAULT;
		bitmap_or(dma->bitmap, dma->bitmap, &leftover, shift);
	}

	if (copy_to_user((void __user *)(bitmap + copy_offset), dma->bitmap,
			 DIRTY_BITMAP_BYTES(nbits + shift)))
		return -EFAULT;

	/* reported: start over from what is pinned now */
	bitmap_clear(dma->bitmap, 0, nbits + shift);
	vfio_dma_populate_bitmap(dma, pgsize);
	return 0;
}

/**
 * vfio_dirty_get_bitmap - report the dirty pages of whole mappings
 * @iommu: the container, locked
 * @iova: start of the range
 * @size: length of the range
 * @pgsize: bytes per bit
 * @bitmap: the user bitmap
 *
 * Return: 0, -EINVAL when the range bisects a mapping, or -EFAULT.
 */
int vfio_dirty_get_bitmap(struct vfio_iommu *iommu, dma_addr_t iova,
			  size_t size, size_t pgsize, u64 __user *bitmap)
{
	dma_addr_t last = iova + size - 1;
	struct vfio_dma *dma;
	struct rb_node *n;
	int ret;

	dma = vfio_find_dma(iommu, iova, 1);
	if (dma && dma->iova != iova)
		return -EINVAL;
	dma = vfio_find_dma(iommu, last, 1);
	if (dma && dma->iova + dma->size != iova + size)
		return -EINVAL;

	for (n = vfio_find_dma_first_node(iommu, iova, size); n; n = rb_next(n)) {
		dma = rb_entry(n, struct vfio_dma, node);
		if (dma->iova > last)
			break;
		ret = vfio_dirty_report_dma(iommu, dma, bitmap, iova, pgsize);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * vfio_iommu_type1_dirty_pages - VFIO_IOMMU_DIRTY_PAGES
 * @iommu: the container
 * @arg: user pointer to struct vfio_iommu_type1_dirty_bitmap
 *
 * Return: 0 or a negative errno (-EACCES on a v1 container).
 */
long vfio_iommu_type1_dirty_pages(struct vfio_iommu *iommu, unsigned long arg)
{
	size_t minsz = offsetofend(struct vfio_iommu_type1_dirty_bitmap, flags);
	u32 mask = VFIO_IOMMU_DIRTY_PAGES_FLAG_START |
		   VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP |
		   VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP;
	struct vfio_iommu_type1_dirty_bitmap_get range;
	struct vfio_iommu_type1_dirty_bitmap dirty;
	size_t pgsize;
	int ret;

	if (!iommu->v2)
		return -EACCES;

	if (copy_from_user(&dirty, (void __user *)arg, minsz))
		return -EFAULT;
	if (dirty.argsz < minsz || dirty.flags & ~mask ||
	    hweight32(dirty.flags) != 1)
		return -EINVAL;

	switch (dirty.flags) {
	case VFIO_IOMMU_DIRTY_PAGES_FLAG_START:
		mutex_lock(&iommu->lock);
		ret = vfio_dirty_start(iommu);
		mutex_unlock(&iommu->lock);
		return ret;
	case VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP:
		mutex_lock(&iommu->lock);
		vfio_dirty_stop(iommu);
		mutex_unlock(&iommu->lock);
		return 0;
	}

	/* GET_BITMAP */
	if (dirty.argsz - minsz < sizeof(range))
		return -EINVAL;
	if (copy_from_user(&range, (void __user *)(arg + minsz), sizeof(range)))
		return -EFAULT;
	if (range.iova + range.size < range.iova)
		return -EINVAL;
	if (!range.bitmap.pgsize ||
	    !access_ok((void __user *)range.bitmap.data, range.bitmap.size))
		return -EINVAL;
	ret = vfio_dirty_verify_bitmap_size(range.size >> __ffs(range.bitmap.pgsize),
					    range.bitmap.size);
	if (ret)
		return ret;

	mutex_lock(&iommu->lock);
	pgsize = vfio_pgsize(iommu);
	if (range.bitmap.pgsize != pgsize || range.iova & (pgsize - 1) ||
	    !range.size || range.size & (pgsize - 1))
		ret = -EINVAL;
	else if (!iommu->dirty_page_tracking)
		ret = -EINVAL;
	else
		ret = vfio_dirty_get_bitmap(iommu, range.iova, range.size,
					    pgsize,
					    (u64 __user *)range.bitmap.data);
	mutex_unlock(&iommu->lock);
	return ret;
}
