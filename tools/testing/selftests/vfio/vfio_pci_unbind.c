// SPDX-License-Identifier: GPL-2.0-only
/*
 * Taking a device away from its user: unbinding vfio-pci or removing the
 * device while a process holds it. The REQ eventfd asks the user to let
 * go; unbind completes once it does; nothing crashes.
 */
#include <pthread.h>
#include <sys/eventfd.h>

#include "kselftest_harness.h"
#include "vfio_test.h"

struct async_write {
	const char *path;
	const char *val;
	int ret;
	volatile int done;
};

static void *writer(void *arg)
{
	struct async_write *w = arg;

	w->ret = sysfs_write(w->path, w->val);
	w->done = 1;
	return NULL;
}

TEST(unbind_while_open_fires_req)
{
	struct async_write w = { .path = "/sys/bus/pci/drivers/vfio-pci/unbind" };
	struct vfio_pci d;
	pthread_t t;
	char bdf[32], drv[64];
	int efd = eventfd(0, EFD_CLOEXEC);

	PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, bdf, sizeof(bdf));
	ASSERT_EQ(0, pci_bind(bdf, "vfio-pci"));
	ASSERT_EQ(0, vfio_dev_open(&d, bdf, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, vfio_irq_set_eventfds(d.device, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &efd));

	w.val = bdf;
	ASSERT_EQ(0, pthread_create(&t, NULL, writer, &w));
	/* the kernel asks us to release the device... */
	EXPECT_LE(1, eventfd_wait(efd, 5000));
	usleep(200000);
	/* ...and the unbind waits for us; the device still works */
	EXPECT_EQ(0, w.done);
	EXPECT_EQ(EDU_ID_VALUE, vfio_read32(&d, 0, EDU_ID));

	vfio_pci_close(&d);
	pthread_join(t, NULL);
	EXPECT_EQ(0, w.ret);
	EXPECT_NE(0, pci_driver_of(bdf, drv, sizeof(drv)));
	/* the group is gone with its only device */
	{
		char path[64];

		snprintf(path, sizeof(path), "/dev/vfio/%d", d.group_id);
		EXPECT_NE(0, access(path, F_OK));
	}
	EXPECT_EQ(0, pci_bind(bdf, "vfio-pci"));
	close(efd);
}

/* Hot removal of an open device: blocks until closed, then it is gone. */
TEST(remove_while_open)
{
	struct async_write w = { .val = "1" };
	char bdf[32], path[128], again[32];
	struct vfio_pci d;
	pthread_t t;

	PCI_FIND_OR_SKIP(E1000E_VENDOR, E1000E_DEVICE, 0, true, bdf, sizeof(bdf));
	ASSERT_EQ(0, pci_bind(bdf, "vfio-pci"));
	ASSERT_EQ(0, vfio_dev_open(&d, bdf, VFIO_TYPE1v2_IOMMU));

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove", bdf);
	w.path = path;
	ASSERT_EQ(0, pthread_create(&t, NULL, writer, &w));
	usleep(500000);
	EXPECT_EQ(0, w.done);	/* no REQ channel: it waits for us */
	vfio_pci_close(&d);
	pthread_join(t, NULL);
	EXPECT_EQ(0, w.ret);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", bdf);
	EXPECT_NE(0, access(path, F_OK));

	/* bring it back */
	ASSERT_EQ(0, sysfs_write("/sys/bus/pci/rescan", "1"));
	PCI_FIND_OR_SKIP(E1000E_VENDOR, E1000E_DEVICE, 0, true, again, sizeof(again));
	EXPECT_STREQ(bdf, again);
	EXPECT_EQ(0, pci_bind(again, "vfio-pci"));
}

TEST_HARNESS_MAIN
