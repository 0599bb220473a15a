// SPDX-License-Identifier: GPL-2.0-only
/*
 * mdev.ko: parents, mediated device creation and removal, the module.
 *
 * A parent offers types; writing a UUID to a type's "create" makes a
 * device on the mdev bus, a child of the parent, attached to the parent's
 * mdev driver at once. Parent unregistration removes every child; the
 * unreg_sem keeps creation and removal from racing with it.
 */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/uuid.h>
#include <trace/events/vfio.h>

#include "mdev_private.h"

static struct class_compat *mdev_bus_compat_class;

static LIST_HEAD(mdev_list);
static DEFINE_MUTEX(mdev_list_lock);	/* protects mdev_list and ->active */

/* Unregistration: remove every mediated child of the parent. */
static int mdev_device_remove_cb(struct device *dev, void *data)
{
	struct mdev_device *mdev;

	if (dev->bus != &mdev_bus_type)
		return 0;
	mdev = to_mdev_device(dev);

	mutex_lock(&mdev_list_lock);
	mdev->active = false;
	mutex_unlock(&mdev_list_lock);

	mdev_remove_sysfs_files(mdev);
	device_unregister(dev);
	return 0;
}

/**
 * mdev_register_parent - offer mediated device types on a device
 * @parent: the parent's state, owned by the caller
 * @dev: the parent device
 * @mdev_driver: the driver of the mediated devices
 * @types: the types, with sysfs_name (and pretty_name) set
 * @nr_types: entries in @types
 *
 * Creates <dev>/mdev_supported_types/<type>/ and the
 * /sys/class/mdev_bus/<dev> link.
 *
 * Return: 0 or a negative errno.
 */
int mdev_register_parent(struct mdev_parent *parent, struct device *dev,
			 struct mdev_driver *mdev_driver,
			 struct mdev_type **types, unsigned int nr_types)
{
	char env[] = "MDEV_STATE=registered";
	char *envp[2] = { env };
	int ret;

	memset(parent, 0, sizeof(*parent));
	init_rwsem(&parent->unreg_sem);
	parent->dev = dev;
	parent->mdev_driver = mdev_driver;
	parent->types = types;
	parent->nr_types = nr_types;
	atomic_set(&parent->available_instances, mdev_driver->max_instances);

	ret = parent_create_sysfs_files(parent);
	if (ret)
		return ret;

	ret = class_compat_create_link(mdev_bus_compat_class, dev, NULL);
	if (ret)
		dev_warn(dev, "Failed to create compatibility class link\n");

	dev_info(dev, "MDEV: Registered\n");
	kobject_uevent_env(&dev->kobj, KOBJ_CHANGE, envp);
	return 0;
}
EXPORT_SYMBOL(mdev_register_parent);

/**
 * mdev_unregister_parent - withdraw a parent and all its mediated devices
 * @parent: the parent
 *
 * Blocks while one of the devices is in use (see
 * vfio_unregister_group_dev()).
 */
void mdev_unregister_parent(struct mdev_parent *parent)
{
	char env[] = "MDEV_STATE=unregistered";
	char *envp[2] = { env };

	dev_info(parent->dev, "MDEV: Unregistering\n");

	down_write(&parent->unreg_sem);
	class_compat_remove_link(mdev_bus_compat_class, parent->dev, NULL);
	device_for_each_child(parent->dev, NULL, mdev_device_remove_cb);
	parent_remove_sysfs_files(parent);
	up_write(&parent->unreg_sem);

	kobject_uevent_env(&parent->dev->kobj, KOBJ_CHANGE, envp);
}
EXPORT_SYMBOL(mdev_unregister_parent);

static void mdev_device_release(struct device *dev)
{
	struct mdev_device *mdev = to_mdev_device(dev);
	struct mdev_parent *parent = mdev->type->parent;

	mutex_lock(&mdev_list_lock);
	list_del(&mdev->next);
	if (!parent->mdev_driver->get_available)
		atomic_inc(&parent->available_instances);
	mutex_unlock(&mdev_list_lock);

	dev_dbg(&mdev->dev, "MDEV: destroying\n");
	kobject_put(&mdev->type->kobj);
	kfree(mdev);
}

static int mdev_device_do_create(struct mdev_type *type, const guid_t *uuid)
{
	struct mdev_parent *parent = type->parent;
	struct mdev_driver *drv = parent->mdev_driver;
	struct mdev_device *mdev, *tmp;
	int ret;

	mutex_lock(&mdev_list_lock);
	list_for_each_entry(tmp, &mdev_list, next) {
		if (guid_equal(&tmp->uuid, uuid)) {
			mutex_unlock(&mdev_list_lock);
			return -EEXIST;
		}
	}
	if (!drv->get_available &&
	    !atomic_add_unless(&parent->available_instances, -1, 0)) {
		mutex_unlock(&mdev_list_lock);
		return -EUSERS;
	}

	mdev = kzalloc(sizeof(*mdev), GFP_KERNEL);
	if (!mdev) {
		if (!drv->get_available)
			atomic_inc(&parent->available_instances);
		mutex_unlock(&mdev_list_lock);
		return -ENOMEM;
	}
	guid_copy(&mdev->uuid, uuid);
	list_add(&mdev->next, &mdev_list);
	mutex_unlock(&mdev_list_lock);

	/* from here on, the release function undoes the above */
	mdev->type = type;
	kobject_get(&type->kobj);
	device_initialize(&mdev->dev);
	mdev->dev.parent = parent->dev;
	mdev->dev.bus = &mdev_bus_type;
	mdev->dev.groups = mdev_device_groups;
	mdev->dev.release = mdev_device_release;

	ret = dev_set_name(&mdev->dev, "%pUl", uuid);
	if (ret)
		goto out_put;

	if (!down_read_trylock(&parent->unreg_sem)) {
		ret = -ENODEV;
		goto out_put;
	}

	ret = device_add(&mdev->dev);
	if (ret)
		goto out_unlock;

	ret = device_driver_attach(&drv->driver, &mdev->dev);
	if (ret)
		goto out_del;

	ret = mdev_create_sysfs_files(mdev);
	if (ret)
		goto out_del;

	mutex_lock(&mdev_list_lock);
	mdev->active = true;
	mutex_unlock(&mdev_list_lock);

	dev_dbg(&mdev->dev, "MDEV: created\n");
	up_read(&parent->unreg_sem);
	return 0;

out_del:
	device_del(&mdev->dev);
out_unlock:
	up_read(&parent->unreg_sem);
out_put:
	put_device(&mdev->dev);
	return ret;
}

/**
 * mdev_device_create - create and attach a mediated device
 * @type: its type
 * @uuid: its UUID
 *
 * Return: 0, -EEXIST for a UUID in use, -EUSERS when the core's count of
 * instances is exhausted, -ENODEV while the parent goes away, or the
 * driver's probe error.
 */
int mdev_device_create(struct mdev_type *type, const guid_t *uuid)
{
	char name[UUID_STRING_LEN + 1];
	int ret = mdev_device_do_create(type, uuid);

	if (trace_vfio_mdev_create_enabled()) {
		snprintf(name, sizeof(name), "%pUl", uuid);
		trace_vfio_mdev_create(dev_name(type->parent->dev),
				       kobject_name(&type->kobj), name, ret);
	}
	return ret;
}

/**
 * mdev_device_remove - remove a mediated device (its "remove" attribute)
 * @mdev: the device
 *
 * Return: 0, -EAGAIN when it is not (or no longer) active, -ENODEV while
 * its parent goes away.
 */
int mdev_device_remove(struct mdev_device *mdev)
{
	struct mdev_parent *parent = mdev->type->parent;
	char name[UUID_STRING_LEN + 1] = "";
	int ret = 0;

	/* the device may be freed by the unregistration: its name for the trace */
	if (trace_vfio_mdev_remove_enabled())
		snprintf(name, sizeof(name), "%pUl", &mdev->uuid);
	mutex_lock(&mdev_list_lock);
	if (!mdev->active) {
		mutex_unlock(&mdev_list_lock);
		ret = -EAGAIN;
		goto out;
	}
	mdev->active = false;
	mutex_unlock(&mdev_list_lock);

	if (!down_read_trylock(&parent->unreg_sem)) {
		ret = -ENODEV;
		goto out;
	}

	mdev_remove_sysfs_files(mdev);
	device_unregister(&mdev->dev);
	up_read(&parent->unreg_sem);
out:
	trace_vfio_mdev_remove(name, ret);
	return ret;
}

static int __init mdev_init(void)
{
	int ret;

	ret = bus_register(&mdev_bus_type);
	if (ret)
		return ret;

	mdev_bus_compat_class = class_compat_register("mdev_bus");
	if (!mdev_bus_compat_class) {
		bus_unregister(&mdev_bus_type);
		return -ENOMEM;
	}
	return 0;
}

static void __exit mdev_exit(void)
{
	class_compat_unregister(mdev_bus_compat_class);
	bus_unregister(&mdev_bus_type);
}

subsys_initcall(mdev_init);
module_exit(mdev_exit);

MODULE_VERSION("0.1");
MODULE_LICENSE("GPL v2");
MODULE_AUTHOR("The vfio-kmods authors");
MODULE_DESCRIPTION("Mediated device Core Driver");
