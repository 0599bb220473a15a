// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio: one inode per device (made on its first open), on a small internal
 * filesystem.
 *
 * Every fd of a device points its f_mapping at that inode's address_space,
 * so the VMAs of every mmap of the device, in every process (forks
 * included), hang off one i_mmap tree. A driver revokes them all with
 * unmap_mapping_range() on vfio_device.inode and needs no list of VMAs.
 */
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>

#include "vfio.h"

#define VFIO_FS_MAGIC	0x5646494f	/* "VFIO" */

/*
 * Mounted once, for the life of the module. simple_pin_fs() per device
 * would mount and unmount it each time the only device comes and goes
 * (an mdev created and removed), which cost more than the rest of VFIO's
 * share of that. No .owner: the mount must not hold a reference on the
 * module that unmounts it at exit; every inode is gone by then (each
 * driver on vfio holds the module while it has devices).
 */
static struct vfsmount *vfio_fs_mnt;

static int vfio_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, VFIO_FS_MAGIC) ? 0 : -ENOMEM;
}

static struct file_system_type vfio_fs_type = {
	.name = "vfio",
	.init_fs_context = vfio_fs_init_fs_context,
	.kill_sb = kill_anon_super,
};

int __init vfio_fs_init(void)
{
	vfio_fs_mnt = kern_mount(&vfio_fs_type);
	return PTR_ERR_OR_ZERO(vfio_fs_mnt);
}

void vfio_fs_exit(void)
{
	kern_unmount(vfio_fs_mnt);
}

/**
 * vfio_device_inode_get - the device's inode, made on the first open
 * @device: the device being opened, its dev_set lock held
 *
 * A device that is never opened (an mdev created and removed, a function
 * bound and unbound) never needs one, so it is not made at registration.
 * Until it exists no fd of the device exists either, and a revocation
 * that finds none has nothing to revoke.
 *
 * Return: 0 or a negative errno.
 */
int vfio_device_inode_get(struct vfio_device *device)
{
	struct inode *inode;

	lockdep_assert_held(&device->dev_set->lock);

	if (device->inode)
		return 0;
	inode = alloc_anon_inode(vfio_fs_mnt->mnt_sb);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	WRITE_ONCE(device->inode, inode);
	return 0;
}

/**
 * vfio_device_unmap_mapping_range - revoke a device's mmaps of a range
 * @device: the device
 * @start: first byte, as an offset in the device fd
 * @len: bytes
 *
 * Every mmap of [@start, @start + @len) of the device, in every process,
 * faults on its next access. Before the device's first open it has no
 * inode, and no fd or mmap either: nothing to do.
 */
void vfio_device_unmap_mapping_range(struct vfio_device *device,
				     loff_t start, loff_t len)
{
	struct inode *inode = READ_ONCE(device->inode);

	if (inode)
		unmap_mapping_range(inode->i_mapping, start, len, true);
}
EXPORT_SYMBOL_GPL(vfio_device_unmap_mapping_range);

/**
 * vfio_device_inode_free - drop a device's inode, if it has one
 * @device: the device being released; no file of it is left
 */
void vfio_device_inode_free(struct vfio_device *device)
{
	iput(device->inode);
	device->inode = NULL;
}
