// SPDX-License-Identifier: GPL-2.0-only
/*
 * SR-IOV through vfio-pci (nvme PF): sriov_numvfs only with enable_sriov,
 * VFs captured for vfio-pci, and the VF token rules between PF and VFs.
 */
#include "kselftest_harness.h"
#include "vfio_test.h"

#define NVME_VENDOR	0x1b36
#define NVME_DEVICE	0x0010
#define PARAM		"/sys/module/vfio_pci/parameters/enable_sriov"
#define TOKEN		"2ab74924-c335-45f4-9b16-8569e5b08258"
#define TOKEN2		"dd7f4e2d-8d0a-4e19-9d8f-4f8c7b4c8a1e"

static int sriov_numvfs(const char *pf, int n)
{
	char path[128], val[16];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/sriov_numvfs", pf);
	snprintf(val, sizeof(val), "%d", n);
	return sysfs_write(path, val);
}

static int vf_bdf(const char *pf, int n, char *bdf, size_t len)
{
	char path[128], target[128];
	ssize_t r;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/virtfn%d", pf, n);
	r = readlink(path, target, sizeof(target) - 1);
	if (r < 0)
		return -errno;
	target[r] = 0;
	snprintf(bdf, len, "%s", strrchr(target, '/') + 1);
	return 0;
}

static uint32_t cfg32(const char *bdf, unsigned int off)
{
	char path[128];
	uint32_t v = ~0U;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDONLY);
	if (fd >= 0 && pread(fd, &v, 4, off) != 4)
		v = ~0U;
	close(fd);
	return v;
}

/*
 * QEMU 7.2's nvme drops its VFs (and NumVFs) on a PF function reset but
 * leaves VF Enable set, so the kernel's state restore (which skips an
 * enabled SR-IOV) does not bring them back, and every open of the PF
 * resets it. Rewrite NumVFs and toggle VF Enable behind the kernel's back
 * so that QEMU recreates them. Hardware clears VF Enable on FLR and
 * needs none of this.
 */
static int revive_vfs(const char *pf, const char *vf)
{
	unsigned int pos = 0x100, i;
	char path[128];
	uint16_t ctrl;
	int fd, ret = -ENODEV;

	for (i = 0; i < 48 && pos >= 0x100; i++) {
		uint32_t hdr = cfg32(pf, pos);

		if ((hdr & 0xffff) == 0x10)
			break;
		pos = hdr >> 20;
	}
	if (i == 48 || pos < 0x100)
		return -ENODEV;
	if (cfg32(vf, 8) != ~0U)
		return 0;	/* alive */

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", pf);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return -errno;
	if (pread(fd, &ctrl, 2, pos + 8) == 2) {
		uint16_t numvfs = 2;

		ctrl &= ~1;
		if (pwrite(fd, &ctrl, 2, pos + 8) == 2 &&
		    pwrite(fd, &numvfs, 2, pos + 0x10) == 2) {
			ctrl |= 1;
			if (pwrite(fd, &ctrl, 2, pos + 8) == 2)
				ret = 0;
		}
	}
	close(fd);
	usleep(100000);
	return ret ? ret : (cfg32(vf, 8) == ~0U ? -EIO : 0);
}

static int open_named(struct vfio_pci *d, const char *bdf, const char *name)
{
	int ret = vfio_dev_open(d, bdf, 0);	/* group + container only */

	if (ret)
		return ret;
	if (ioctl(d->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		goto fail;
	d->device = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, name);
	if (d->device < 0)
		goto fail;
	return 0;

fail:
	ret = -errno;
	vfio_pci_close(d);	/* closes what is open, -1 stays -1 */
	return ret;
}

static int set_token(int device, const char *uuid_str)
{
	struct {
		struct vfio_device_feature f;
		uint8_t uuid[16];
	} arg = { .f = { .argsz = sizeof(arg),
			 .flags = VFIO_DEVICE_FEATURE_SET |
				  VFIO_DEVICE_FEATURE_PCI_VF_TOKEN } };
	unsigned int i, j = 0;

	for (i = 0; uuid_str[i] && j < 16; i++) {
		if (uuid_str[i] == '-')
			continue;
		sscanf(&uuid_str[i], "%2hhx", &arg.uuid[j++]);
		i++;
	}
	return ioctl(device, VFIO_DEVICE_FEATURE, &arg) ? errno : 0;
}

TEST(sriov_and_vf_token)
{
	struct vfio_pci pf, vf;
	char pfbdf[32], vfbdf[32], name[128], drv[64];
	struct vfio_device_feature probe = {
		.argsz = sizeof(probe),
		.flags = VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_SET |
			 VFIO_DEVICE_FEATURE_PCI_VF_TOKEN,
	};

	PCI_FIND_OR_SKIP(NVME_VENDOR, NVME_DEVICE, 0, false, pfbdf, sizeof(pfbdf));
	ASSERT_EQ(0, pci_bind(pfbdf, "vfio-pci"));

	/* not without the module parameter */
	ASSERT_EQ(0, sysfs_write(PARAM, "N"));
	EXPECT_EQ(-ENOENT, sriov_numvfs(pfbdf, 2));
	ASSERT_EQ(0, sysfs_write(PARAM, "Y"));
	ASSERT_EQ(0, sriov_numvfs(pfbdf, 2));

	/* VFs are captured for vfio-pci */
	ASSERT_EQ(0, vf_bdf(pfbdf, 0, vfbdf, sizeof(vfbdf)));
	ASSERT_EQ(0, pci_driver_of(vfbdf, drv, sizeof(drv))) TH_LOG("VF %s unbound", vfbdf);
	EXPECT_STREQ("vfio-pci", drv);
	snprintf(name, sizeof(name), "/sys/bus/pci/devices/%s/driver_override", vfbdf);
	EXPECT_EQ(0, sysfs_read(name, drv, sizeof(drv)));
	EXPECT_STREQ("vfio-pci", drv);

	/* the PF sets the token (feature 0, SET only); it outlives the fd */
	ASSERT_EQ(0, open_named(&pf, pfbdf, pfbdf));

	EXPECT_EQ(0, ioctl(pf.device, VFIO_DEVICE_FEATURE, &probe));
	probe.flags = VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_GET |
		      VFIO_DEVICE_FEATURE_PCI_VF_TOKEN;
	EXPECT_EQ(EINVAL, ioctl_errno(pf.device, VFIO_DEVICE_FEATURE, &probe));
	EXPECT_EQ(0, set_token(pf.device, TOKEN));
	/*
	 * Closing the PF resets it, which (in QEMU as on hardware) tears
	 * the VFs down until the restored SR-IOV state brings them back:
	 * open VFs only with the PF closed.
	 */
	vfio_pci_close(&pf);
	ASSERT_EQ(0, revive_vfs(pfbdf, vfbdf));

	/* a VF needs the token, the right one, given once */
	EXPECT_EQ(-EACCES, open_named(&vf, vfbdf, vfbdf));
	vfio_pci_close(&vf);
	snprintf(name, sizeof(name), "%s vf_token=" TOKEN2, vfbdf);
	EXPECT_EQ(-EACCES, open_named(&vf, vfbdf, name));
	vfio_pci_close(&vf);
	snprintf(name, sizeof(name), "%s vf_token=not-a-uuid-at-all-but-long-enough", vfbdf);
	EXPECT_EQ(-EINVAL, open_named(&vf, vfbdf, name));
	vfio_pci_close(&vf);
	snprintf(name, sizeof(name), "%s vf_token=" TOKEN " vf_token=" TOKEN, vfbdf);
	EXPECT_EQ(-EINVAL, open_named(&vf, vfbdf, name));
	vfio_pci_close(&vf);
	snprintf(name, sizeof(name), "%s vf_token=" TOKEN, vfbdf);
	ASSERT_EQ(0, open_named(&vf, vfbdf, name));
	/* a VF device fd has no token feature */
	EXPECT_EQ(ENOTTY, set_token(vf.device, TOKEN));

	/* with a VF in use, the PF's user must know the token too */
	ASSERT_EQ(0, vfio_dev_open(&pf, pfbdf, 0));
	ASSERT_EQ(0, ioctl(pf.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(EACCES, ioctl_errno(pf.group, VFIO_GROUP_GET_DEVICE_FD, pfbdf));
	snprintf(name, sizeof(name), "%s vf_token=" TOKEN2, pfbdf);
	EXPECT_EQ(EACCES, ioctl_errno(pf.group, VFIO_GROUP_GET_DEVICE_FD, name));
	vfio_pci_close(&vf);

	/* with no VF in use, a token given to the PF becomes the new token */
	snprintf(name, sizeof(name), "%s vf_token=" TOKEN2, pfbdf);
	pf.device = ioctl(pf.group, VFIO_GROUP_GET_DEVICE_FD, name);
	ASSERT_LE(0, pf.device);
	vfio_pci_close(&pf);
	ASSERT_EQ(0, revive_vfs(pfbdf, vfbdf));
	snprintf(name, sizeof(name), "%s vf_token=" TOKEN, vfbdf);
	EXPECT_EQ(-EACCES, open_named(&vf, vfbdf, name));
	vfio_pci_close(&vf);
	snprintf(name, sizeof(name), "%s vf_token=" TOKEN2, vfbdf);
	EXPECT_EQ(0, open_named(&vf, vfbdf, name));
	vfio_pci_close(&vf);

	EXPECT_EQ(0, sriov_numvfs(pfbdf, 0));
	EXPECT_EQ(-ENOENT, vf_bdf(pfbdf, 0, vfbdf, sizeof(vfbdf)));
	ASSERT_EQ(0, sysfs_write(PARAM, "N"));
}

TEST_HARNESS_MAIN
