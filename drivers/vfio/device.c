// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_device: allocation, registration by bus drivers, device sets, and
 * the anonymous "[vfio-device]" fd userspace drives a device through.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/pm_runtime.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <linux/xarray.h>
#include <trace/events/vfio.h>

#include "vfio.h"

static struct {
	struct class	*class;
	struct ida	index_ida;
} vfio_devices;

static DEFINE_XARRAY(vfio_device_set_xa);

/* ---- device sets ---- */

/**
 * vfio_assign_device_set - put a device into the set named by @set_id
 * @device: a device not registered yet
 * @set_id: any pointer naming the set (drivers use a slot, a bus, ...)
 *
 * Devices of one set open and close under one lock, which lets a driver
 * reset several devices together. A device without a set gets its own.
 *
 * Return: 0 or a negative errno.
 */
int vfio_assign_device_set(struct vfio_device *device, void *set_id)
{
	unsigned long idx = (unsigned long)set_id;
	struct vfio_device_set *new_set, *set;

	if (WARN_ON(!set_id))
		return -EINVAL;

	xa_lock(&vfio_device_set_xa);
	set = xa_load(&vfio_device_set_xa, idx);
	if (set)
		goto found;
	xa_unlock(&vfio_device_set_xa);

	new_set = kzalloc(sizeof(*new_set), GFP_KERNEL);
	if (!new_set)
		return -ENOMEM;
	mutex_init(&new_set->lock);
	INIT_LIST_HEAD(&new_set->device_list);
	new_set->set_id = set_id;

	xa_lock(&vfio_device_set_xa);
	set = __xa_cmpxchg(&vfio_device_set_xa, idx, NULL, new_set,
			   GFP_KERNEL);
	if (!set) {
		set = new_set;
		goto found;
	}
	/* lost a race, or failed */
	mutex_destroy(&new_set->lock);
	kfree(new_set);
	if (xa_is_err(set)) {
		xa_unlock(&vfio_device_set_xa);
		return xa_err(set);
	}

found:
	set->device_count++;
	xa_unlock(&vfio_device_set_xa);

	mutex_lock(&set->lock);
	device->dev_set = set;
	list_add_tail(&device->dev_set_list, &set->device_list);
	mutex_unlock(&set->lock);
	return 0;
}
EXPORT_SYMBOL_GPL(vfio_assign_device_set);

static void vfio_release_device_set(struct vfio_device *device)
{
	struct vfio_device_set *set = device->dev_set;

	if (!set)
		return;

	mutex_lock(&set->lock);
	list_del(&device->dev_set_list);
	mutex_unlock(&set->lock);

	xa_lock(&vfio_device_set_xa);
	if (!--set->device_count) {
		__xa_erase(&vfio_device_set_xa, (unsigned long)set->set_id);
		mutex_destroy(&set->lock);
		kfree(set);
	}
	xa_unlock(&vfio_device_set_xa);
}

/**
 * vfio_device_set_open_count - open device fds over a whole set
 * @dev_set: the set, whose lock the caller holds
 *
 * Return: the number of members that are open.
 */
unsigned int vfio_device_set_open_count(struct vfio_device_set *dev_set)
{
	struct vfio_device *cur;
	unsigned int open_count = 0;

	lockdep_assert_held(&dev_set->lock);

	list_for_each_entry(cur, &dev_set->device_list, dev_set_list)
		open_count += cur->open_count;
	return open_count;
}
EXPORT_SYMBOL_GPL(vfio_device_set_open_count);

/* ---- allocation ---- */

static void vfio_device_release(struct device *dev)
{
	struct vfio_device *device =
		container_of(dev, struct vfio_device, device);

	vfio_release_device_set(device);
	vfio_device_inode_free(device);
	ida_free(&vfio_devices.index_ida, device->index);

	/* A driver with a release op frees through vfio_free_device(). */
	if (device->ops->release)
		device->ops->release(device);
	else
		vfio_free_device(device);
}

/**
 * vfio_init_device - initialize a vfio_device the driver allocated
 * @device: zeroed memory
 * @dev: the parent device
 * @ops: the driver's callbacks
 *
 * Prefer vfio_alloc_device(). On success the device is freed by the last
 * vfio_put_device().
 *
 * Return: 0 or a negative errno.
 */
int vfio_init_device(struct vfio_device *device, struct device *dev,
		     const struct vfio_device_ops *ops)
{
	int ret;

	ret = ida_alloc(&vfio_devices.index_ida, GFP_KERNEL);
	if (ret < 0)
		return ret;

	device->index = ret;
	init_completion(&device->comp);
	device->dev = dev;
	device->ops = ops;

	if (ops->init) {
		ret = ops->init(device);
		if (ret)
			goto err_ida;
	}

	device_initialize(&device->device);
	device->device.release = vfio_device_release;
	device->device.class = vfio_devices.class;
	device->device.parent = device->dev;
	return 0;

err_ida:
	ida_free(&vfio_devices.index_ida, device->index);
	return ret;
}
EXPORT_SYMBOL_GPL(vfio_init_device);

/**
 * _vfio_alloc_device - allocate a driver structure embedding a vfio_device
 * @size: size of the driver's structure (vfio_device first)
 * @dev: the parent device
 * @ops: the driver's callbacks
 *
 * Use the vfio_alloc_device() wrapper.
 *
 * Return: the vfio_device, or an ERR_PTR.
 */
struct vfio_device *_vfio_alloc_device(size_t size, struct device *dev,
				       const struct vfio_device_ops *ops)
{
	struct vfio_device *device;
	int ret;

	if (WARN_ON(size < sizeof(struct vfio_device)))
		return ERR_PTR(-EINVAL);

	device = kvzalloc(size, GFP_KERNEL);
	if (!device)
		return ERR_PTR(-ENOMEM);

	ret = vfio_init_device(device, dev, ops);
	if (ret) {
		kvfree(device);
		return ERR_PTR(ret);
	}
	return device;
}
EXPORT_SYMBOL_GPL(_vfio_alloc_device);

/**
 * vfio_free_device - free the memory of a vfio_device
 * @device: the device
 *
 * Only for a driver's release op, which runs when the last reference is
 * dropped.
 */
void vfio_free_device(struct vfio_device *device)
{
	kvfree(device);
}
EXPORT_SYMBOL_GPL(vfio_free_device);

/* ---- registration ---- */

/* Registration reference: held while registered and by each user. */
bool vfio_device_try_get_registration(struct vfio_device *device)
{
	return refcount_inc_not_zero(&device->refcount);
}

void vfio_device_put_registration(struct vfio_device *device)
{
	if (refcount_dec_and_test(&device->refcount))
		complete(&device->comp);
}

static struct vfio_device *vfio_group_find_dev(struct vfio_group *group,
					       struct device *dev)
{
	struct vfio_device *device;

	mutex_lock(&group->device_lock);
	list_for_each_entry(device, &group->device_list, group_next) {
		if (device->dev == dev) {
			mutex_unlock(&group->device_lock);
			return device;
		}
	}
	mutex_unlock(&group->device_lock);
	return NULL;
}

static int vfio_register_dev(struct vfio_device *device,
			     struct vfio_group *group)
{
	int ret;

	if (IS_ERR(group))
		return PTR_ERR(group);

	device->group = group;

	if (!device->dev_set) {
		ret = vfio_assign_device_set(device, device);
		if (ret)
			goto err_remove_group;
	}

	if (vfio_group_find_dev(group, device->dev)) {
		dev_warn(device->dev, "device already registered with vfio group %d\n",
			 iommu_group_id(group->iommu_group));
		ret = -EBUSY;
		goto err_remove_group;
	}

	ret = dev_set_name(&device->device, "vfio%d", device->index);
	if (ret)
		goto err_remove_group;

	ret = device_add(&device->device);
	if (ret)
		goto err_remove_group;

	refcount_set(&device->refcount, 1);

	mutex_lock(&group->device_lock);
	list_add(&device->group_next, &group->device_list);
	mutex_unlock(&group->device_lock);
	vfio_device_debugfs_init(device);
	return 0;

err_remove_group:
	vfio_group_remove_device(device);
	device->group = NULL;
	return ret;
}

/**
 * vfio_register_group_dev - expose a physical device through VFIO
 * @device: an initialized vfio_device
 *
 * The device's IOMMU group becomes /dev/vfio/$N (created with the first
 * registered device of the group).
 *
 * Return: 0 or a negative errno.
 */
int vfio_register_group_dev(struct vfio_device *device)
{
	return vfio_register_dev(device, vfio_group_find_or_alloc(device->dev));
}
EXPORT_SYMBOL_GPL(vfio_register_group_dev);

/**
 * vfio_register_emulated_iommu_dev - expose a software device through VFIO
 * @device: an initialized vfio_device
 *
 * The device gets an IOMMU group of its own; its DMA goes through
 * vfio_pin_pages() and vfio_dma_rw().
 *
 * Return: 0 or a negative errno.
 */
int vfio_register_emulated_iommu_dev(struct vfio_device *device)
{
	return vfio_register_dev(device,
				 vfio_group_new_fake(device->dev,
						     VFIO_EMULATED_IOMMU));
}
EXPORT_SYMBOL_GPL(vfio_register_emulated_iommu_dev);

/**
 * vfio_unregister_group_dev - withdraw a device from VFIO
 * @device: a registered device
 *
 * Waits until userspace has closed every fd of the device, asking it to
 * through the driver's request op every ten seconds.
 */
void vfio_unregister_group_dev(struct vfio_device *device)
{
	struct vfio_group *group = device->group;
	bool interrupted = false;
	unsigned int i = 0;
	long rc;

	vfio_device_put_registration(device);
	rc = try_wait_for_completion(&device->comp);
	while (rc <= 0) {
		if (device->ops->request)
			device->ops->request(device, i++);

		if (interrupted) {
			rc = wait_for_completion_timeout(&device->comp, HZ * 10);
		} else {
			rc = wait_for_completion_interruptible_timeout(&device->comp,
								       HZ * 10);
			if (rc < 0) {
				interrupted = true;
				dev_warn(device->dev,
					 "Device is currently in use, task \"%s\" (%d) blocked until device is released",
					 current->comm, task_pid_nr(current));
			}
		}
	}

	vfio_device_debugfs_exit(device);
	mutex_lock(&group->device_lock);
	list_del(&device->group_next);
	mutex_unlock(&group->device_lock);

	device_del(&device->device);
	vfio_group_remove_device(device);
}
EXPORT_SYMBOL_GPL(vfio_unregister_group_dev);

/* ---- the device fd ---- */

static int vfio_device_first_open(struct vfio_device *device)
{
	struct vfio_group *group = device->group;
	int ret = 0;

	lockdep_assert_held(&device->dev_set->lock);

	mutex_lock(&group->group_lock);
	device->kvm = group->kvm;
	if (device->ops->open_device) {
		ret = device->ops->open_device(device);
		if (ret) {
			device->kvm = NULL;
			goto out_unlock;
		}
	}
	vfio_device_container_register(device);
out_unlock:
	mutex_unlock(&group->group_lock);
	return ret;
}

static void vfio_device_last_close(struct vfio_device *device)
{
	struct vfio_group *group = device->group;

	lockdep_assert_held(&device->dev_set->lock);

	mutex_lock(&group->group_lock);
	vfio_device_container_unregister(device);
	if (device->ops->close_device)
		device->ops->close_device(device);
	device->kvm = NULL;
	mutex_unlock(&group->group_lock);
}

static int vfio_device_fops_release(struct inode *inode, struct file *filep)
{
	struct vfio_device *device = filep->private_data;

	/* close_device() runs with the closing fd still counted */
	mutex_lock(&device->dev_set->lock);
	if (device->open_count == 1)
		vfio_device_last_close(device);
	device->open_count--;
	trace_vfio_device_close(dev_name(device->dev), device->open_count, 0);
	mutex_unlock(&device->dev_set->lock);

	module_put(device->dev->driver->owner);
	vfio_group_unuse_container(device->group);
	vfio_device_put_registration(device);
	return 0;
}

static int vfio_ioctl_device_feature(struct vfio_device *device,
				     struct vfio_device_feature __user *arg)
{
	size_t minsz = offsetofend(struct vfio_device_feature, flags);
	struct vfio_device_feature feature;

	if (copy_from_user(&feature, arg, minsz))
		return -EFAULT;
	if (feature.argsz < minsz)
		return -EINVAL;

	if (feature.flags & ~(VFIO_DEVICE_FEATURE_MASK |
			      VFIO_DEVICE_FEATURE_SET |
			      VFIO_DEVICE_FEATURE_GET |
			      VFIO_DEVICE_FEATURE_PROBE))
		return -EINVAL;
	/* GET and SET together only make sense when probing */
	if (!(feature.flags & VFIO_DEVICE_FEATURE_PROBE) &&
	    (feature.flags & VFIO_DEVICE_FEATURE_SET) &&
	    (feature.flags & VFIO_DEVICE_FEATURE_GET))
		return -EINVAL;

	switch (feature.flags & VFIO_DEVICE_FEATURE_MASK) {
	case VFIO_DEVICE_FEATURE_MIGRATION:
		return vfio_ioctl_device_feature_migration(device,
					feature.flags, arg->data,
					feature.argsz - minsz);
	case VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE:
		return vfio_ioctl_device_feature_mig_device_state(device,
					feature.flags, arg->data,
					feature.argsz - minsz);
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_START:
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP:
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT:
		/* No driver of this tree provides device DMA logging. */
		return -ENOTTY;
	default:
		/* as 6.1: a driver without features supports none of them */
		if (unlikely(!device->ops->device_feature))
			return -ENOTTY;
		return device->ops->device_feature(device, feature.flags,
						   arg->data,
						   feature.argsz - minsz);
	}
}

static long vfio_device_fops_unl_ioctl(struct file *filep, unsigned int cmd,
				       unsigned long arg)
{
	struct vfio_device *device = filep->private_data;
	int ret;

	/* Any ioctl wakes a runtime-suspended device. */
	if (device->dev->driver && device->dev->driver->pm) {
		ret = pm_runtime_resume_and_get(device->dev);
		if (ret) {
			dev_info_ratelimited(device->dev,
					     "vfio: runtime resume failed %d\n",
					     ret);
			return -EIO;
		}
	}

	switch (cmd) {
	case VFIO_DEVICE_FEATURE:
		ret = vfio_ioctl_device_feature(device, (void __user *)arg);
		break;
	default:
		if (unlikely(!device->ops->ioctl))
			ret = -EINVAL;
		else
			ret = device->ops->ioctl(device, cmd, arg);
		break;
	}

	if (device->dev->driver && device->dev->driver->pm)
		pm_runtime_put(device->dev);
	return ret;
}

static ssize_t vfio_device_fops_read(struct file *filep, char __user *buf,
				     size_t count, loff_t *ppos)
{
	struct vfio_device *device = filep->private_data;

	if (unlikely(!device->ops->read))
		return -EINVAL;
	return device->ops->read(device, buf, count, ppos);
}

static ssize_t vfio_device_fops_write(struct file *filep,
				      const char __user *buf,
				      size_t count, loff_t *ppos)
{
	struct vfio_device *device = filep->private_data;

	if (unlikely(!device->ops->write))
		return -EINVAL;
	return device->ops->write(device, buf, count, ppos);
}

static int vfio_device_fops_mmap(struct file *filep, struct vm_area_struct *vma)
{
	struct vfio_device *device = filep->private_data;

	if (unlikely(!device->ops->mmap))
		return -EINVAL;
	return device->ops->mmap(device, vma);
}

static const struct file_operations vfio_device_fops = {
	.owner		= THIS_MODULE,
	.release	= vfio_device_fops_release,
	.read		= vfio_device_fops_read,
	.write		= vfio_device_fops_write,
	.unlocked_ioctl	= vfio_device_fops_unl_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= vfio_device_fops_mmap,
};

/*
 * Open a new fd on @device, whose registration reference the caller holds
 * and hands over to the file on success.
 */
struct file *vfio_device_open_file(struct vfio_device *device)
{
	struct vfio_group *group = device->group;
	struct file *filep;
	int ret;

	mutex_lock(&group->group_lock);
	ret = vfio_group_use_container(group);
	mutex_unlock(&group->group_lock);
	if (ret)
		return ERR_PTR(ret);

	if (!try_module_get(device->dev->driver->owner)) {
		ret = -ENODEV;
		goto err_unuse;
	}

	mutex_lock(&device->dev_set->lock);
	ret = vfio_device_inode_get(device);
	if (ret) {
		mutex_unlock(&device->dev_set->lock);
		goto err_module;
	}
	device->open_count++;
	if (device->open_count == 1) {
		ret = vfio_device_first_open(device);
		if (ret) {
			device->open_count--;
			trace_vfio_device_open(dev_name(device->dev),
					       device->open_count, ret);
			mutex_unlock(&device->dev_set->lock);
			goto err_module;
		}
	}
	trace_vfio_device_open(dev_name(device->dev), device->open_count, 0);
	mutex_unlock(&device->dev_set->lock);

	filep = anon_inode_getfile("[vfio-device]", &vfio_device_fops,
				   device, O_RDWR);
	if (IS_ERR(filep)) {
		ret = PTR_ERR(filep);
		goto err_close;
	}
	/* pread/pwrite at region offsets; no llseek */
	filep->f_mode |= (FMODE_PREAD | FMODE_PWRITE);
	/* mmaps of every fd of the device share one address_space */
	filep->f_mapping = device->inode->i_mapping;

	if (group->type == VFIO_NO_IOMMU)
		dev_warn(device->dev, "vfio-noiommu device opened by user (%s:%d)\n",
			 current->comm, task_pid_nr(current));
	return filep;

err_close:
	mutex_lock(&device->dev_set->lock);
	if (device->open_count == 1)
		vfio_device_last_close(device);
	device->open_count--;
	mutex_unlock(&device->dev_set->lock);
err_module:
	module_put(device->dev->driver->owner);
err_unuse:
	vfio_group_unuse_container(group);
	return ERR_PTR(ret);
}

int __init vfio_device_init(void)
{
	ida_init(&vfio_devices.index_ida);
	vfio_devices.class = class_create(THIS_MODULE, "vfio-dev");
	if (IS_ERR(vfio_devices.class))
		return PTR_ERR(vfio_devices.class);
	return 0;
}

void vfio_device_cleanup(void)
{
	class_destroy(vfio_devices.class);
	ida_destroy(&vfio_devices.index_ida);
}
