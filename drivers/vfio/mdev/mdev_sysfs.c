// SPDX-License-Identifier: GPL-2.0-only
/*
 * The mdev sysfs ABI:
 *
 *   <parent>/mdev_supported_types/<type>/{create,available_instances,
 *                                         device_api,name,description}
 *   <parent>/mdev_supported_types/<type>/devices/<uuid> -> the device
 *   /sys/bus/mdev/devices/<uuid>/{remove,mdev_type}
 */
#include <kunit/visibility.h>
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/uuid.h>

#include "mdev_private.h"

/* ---- type directories ---- */

struct mdev_type_attribute {
	struct attribute attr;
	ssize_t (*show)(struct mdev_type *mtype,
			struct mdev_type_attribute *attr, char *buf);
	ssize_t (*store)(struct mdev_type *mtype,
			 struct mdev_type_attribute *attr, const char *buf,
			 size_t count);
};

#define to_mdev_type_attr(_attr) \
	container_of(_attr, struct mdev_type_attribute, attr)
#define to_mdev_type(_kobj) container_of(_kobj, struct mdev_type, kobj)

static ssize_t mdev_type_attr_show(struct kobject *kobj,
				   struct attribute *__attr, char *buf)
{
	struct mdev_type_attribute *attr = to_mdev_type_attr(__attr);

	if (!attr->show)
		return -EIO;
	return attr->show(to_mdev_type(kobj), attr, buf);
}

static ssize_t mdev_type_attr_store(struct kobject *kobj,
				    struct attribute *__attr,
				    const char *buf, size_t count)
{
	struct mdev_type_attribute *attr = to_mdev_type_attr(__attr);

	if (!attr->store)
		return -EIO;
	return attr->store(to_mdev_type(kobj), attr, buf, count);
}

static const struct sysfs_ops mdev_type_sysfs_ops = {
	.show = mdev_type_attr_show,
	.store = mdev_type_attr_store,
};

/**
 * mdev_parse_create - the UUID written to a type's "create"
 * @buf: what was written
 * @count: its length
 * @uuid: set to the UUID
 *
 * The UUID is 36 characters, hex digits of either case in groups of
 * 8-4-4-4-12 joined by dashes. One more character may follow and is
 * ignored: the newline of echo (as upstream, any character is accepted).
 *
 * Return: 0, or -EINVAL for another length or a malformed UUID.
 */
VISIBLE_IF_KUNIT int mdev_parse_create(const char *buf, size_t count,
				       guid_t *uuid)
{
	char str[UUID_STRING_LEN + 1];

	if (count < UUID_STRING_LEN || count > UUID_STRING_LEN + 1)
		return -EINVAL;
	memcpy(str, buf, UUID_STRING_LEN);
	str[UUID_STRING_LEN] = 0;
	return guid_parse(str, uuid);
}
EXPORT_SYMBOL_IF_KUNIT(mdev_parse_create);

static ssize_t create_store(struct mdev_type *mtype,
			    struct mdev_type_attribute *attr, const char *buf,
			    size_t count)
{
	guid_t uuid;
	int ret;

	ret = mdev_parse_create(buf, count, &uuid);
	if (ret)
		return ret;

	ret = mdev_device_create(mtype, &uuid);
	return ret ? ret : count;
}

static struct mdev_type_attribute mdev_type_attr_create = __ATTR_WO(create);

static ssize_t device_api_show(struct mdev_type *mtype,
			       struct mdev_type_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", mtype->parent->mdev_driver->device_api);
}

static struct mdev_type_attribute mdev_type_attr_device_api =
	__ATTR_RO(device_api);

static ssize_t name_show(struct mdev_type *mtype,
			 struct mdev_type_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  mtype->pretty_name ? mtype->pretty_name :
					       mtype->sysfs_name);
}

static struct mdev_type_attribute mdev_type_attr_name = __ATTR_RO(name);

static ssize_t available_instances_show(struct mdev_type *mtype,
					struct mdev_type_attribute *attr,
					char *buf)
{
	struct mdev_driver *drv = mtype->parent->mdev_driver;
	unsigned int n;

	if (drv->get_available)
		n = drv->get_available(mtype);
	else
		n = atomic_read(&mtype->parent->available_instances);
	return sysfs_emit(buf, "%u\n", n);
}

static struct mdev_type_attribute mdev_type_attr_available_instances =
	__ATTR_RO(available_instances);

static ssize_t description_show(struct mdev_type *mtype,
				struct mdev_type_attribute *attr, char *buf)
{
	return mtype->parent->mdev_driver->show_description(mtype, buf);
}

static struct mdev_type_attribute mdev_type_attr_description =
	__ATTR_RO(description);

static struct attribute *mdev_types_core_attrs[] = {
	&mdev_type_attr_create.attr,
	&mdev_type_attr_device_api.attr,
	&mdev_type_attr_name.attr,
	&mdev_type_attr_available_instances.attr,
	&mdev_type_attr_description.attr,
	NULL,
};

/* "description" exists only when the driver can describe its types */
static umode_t mdev_types_core_is_visible(struct kobject *kobj,
					  struct attribute *attr, int n)
{
	if (attr == &mdev_type_attr_description.attr &&
	    !to_mdev_type(kobj)->parent->mdev_driver->show_description)
		return 0;
	return attr->mode;
}

static const struct attribute_group mdev_type_core_group = {
	.attrs = mdev_types_core_attrs,
	.is_visible = mdev_types_core_is_visible,
};

static const struct attribute_group *mdev_type_groups[] = {
	&mdev_type_core_group,
	NULL,
};

/* The type lives in the driver's memory; the kobject pins the parent. */
static void mdev_type_release(struct kobject *kobj)
{
	struct mdev_type *type = to_mdev_type(kobj);

	put_device(type->parent->dev);
}

static struct kobj_type mdev_type_ktype = {
	.sysfs_ops	= &mdev_type_sysfs_ops,
	.release	= mdev_type_release,
	.default_groups	= mdev_type_groups,
};

/**
 * mdev_type_dirname - the name of a type's directory
 * @parent: the parent offering the type
 * @type: the type, sysfs_name set
 *
 * Return: "<driver>-<sysfs_name>", where <driver> is the name of the
 * parent device's driver (dev_driver_string(): its bus or class name when
 * it has none), in a new allocation; NULL when out of memory.
 */
VISIBLE_IF_KUNIT char *mdev_type_dirname(const struct mdev_parent *parent,
					 const struct mdev_type *type)
{
	return kasprintf(GFP_KERNEL, "%s-%s", dev_driver_string(parent->dev),
			 type->sysfs_name);
}
EXPORT_SYMBOL_IF_KUNIT(mdev_type_dirname);

static int mdev_type_add(struct mdev_parent *parent, struct mdev_type *type)
{
	char *name;
	int ret;

	name = mdev_type_dirname(parent, type);
	if (!name)
		return -ENOMEM;

	type->kobj.kset = parent->mdev_types_kset;
	type->parent = parent;
	get_device(parent->dev);

	ret = kobject_init_and_add(&type->kobj, &mdev_type_ktype, NULL, "%s",
				   name);
	kfree(name);
	if (ret) {
		kobject_put(&type->kobj);
		return ret;
	}

	type->devices_kobj = kobject_create_and_add("devices", &type->kobj);
	if (!type->devices_kobj) {
		kobject_put(&type->kobj);
		return -ENOMEM;
	}
	return 0;
}

static void mdev_type_remove(struct mdev_type *type)
{
	kobject_put(type->devices_kobj);
	kobject_put(&type->kobj);
}

/**
 * parent_create_sysfs_files - create mdev_supported_types and the types
 * @parent: the parent being registered
 *
 * Return: 0 or a negative errno.
 */
int parent_create_sysfs_files(struct mdev_parent *parent)
{
	int ret, i;

	parent->mdev_types_kset = kset_create_and_add("mdev_supported_types",
						      NULL, &parent->dev->kobj);
	if (!parent->mdev_types_kset)
		return -ENOMEM;

	for (i = 0; i < parent->nr_types; i++) {
		ret = mdev_type_add(parent, parent->types[i]);
		if (ret)
			goto out_err;
	}
	return 0;

out_err:
	while (--i >= 0)
		mdev_type_remove(parent->types[i]);
	kset_unregister(parent->mdev_types_kset);
	return ret;
}

/**
 * parent_remove_sysfs_files - remove what parent_create_sysfs_files() made
 * @parent: the parent being unregistered
 */
void parent_remove_sysfs_files(struct mdev_parent *parent)
{
	int i;

	for (i = 0; i < parent->nr_types; i++)
		mdev_type_remove(parent->types[i]);
	kset_unregister(parent->mdev_types_kset);
}

/* ---- per device ---- */

/**
 * mdev_parse_remove - what was written to a device's "remove"
 * @buf: what was written, NUL terminated
 * @remove: set to whether it is a non-zero number
 *
 * The number is unsigned, in any base kstrtoul() reads with base 0
 * (decimal, 0x hex, 0 octal), with an optional trailing newline.
 *
 * Return: 0, or -EINVAL when @buf is not such a number or overflows.
 */
VISIBLE_IF_KUNIT int mdev_parse_remove(const char *buf, bool *remove)
{
	unsigned long val;

	if (kstrtoul(buf, 0, &val) < 0)
		return -EINVAL;
	*remove = val != 0;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mdev_parse_remove);

static ssize_t remove_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct mdev_device *mdev = to_mdev_device(dev);
	bool remove;
	int ret;

	ret = mdev_parse_remove(buf, &remove);
	if (ret)
		return ret;

	if (remove && device_remove_file_self(dev, attr)) {
		ret = mdev_device_remove(mdev);
		if (ret)
			return ret;
	}
	return count;
}

static DEVICE_ATTR_WO(remove);

static struct attribute *mdev_device_attrs[] = {
	&dev_attr_remove.attr,
	NULL,
};

static const struct attribute_group mdev_device_group = {
	.attrs = mdev_device_attrs,
};

const struct attribute_group *mdev_device_groups[] = {
	&mdev_device_group,
	NULL,
};

/**
 * mdev_create_sysfs_files - the links between a device and its type
 * @mdev: the new device
 *
 * Return: 0 or a negative errno.
 */
int mdev_create_sysfs_files(struct mdev_device *mdev)
{
	struct mdev_type *type = mdev->type;
	struct kobject *kobj = &mdev->dev.kobj;
	int ret;

	ret = sysfs_create_link(type->devices_kobj, kobj, dev_name(&mdev->dev));
	if (ret)
		return ret;

	ret = sysfs_create_link(kobj, &type->kobj, "mdev_type");
	if (ret) {
		sysfs_remove_link(type->devices_kobj, dev_name(&mdev->dev));
		return ret;
	}
	return 0;
}

/**
 * mdev_remove_sysfs_files - undo mdev_create_sysfs_files()
 * @mdev: the device being removed
 */
void mdev_remove_sysfs_files(struct mdev_device *mdev)
{
	struct kobject *kobj = &mdev->dev.kobj;

	sysfs_remove_link(kobj, "mdev_type");
	sysfs_remove_link(mdev->type->devices_kobj, dev_name(&mdev->dev));
}
