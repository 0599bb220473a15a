// SPDX-License-Identifier: GPL-2.0-only
/*
 * noiommu mode, in a guest booted without an IOMMU (run-guest --no-iommu):
 * vfio-pci refuses a device without an IOMMU group until
 * vfio.enable_unsafe_noiommu_mode=1, which then fakes a group
 * /dev/vfio/noiommu-N, taints the kernel, needs CAP_SYS_RAWIO and offers
 * only the noiommu "IOMMU" (no DMA mapping).
 */
#include <sys/klog.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "vfio_test.h"

#define PARAM "/sys/module/vfio/parameters/enable_unsafe_noiommu_mode"

static int noiommu_group(const char *bdf)
{
	char path[256], target[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = 0;
	return atoi(strrchr(target, '/') + 1);
}

TEST(noiommu_mode)
{
	char bdf[32], path[64], tainted[32];
	static char log[1 << 20];
	struct vfio_group_status st = { .argsz = sizeof(st) };
	int c, g, dev, gid, status;
	uint32_t id = 0;
	pid_t pid;

	PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, bdf, sizeof(bdf));
	ASSERT_GT(0, noiommu_group(bdf)) TH_LOG("this guest must run without an IOMMU");

	/* without the mode, no group: vfio-pci does not bind */
	ASSERT_EQ(0, sysfs_write(PARAM, "0"));
	EXPECT_NE(0, pci_bind(bdf, "vfio-pci"));

	ASSERT_EQ(0, sysfs_write(PARAM, "1"));
	ASSERT_EQ(0, pci_unbind(bdf));
	ASSERT_EQ(0, pci_bind(bdf, "vfio-pci"));
	gid = noiommu_group(bdf);
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

	c = open("/dev/vfio/vfio", O_RDWR);
	g = open(path, O_RDWR);
	ASSERT_LE(0, c);
	ASSERT_LE(0, g);
	ASSERT_EQ(0, ioctl(g, VFIO_GROUP_GET_STATUS, &st));
	EXPECT_EQ(VFIO_GROUP_FLAGS_VIABLE, st.flags);
	EXPECT_EQ(1, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU));
	ASSERT_EQ(0, ioctl(g, VFIO_GROUP_SET_CONTAINER, &c));
	/* a noiommu container only takes the noiommu backend */
	EXPECT_EQ(0, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(ENODEV, ioctl_errno_val(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, ioctl(c, VFIO_SET_IOMMU, VFIO_NOIOMMU_IOMMU));
	/* nothing to map without an IOMMU */
	EXPECT_EQ(ENOTTY, ioctl_errno(c, VFIO_IOMMU_MAP_DMA, NULL));
	EXPECT_EQ(ENOTTY, ioctl_errno(c, VFIO_IOMMU_GET_INFO, NULL));

	dev = ioctl(g, VFIO_GROUP_GET_DEVICE_FD, bdf);
	ASSERT_LE(0, dev);
	EXPECT_EQ(4, pread(dev, &id, 4, vfio_region_offset(dev, 0)));
	EXPECT_EQ(EDU_ID_VALUE, id);
	ASSERT_LT(0, klogctl(3, log, sizeof(log) - 1));
	EXPECT_NE(NULL, strstr(log, "vfio-noiommu device opened by user"));

	close(dev);
	close(g);
	close(c);
	EXPECT_EQ(0, chown(path, 0, 0));
	EXPECT_EQ(0, pci_unbind(bdf));
	EXPECT_NE(0, access(path, F_OK));	/* the fake group went with it */
	EXPECT_EQ(0, sysfs_write(PARAM, "0"));
}

TEST_HARNESS_MAIN
