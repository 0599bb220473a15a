/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The test devices behind one seam: what a test needs from a device (make
 * it ready, copy memory by DMA, send an MSI) as driver ops, so that a test
 * of the VFIO paths is written once for every device that can serve it:
 * PCI functions behind vfio-pci and mdevs alike.
 */
#ifndef VFIO_TEST_DRIVERS_H
#define VFIO_TEST_DRIVERS_H

#include "vfio_test.h"

struct vfio_test_driver {
	const char *name;
	/* a PCI function: its ids, and where the test guest puts the one used */
	unsigned int vendor, device;
	bool root_bus;
	/* an mdev: an instance of this type of the mtty parent, not PCI ids */
	const char *mdev_type;
	unsigned int msi_index;	/* VFIO_PCI_MSI_IRQ_INDEX or _MSIX_ */
	/* the largest copy memcpy_start() takes; 0: no DMA engine */
	uint64_t max_memcpy;
	/* DMA reaches IOVAs below this only (the edu's 28-bit mask) */
	uint64_t dma_limit;

	/*
	 * Make the device ready for vfio_dev_open(): a PCI function found by
	 * its ids and bound to vfio-pci, an mdev created; its name (BDF or
	 * UUID) goes to @name. 0, -ENODEV when this machine has no such
	 * device (the test skips), or another -errno.
	 */
	int (*probe)(const struct vfio_test_driver *drv, char *name, size_t len);
	/* undo probe() once the device is closed: remove what it created */
	void (*release)(const struct vfio_test_driver *drv, const char *name);
	/* make the opened device ready: bus master, interrupt routing */
	int (*init)(struct vfio_pci *d);
	/* copy @len bytes from IOVA @src to IOVA @dst; then memcpy_wait() */
	int (*memcpy_start)(struct vfio_pci *d, uint64_t src, uint64_t dst,
			    uint64_t len);
	int (*memcpy_wait)(struct vfio_pci *d, int timeout_ms);
	/* make the device send MSI (or MSI-X) vector 0 */
	int (*send_msi)(struct vfio_pci *d);
	/* quiesce it before close: no DMA, no interrupt */
	void (*remove)(struct vfio_pci *d);
};

extern const struct vfio_test_driver vfio_test_edu;
extern const struct vfio_test_driver vfio_test_e1000e;
extern const struct vfio_test_driver vfio_test_mtty;

#endif
