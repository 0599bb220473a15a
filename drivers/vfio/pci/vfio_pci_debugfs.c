// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci's files in the device's debugfs directory
 * (/sys/kernel/debug/vfio/<device name>/, see drivers/vfio/debugfs.c):
 *
 *   irqs           the interrupt type in use and, per vector, whether an
 *                  eventfd is set, whether INTx is masked, and how many
 *                  interrupts the handler took since the type was enabled
 *   memory_decode  "on" or "off": may the BARs be accessed now
 *   power_state    the function's PCI power state
 *   last_reset     how it was last reset (see vfio_pci_reset_done())
 *
 * Each file takes the lock its state is changed under by the ioctl paths
 * (igate, the device set lock, memory_lock), never a spinlock for longer
 * than a copy, so a reader neither sees a torn state nor holds a writer
 * up for more than one read.
 */
#include <linux/debugfs.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/vfio.h>

#include "vfio_pci_priv.h"

static const char * const vfio_pci_irq_names[] = {
	[VFIO_PCI_INTX_IRQ_INDEX] = "intx",
	[VFIO_PCI_MSI_IRQ_INDEX] = "msi",
	[VFIO_PCI_MSIX_IRQ_INDEX] = "msix",
	[VFIO_PCI_ERR_IRQ_INDEX] = "err",
	[VFIO_PCI_REQ_IRQ_INDEX] = "req",
	[VFIO_PCI_NUM_IRQS] = "none",
};

static int vfio_pci_irqs_show(struct seq_file *s, void *unused)
{
	struct vfio_pci_core_device *vdev = s->private;
	int i;

	mutex_lock(&vdev->igate);
	if (vdev->irq_type >= 0 && vdev->irq_type <= VFIO_PCI_NUM_IRQS)
		seq_printf(s, "type %s\n", vfio_pci_irq_names[vdev->irq_type]);
	seq_printf(s, "vectors %d\n", vdev->irq_type == VFIO_PCI_NUM_IRQS ?
		   0 : vdev->num_ctx);
	for (i = 0; vdev->irq_type != VFIO_PCI_NUM_IRQS && i < vdev->num_ctx;
	     i++) {
		struct vfio_pci_irq_ctx *ctx = &vdev->ctx[i];

		seq_printf(s, "%d eventfd %d masked %d fired %ld\n", i,
			   !!ctx->trigger, READ_ONCE(ctx->masked),
			   atomic_long_read(&ctx->fired));
	}
	mutex_unlock(&vdev->igate);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfio_pci_irqs);

static int vfio_pci_memory_decode_show(struct seq_file *s, void *unused)
{
	struct vfio_pci_core_device *vdev = s->private;
	struct vfio_device_set *dev_set = vdev->vdev.dev_set;
	bool on = false;

	/* vconfig exists while the device is open */
	mutex_lock(&dev_set->lock);
	if (vdev->vdev.open_count) {
		down_read(&vdev->memory_lock);
		on = __vfio_pci_memory_enabled(vdev);
		up_read(&vdev->memory_lock);
	}
	mutex_unlock(&dev_set->lock);
	seq_printf(s, "%s\n", on ? "on" : "off");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfio_pci_memory_decode);

static int vfio_pci_power_state_show(struct seq_file *s, void *unused)
{
	struct vfio_pci_core_device *vdev = s->private;

	seq_printf(s, "%s\n", pci_power_name(READ_ONCE(vdev->pdev->current_state)));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfio_pci_power_state);

static int vfio_pci_last_reset_show(struct seq_file *s, void *unused)
{
	struct vfio_pci_core_device *vdev = s->private;
	const char *method = READ_ONCE(vdev->last_reset);

	seq_printf(s, "%s\n", method ? method : "none");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfio_pci_last_reset);

/**
 * vfio_pci_debugfs_init - add vfio-pci's files to a registered device
 * @vdev: the device; the core removes the files with its directory
 */
void vfio_pci_debugfs_init(struct vfio_pci_core_device *vdev)
{
	struct dentry *dir = vdev->vdev.debug_root;

	debugfs_create_file("irqs", 0400, dir, vdev, &vfio_pci_irqs_fops);
	debugfs_create_file("memory_decode", 0400, dir, vdev,
			    &vfio_pci_memory_decode_fops);
	debugfs_create_file("power_state", 0400, dir, vdev,
			    &vfio_pci_power_state_fops);
	debugfs_create_file("last_reset", 0400, dir, vdev,
			    &vfio_pci_last_reset_fops);
}
