// SPDX-License-Identifier: GPL-2.0-only
/*
 * What every device gets from VFIO, written once over the driver ops of
 * vfio_test_drivers.h and run for each test device (a fixture variant per
 * device, PCI function or mdev; a machine without one skips its variant):
 * its MSI (or MSI-X) vector reaches the eventfd set for it, and the
 * eventfd put in its place takes over; a DMA engine's copy through the
 * IOMMU lands exactly where mapped, byte for byte, and nothing past it.
 */
#include <sys/eventfd.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "vfio_test_drivers.h"

#define IOVA	0x1000000ULL	/* 16 MiB: below the edu's 28-bit DMA mask */
#define SIZE	(4 * 4096)

struct dev {
	const struct vfio_test_driver *drv;
	struct vfio_pci d;
	char name[64];		/* a BDF or an mdev UUID */
	uint8_t *mem;
};

/* opened, ready, SIZE bytes mapped at IOVA; on failure, closed again */
static int dev_start(struct dev *dev, const char **step)
{
	int ret;

	*step = "open";
	ret = vfio_dev_open(&dev->d, dev->name, VFIO_TYPE1v2_IOMMU);
	if (ret)
		return ret;
	*step = "init";
	ret = dev->drv->init(&dev->d);
	if (!ret) {
		*step = "map";
		ret = vfio_map(dev->d.container, dev->mem, IOVA, SIZE,
			       VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE);
	}
	if (ret)
		vfio_pci_close(&dev->d);
	return ret;
}

/*
 * Probed (bound to vfio-pci, or an mdev created), opened and ready; a
 * machine without the device skips. A failed setup gets no teardown from
 * the harness, so what probe created goes here before the test fails.
 */
static void dev_open(struct __test_metadata *_metadata, struct dev *dev,
		     const struct vfio_test_driver *drv)
{
	const char *step;
	int ret;

	dev->drv = drv;
	dev->mem = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, dev->mem);
	ret = drv->probe(drv, dev->name, sizeof(dev->name));
	if (ret == -ENODEV)
		SKIP(longjmp(_metadata->env, 1), "no %s on this machine", drv->name);
	ASSERT_EQ(0, ret) TH_LOG("%s probe: %s", drv->name, strerror(-ret));
	ret = dev_start(dev, &step);
	if (ret)
		drv->release(drv, dev->name);
	ASSERT_EQ(0, ret) TH_LOG("%s %s: %s: %s", drv->name, dev->name, step,
				 strerror(-ret));
}

static void dev_close(struct dev *dev)
{
	dev->drv->remove(&dev->d);
	vfio_pci_close(&dev->d);
	dev->drv->release(dev->drv, dev->name);
	munmap(dev->mem, SIZE);
}

FIXTURE(msi) {
	struct dev dev;
};

FIXTURE_VARIANT(msi) {
	const struct vfio_test_driver *drv;
};

FIXTURE_VARIANT_ADD(msi, edu) { .drv = &vfio_test_edu };
FIXTURE_VARIANT_ADD(msi, e1000e) { .drv = &vfio_test_e1000e };
FIXTURE_VARIANT_ADD(msi, mtty) { .drv = &vfio_test_mtty };
FIXTURE_SETUP(msi) { dev_open(_metadata, &self->dev, variant->drv); }
FIXTURE_TEARDOWN(msi) { dev_close(&self->dev); }

TEST_F(msi, reaches_its_eventfd_and_the_next)
{
	const struct vfio_test_driver *drv = variant->drv;
	struct vfio_pci *d = &self->dev.d;
	int efd = eventfd(0, EFD_CLOEXEC), efd2 = eventfd(0, EFD_CLOEXEC);

	ASSERT_LE(0, efd);
	ASSERT_LE(0, efd2);
	ASSERT_EQ(0, vfio_irq_set_eventfds(d->device, drv->msi_index, 0, 1, &efd));
	ASSERT_EQ(0, drv->send_msi(d));
	EXPECT_LE(1, eventfd_wait(efd, 2000)) TH_LOG("%s: no MSI", drv->name);

	/* the vector's new eventfd takes over; the old one hears nothing */
	ASSERT_EQ(0, vfio_irq_set_eventfds(d->device, drv->msi_index, 0, 1, &efd2));
	ASSERT_EQ(0, drv->send_msi(d));
	EXPECT_LE(1, eventfd_wait(efd2, 2000)) TH_LOG("%s: no MSI", drv->name);
	EXPECT_EQ(0, eventfd_wait(efd, 100));

	drv->remove(d);		/* quiet before the vectors go */
	EXPECT_EQ(0, vfio_irq_disable(d->device, drv->msi_index));
	ASSERT_EQ(0, drv->init(d));
	close(efd);
	close(efd2);
}

/* only devices with a DMA engine */
FIXTURE(dma) {
	struct dev dev;
};

FIXTURE_VARIANT(dma) {
	const struct vfio_test_driver *drv;
};

FIXTURE_VARIANT_ADD(dma, edu) { .drv = &vfio_test_edu };
FIXTURE_SETUP(dma) { dev_open(_metadata, &self->dev, variant->drv); }
FIXTURE_TEARDOWN(dma) { dev_close(&self->dev); }

TEST_F(dma, copy_lands_where_mapped)
{
	const struct vfio_test_driver *drv = variant->drv;
	uint64_t len = drv->max_memcpy < 4096 ? drv->max_memcpy : 4096;
	uint8_t *src = self->dev.mem, *dst = self->dev.mem + 2 * 4096;
	uint64_t i;

	ASSERT_LT(0, len);
	ASSERT_LE(IOVA + SIZE, drv->dma_limit);
	for (i = 0; i < len; i++)
		src[i] = (uint8_t)(i * 7 + 3);
	memset(dst, 0xa5, 2 * 4096);
	ASSERT_EQ(0, drv->memcpy_start(&self->dev.d, IOVA, IOVA + 2 * 4096, len));
	ASSERT_EQ(0, drv->memcpy_wait(&self->dev.d, 3000));
	EXPECT_EQ(0, memcmp(src, dst, len));
	for (i = len; i < 2 * 4096; i++)
		if (dst[i] != 0xa5)
			break;
	EXPECT_EQ(2 * 4096, i)
		TH_LOG("byte %llu past the copy changed", (unsigned long long)i);
	/* too long for the engine: refused before the device sees it */
	EXPECT_EQ(-EINVAL, drv->memcpy_start(&self->dev.d, IOVA, IOVA + 4096,
					     drv->max_memcpy + 1));
}

TEST_HARNESS_MAIN
