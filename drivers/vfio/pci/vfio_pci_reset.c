// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci-core: resets that reach beyond one function. A hot reset
 * resets a slot or a whole bus; the user must prove ownership of every
 * device it touches by passing their group fds, and every device there
 * must be ours. The same reset is tried automatically when the last user
 * of a device set is gone and a member still needs a reset.
 */
#include <linux/file.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <trace/events/vfio.h>

#include "vfio_pci_priv.h"

typedef int (*vfio_pci_walk_fn_t)(struct pci_dev *pdev, void *data);

/**
 * struct vfio_pci_walk_info - state of a walk over a slot or bus
 * @fn: called for each device
 * @data: its argument
 * @pdev: the device the walk is for
 * @slot: walk the slot, else the bus
 * @ret: first non-zero return of @fn
 */
struct vfio_pci_walk_info {
	vfio_pci_walk_fn_t fn;
	void *data;
	struct pci_dev *pdev;
	bool slot;
	int ret;
};

static bool vfio_pci_dev_below_slot(struct pci_dev *pdev, struct pci_slot *slot)
{
	for (; pdev; pdev = pdev->bus->self)
		if (pdev->bus == slot->bus)
			return pdev->slot == slot;
	return false;
}

static int vfio_pci_walk_wrapper(struct pci_dev *pdev, void *data)
{
	struct vfio_pci_walk_info *walk = data;

	if (!walk->slot || vfio_pci_dev_below_slot(pdev, walk->pdev->slot))
		walk->ret = walk->fn(pdev, walk->data);
	return walk->ret;
}

static int vfio_pci_walk_slot_or_bus(struct pci_dev *pdev,
				     struct vfio_pci_walk_info *walk)
{
	walk->pdev = pdev;
	walk->ret = 0;
	pci_walk_bus(pdev->bus, vfio_pci_walk_wrapper, walk);
	return walk->ret;
}

/* Call @fn for every device a slot (or bus) reset of @pdev reaches. */
static int vfio_pci_walk(struct pci_dev *pdev, vfio_pci_walk_fn_t fn,
			 void *data, bool slot)
{
	struct vfio_pci_walk_info walk = { .fn = fn, .data = data, .slot = slot };

	return vfio_pci_walk_slot_or_bus(pdev, &walk);
}

static int vfio_pci_count_devs(struct pci_dev *pdev, void *data)
{
	(*(int *)data)++;
	return 0;
}

/**
 * struct vfio_pci_fill_info - filling GET_PCI_HOT_RESET_INFO
 * @max: entries available
 * @cur: entries filled
 * @devices: the entries
 */
struct vfio_pci_fill_info {
	int max;
	int cur;
	struct vfio_pci_dependent_device *devices;
};

static int vfio_pci_fill_devs(struct pci_dev *pdev, void *data)
{
	struct vfio_pci_fill_info *fill = data;
	struct iommu_group *iommu_group;

	if (fill->cur == fill->max)
		return -EAGAIN;	/* a device appeared meanwhile */

	iommu_group = iommu_group_get(&pdev->dev);
	if (!iommu_group)
		return -EPERM;	/* not isolated: cannot be reset for a user */

	fill->devices[fill->cur].group_id = iommu_group_id(iommu_group);
	fill->devices[fill->cur].segment = pci_domain_nr(pdev->bus);
	fill->devices[fill->cur].bus = pdev->bus->number;
	fill->devices[fill->cur].devfn = pdev->devfn;
	fill->cur++;
	iommu_group_put(iommu_group);
	return 0;
}

/* Slot reset if possible, else bus reset, else -ENODEV. */
static int vfio_pci_reset_scope(struct pci_dev *pdev, bool *slot)
{
	*slot = !pci_probe_reset_slot(pdev->slot);
	if (!*slot && pci_probe_reset_bus(pdev->bus))
		return -ENODEV;
	return 0;
}

/**
 * vfio_pci_ioctl_get_pci_hot_reset_info - VFIO_DEVICE_GET_PCI_HOT_RESET_INFO
 * @vdev: the device
 * @arg: user struct vfio_pci_hot_reset_info
 *
 * Return: 0, -ENOSPC with the needed count when the buffer is too small,
 * -ENODEV when no slot or bus reset exists, or another negative errno.
 */
int vfio_pci_ioctl_get_pci_hot_reset_info(struct vfio_pci_core_device *vdev,
					  void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_pci_hot_reset_info, count);
	struct vfio_pci_hot_reset_info __user *uinfo = arg;
	struct vfio_pci_dependent_device *devices = NULL;
	struct vfio_pci_fill_info fill = { 0 };
	struct vfio_pci_hot_reset_info hdr;
	bool slot;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	if (hdr.argsz < minsz)
		return -EINVAL;
	hdr.flags = 0;

	ret = vfio_pci_reset_scope(vdev->pdev, &slot);
	if (ret)
		return ret;

	ret = vfio_pci_walk(vdev->pdev, vfio_pci_count_devs, &fill.max, slot);
	if (ret)
		return ret;

	if (hdr.argsz < sizeof(hdr) + fill.max * sizeof(*devices)) {
		ret = -ENOSPC;
		hdr.count = fill.max;
		goto out_copy;
	}

	devices = kcalloc(fill.max, sizeof(*devices), GFP_KERNEL);
	if (!devices)
		return -ENOMEM;
	fill.devices = devices;
	ret = vfio_pci_walk(vdev->pdev, vfio_pci_fill_devs, &fill, slot);
	if (!ret)
		hdr.count = fill.cur;

out_copy:
	if (copy_to_user(arg, &hdr, minsz))
		ret = -EFAULT;
	if (!ret && copy_to_user(uinfo->devices, devices,
				 hdr.count * sizeof(*devices)))
		ret = -EFAULT;
	kfree(devices);
	return ret;
}

static int vfio_pci_is_device_in_set(struct pci_dev *pdev, void *data)
{
	struct vfio_device_set *dev_set = data;
	struct vfio_pci_core_device *cur;

	list_for_each_entry(cur, &dev_set->device_list, vdev.dev_set_list)
		if (cur->pdev == pdev)
			return 0;
	return -EBUSY;
}

/**
 * vfio_pci_dev_set_resettable - can the set be hot reset, and through whom
 * @dev_set: the set, locked
 *
 * Return: a device to call pci_reset_bus() on, or NULL when the reset
 * would reach a device that is not in the set.
 */
struct pci_dev *vfio_pci_dev_set_resettable(struct vfio_device_set *dev_set)
{
	struct pci_dev *pdev;
	bool slot;

	lockdep_assert_held(&dev_set->lock);

	/* all members share one reset: any of them answers for all */
	pdev = list_first_entry(&dev_set->device_list,
				struct vfio_pci_core_device,
				vdev.dev_set_list)->pdev;
	if (vfio_pci_reset_scope(pdev, &slot))
		return NULL;
	if (vfio_pci_walk(pdev, vfio_pci_is_device_in_set, dev_set, slot))
		return NULL;
	return pdev;
}

static bool vfio_dev_in_files(struct vfio_pci_core_device *vdev,
			      struct file **files, int count)
{
	int i;

	for (i = 0; i < count; i++)
		if (vfio_file_has_dev(files[i], &vdev->vdev))
			return true;
	return false;
}

static int vfio_pci_dev_set_hot_reset(struct vfio_device_set *dev_set,
				      struct file **files, int count)
{
	struct vfio_pci_core_device *cur, *locked_end = NULL;
	struct pci_dev *pdev;
	int ret = 0;

	mutex_lock(&dev_set->lock);

	pdev = vfio_pci_dev_set_resettable(dev_set);
	if (!pdev) {
		ret = -EINVAL;
		goto out_unlock;
	}

	list_for_each_entry(cur, &dev_set->device_list, vdev.dev_set_list) {
		/* every affected device must be covered by the user's groups */
		if (!vfio_dev_in_files(cur, files, count)) {
			ret = -EINVAL;
			goto out_unlock;
		}
	}

	/* members without a user may be asleep: wake them all */
	ret = vfio_pci_dev_set_pm_get(dev_set);
	if (ret)
		goto out_unlock;

	/*
	 * Lock out every member's MMIO and revoke its BAR mappings. Several
	 * locks of one class: take them with trylock and give up on
	 * contention instead of risking a deadlock (as upstream).
	 */
	list_for_each_entry(cur, &dev_set->device_list, vdev.dev_set_list) {
		if (!down_write_trylock(&cur->memory_lock)) {
			ret = -EBUSY;
			break;
		}
		vfio_pci_zap_bars(cur);
		locked_end = cur;
	}

	if (!ret) {
		list_for_each_entry(cur, &dev_set->device_list, vdev.dev_set_list)
			vfio_pci_set_power_state(cur, PCI_D0);
		ret = pci_reset_bus(pdev);
		list_for_each_entry(cur, &dev_set->device_list, vdev.dev_set_list)
			vfio_pci_reset_done(cur, "bus", ret);
	}

	if (locked_end) {
		list_for_each_entry(cur, &dev_set->device_list, vdev.dev_set_list) {
			up_write(&cur->memory_lock);
			if (cur == locked_end)
				break;
		}
	}
	vfio_pci_dev_set_pm_put(dev_set);
out_unlock:
	mutex_unlock(&dev_set->lock);
	return ret;
}

/**
 * vfio_pci_ioctl_pci_hot_reset - VFIO_DEVICE_PCI_HOT_RESET
 * @vdev: the device
 * @arg: user struct vfio_pci_hot_reset with its group fds
 *
 * Return: 0 or a negative errno: -EINVAL for bad flags, count, a fd that
 * is not a group, or devices not covered; -EBADF; -EBUSY on contention.
 */
int vfio_pci_ioctl_pci_hot_reset(struct vfio_pci_core_device *vdev,
				 void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_pci_hot_reset, count);
	struct vfio_pci_hot_reset __user *ureset = arg;
	struct vfio_pci_hot_reset hdr;
	struct file **files;
	s32 *group_fds;
	int count = 0, i, ret;
	bool slot;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	if (hdr.argsz < minsz || hdr.flags)
		return -EINVAL;

	ret = vfio_pci_reset_scope(vdev->pdev, &slot);
	if (ret)
		return ret;

	/* never more groups than devices the reset reaches */
	ret = vfio_pci_walk(vdev->pdev, vfio_pci_count_devs, &count, slot);
	if (ret)
		return ret;
	if (!hdr.count || hdr.count > count)
		return -EINVAL;
	if (hdr.argsz < minsz + hdr.count * sizeof(*group_fds))
		return -EINVAL;

	group_fds = memdup_user(ureset->group_fds,
				hdr.count * sizeof(*group_fds));
	if (IS_ERR(group_fds))
		return PTR_ERR(group_fds);

	files = kcalloc(hdr.count, sizeof(*files), GFP_KERNEL);
	if (!files) {
		kfree(group_fds);
		return -ENOMEM;
	}

	/* hold every group across the reset */
	for (i = 0; i < hdr.count; i++) {
		struct file *file = fget(group_fds[i]);

		if (!file) {
			ret = -EBADF;
			break;
		}
		if (!vfio_file_is_group(file)) {
			fput(file);
			ret = -EINVAL;
			break;
		}
		files[i] = file;
	}
	kfree(group_fds);

	if (!ret)
		ret = vfio_pci_dev_set_hot_reset(vdev->vdev.dev_set, files,
						 hdr.count);

	while (--i >= 0)
		fput(files[i]);
	kfree(files);
	return ret;
}

static bool vfio_pci_dev_set_needs_reset(struct vfio_device_set *dev_set)
{
	struct vfio_pci_core_device *cur;
	bool needs_reset = false;

	/* only the closing device may still count as open */
	if (vfio_device_set_open_count(dev_set) > 1)
		return false;

	list_for_each_entry(cur, &dev_set->device_list, vdev.dev_set_list)
		needs_reset |= cur->needs_reset;
	return needs_reset;
}

/**
 * vfio_pci_dev_set_try_reset - bus reset an idle device set if it needs it
 * @dev_set: the set, locked
 */
void vfio_pci_dev_set_try_reset(struct vfio_device_set *dev_set)
{
	struct vfio_pci_core_device *cur;
	struct pci_dev *pdev;
	int ret;

	if (!vfio_pci_dev_set_needs_reset(dev_set))
		return;

	pdev = vfio_pci_dev_set_resettable(dev_set);
	if (!pdev)
		return;

	/* idle members may be asleep: wake them for the reset */
	if (vfio_pci_dev_set_pm_get(dev_set))
		return;
	ret = pci_reset_bus(pdev);
	list_for_each_entry(cur, &dev_set->device_list, vdev.dev_set_list) {
		vfio_pci_reset_done(cur, "bus_idle", ret);
		if (!ret)
			cur->needs_reset = false;
	}
	vfio_pci_dev_set_pm_put(dev_set);
}

/**
 * vfio_pci_reset_done - record and trace a reset attempt
 * @vdev: the device reset
 * @method: how, a static string: "function" (VFIO_DEVICE_RESET), "open",
 *	"close", "bus" (VFIO_DEVICE_PCI_HOT_RESET) or "bus_idle" (the idle
 *	device set reset after close)
 * @ret: its result
 */
void vfio_pci_reset_done(struct vfio_pci_core_device *vdev,
			 const char *method, int ret)
{
	if (!ret)
		WRITE_ONCE(vdev->last_reset, method);
	trace_vfio_pci_reset(pci_name(vdev->pdev), method, ret);
}
