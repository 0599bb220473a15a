/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The test devices behind one seam: what a test needs from a device (make
 * it ready, copy memory by DMA, send an MSI) as driver ops, so that a test
 * of the VFIO paths is written once for every device that can serve it.
 */
#ifndef VFIO_TEST_DRIVERS_H
#define VFIO_TEST_DRIVERS_H

#include "vfio_test.h"

struct vfio_test_driver {
	const char *name;
	unsigned int vendor, device;
	bool root_bus;		/* where the test guest puts the one used */
	unsigned int msi_index;	/* VFIO_PCI_MSI_IRQ_INDEX or _MSIX_ */
	/* the largest copy memcpy_start() takes; 0: no DMA engine */
	uint64_t max_memcpy;
	/* DMA reaches IOVAs below this only (the edu's 28-bit mask) */
	uint64_t dma_limit;

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

#endif
