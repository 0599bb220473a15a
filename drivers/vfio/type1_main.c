// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_iommu_type1.ko: the x86/ARM IOMMU backend of VFIO containers.
 *
 * This file holds the module, the container ioctls and how groups join
 * and leave: IOMMU domains (shared by groups when compatible), the usable
 * IOVA ranges and the page sizes. Mappings live in type1_dma.c, pinning in
 * type1_pin.c, emulated-device DMA in type1_emulated.c and dirty tracking
 * in type1_dirty.c.
 */
#include <kunit/visibility.h>
#include <linux/iommu.h>
#include <linux/irqdomain.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "vfio.h"
#include "type1.h"

#define DRIVER_VERSION	"0.2"
#define DRIVER_DESC	"Type1 IOMMU driver for VFIO"

static bool allow_unsafe_interrupts;
module_param_named(allow_unsafe_interrupts, allow_unsafe_interrupts, bool, 0644);
MODULE_PARM_DESC(allow_unsafe_interrupts,
		 "Enable VFIO IOMMU support for on platforms without interrupt remapping support.");

bool vfio_type1_disable_hugepages;
module_param_named(disable_hugepages, vfio_type1_disable_hugepages, bool, 0644);
MODULE_PARM_DESC(disable_hugepages,
		 "Disable VFIO IOMMU support for IOMMU hugepages.");

static unsigned int dma_entry_limit __read_mostly = U16_MAX;
module_param_named(dma_entry_limit, dma_entry_limit, uint, 0644);
MODULE_PARM_DESC(dma_entry_limit,
		 "Maximum number of user DMA mappings per container (65535).");

/* ---- usable IOVA ranges ---- */

/* Remove [s, e] from the sorted, disjoint list @r of @n ranges. */
static unsigned int vfio_iova_exclude(struct vfio_iova_range *r,
				      unsigned int n, u64 s, u64 e)
{
	struct vfio_iova_range out[2];
	unsigned int i, j, k;

	for (i = 0; i < n; i++) {
		if (e < r[i].start || s > r[i].end)
			continue;
		k = 0;
		if (s > r[i].start)
			out[k++] = (struct vfio_iova_range){ r[i].start, s - 1 };
		if (e < r[i].end)
			out[k++] = (struct vfio_iova_range){ e + 1, r[i].end };
		/* replace entry i by the k pieces (the array has room) */
		memmove(&r[i + k], &r[i + 1], (n - i - 1) * sizeof(*r));
		for (j = 0; j < k; j++)
			r[i + j] = out[j];
		n = n - 1 + k;
		i = i + k - 1;	/* the loop's i++ lands after the pieces */
	}
	return n;
}

/*
 * Compute the usable IOVA ranges of the domains in @iommu plus @extra (a
 * domain about to join, or NULL), leaving out @gone (a group about to
 * leave, or NULL): the intersection of the apertures minus every group's
 * reserved regions (relaxable direct mappings excepted).
 */
static int vfio_iova_compute(struct vfio_iommu *iommu,
			     struct vfio_domain *extra,
			     struct iommu_group *extra_group,
			     struct iommu_group *gone,
			     struct vfio_iova_range **ranges,
			     unsigned int *nr)
{
	u64 start = 0, end = U64_MAX;
	struct iommu_resv_region *resv, *tmp;
	struct vfio_iommu_group *group;
	LIST_HEAD(resv_regions);
	struct vfio_domain *d;
	struct vfio_iova_range *r;
	unsigned int n = 0, max = 1;
	bool any = false;
	int ret;

	list_for_each_entry(d, &iommu->domain_list, next) {
		if (gone && list_is_singular(&d->group_list) &&
		    list_first_entry(&d->group_list, struct vfio_iommu_group,
				     next)->iommu_group == gone)
			continue;	/* the domain leaves with the group */
		start = max_t(u64, start, d->domain->geometry.aperture_start);
		end = min_t(u64, end, d->domain->geometry.aperture_end);
		any = true;
		list_for_each_entry(group, &d->group_list, next) {
			if (group->iommu_group == gone)
				continue;
			ret = iommu_get_group_resv_regions(group->iommu_group,
							   &resv_regions);
			if (ret)
				goto out_free;
		}
	}
	if (extra) {
		start = max_t(u64, start, extra->domain->geometry.aperture_start);
		end = min_t(u64, end, extra->domain->geometry.aperture_end);
		any = true;
		ret = iommu_get_group_resv_regions(extra_group, &resv_regions);
		if (ret)
			goto out_free;
	}

	list_for_each_entry(resv, &resv_regions, list)
		max++;
	r = kcalloc(max, sizeof(*r), GFP_KERNEL);
	if (!r) {
		ret = -ENOMEM;
		goto out_free;
	}
	if (any && start <= end) {
		r[0] = (struct vfio_iova_range){ start, end };
		n = 1;
	}
	list_for_each_entry(resv, &resv_regions, list) {
		if (resv->type == IOMMU_RESV_DIRECT_RELAXABLE || !resv->length)
			continue;
		n = vfio_iova_exclude(r, n, resv->start,
				      resv->start + resv->length - 1);
	}
	*ranges = r;
	*nr = n;
	ret = 0;

out_free:
	list_for_each_entry_safe(resv, tmp, &resv_regions, list)
		kfree(resv);
	return ret;
}

/* Do all existing mappings fit in the ranges (any if none are known)? */
static bool vfio_iova_fits(struct vfio_iommu *iommu,
			   struct vfio_iova_range *r, unsigned int n,
			   bool restricted)
{
	struct rb_node *node;
	unsigned int i;

	if (!restricted)
		return true;
	for (node = rb_first(&iommu->dma_list); node; node = rb_next(node)) {
		struct vfio_dma *dma = rb_entry(node, struct vfio_dma, node);
		bool ok = false;

		for (i = 0; i < n && !ok; i++)
			ok = dma->iova >= r[i].start &&
			     dma->iova + dma->size - 1 <= r[i].end;
		if (!ok)
			return false;
	}
	return true;
}

static void vfio_iova_set(struct vfio_iommu *iommu,
			  struct vfio_iova_range *r, unsigned int n)
{
	kfree(iommu->iova_ranges);
	iommu->iova_ranges = r;
	iommu->nr_iova_ranges = n;
}

static void vfio_update_pgsize_bitmap(struct vfio_iommu *iommu)
{
	struct vfio_domain *d;

	iommu->pgsize_bitmap = ULONG_MAX;
	list_for_each_entry(d, &iommu->domain_list, next)
		iommu->pgsize_bitmap &= d->domain->pgsize_bitmap;

	/* sizes below PAGE_SIZE are hidden: we pin whole pages */
	if (iommu->pgsize_bitmap & ~PAGE_MASK) {
		iommu->pgsize_bitmap &= PAGE_MASK;
		iommu->pgsize_bitmap |= PAGE_SIZE;
	}
}

/* ---- groups joining and leaving ---- */

static int vfio_first_bus(struct device *dev, void *data)
{
	struct bus_type **bus = data;

	if (*bus && *bus != dev->bus)
		return -EINVAL;
	*bus = dev->bus;
	return 0;
}

static int vfio_dev_lacks_intr_remap(struct device *dev, void *data)
{
	return !device_iommu_capable(dev, IOMMU_CAP_INTR_REMAP);
}

/* Set up MSI doorbell translation where the IOMMU needs it (ARM). */
static int vfio_msi_cookie(struct iommu_domain *domain,
			   struct iommu_group *iommu_group)
{
	struct iommu_resv_region *resv, *tmp;
	LIST_HEAD(regions);
	int ret;

	ret = iommu_get_group_resv_regions(iommu_group, &regions);
	if (ret)
		return ret;
	list_for_each_entry(resv, &regions, list) {
		if (resv->type == IOMMU_RESV_SW_MSI) {
			ret = iommu_get_msi_cookie(domain, resv->start);
			break;
		}
	}
	list_for_each_entry_safe(resv, tmp, &regions, list)
		kfree(resv);
	return ret;
}

static void vfio_domain_free(struct vfio_domain *domain)
{
	iommu_domain_free(domain->domain);
	kfree(domain);
}

/* A new IOMMU domain for the bus of @iommu_group, with the group attached. */
static struct vfio_domain *vfio_domain_new(struct vfio_iommu *iommu,
					   struct iommu_group *iommu_group)
{
	struct vfio_domain *domain;
	struct bus_type *bus = NULL;
	int ret;

	ret = iommu_group_for_each_dev(iommu_group, &bus, vfio_first_bus);
	if (ret || !bus)
		return ERR_PTR(ret ? ret : -ENODEV);

	domain = kzalloc(sizeof(*domain), GFP_KERNEL);
	if (!domain)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&domain->group_list);

	domain->domain = iommu_domain_alloc(bus);
	if (!domain->domain) {
		kfree(domain);
		return ERR_PTR(-EIO);
	}
	if (iommu->nesting) {
		ret = iommu_enable_nesting(domain->domain);
		if (ret)
			goto out_free;
	}
	ret = iommu_attach_group(domain->domain, iommu_group);
	if (ret)
		goto out_free;
	return domain;

out_free:
	vfio_domain_free(domain);
	return ERR_PTR(ret);
}

/*
 * Can the container take the group in @domain? Every existing mapping must
 * stay inside the valid IOVA ranges, which on success are in *@ranges
 * (the caller's to set or free), and MSIs must be translated (ARM) or
 * remapped.
 */
static int vfio_domain_admit(struct vfio_iommu *iommu,
			     struct vfio_domain *domain,
			     struct iommu_group *iommu_group,
			     struct vfio_iova_range **ranges, unsigned int *nr)
{
	int ret;

	ret = vfio_iova_compute(iommu, domain, iommu_group, NULL, ranges, nr);
	if (ret)
		return ret;
	if (!vfio_iova_fits(iommu, *ranges, *nr, true)) {
		ret = -EINVAL;	/* an existing mapping would be unreachable */
		goto out_ranges;
	}

	ret = vfio_msi_cookie(domain->domain, iommu_group);
	if (ret)
		goto out_ranges;

	/*
	 * Without interrupt remapping a device could forge MSIs to any
	 * vector: refuse unless the admin said it is acceptable.
	 */
	if (!allow_unsafe_interrupts && !irq_domain_check_msi_remap() &&
	    iommu_group_for_each_dev(iommu_group, NULL,
				     vfio_dev_lacks_intr_remap)) {
		pr_warn("%s: No interrupt remapping support.  Use the module param \"allow_unsafe_interrupts\" to enable VFIO IOMMU support on this platform\n",
			__func__);
		ret = -EPERM;
		goto out_ranges;
	}

	domain->enforce_cache_coherency =
		domain->domain->ops->enforce_cache_coherency &&
		domain->domain->ops->enforce_cache_coherency(domain->domain);
	return 0;

out_ranges:
	kfree(*ranges);
	return ret;
}

/*
 * One page table for all groups that an existing domain can take: move
 * the group from @domain into the first existing domain of the same IOMMU
 * and cache coherency that accepts it. Returns that domain; NULL when none
 * does (the group stays in @domain); an ERR_PTR when the group could not
 * go back to @domain either, and so is attached to nothing.
 */
static struct vfio_domain *vfio_domain_share(struct vfio_iommu *iommu,
					     struct vfio_domain *domain,
					     struct iommu_group *iommu_group)
{
	struct vfio_domain *d;
	int ret;

	list_for_each_entry(d, &iommu->domain_list, next) {
		if (d->domain->ops != domain->domain->ops ||
		    d->enforce_cache_coherency != domain->enforce_cache_coherency)
			continue;
		iommu_detach_group(domain->domain, iommu_group);
		if (!iommu_attach_group(d->domain, iommu_group))
			return d;
		ret = iommu_attach_group(domain->domain, iommu_group);
		if (ret)
			return ERR_PTR(ret);
	}
	return NULL;
}

/*
 * A group joins the container: an emulated (mdev) group only goes on a
 * list; a real one gets a new domain, is admitted, then either shares an
 * existing domain or keeps the new one, into which every mapping is
 * replayed.
 */
static int vfio_iommu_type1_attach_group(void *iommu_data,
					 struct iommu_group *iommu_group,
					 enum vfio_group_type type)
{
	struct vfio_iommu *iommu = iommu_data;
	struct vfio_domain *domain, *shared;
	struct vfio_iommu_group *group;
	struct vfio_iova_range *ranges;
	unsigned int nr;
	int ret;

	mutex_lock(&iommu->lock);

	/* a replay cannot pin through an invalidated vaddr */
	if (iommu->vaddr_invalid_count) {
		ret = -EBUSY;
		goto out_unlock;
	}
	if (vfio_find_group(iommu, iommu_group, NULL)) {
		ret = -EINVAL;
		goto out_unlock;
	}

	group = kzalloc(sizeof(*group), GFP_KERNEL);
	if (!group) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	group->iommu_group = iommu_group;

	if (type == VFIO_EMULATED_IOMMU) {
		/* only DMA through vfio_pin_pages()/vfio_dma_rw() */
		group->pinned_page_dirty_scope = true;
		list_add(&group->next, &iommu->emulated_groups);
		ret = 0;
		goto out_unlock;
	}

	domain = vfio_domain_new(iommu, iommu_group);
	if (IS_ERR(domain)) {
		ret = PTR_ERR(domain);
		goto out_free_group;
	}
	ret = vfio_domain_admit(iommu, domain, iommu_group, &ranges, &nr);
	if (ret)
		goto out_detach;

	shared = vfio_domain_share(iommu, domain, iommu_group);
	if (IS_ERR(shared)) {
		ret = PTR_ERR(shared);
		kfree(ranges);
		vfio_domain_free(domain);	/* the group is in none */
		goto out_free_group;
	}
	if (shared) {
		vfio_domain_free(domain);
		list_add(&group->next, &shared->group_list);
	} else {
		ret = vfio_replay_into(iommu, domain);
		if (ret) {
			kfree(ranges);
			goto out_detach;
		}
		list_add(&group->next, &domain->group_list);
		list_add(&domain->next, &iommu->domain_list);
		vfio_update_pgsize_bitmap(iommu);
	}
	vfio_iova_set(iommu, ranges, nr);
	/* a real device may DMA anywhere it is mapped */
	iommu->num_non_pinned_groups++;
	mutex_unlock(&iommu->lock);
	return 0;

out_detach:
	iommu_detach_group(domain->domain, iommu_group);
	vfio_domain_free(domain);
out_free_group:
	kfree(group);
out_unlock:
	mutex_unlock(&iommu->lock);
	return ret;
}

/*
 * The last IOMMU domain leaves but emulated groups stay: unmap and unpin
 * every mapping; the pages vfio_pin_pages() holds stay pinned and stay
 * accounted, now to those pins.
 */
static void vfio_unmap_unpin_all(struct vfio_iommu *iommu)
{
	struct rb_node *n;

	for (n = rb_first(&iommu->dma_list); n; n = rb_next(n)) {
		vfio_unmap_unpin(iommu, rb_entry(n, struct vfio_dma, node));
		cond_resched();
	}
}

/**
 * vfio_find_group - a group attached to a container
 * @iommu: the container, locked
 * @iommu_group: the IOMMU group to look for
 * @domain: if not NULL, set to the group's domain (NULL for an emulated
 *	group, which has none)
 *
 * Return: its vfio_iommu_group, in a domain or emulated, or NULL.
 */
struct vfio_iommu_group *vfio_find_group(struct vfio_iommu *iommu,
					 struct iommu_group *iommu_group,
					 struct vfio_domain **domain)
{
	struct vfio_iommu_group *group;
	struct vfio_domain *d;

	list_for_each_entry(d, &iommu->domain_list, next)
		list_for_each_entry(group, &d->group_list, next)
			if (group->iommu_group == iommu_group)
				goto found;
	d = NULL;
	list_for_each_entry(group, &iommu->emulated_groups, next)
		if (group->iommu_group == iommu_group)
			goto found;
	return NULL;
found:
	if (domain)
		*domain = d;
	return group;
}

static void vfio_iommu_type1_detach_group(void *iommu_data,
					  struct iommu_group *iommu_group)
{
	struct vfio_iommu *iommu = iommu_data;
	struct vfio_iommu_group *group;
	struct vfio_iova_range *ranges;
	struct vfio_domain *d;
	unsigned int nr;

	mutex_lock(&iommu->lock);

	group = vfio_find_group(iommu, iommu_group, &d);
	if (!group)
		goto out_unlock;
	if (!d) {
		/* emulated: no domain to leave */
		list_del(&group->next);
		kfree(group);
		if (list_empty(&iommu->emulated_groups) &&
		    list_empty(&iommu->domain_list))
			vfio_remove_all_dma(iommu);
		goto out_unlock;
	}

	/* recompute while the group is still listed, leaving it out */
	if (vfio_iova_compute(iommu, NULL, NULL, iommu_group, &ranges, &nr))
		ranges = NULL;

	iommu_detach_group(d->domain, iommu_group);
	list_del(&group->next);
	if (list_empty(&d->group_list)) {
		if (list_is_singular(&iommu->domain_list)) {
			if (list_empty(&iommu->emulated_groups))
				vfio_remove_all_dma(iommu);
			else
				vfio_unmap_unpin_all(iommu);
		}
		list_del(&d->next);
		vfio_domain_free(d);
		vfio_update_pgsize_bitmap(iommu);
	}
	if (ranges)
		vfio_iova_set(iommu, ranges, list_empty(&iommu->domain_list) ? 0 : nr);

	if (!group->pinned_page_dirty_scope)
		iommu->num_non_pinned_groups--;
	kfree(group);

out_unlock:
	mutex_unlock(&iommu->lock);
}

/* ---- the container ioctls ---- */

static bool vfio_domains_coherent(struct vfio_iommu *iommu)
{
	struct vfio_domain *d;
	bool ret = true;

	mutex_lock(&iommu->lock);
	list_for_each_entry(d, &iommu->domain_list, next)
		ret &= d->enforce_cache_coherency;
	mutex_unlock(&iommu->lock);
	return ret;
}

static int vfio_iommu_type1_check_extension(struct vfio_iommu *iommu,
					    unsigned long arg)
{
	switch (arg) {
	case VFIO_TYPE1_IOMMU:
	case VFIO_TYPE1v2_IOMMU:
	case VFIO_TYPE1_NESTING_IOMMU:
	case VFIO_UNMAP_ALL:
		return 1;
	case VFIO_UPDATE_VADDR:
		/* emulated devices cannot pin while a vaddr is invalid */
		return iommu && list_empty(&iommu->emulated_groups);
	case VFIO_DMA_CC_IOMMU:
		return iommu && vfio_domains_coherent(iommu);
	default:
		return 0;
	}
}

static int vfio_info_caps(struct vfio_iommu *iommu, struct vfio_info_cap *caps)
{
	struct vfio_iommu_type1_info_cap_migration *mig;
	struct vfio_iommu_type1_info_cap_iova_range *iova;
	struct vfio_iommu_type1_info_dma_avail *avail;
	struct vfio_info_cap_header *header;
	size_t size;

	header = vfio_info_cap_add(caps, sizeof(*mig),
				   VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION, 1);
	if (IS_ERR(header))
		return PTR_ERR(header);
	mig = container_of(header, struct vfio_iommu_type1_info_cap_migration,
			   header);
	mig->flags = 0;
	mig->pgsize_bitmap = vfio_pgsize(iommu);
	mig->max_dirty_bitmap_size = DIRTY_BITMAP_SIZE_MAX;

	header = vfio_info_cap_add(caps, sizeof(*avail),
				   VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, 1);
	if (IS_ERR(header))
		return PTR_ERR(header);
	avail = container_of(header, struct vfio_iommu_type1_info_dma_avail,
			     header);
	avail->avail = iommu->dma_avail;

	if (!iommu->nr_iova_ranges)
		return 0;
	size = struct_size(iova, iova_ranges, iommu->nr_iova_ranges);
	header = vfio_info_cap_add(caps, size,
				   VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, 1);
	if (IS_ERR(header))
		return PTR_ERR(header);
	iova = container_of(header, struct vfio_iommu_type1_info_cap_iova_range,
			    header);
	iova->nr_iovas = iommu->nr_iova_ranges;
	memcpy(iova->iova_ranges, iommu->iova_ranges,
	       iommu->nr_iova_ranges * sizeof(*iommu->iova_ranges));
	return 0;
}

static long vfio_iommu_type1_get_info(struct vfio_iommu *iommu,
				      unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_iommu_type1_info,
					  iova_pgsizes);
	unsigned long capsz = offsetofend(struct vfio_iommu_type1_info,
					  cap_offset);
	struct vfio_info_cap caps = { .buf = NULL, .size = 0 };
	struct vfio_iommu_type1_info info;
	int ret;

	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	/* cap_offset exists only for callers that know it */
	if (info.argsz >= capsz) {
		minsz = capsz;
		info.cap_offset = 0;
	}

	mutex_lock(&iommu->lock);
	info.flags = VFIO_IOMMU_INFO_PGSIZES;
	info.iova_pgsizes = iommu->pgsize_bitmap;
	ret = vfio_info_caps(iommu, &caps);
	mutex_unlock(&iommu->lock);
	if (ret)
		return ret;

	if (caps.size)
		info.flags |= VFIO_IOMMU_INFO_CAPS;
	ret = vfio_info_cap_to_user(&caps, (void __user *)arg, sizeof(info),
				    &info.argsz, &info.cap_offset);
	if (ret)
		return ret;
	return copy_to_user((void __user *)arg, &info, minsz) ? -EFAULT : 0;
}

static long vfio_iommu_type1_map_dma(struct vfio_iommu *iommu,
				     unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_iommu_type1_dma_map, size);
	u32 mask = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE |
		   VFIO_DMA_MAP_FLAG_VADDR;
	struct vfio_iommu_type1_dma_map map;

	if (copy_from_user(&map, (void __user *)arg, minsz))
		return -EFAULT;
	if (map.argsz < minsz || map.flags & ~mask)
		return -EINVAL;
	return vfio_dma_do_map(iommu, &map);
}

static long vfio_iommu_type1_unmap_dma(struct vfio_iommu *iommu,
				       unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_iommu_type1_dma_unmap, size);
	u32 mask = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP |
		   VFIO_DMA_UNMAP_FLAG_ALL | VFIO_DMA_UNMAP_FLAG_VADDR;
	struct vfio_iommu_type1_dma_unmap unmap;
	struct vfio_bitmap bitmap = { 0 };
	int ret;

	if (copy_from_user(&unmap, (void __user *)arg, minsz))
		return -EFAULT;
	if (unmap.argsz < minsz || unmap.flags & ~mask)
		return -EINVAL;
	if ((unmap.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) &&
	    (unmap.flags & (VFIO_DMA_UNMAP_FLAG_ALL | VFIO_DMA_UNMAP_FLAG_VADDR)))
		return -EINVAL;

	if (unmap.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) {
		if (unmap.argsz < minsz + sizeof(bitmap))
			return -EINVAL;
		if (copy_from_user(&bitmap, (void __user *)(arg + minsz),
				   sizeof(bitmap)))
			return -EFAULT;
		if (!bitmap.pgsize ||
		    !access_ok((void __user *)bitmap.data, bitmap.size))
			return -EINVAL;
		ret = vfio_dirty_verify_bitmap_size(unmap.size >> __ffs(bitmap.pgsize),
						    bitmap.size);
		if (ret)
			return ret;
	}

	ret = vfio_dma_do_unmap(iommu, &unmap, &bitmap);
	if (ret)
		return ret;
	return copy_to_user((void __user *)arg, &unmap, minsz) ? -EFAULT : 0;
}

static long vfio_iommu_type1_ioctl(void *iommu_data, unsigned int cmd,
				   unsigned long arg)
{
	struct vfio_iommu *iommu = iommu_data;

	switch (cmd) {
	case VFIO_CHECK_EXTENSION:
		return vfio_iommu_type1_check_extension(iommu, arg);
	case VFIO_IOMMU_GET_INFO:
		return vfio_iommu_type1_get_info(iommu, arg);
	case VFIO_IOMMU_MAP_DMA:
		return vfio_iommu_type1_map_dma(iommu, arg);
	case VFIO_IOMMU_UNMAP_DMA:
		return vfio_iommu_type1_unmap_dma(iommu, arg);
	case VFIO_IOMMU_DIRTY_PAGES:
		return vfio_iommu_type1_dirty_pages(iommu, arg);
	default:
		return -ENOTTY;
	}
}

/**
 * vfio_iommu_type1_open - the backend's open op: a new, empty container
 * @arg: the IOMMU model given to VFIO_SET_IOMMU: VFIO_TYPE1_IOMMU,
 *	VFIO_TYPE1v2_IOMMU or VFIO_TYPE1_NESTING_IOMMU
 *
 * Static unless KUnit is enabled, when the type1 test creates containers
 * with it.
 *
 * Return: the container, ERR_PTR(-EINVAL) for another model, or
 * ERR_PTR(-ENOMEM).
 */
VISIBLE_IF_KUNIT void *vfio_iommu_type1_open(unsigned long arg)
{
	struct vfio_iommu *iommu;

	iommu = kzalloc(sizeof(*iommu), GFP_KERNEL_ACCOUNT);
	if (!iommu)
		return ERR_PTR(-ENOMEM);

	switch (arg) {
	case VFIO_TYPE1_IOMMU:
		break;
	case VFIO_TYPE1_NESTING_IOMMU:
		iommu->nesting = true;
		fallthrough;
	case VFIO_TYPE1v2_IOMMU:
		iommu->v2 = true;
		break;
	default:
		kfree(iommu);
		return ERR_PTR(-EINVAL);
	}

	INIT_LIST_HEAD(&iommu->domain_list);
	INIT_LIST_HEAD(&iommu->emulated_groups);
	INIT_LIST_HEAD(&iommu->device_list);
	iommu->dma_list = RB_ROOT;
	iommu->dma_avail = dma_entry_limit;
	iommu->dma_limit = dma_entry_limit;
	iommu->pgsize_bitmap = PAGE_MASK;
	mutex_init(&iommu->lock);
	mutex_init(&iommu->device_list_lock);
	vfio_iommu_debugfs_init(iommu);
	return iommu;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_iommu_type1_open);

/**
 * vfio_iommu_type1_release - the backend's release op: free a container
 * @iommu_data: a container from vfio_iommu_type1_open()
 *
 * Called once the core has detached every group (its detach_group op), so
 * the group lists are normally empty here; whatever is still on them is
 * detached and freed all the same. Removes every mapping and frees the
 * domains. Static unless KUnit is enabled (see the open op).
 */
VISIBLE_IF_KUNIT void vfio_iommu_type1_release(void *iommu_data)
{
	struct vfio_iommu *iommu = iommu_data;
	struct vfio_iommu_group *group, *gtmp;
	struct vfio_domain *d, *dtmp;

	/* readers of the container's files are gone after this */
	vfio_iommu_debugfs_exit(iommu);
	vfio_remove_all_dma(iommu);
	list_for_each_entry_safe(group, gtmp, &iommu->emulated_groups, next)
		kfree(group);
	list_for_each_entry_safe(d, dtmp, &iommu->domain_list, next) {
		list_for_each_entry_safe(group, gtmp, &d->group_list, next) {
			iommu_detach_group(d->domain, group->iommu_group);
			kfree(group);
		}
		vfio_domain_free(d);
	}
	kfree(iommu->iova_ranges);
	mutex_destroy(&iommu->lock);
	mutex_destroy(&iommu->device_list_lock);
	kfree(iommu);
}
EXPORT_SYMBOL_IF_KUNIT(vfio_iommu_type1_release);

static void vfio_iommu_type1_register_device(void *iommu_data,
					     struct vfio_device *vdev)
{
	struct vfio_iommu *iommu = iommu_data;

	if (!vdev->ops->dma_unmap)
		return;
	mutex_lock(&iommu->device_list_lock);
	list_add(&vdev->iommu_entry, &iommu->device_list);
	mutex_unlock(&iommu->device_list_lock);
}

static void vfio_iommu_type1_unregister_device(void *iommu_data,
					       struct vfio_device *vdev)
{
	struct vfio_iommu *iommu = iommu_data;

	if (!vdev->ops->dma_unmap)
		return;
	mutex_lock(&iommu->device_list_lock);
	list_del(&vdev->iommu_entry);
	mutex_unlock(&iommu->device_list_lock);
}

static struct iommu_domain *
vfio_iommu_type1_group_iommu_domain(void *iommu_data,
				    struct iommu_group *iommu_group)
{
	struct vfio_iommu *iommu = iommu_data;
	struct iommu_domain *ret = ERR_PTR(-ENODEV);
	struct vfio_domain *d;

	mutex_lock(&iommu->lock);
	if (vfio_find_group(iommu, iommu_group, &d) && d)
		ret = d->domain;
	mutex_unlock(&iommu->lock);
	return ret;
}

static const struct vfio_iommu_driver_ops vfio_iommu_type1_ops = {
	.name			= "vfio-iommu-type1",
	.owner			= THIS_MODULE,
	.open			= vfio_iommu_type1_open,
	.release		= vfio_iommu_type1_release,
	.ioctl			= vfio_iommu_type1_ioctl,
	.attach_group		= vfio_iommu_type1_attach_group,
	.detach_group		= vfio_iommu_type1_detach_group,
	.pin_pages		= vfio_iommu_type1_pin_pages,
	.unpin_pages		= vfio_iommu_type1_unpin_pages,
	.register_device	= vfio_iommu_type1_register_device,
	.unregister_device	= vfio_iommu_type1_unregister_device,
	.dma_rw			= vfio_iommu_type1_dma_rw,
	.group_iommu_domain	= vfio_iommu_type1_group_iommu_domain,
};

static int __init vfio_iommu_type1_init(void)
{
	int ret;

	vfio_type1_debugfs_init();
	ret = vfio_register_iommu_driver(&vfio_iommu_type1_ops);
	if (ret)
		vfio_type1_debugfs_exit();
	return ret;
}

static void __exit vfio_iommu_type1_cleanup(void)
{
	vfio_unregister_iommu_driver(&vfio_iommu_type1_ops);
	vfio_type1_debugfs_exit();
}

module_init(vfio_iommu_type1_init);
module_exit(vfio_iommu_type1_cleanup);

MODULE_VERSION(DRIVER_VERSION);
MODULE_LICENSE("GPL v2");
MODULE_AUTHOR("The vfio-kmods authors");
MODULE_DESCRIPTION(DRIVER_DESC);
