/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mdev.ko: interfaces between its source files.
 */
#ifndef MDEV_PRIVATE_H
#define MDEV_PRIVATE_H

#include <linux/mdev.h>

extern struct bus_type mdev_bus_type;
extern const struct attribute_group *mdev_device_groups[];

int parent_create_sysfs_files(struct mdev_parent *parent);
void parent_remove_sysfs_files(struct mdev_parent *parent);
int mdev_create_sysfs_files(struct mdev_device *mdev);
void mdev_remove_sysfs_files(struct mdev_device *mdev);

int mdev_device_create(struct mdev_type *type, const guid_t *uuid);
int mdev_device_remove(struct mdev_device *mdev);

#if IS_ENABLED(CONFIG_KUNIT)
int mdev_parse_create(const char *buf, size_t count, guid_t *uuid);
int mdev_parse_remove(const char *buf, bool *remove);
char *mdev_type_dirname(const struct mdev_parent *parent,
			const struct mdev_type *type);
#endif

#endif /* MDEV_PRIVATE_H */
