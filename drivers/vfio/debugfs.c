// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio.ko's debugfs: /sys/kernel/debug/vfio/, with a directory per
 * registered device (named as the device) holding its open count and,
 * for devices that migrate, migration/state (the file of upstream 6.10,
 * one state name a line). Bus drivers add their own files to the
 * device's directory (vfio_device.debug_root); the IOMMU backends add
 * theirs under the root. A device's directory goes away, with whatever
 * was added to it, when the device is unregistered; debugfs waits for
 * readers inside a file before it returns.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/vfio.h>

#include "vfio.h"

static struct dentry *vfio_debugfs_root;

static int vfio_open_count_show(struct seq_file *s, void *unused)
{
	struct vfio_device *device = s->private;

	mutex_lock(&device->dev_set->lock);
	seq_printf(s, "%u\n", device->open_count);
	mutex_unlock(&device->dev_set->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfio_open_count);

static const char * const vfio_mig_state_names[] = {
	[VFIO_DEVICE_STATE_ERROR] = "ERROR",
	[VFIO_DEVICE_STATE_STOP] = "STOP",
	[VFIO_DEVICE_STATE_RUNNING] = "RUNNING",
	[VFIO_DEVICE_STATE_STOP_COPY] = "STOP_COPY",
	[VFIO_DEVICE_STATE_RESUMING] = "RESUMING",
	[VFIO_DEVICE_STATE_RUNNING_P2P] = "RUNNING_P2P",
};

static int vfio_mig_state_show(struct seq_file *s, void *unused)
{
	struct vfio_device *device = s->private;
	enum vfio_device_mig_state state;
	int ret;

	ret = device->mig_ops->migration_get_state(device, &state);
	if (ret)
		return ret;
	if (state < ARRAY_SIZE(vfio_mig_state_names))
		seq_printf(s, "%s\n", vfio_mig_state_names[state]);
	else
		seq_puts(s, "Invalid\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfio_mig_state);

/**
 * vfio_device_debugfs_init - create a registered device's directory
 * @device: the device
 *
 * Without debugfs the directory is an error pointer, which every debugfs
 * call accepts and ignores.
 */
void vfio_device_debugfs_init(struct vfio_device *device)
{
	struct dentry *mig;

	device->debug_root = debugfs_create_dir(dev_name(device->dev),
						vfio_debugfs_root);
	debugfs_create_file("open_count", 0400, device->debug_root, device,
			    &vfio_open_count_fops);
	if (!device->mig_ops)
		return;
	mig = debugfs_create_dir("migration", device->debug_root);
	debugfs_create_file("state", 0400, mig, device, &vfio_mig_state_fops);
}

/**
 * vfio_device_debugfs_exit - remove a device's directory and its files
 * @device: the device, whose users are all gone
 */
void vfio_device_debugfs_exit(struct vfio_device *device)
{
	debugfs_remove_recursive(device->debug_root);
	device->debug_root = NULL;
}

void __init vfio_debugfs_init(void)
{
	vfio_debugfs_root = debugfs_create_dir("vfio", NULL);
}

void vfio_debugfs_exit(void)
{
	debugfs_remove_recursive(vfio_debugfs_root);
	vfio_debugfs_root = NULL;
}
