/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Mediated devices: software devices created through sysfs on a parent
 * device, each of a type the parent offers. Names and layouts follow the
 * Linux 6.1 API so that 6.1 vendor drivers build unchanged.
 */
#ifndef MDEV_H
#define MDEV_H

#include <linux/device.h>
#include <linux/rwsem.h>
#include <linux/uuid.h>

struct mdev_type;

/**
 * struct mdev_device - one mediated device, /sys/bus/mdev/devices/<uuid>
 * @dev: the device, child of the parent device, on the mdev bus
 * @uuid: its UUID, which is also its name
 * @next: link in the global list of mediated devices
 * @type: the type it was created from
 * @active: created and not being removed
 */
struct mdev_device {
	struct device dev;
	guid_t uuid;
	struct list_head next;
	struct mdev_type *type;
	bool active;
};

/**
 * struct mdev_type - a kind of mediated device a parent can create
 * @sysfs_name: set by the driver: the type directory is
 *	"<parent driver or class name>-<sysfs_name>"
 * @pretty_name: set by the driver: the "name" attribute, or NULL
 * @parent: set by the core
 * @kobj: internal: the type directory
 * @devices_kobj: internal: its "devices" directory
 */
struct mdev_type {
	const char *sysfs_name;
	const char *pretty_name;
	struct mdev_parent *parent;
	struct kobject kobj;
	struct kobject *devices_kobj;
};

/**
 * struct mdev_parent - a device that offers mediated device types
 * @dev: the parent device
 * @mdev_driver: the driver of its mediated devices
 * @mdev_types_kset: the "mdev_supported_types" directory
 * @unreg_sem: taken for reading by create/remove, for writing by
 *	unregistration, which makes the former fail with ENODEV
 * @types: the types offered
 * @nr_types: entries in @types
 * @available_instances: instances left, when the driver does not count
 */
struct mdev_parent {
	struct device *dev;
	struct mdev_driver *mdev_driver;
	struct kset *mdev_types_kset;
	struct rw_semaphore unreg_sem;
	struct mdev_type **types;
	unsigned int nr_types;
	atomic_t available_instances;
};

/**
 * to_mdev_device - the mdev_device of a device on the mdev bus
 * @dev: the device
 *
 * Return: the containing mdev_device.
 */
static inline struct mdev_device *to_mdev_device(struct device *dev)
{
	return container_of(dev, struct mdev_device, dev);
}

/**
 * struct mdev_driver - driver of mediated devices
 * @device_api: VFIO_DEVICE_API_*_STRING of the devices ("vfio-pci")
 * @max_instances: instances per parent when @get_available is NULL
 * @probe: a device was created: set it up (usually registers a VFIO
 *	device with vfio_register_emulated_iommu_dev())
 * @remove: the device is being removed
 * @get_available: instances of a type that can still be created
 * @show_description: text of the type's "description" attribute
 * @driver: the device driver
 */
struct mdev_driver {
	const char *device_api;
	unsigned int max_instances;
	int (*probe)(struct mdev_device *dev);
	void (*remove)(struct mdev_device *dev);
	unsigned int (*get_available)(struct mdev_type *mtype);
	ssize_t (*show_description)(struct mdev_type *mtype, char *buf);
	struct device_driver driver;
};

int mdev_register_parent(struct mdev_parent *parent, struct device *dev,
			 struct mdev_driver *mdev_driver,
			 struct mdev_type **types, unsigned int nr_types);
void mdev_unregister_parent(struct mdev_parent *parent);

int mdev_register_driver(struct mdev_driver *drv);
void mdev_unregister_driver(struct mdev_driver *drv);

/**
 * mdev_dev - the struct device of a mediated device
 * @mdev: the mediated device
 *
 * Return: &mdev->dev.
 */
static inline struct device *mdev_dev(struct mdev_device *mdev)
{
	return &mdev->dev;
}

#endif /* MDEV_H */
