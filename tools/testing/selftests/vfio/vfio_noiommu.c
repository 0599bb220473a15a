// SPDX-License-Identifier: GPL-2.0-only
/*
 * noiommu mode, in a guest booted without an IOMMU (run-guest --no-iommu):
 * vfio-pci refuses a device without an IOMMU group until
 * vfio.enable_unsafe_noiommu_mode=1, which then fakes a group
 * /dev/vfio/noiommu-N, taints the kernel, needs CAP_SYS_RAWIO and offers
 * only the noiommu "IOMMU" (no DMA mapping).
 */
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "vfio_test.h"

#define PARAM "/sys/module/vfio/parameters/enable_unsafe_noiommu_mode"

TEST(noiommu_mode)
{
	char bdf[32], path[64], tainted[32];
	static char log[1 << 20];
	struct vfio_group_status st = { .argsz = sizeof(st) };
	struct stat node, opened;
	struct vfio_pci d;
	int gid, status;
	uint32_t id = 0;
	pid_t pid;

	PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, bdf, sizeof(bdf));
	ASSERT_GT(0, pci_iommu_group(bdf)) TH_LOG("this guest must run without an IOMMU");

	/* without the mode, no group: vfio-pci does not bind */
	ASSERT_EQ(0, sysfs_write(PARAM, "0"));
	EXPECT_NE(0, pci_bind(bdf, "vfio-pci"));

	ASSERT_EQ(0, sysfs_write(PARAM, "1"));
	ASSERT_EQ(0, pci_unbind(bdf));
	ASSERT_EQ(0, pci_bind(bdf, "vfio-pci"));
	gid = pci_iommu_group(bdf);
	ASSERT_LE(0, gid);
	snprintf(path, sizeof(path), "/dev/vfio/noiommu-%d", gid);
	EXPECT_EQ(0, access(path, F_OK));

	/* the kernel is tainted (TAINT_USER) and says why */
	ASSERT_EQ(0, sysfs_read("/proc/sys/kernel/tainted", tainted, sizeof(tainted)));
	EXPECT_TRUE(strtoul(tainted, NULL, 10) & (1 << 6));
	ASSERT_LT(0, klogctl(3, log, sizeof(log) - 1));
	EXPECT_NE(NULL, strstr(log, "Adding kernel taint for vfio-noiommu group on device"));

	/* without CAP_SYS_RAWIO the group does not open */
	ASSERT_EQ(0, chown(path, 1000, 1000));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (setgid(1000) || setuid(1000))
			_exit(2);
		_exit(open(path, O_RDWR) < 0 && errno == EPERM ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	/* the opener finds the fake group and opens its noiommu-N node */
	ASSERT_EQ(0, vfio_dev_open(&d, bdf, 0));
	EXPECT_EQ(gid, d.group_id);
	ASSERT_EQ(0, stat(path, &node));
	ASSERT_EQ(0, fstat(d.group, &opened));
	EXPECT_EQ(node.st_rdev, opened.st_rdev);
	ASSERT_EQ(0, ioctl(d.group, VFIO_GROUP_GET_STATUS, &st));
	EXPECT_EQ(VFIO_GROUP_FLAGS_VIABLE | VFIO_GROUP_FLAGS_CONTAINER_SET, st.flags);
	EXPECT_EQ(1, ioctl(d.container, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU));
	/* a noiommu container only takes the noiommu backend */
	EXPECT_EQ(0, ioctl(d.container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(ENODEV, ioctl_errno_val(d.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, ioctl(d.container, VFIO_SET_IOMMU, VFIO_NOIOMMU_IOMMU));
	/* nothing to map without an IOMMU */
	EXPECT_EQ(ENOTTY, ioctl_errno(d.container, VFIO_IOMMU_MAP_DMA, NULL));
	EXPECT_EQ(ENOTTY, ioctl_errno(d.container, VFIO_IOMMU_GET_INFO, NULL));

	ASSERT_EQ(0, vfio_dev_get(&d));
	EXPECT_EQ(4, pread(d.device, &id, 4, vfio_region_offset(d.device, 0)));
	EXPECT_EQ(EDU_ID_VALUE, id);
	ASSERT_LT(0, klogctl(3, log, sizeof(log) - 1));
	EXPECT_NE(NULL, strstr(log, "vfio-noiommu device opened by user"));

	vfio_pci_close(&d);
	EXPECT_EQ(0, chown(path, 0, 0));
	EXPECT_EQ(0, pci_unbind(bdf));
	EXPECT_NE(0, access(path, F_OK));	/* the fake group went with it */
	EXPECT_EQ(0, sysfs_write(PARAM, "0"));
}

TEST_HARNESS_MAIN
