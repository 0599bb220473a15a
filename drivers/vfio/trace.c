// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio.ko owns the VFIO tracepoints (include/trace/events/vfio.h): they
 * are created here and exported to type1, vfio-pci-core and mdev, which
 * all depend on vfio.ko.
 */
#include <linux/module.h>

#define CREATE_TRACE_POINTS
#include <trace/events/vfio.h>

EXPORT_TRACEPOINT_SYMBOL_GPL(vfio_dma_map);
EXPORT_TRACEPOINT_SYMBOL_GPL(vfio_dma_unmap);
EXPORT_TRACEPOINT_SYMBOL_GPL(vfio_dma_pin_fail);
EXPORT_TRACEPOINT_SYMBOL_GPL(vfio_pci_reset);
EXPORT_TRACEPOINT_SYMBOL_GPL(vfio_pci_set_irqs);
EXPORT_TRACEPOINT_SYMBOL_GPL(vfio_pci_config_write);
EXPORT_TRACEPOINT_SYMBOL_GPL(vfio_pci_mmap_fault);
EXPORT_TRACEPOINT_SYMBOL_GPL(vfio_pci_intx);
EXPORT_TRACEPOINT_SYMBOL_GPL(vfio_mdev_create);
EXPORT_TRACEPOINT_SYMBOL_GPL(vfio_mdev_remove);
