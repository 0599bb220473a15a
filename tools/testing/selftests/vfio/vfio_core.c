// SPDX-License-Identifier: GPL-2.0-only
/*
 * The container / group / device object model (reference §1.2, §2):
 * nodes and sysfs, single-open groups, viability through the DMA
 * ownership claim, SET/UNSET_CONTAINER and GET_DEVICE_FD rules, unknown
 * ioctls per fd type, and teardown in every close order.
 */
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "kselftest_harness.h"
#include "vfio_test.h"

static char edu_bdf[32];

static void need_edu(struct __test_metadata *_metadata)
{
	if (!edu_bdf[0]) {
		PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, edu_bdf, sizeof(edu_bdf));
		ASSERT_EQ(0, pci_bind(edu_bdf, "vfio-pci"));
	}
}

static int open_group(const char *bdf)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/vfio/%d", pci_iommu_group(bdf));
	return open(path, O_RDWR);
}

FIXTURE(group) {
	int container;
	int group;
};

FIXTURE_SETUP(group)
{
	need_edu(_metadata);
	self->container = open("/dev/vfio/vfio", O_RDWR);
	ASSERT_LE(0, self->container);
	self->group = open_group(edu_bdf);
	ASSERT_LE(0, self->group) TH_LOG("open group: %s", strerror(errno));
}

FIXTURE_TEARDOWN(group)
{
	close(self->group);
	close(self->container);
}

TEST(group_node_and_sysfs)
{
	char path[128];
	struct stat st;
	int gid;

	need_edu(_metadata);
	gid = pci_iommu_group(edu_bdf);
	ASSERT_LE(0, gid);

	snprintf(path, sizeof(path), "/dev/vfio/%d", gid);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 0777);

	snprintf(path, sizeof(path), "/sys/class/vfio/%d", gid);
	EXPECT_EQ(0, access(path, F_OK));

	/* the device's vfio-dev class device sits under the PCI device */
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vfio-dev", edu_bdf);
	EXPECT_EQ(0, access(path, F_OK));
}

TEST_F(group, single_open)
{
	int again = open_group(edu_bdf);

	EXPECT_EQ(-1, again);
	EXPECT_EQ(EBUSY, errno);
}

TEST_F(group, status)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };

	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_GET_STATUS, &st));
	EXPECT_EQ(VFIO_GROUP_FLAGS_VIABLE, st.flags);

	st.argsz = 7;
	EXPECT_EQ(EINVAL, ioctl_errno(self->group, VFIO_GROUP_GET_STATUS, &st));
	EXPECT_EQ(EFAULT, ioctl_errno(self->group, VFIO_GROUP_GET_STATUS, NULL));

	st.argsz = sizeof(st);
	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_SET_CONTAINER, &self->container));
	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_GET_STATUS, &st));
	EXPECT_EQ(VFIO_GROUP_FLAGS_VIABLE | VFIO_GROUP_FLAGS_CONTAINER_SET, st.flags);
}

TEST_F(group, extensions_before_and_after_set_iommu)
{
	int c = self->container;

	/* a fresh container answers before any group (QEMU relies on it) */
	EXPECT_EQ(1, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(1, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU));
	EXPECT_EQ(1, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_TYPE1_NESTING_IOMMU));
	EXPECT_EQ(1, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_UNMAP_ALL));
	EXPECT_EQ(0, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_UPDATE_VADDR));
	EXPECT_EQ(0, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_DMA_CC_IOMMU));

	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_SET_CONTAINER, &c));
	/* no backend takes these */
	EXPECT_EQ(ENODEV, ioctl_errno_val(c, VFIO_SET_IOMMU, 0));
	EXPECT_EQ(ENODEV, ioctl_errno_val(c, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_IOMMU));
	EXPECT_EQ(ENODEV, ioctl_errno_val(c, VFIO_SET_IOMMU, 99));
	EXPECT_EQ(ENODEV, ioctl_errno_val(c, VFIO_SET_IOMMU, VFIO_NOIOMMU_IOMMU));

	ASSERT_EQ(0, ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(EINVAL, ioctl_errno_val(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(1, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_UPDATE_VADDR));
	EXPECT_EQ(1, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU));
	/* QEMU's intel-iommu has no snoop control: DMA is not forced coherent */
	EXPECT_EQ(0, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_DMA_CC_IOMMU));
	EXPECT_EQ(0, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_SPAPR_TCE_IOMMU));
	/* after SET_IOMMU, unknown container ioctls belong to type1 */
	EXPECT_EQ(ENOTTY, ioctl_errno(c, _IO(VFIO_TYPE, VFIO_BASE + 60), NULL));
	EXPECT_EQ(ENOTTY, ioctl_errno(c, VFIO_IOMMU_ENABLE, NULL));
	EXPECT_EQ(ENOTTY, ioctl_errno(c, VFIO_EEH_PE_OP, NULL));
}

TEST_F(group, set_container_errors)
{
	int null = open("/dev/null", O_RDWR);
	int bad = -1;

	EXPECT_EQ(EBADF, ioctl_errno(self->group, VFIO_GROUP_SET_CONTAINER, &bad));
	EXPECT_EQ(EFAULT, ioctl_errno(self->group, VFIO_GROUP_SET_CONTAINER, NULL));
	/* any fd that is not a container */
	EXPECT_EQ(EINVAL, ioctl_errno(self->group, VFIO_GROUP_SET_CONTAINER, &null));
	EXPECT_EQ(EINVAL, ioctl_errno(self->group, VFIO_GROUP_SET_CONTAINER, &self->group));

	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_SET_CONTAINER, &self->container));
	/* a group is in one container at most */
	EXPECT_EQ(EINVAL, ioctl_errno(self->group, VFIO_GROUP_SET_CONTAINER, &self->container));
	close(null);
}

TEST_F(group, get_device_fd_rules)
{
	char longname[8192], link[64], target[64] = { 0 };
	int dev, dev2;

	/* no container, then no IOMMU model: EINVAL */
	EXPECT_EQ(EINVAL, ioctl_errno(self->group, VFIO_GROUP_GET_DEVICE_FD, edu_bdf));
	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_SET_CONTAINER, &self->container));
	EXPECT_EQ(EINVAL, ioctl_errno(self->group, VFIO_GROUP_GET_DEVICE_FD, edu_bdf));
	ASSERT_EQ(0, ioctl(self->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));

	EXPECT_EQ(ENODEV, ioctl_errno(self->group, VFIO_GROUP_GET_DEVICE_FD, "0000:ff:1f.7"));
	EXPECT_EQ(ENODEV, ioctl_errno(self->group, VFIO_GROUP_GET_DEVICE_FD, ""));
	EXPECT_EQ(EFAULT, ioctl_errno(self->group, VFIO_GROUP_GET_DEVICE_FD, NULL));
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	EXPECT_EQ(EINVAL, ioctl_errno(self->group, VFIO_GROUP_GET_DEVICE_FD, longname));
	/* a longer name is another device; options are checked */
	snprintf(longname, sizeof(longname), "%s0", edu_bdf);
	EXPECT_EQ(ENODEV, ioctl_errno(self->group, VFIO_GROUP_GET_DEVICE_FD, longname));
	snprintf(longname, sizeof(longname), "%s bogus=1", edu_bdf);
	EXPECT_EQ(EINVAL, ioctl_errno(self->group, VFIO_GROUP_GET_DEVICE_FD, longname));
	/* a VF token on a device that is neither PF nor VF */
	snprintf(longname, sizeof(longname),
		 "%s vf_token=2ab74924-c335-45f4-9b16-8569e5b08258", edu_bdf);
	EXPECT_EQ(EINVAL, ioctl_errno(self->group, VFIO_GROUP_GET_DEVICE_FD, longname));

	dev = ioctl(self->group, VFIO_GROUP_GET_DEVICE_FD, edu_bdf);
	ASSERT_LE(0, dev);
	EXPECT_EQ(FD_CLOEXEC, fcntl(dev, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_RDWR, fcntl(dev, F_GETFL) & O_ACCMODE);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", dev);
	ASSERT_LT(0, readlink(link, target, sizeof(target) - 1));
	EXPECT_STREQ("anon_inode:[vfio-device]", target);
	/* more fds on the same device are fine */
	dev2 = ioctl(self->group, VFIO_GROUP_GET_DEVICE_FD, edu_bdf);
	EXPECT_LE(0, dev2);
	/* a device fd is not seekable */
	EXPECT_EQ(-1, lseek(dev, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	close(dev2);
	close(dev);
}

TEST_F(group, unset_container)
{
	int dev;

	EXPECT_EQ(EINVAL, ioctl_errno(self->group, VFIO_GROUP_UNSET_CONTAINER, NULL));
	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_SET_CONTAINER, &self->container));
	ASSERT_EQ(0, ioctl(self->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	dev = ioctl(self->group, VFIO_GROUP_GET_DEVICE_FD, edu_bdf);
	ASSERT_LE(0, dev);
	/* open devices pin the container */
	EXPECT_EQ(EBUSY, ioctl_errno(self->group, VFIO_GROUP_UNSET_CONTAINER, NULL));
	close(dev);
	EXPECT_EQ(0, ioctl(self->group, VFIO_GROUP_UNSET_CONTAINER, NULL));
	EXPECT_EQ(EINVAL, ioctl_errno(self->group, VFIO_GROUP_UNSET_CONTAINER, NULL));
	/* the last group left: the container is back to its first state */
	EXPECT_EQ(EINVAL, ioctl_errno(self->container, VFIO_IOMMU_GET_INFO, NULL));
	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_SET_CONTAINER, &self->container));
	EXPECT_EQ(0, ioctl(self->container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU));
}

TEST_F(group, unknown_ioctls)
{
	int dev;

	EXPECT_EQ(ENOTTY, ioctl_errno(self->group, _IO(VFIO_TYPE, VFIO_BASE + 60), NULL));
	EXPECT_EQ(ENOTTY, ioctl_errno(self->group, VFIO_GET_API_VERSION, NULL));
	EXPECT_EQ(ENOTTY, ioctl_errno(self->group, VFIO_DEVICE_GET_INFO, NULL));
	ASSERT_EQ(0, ioctl(self->group, VFIO_GROUP_SET_CONTAINER, &self->container));
	ASSERT_EQ(0, ioctl(self->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	dev = ioctl(self->group, VFIO_GROUP_GET_DEVICE_FD, edu_bdf);
	ASSERT_LE(0, dev);
	EXPECT_EQ(ENOTTY, ioctl_errno(dev, _IO(VFIO_TYPE, VFIO_BASE + 60), NULL));
	EXPECT_EQ(ENOTTY, ioctl_errno(dev, VFIO_GROUP_GET_STATUS, NULL));
	EXPECT_EQ(ENOTTY, ioctl_errno(dev, VFIO_DEVICE_QUERY_GFX_PLANE, NULL));
	EXPECT_EQ(ENOTTY, ioctl_errno(dev, _IO('x', 1), NULL));
	close(dev);
}

/* Every order of closing the three fds frees everything. */
TEST(close_orders)
{
	static const int orders[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
		{ 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};
	struct vfio_pci last;
	int o, round;

	need_edu(_metadata);
	for (round = 0; round < 2; round++) {
		for (o = 0; o < 6; o++) {
			struct vfio_pci d;
			int fds[3];

			static char page[4096] __attribute__((aligned(4096)));

			ASSERT_EQ(0, vfio_dev_open(&d, edu_bdf, VFIO_TYPE1v2_IOMMU));
			/* leave a mapping behind for the teardown to clean */
			ASSERT_EQ(0, vfio_map(d.container, page, 0x100000, 4096,
					      VFIO_DMA_MAP_FLAG_READ));
			fds[0] = d.container;
			fds[1] = d.group;
			fds[2] = d.device;
			close(fds[orders[o][0]]);
			close(fds[orders[o][1]]);
			close(fds[orders[o][2]]);
		}
	}
	/* nothing is left: the group opens and attaches again */
	ASSERT_EQ(0, vfio_dev_open(&last, edu_bdf, VFIO_TYPE1v2_IOMMU));
	vfio_pci_close(&last);
}

/* A device fd alone keeps its group and container alive. */
TEST(device_fd_outlives_group_and_container)
{
	struct vfio_pci d;
	uint32_t id;

	need_edu(_metadata);
	ASSERT_EQ(0, vfio_dev_open(&d, edu_bdf, VFIO_TYPE1v2_IOMMU));
	close(d.group);
	close(d.container);
	d.group = d.container = -1;
	id = vfio_read32(&d, 0, EDU_ID);
	EXPECT_EQ(EDU_ID_VALUE, id);
	/* the group is still owned through the device fd */
	EXPECT_EQ(-1, open_group(edu_bdf));
	EXPECT_EQ(EBUSY, errno);
	vfio_pci_close(&d);
	ASSERT_EQ(0, vfio_dev_open(&d, edu_bdf, VFIO_TYPE1v2_IOMMU));
	vfio_pci_close(&d);
}

/*
 * Viability: the edu at 00:03.0 shares its IOMMU group (a multifunction
 * slot without ACS) with a virtio-rng driven by virtio-pci, a kernel
 * driver doing DMA: the group is not viable until it lets go.
 */
TEST(non_viable_group)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	char edu[32], rng[32], drv[64];
	int container, group;

	PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, true, edu, sizeof(edu));
	snprintf(rng, sizeof(rng), "%.*s1", (int)strlen(edu) - 1, edu);
	ASSERT_EQ(pci_iommu_group(edu), pci_iommu_group(rng))
		TH_LOG("%s and %s must share a group", edu, rng);
	ASSERT_EQ(0, pci_bind(rng, "virtio-pci"));
	ASSERT_EQ(0, pci_bind(edu, "vfio-pci"));

	container = open("/dev/vfio/vfio", O_RDWR);
	group = open_group(edu);
	ASSERT_LE(0, group);
	ASSERT_EQ(0, ioctl(group, VFIO_GROUP_GET_STATUS, &st));
	EXPECT_EQ(0, st.flags & VFIO_GROUP_FLAGS_VIABLE);
	EXPECT_EQ(EPERM, ioctl_errno(group, VFIO_GROUP_SET_CONTAINER, &container));

	/* release the sibling: the group becomes viable */
	ASSERT_EQ(0, pci_unbind(rng));
	ASSERT_EQ(0, ioctl(group, VFIO_GROUP_GET_STATUS, &st));
	EXPECT_EQ(VFIO_GROUP_FLAGS_VIABLE, st.flags);
	ASSERT_EQ(0, ioctl(group, VFIO_GROUP_SET_CONTAINER, &container));

	/* while the group is owned by a user, no DMA driver may bind */
	EXPECT_NE(0, sysfs_write("/sys/bus/pci/drivers/virtio-pci/bind", rng));
	EXPECT_NE(0, pci_driver_of(rng, drv, sizeof(drv)));

	close(group);
	close(container);
	/* released: the kernel driver binds again */
	EXPECT_EQ(0, sysfs_write("/sys/bus/pci/drivers/virtio-pci/bind", rng));
	EXPECT_EQ(0, pci_driver_of(rng, drv, sizeof(drv)));
	EXPECT_STREQ("virtio-pci", drv);
}

TEST(noiommu_extension_follows_parameter)
{
	const char *param = "/sys/module/vfio/parameters/enable_unsafe_noiommu_mode";
	int c = open("/dev/vfio/vfio", O_RDWR);

	ASSERT_LE(0, c);
	EXPECT_EQ(0, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU));
	ASSERT_EQ(0, sysfs_write(param, "1"));
	EXPECT_EQ(1, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU));
	ASSERT_EQ(0, sysfs_write(param, "0"));
	EXPECT_EQ(0, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU));
	close(c);
}

TEST_HARNESS_MAIN
