// SPDX-License-Identifier: GPL-2.0-only
/*
 * Smoke tests of the container node: it exists with the upstream numbers,
 * answers GET_API_VERSION and refuses what it does not know.
 */
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "kselftest_harness.h"
#include "vfio_test.h"

FIXTURE(container) {
	int fd;
};

FIXTURE_SETUP(container)
{
	self->fd = open("/dev/vfio/vfio", O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/vfio/vfio: %s", strerror(errno));
}

FIXTURE_TEARDOWN(container)
{
	close(self->fd);
}

TEST(node_is_misc_196_mode_0666)
{
	struct stat st;

	ASSERT_EQ(0, stat("/dev/vfio/vfio", &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(10, major(st.st_rdev));
	EXPECT_EQ(196, minor(st.st_rdev));
	EXPECT_EQ(0666, st.st_mode & 0777);
}

TEST_F(container, api_version_is_0)
{
	EXPECT_EQ(VFIO_API_VERSION, ioctl(self->fd, VFIO_GET_API_VERSION));
	EXPECT_EQ(0, VFIO_API_VERSION);
}

TEST_F(container, unknown_extension_is_0)
{
	EXPECT_EQ(0, ioctl(self->fd, VFIO_CHECK_EXTENSION, 0));
	EXPECT_EQ(0, ioctl(self->fd, VFIO_CHECK_EXTENSION, 11));
	EXPECT_EQ(0, ioctl(self->fd, VFIO_CHECK_EXTENSION, ~0UL));
	/* SPAPR and EEH are not on x86; noiommu is off by default */
	EXPECT_EQ(0, ioctl(self->fd, VFIO_CHECK_EXTENSION, VFIO_SPAPR_TCE_IOMMU));
	EXPECT_EQ(0, ioctl(self->fd, VFIO_CHECK_EXTENSION, VFIO_EEH));
	EXPECT_EQ(0, ioctl(self->fd, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU));
}

TEST_F(container, set_iommu_without_group_is_einval)
{
	EXPECT_EQ(EINVAL, ioctl_errno_val(self->fd, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(EINVAL, ioctl_errno_val(self->fd, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU));
	EXPECT_EQ(EINVAL, ioctl_errno_val(self->fd, VFIO_SET_IOMMU, 0));
}

/* Without a backend every other ioctl is EINVAL, including IOMMU ones. */
TEST_F(container, ioctls_without_backend_are_einval)
{
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	struct vfio_iommu_type1_info info = { .argsz = sizeof(info) };
	unsigned long cmds[] = {
		VFIO_IOMMU_GET_INFO, VFIO_IOMMU_MAP_DMA, VFIO_IOMMU_UNMAP_DMA,
		VFIO_IOMMU_DIRTY_PAGES, VFIO_GROUP_GET_STATUS,
		VFIO_DEVICE_GET_INFO, _IO(VFIO_TYPE, VFIO_BASE + 60),
		_IO('x', 1),
	};
	unsigned int i, bad = 0;

	EXPECT_EQ(EINVAL, ioctl_errno(self->fd, VFIO_IOMMU_MAP_DMA, &map));
	EXPECT_EQ(EINVAL, ioctl_errno(self->fd, VFIO_IOMMU_GET_INFO, &info));
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		int err = ioctl_errno(self->fd, cmds[i], NULL);

		if (err != EINVAL) {
			TH_LOG("cmd %#lx: errno %d, want EINVAL", cmds[i], err);
			bad++;
		}
	}
	EXPECT_EQ(0, bad);
}

TEST(containers_are_independent)
{
	int a = open("/dev/vfio/vfio", O_RDWR);
	int b = open("/dev/vfio/vfio", O_RDWR);

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	EXPECT_EQ(0, ioctl(a, VFIO_GET_API_VERSION));
	EXPECT_EQ(0, ioctl(b, VFIO_GET_API_VERSION));
	close(a);
	EXPECT_EQ(0, ioctl(b, VFIO_GET_API_VERSION));
	close(b);
}

TEST_HARNESS_MAIN
