// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio.ko: the VFIO core. Containers (container.c), groups (group.c),
 * devices (device.c), noiommu mode (noiommu.c) and the helpers bus drivers
 * share (uapi_helpers.c, migration.c).
 */
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/vfio.h>

#include "vfio.h"

static int __init vfio_init(void)
{
	int ret;

	ret = vfio_fs_init();
	if (ret)
		return ret;

	ret = vfio_group_init();
	if (ret)
		goto err_fs;

	ret = vfio_device_init();
	if (ret)
		goto err_group;

	ret = vfio_container_init();
	if (ret)
		goto err_device;

	vfio_debugfs_init();

	pr_info("VFIO - User Level meta-driver version: 0.3\n");
	return 0;

err_device:
	vfio_device_cleanup();
err_group:
	vfio_group_cleanup();
err_fs:
	vfio_fs_exit();
	return ret;
}

static void __exit vfio_exit(void)
{
	vfio_debugfs_exit();
	vfio_container_cleanup();
	vfio_device_cleanup();
	vfio_group_cleanup();
	vfio_fs_exit();
}

module_init(vfio_init);
module_exit(vfio_exit);

MODULE_VERSION("0.3");
MODULE_LICENSE("GPL v2");
MODULE_AUTHOR("The vfio-kmods authors");
MODULE_DESCRIPTION("VFIO - User Level meta-driver");
MODULE_ALIAS_MISCDEV(VFIO_MINOR);
MODULE_ALIAS("devname:vfio/vfio");
MODULE_SOFTDEP("post: vfio_iommu_type1 vfio_iommu_spapr_tce");
