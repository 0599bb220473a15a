/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio_pin_probe: the ioctls of the test-only emulated device, shared by
 * the module and the selftest.
 */
#ifndef VFIO_PIN_PROBE_H
#define VFIO_PIN_PROBE_H

#include <linux/types.h>
#include <linux/vfio.h>

#define VFIO_PIN_PROBE_NAME	"vfio_pin_probe"

/**
 * struct vfio_pin_probe_pin - one vfio_pin_pages() or vfio_unpin_pages()
 * @iova: first IOVA
 * @npage: pages
 * @prot: IOMMU_READ 1 | IOMMU_WRITE 2
 * @pfn: out (PIN): the frame of the first page
 */
struct vfio_pin_probe_pin {
	__u64 iova;
	__u32 npage;
	__u32 prot;
	__u64 pfn;
};

/* returns 0 or the errno of vfio_pin_pages() */
#define VFIO_PIN_PROBE_PIN	_IOWR(VFIO_TYPE, VFIO_BASE + 120, \
				      struct vfio_pin_probe_pin)
#define VFIO_PIN_PROBE_UNPIN	_IOW(VFIO_TYPE, VFIO_BASE + 121, \
				     struct vfio_pin_probe_pin)

#endif
