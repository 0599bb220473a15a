// SPDX-License-Identifier: GPL-2.0-only
/*
 * noiommu mode: VFIO for devices that have no IOMMU. Userspace gets full,
 * untranslated DMA, so everything here demands CAP_SYS_RAWIO and taints the
 * kernel. Unlike Debian's stock vfio.ko the mode is always built; it stays
 * off until vfio.enable_unsafe_noiommu_mode=1.
 */
#include <linux/capability.h>
#include <linux/module.h>
#include <linux/vfio.h>

#include "vfio.h"

bool vfio_noiommu __read_mostly;
module_param_named(enable_unsafe_noiommu_mode, vfio_noiommu, bool, 0644);
MODULE_PARM_DESC(enable_unsafe_noiommu_mode,
		 "Enable UNSAFE, no-IOMMU mode.  This mode provides no device isolation, no DMA translation, no host kernel protection, cannot be used for device assignment to virtual machines, requires RAWIO permissions, and will taint the kernel.  If you do not know what this is for, step away. (default: false)");

static void *vfio_noiommu_open(unsigned long arg)
{
	if (arg != VFIO_NOIOMMU_IOMMU)
		return ERR_PTR(-EINVAL);
	if (!capable(CAP_SYS_RAWIO))
		return ERR_PTR(-EPERM);
	return NULL;
}

static void vfio_noiommu_release(void *iommu_data)
{
}

/* Only CHECK_EXTENSION: there is nothing to map without an IOMMU. */
static long vfio_noiommu_ioctl(void *iommu_data, unsigned int cmd,
			       unsigned long arg)
{
	if (cmd == VFIO_CHECK_EXTENSION)
		return vfio_noiommu && arg == VFIO_NOIOMMU_IOMMU ? 1 : 0;
	return -ENOTTY;
}

static int vfio_noiommu_attach_group(void *iommu_data,
				     struct iommu_group *iommu_group,
				     enum vfio_group_type type)
{
	return 0;
}

static void vfio_noiommu_detach_group(void *iommu_data,
				      struct iommu_group *iommu_group)
{
}

const struct vfio_iommu_driver_ops vfio_noiommu_ops = {
	.name		= "vfio-noiommu",
	.owner		= THIS_MODULE,
	.open		= vfio_noiommu_open,
	.release	= vfio_noiommu_release,
	.ioctl		= vfio_noiommu_ioctl,
	.attach_group	= vfio_noiommu_attach_group,
	.detach_group	= vfio_noiommu_detach_group,
};

int vfio_noiommu_register(void)
{
	return vfio_register_iommu_driver(&vfio_noiommu_ops);
}

void vfio_noiommu_unregister(void)
{
	vfio_unregister_iommu_driver(&vfio_noiommu_ops);
}
