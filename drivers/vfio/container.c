// SPDX-License-Identifier: GPL-2.0-only
/*
 * The container: /dev/vfio/vfio. Each open creates one; groups attach to it
 * and share one IOMMU context, chosen with VFIO_SET_IOMMU among the
 * registered backends.
 *
 * Lifetime: the container fd holds one reference and each attached group
 * another, so the fds can be closed in any order. The backend is released
 * when the last group leaves.
 */
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/iommu.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/ratelimit.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "vfio.h"

/**
 * struct vfio_container - state of one open of /dev/vfio/vfio
 * @kref: the fd's reference plus one per attached group
 * @group_list: attached groups
 * @group_lock: protects @group_list, @iommu_driver, @iommu_data, @noiommu
 * @iommu_driver: the backend chosen by SET_IOMMU, or NULL
 * @iommu_data: the backend's state
 * @noiommu: the attached groups are noiommu groups
 */
struct vfio_container {
	struct kref			kref;
	struct list_head		group_list;
	struct rw_semaphore		group_lock;
	struct vfio_iommu_driver	*iommu_driver;
	void				*iommu_data;
	bool				noiommu;
};

static LIST_HEAD(vfio_iommu_drivers);
static DEFINE_MUTEX(vfio_iommu_drivers_lock);

static const struct file_operations vfio_container_fops;

/**
 * vfio_register_iommu_driver - make an IOMMU backend available
 * @ops: the backend; its @name must be unique
 *
 * Return: 0, -EINVAL when @ops is already registered, or -ENOMEM.
 */
int vfio_register_iommu_driver(const struct vfio_iommu_driver_ops *ops)
{
	struct vfio_iommu_driver *driver, *tmp;

	if (WARN_ON(!ops->register_device != !ops->unregister_device))
		return -EINVAL;

	driver = kzalloc(sizeof(*driver), GFP_KERNEL);
	if (!driver)
		return -ENOMEM;
	driver->ops = ops;

	mutex_lock(&vfio_iommu_drivers_lock);
	list_for_each_entry(tmp, &vfio_iommu_drivers, vfio_next) {
		if (tmp->ops == ops) {
			mutex_unlock(&vfio_iommu_drivers_lock);
			kfree(driver);
			return -EINVAL;
		}
	}
	list_add(&driver->vfio_next, &vfio_iommu_drivers);
	mutex_unlock(&vfio_iommu_drivers_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(vfio_register_iommu_driver);

/**
 * vfio_unregister_iommu_driver - withdraw an IOMMU backend
 * @ops: the backend passed to vfio_register_iommu_driver()
 *
 * Containers using the backend hold a reference on its module, so none
 * can be using it when its module exits.
 */
void vfio_unregister_iommu_driver(const struct vfio_iommu_driver_ops *ops)
{
	struct vfio_iommu_driver *driver;

	mutex_lock(&vfio_iommu_drivers_lock);
	list_for_each_entry(driver, &vfio_iommu_drivers, vfio_next) {
		if (driver->ops == ops) {
			list_del(&driver->vfio_next);
			kfree(driver);
			break;
		}
	}
	mutex_unlock(&vfio_iommu_drivers_lock);
}
EXPORT_SYMBOL_GPL(vfio_unregister_iommu_driver);

/* noiommu containers take only the noiommu backend, others never it. */
static bool vfio_backend_allowed(struct vfio_container *container,
				 const struct vfio_iommu_driver *driver)
{
	return container->noiommu ==
	       (IS_ENABLED(CONFIG_VFIO_NOIOMMU) &&
		driver->ops == &vfio_noiommu_ops);
}

static long vfio_backend_check(const struct vfio_iommu_driver *driver,
			       void *data, unsigned long arg)
{
	return driver->ops->ioctl(data, VFIO_CHECK_EXTENSION, arg);
}

static long vfio_container_check_extension(struct vfio_container *container,
					   unsigned long arg)
{
	struct vfio_iommu_driver *driver;
	long ret = 0;

	down_read(&container->group_lock);
	driver = container->iommu_driver;
	if (driver) {
		ret = vfio_backend_check(driver, container->iommu_data, arg);
		goto out;
	}

	/*
	 * No backend yet: any registered backend that would be allowed may
	 * answer. Until a group is attached the noiommu/IOMMU kind of the
	 * container is unknown, so every backend is asked.
	 */
	mutex_lock(&vfio_iommu_drivers_lock);
	list_for_each_entry(driver, &vfio_iommu_drivers, vfio_next) {
		if (!list_empty(&container->group_list) &&
		    !vfio_backend_allowed(container, driver))
			continue;
		if (!try_module_get(driver->ops->owner))
			continue;
		ret = vfio_backend_check(driver, NULL, arg);
		module_put(driver->ops->owner);
		if (ret > 0)
			break;
	}
	mutex_unlock(&vfio_iommu_drivers_lock);
out:
	up_read(&container->group_lock);
	return ret;
}

static int vfio_backend_attach_all(struct vfio_container *container,
				   struct vfio_iommu_driver *driver, void *data)
{
	struct vfio_group *group;
	int ret = -ENODEV;

	list_for_each_entry(group, &container->group_list, container_next) {
		ret = driver->ops->attach_group(data, group->iommu_group,
						group->type);
		if (ret)
			goto unwind;
	}
	return ret;

unwind:
	list_for_each_entry_continue_reverse(group, &container->group_list,
					     container_next)
		driver->ops->detach_group(data, group->iommu_group);
	return ret;
}

static long vfio_container_set_iommu(struct vfio_container *container,
				     unsigned long arg)
{
	struct vfio_iommu_driver *driver;
	long ret = -ENODEV;

	down_write(&container->group_lock);

	/* The right to pick an IOMMU model comes from holding a group. */
	if (list_empty(&container->group_list) || container->iommu_driver) {
		up_write(&container->group_lock);
		return -EINVAL;
	}
	if (container->noiommu && !capable(CAP_SYS_RAWIO)) {
		up_write(&container->group_lock);
		return -EPERM;
	}

	mutex_lock(&vfio_iommu_drivers_lock);
	list_for_each_entry(driver, &vfio_iommu_drivers, vfio_next) {
		void *data;

		if (!vfio_backend_allowed(container, driver))
			continue;
		if (!try_module_get(driver->ops->owner))
			continue;
		if (vfio_backend_check(driver, NULL, arg) <= 0) {
			module_put(driver->ops->owner);
			continue;
		}

		data = driver->ops->open(arg);
		if (IS_ERR(data)) {
			ret = PTR_ERR(data);
			module_put(driver->ops->owner);
			continue;
		}

		ret = vfio_backend_attach_all(container, driver, data);
		if (ret) {
			driver->ops->release(data);
			module_put(driver->ops->owner);
			continue;
		}

		/* The module reference is kept while the backend is in use. */
		container->iommu_driver = driver;
		container->iommu_data = data;
		break;
	}
	mutex_unlock(&vfio_iommu_drivers_lock);
	up_write(&container->group_lock);
	return ret;
}

static long vfio_container_ioctl(struct file *filep, unsigned int cmd,
				 unsigned long arg)
{
	struct vfio_container *container = filep->private_data;
	struct vfio_iommu_driver *driver;
	long ret;

	switch (cmd) {
	case VFIO_GET_API_VERSION:
		return VFIO_API_VERSION;
	case VFIO_CHECK_EXTENSION:
		return vfio_container_check_extension(container, arg);
	case VFIO_SET_IOMMU:
		return vfio_container_set_iommu(container, arg);
	}

	/* Everything else belongs to the backend, once there is one. */
	down_read(&container->group_lock);
	driver = container->iommu_driver;
	if (driver && driver->ops->ioctl)
		ret = driver->ops->ioctl(container->iommu_data, cmd, arg);
	else
		ret = -EINVAL;
	up_read(&container->group_lock);
	return ret;
}

static int vfio_container_open(struct inode *inode, struct file *filep)
{
	struct vfio_container *container;

	container = kzalloc(sizeof(*container), GFP_KERNEL);
	if (!container)
		return -ENOMEM;

	INIT_LIST_HEAD(&container->group_list);
	init_rwsem(&container->group_lock);
	kref_init(&container->kref);
	filep->private_data = container;
	return 0;
}

static void vfio_container_free(struct kref *kref)
{
	struct vfio_container *container =
		container_of(kref, struct vfio_container, kref);

	kfree(container);
}

static int vfio_container_release(struct inode *inode, struct file *filep)
{
	struct vfio_container *container = filep->private_data;
	struct vfio_iommu_driver *driver;

	down_write(&container->group_lock);
	driver = container->iommu_driver;
	if (driver && driver->ops->notify)
		driver->ops->notify(container->iommu_data,
				    VFIO_IOMMU_CONTAINER_CLOSE);
	up_write(&container->group_lock);

	kref_put(&container->kref, vfio_container_free);
	return 0;
}

static const struct file_operations vfio_container_fops = {
	.owner		= THIS_MODULE,
	.open		= vfio_container_open,
	.release	= vfio_container_release,
	.unlocked_ioctl	= vfio_container_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

/**
 * vfio_container_from_file - the container behind a /dev/vfio/vfio file
 * @file: any file
 *
 * Return: the container, or NULL when @file is not a container fd.
 */
struct vfio_container *vfio_container_from_file(struct file *file)
{
	if (file->f_op != &vfio_container_fops)
		return NULL;
	return file->private_data;
}

struct vfio_holder {
	struct vfio_group *group;
	struct device *dev;
};

/* A device of the group bound to a driver that is not one of ours */
static int vfio_find_holder(struct device *dev, void *data)
{
	struct vfio_holder *h = data;
	struct vfio_device *device;

	if (!READ_ONCE(dev->driver))
		return 0;
	list_for_each_entry(device, &h->group->device_list, group_next)
		if (device->dev == dev)
			return 0;
	h->dev = dev;
	return 1;
}

/*
 * Say, rate limited, why @group cannot be used: a device in its IOMMU
 * group is driven by a kernel driver doing DMA.
 */
static void vfio_warn_not_viable(struct vfio_group *group)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	struct vfio_holder h = { .group = group };

	if (!__ratelimit(&rs))
		return;
	mutex_lock(&group->device_lock);
	iommu_group_for_each_dev(group->iommu_group, &h, vfio_find_holder);
	if (h.dev)
		pr_warn("vfio: %s[%d] group %d: VFIO_GROUP_SET_CONTAINER: the group is not viable: %s is bound to a kernel driver: unbind it or bind it to vfio-pci (or pci-stub)\n",
			current->comm, task_tgid_nr(current),
			iommu_group_id(group->iommu_group), dev_name(h.dev));
	else
		pr_warn("vfio: %s[%d] group %d: VFIO_GROUP_SET_CONTAINER: the group is not viable: a device of the group is in use by a kernel driver: unbind it\n",
			current->comm, task_tgid_nr(current),
			iommu_group_id(group->iommu_group));
	mutex_unlock(&group->device_lock);
}

/*
 * Attach @group (group_lock held, not in a container yet) to @container.
 * A real IOMMU group is claimed for user DMA first; that fails while a
 * kernel driver that uses the DMA API is bound to any of its devices.
 */
int vfio_container_attach_group(struct vfio_container *container,
				struct vfio_group *group)
{
	struct vfio_iommu_driver *driver;
	bool noiommu = group->type == VFIO_NO_IOMMU;
	int ret = 0;

	lockdep_assert_held(&group->group_lock);

	if (noiommu && !capable(CAP_SYS_RAWIO))
		return -EPERM;

	down_write(&container->group_lock);

	if (!list_empty(&container->group_list) &&
	    container->noiommu != noiommu) {
		ret = -EPERM;
		goto out_unlock;
	}

	if (group->type == VFIO_IOMMU) {
		ret = iommu_group_claim_dma_owner(group->iommu_group, group);
		if (ret == -EPERM)
			vfio_warn_not_viable(group);
		if (ret)
			goto out_unlock;
	}

	driver = container->iommu_driver;
	if (driver) {
		ret = driver->ops->attach_group(container->iommu_data,
						group->iommu_group,
						group->type);
		if (ret) {
			if (group->type == VFIO_IOMMU)
				iommu_group_release_dma_owner(group->iommu_group);
			goto out_unlock;
		}
	}

	group->container = container;
	group->container_users = 1;
	container->noiommu = noiommu;
	list_add(&group->container_next, &container->group_list);
	kref_get(&container->kref);

out_unlock:
	up_write(&container->group_lock);
	return ret;
}

/*
 * Detach @group (group_lock held) from its container. The last group out
 * takes the backend with it: every mapping is gone afterwards.
 */
void vfio_group_detach_container(struct vfio_group *group)
{
	struct vfio_container *container = group->container;
	struct vfio_iommu_driver *driver;

	lockdep_assert_held(&group->group_lock);

	down_write(&container->group_lock);

	driver = container->iommu_driver;
	if (driver)
		driver->ops->detach_group(container->iommu_data,
					  group->iommu_group);

	if (group->type == VFIO_IOMMU)
		iommu_group_release_dma_owner(group->iommu_group);

	group->container = NULL;
	group->container_users = 0;
	list_del(&group->container_next);

	if (driver && list_empty(&container->group_list)) {
		driver->ops->release(container->iommu_data);
		module_put(driver->ops->owner);
		container->iommu_driver = NULL;
		container->iommu_data = NULL;
	}

	up_write(&container->group_lock);

	kref_put(&container->kref, vfio_container_free);
}

/* True when SET_IOMMU has chosen a backend for @container. */
bool vfio_container_has_iommu(struct vfio_container *container)
{
	bool ret;

	down_read(&container->group_lock);
	ret = container->iommu_driver;
	up_read(&container->group_lock);
	return ret;
}

/* True when the container's IOMMU enforces cache coherent DMA. */
bool vfio_container_enforced_coherent(struct vfio_container *container)
{
	return vfio_container_check_extension(container, VFIO_DMA_CC_IOMMU) > 0;
}

/*
 * Tell the backend about a device whose first fd was opened (and, below,
 * whose last fd was closed); type1 keeps the devices that can be asked to
 * drop pinned pages. Called with the group's group_lock held, so the
 * container cannot change underneath.
 */
void vfio_device_container_register(struct vfio_device *device)
{
	struct vfio_container *container = device->group->container;
	struct vfio_iommu_driver *driver = container->iommu_driver;

	if (driver && driver->ops->register_device)
		driver->ops->register_device(container->iommu_data, device);
}

void vfio_device_container_unregister(struct vfio_device *device)
{
	struct vfio_container *container = device->group->container;
	struct vfio_iommu_driver *driver = container->iommu_driver;

	if (driver && driver->ops->unregister_device)
		driver->ops->unregister_device(container->iommu_data, device);
}

/*
 * The group's container cannot change while one of its devices is open,
 * which is what the callers below are required to guarantee.
 */
static struct vfio_iommu_driver *
vfio_device_backend(struct vfio_device *device, void **data)
{
	struct vfio_container *container = device->group->container;

	*data = container->iommu_data;
	return container->iommu_driver;
}

static bool vfio_device_is_open(struct vfio_device *device)
{
	return !WARN_ON_ONCE(!READ_ONCE(device->open_count));
}

/**
 * vfio_pin_pages - pin user pages behind an IOVA range for a device
 * @device: an open device of an emulated IOMMU group
 * @iova: start of the range, page aligned
 * @npage: number of pages, at most VFIO_PIN_PAGES_MAX_ENTRIES
 * @prot: IOMMU_READ and/or IOMMU_WRITE
 * @pages: receives the pinned pages
 *
 * The device's driver must implement dma_unmap and unpin what it pinned
 * when asked to.
 *
 * Return: the number of pages pinned, or a negative errno.
 */
int vfio_pin_pages(struct vfio_device *device, dma_addr_t iova,
		   int npage, int prot, struct page **pages)
{
	struct vfio_iommu_driver *driver;
	void *data;

	if (!pages || npage <= 0 || !vfio_device_is_open(device))
		return -EINVAL;
	if (npage > VFIO_PIN_PAGES_MAX_ENTRIES)
		return -E2BIG;

	driver = vfio_device_backend(device, &data);
	if (!driver || !driver->ops->pin_pages)
		return -ENOTTY;
	return driver->ops->pin_pages(data, device->group->iommu_group, iova,
				      npage, prot, pages);
}
EXPORT_SYMBOL(vfio_pin_pages);

/**
 * vfio_unpin_pages - release pages pinned by vfio_pin_pages()
 * @device: the device that pinned them
 * @iova: start of the range
 * @npage: number of pages
 */
void vfio_unpin_pages(struct vfio_device *device, dma_addr_t iova, int npage)
{
	struct vfio_iommu_driver *driver;
	void *data;

	if (npage <= 0 || npage > VFIO_PIN_PAGES_MAX_ENTRIES ||
	    !vfio_device_is_open(device))
		return;

	driver = vfio_device_backend(device, &data);
	if (driver && driver->ops->unpin_pages)
		driver->ops->unpin_pages(data, iova, npage);
}
EXPORT_SYMBOL(vfio_unpin_pages);

/**
 * vfio_dma_rw - read or write guest memory through an IOVA
 * @device: an open device
 * @iova: IO virtual address
 * @data: kernel buffer
 * @len: bytes to copy
 * @write: true to copy @data to the IOVA, false to fill @data from it
 *
 * Return: 0, or a negative errno.
 */
int vfio_dma_rw(struct vfio_device *device, dma_addr_t iova, void *data,
		size_t len, bool write)
{
	struct vfio_iommu_driver *driver;
	void *iommu_data;

	if (!data || !len || !vfio_device_is_open(device))
		return -EINVAL;

	driver = vfio_device_backend(device, &iommu_data);
	if (!driver || !driver->ops->dma_rw)
		return -ENOTTY;
	return driver->ops->dma_rw(iommu_data, iova, data, len, write);
}
EXPORT_SYMBOL(vfio_dma_rw);

static struct miscdevice vfio_misc = {
	.minor		= VFIO_MINOR,
	.name		= "vfio",
	.fops		= &vfio_container_fops,
	.nodename	= "vfio/vfio",
	.mode		= 0666,
};

int __init vfio_container_init(void)
{
	int ret;

	ret = misc_register(&vfio_misc);
	if (ret)
		return ret;

	ret = vfio_noiommu_register();
	if (ret) {
		misc_deregister(&vfio_misc);
		return ret;
	}
	return 0;
}

void vfio_container_cleanup(void)
{
	vfio_noiommu_unregister();
	misc_deregister(&vfio_misc);
}
