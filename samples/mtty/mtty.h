/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mtty: a mediated PCI serial card with one or two 16550A ports.
 */
#ifndef MTTY_H
#define MTTY_H

#include <linux/eventfd.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/vfio.h>

#include "mtty_uart.h"

#define MTTY_MAX_PORTS		2
#define MTTY_CONFIG_SIZE	256
#define MTTY_BAR_SIZE		8

struct mtty_migration_file;

/**
 * struct mdev_state - one mtty instance
 * @vdev: the VFIO device
 * @mdev: the mediated device
 * @nr_ports: 1 or 2
 * @config: virtual PCI config space
 * @uart: the ports
 * @state_mutex: serializes register accesses, SET_IRQS and migration
 * @irqlock: protects the interrupt state below (taken in virqfd wakeup)
 * @trigger_lock: keeps the trigger eventfds alive while they are signalled
 *	(outer to @irqlock, never taken inside it or in an eventfd wakeup)
 * @irq_index: the active VFIO_PCI_*_IRQ_INDEX, or -1
 * @intx_trigger: INTx eventfd
 * @intx_masked: INTx is masked (automask, MASK, or the user's DisINTx)
 * @intx_unmask: virqfd unmasking INTx
 * @msi_trigger: MSI eventfd
 * @req_trigger: REQ eventfd
 * @irq_line: the interrupt condition of the last register access
 * @msi_edge_pending: the condition rose while the device was stopped
 * @mig_state: migration state
 * @saving: the open STOP_COPY stream
 * @resuming: the open RESUMING stream
 */
struct mdev_state {
	struct vfio_device vdev;
	struct mdev_device *mdev;
	int nr_ports;
	u8 config[MTTY_CONFIG_SIZE] __aligned(4);
	struct mtty_uart uart[MTTY_MAX_PORTS];
	struct mutex state_mutex;	/* see above */
	spinlock_t irqlock;		/* see above */
	spinlock_t trigger_lock;	/* see above */
	int irq_index;
	struct eventfd_ctx *intx_trigger;
	bool intx_masked;
	struct virqfd *intx_unmask;
	struct eventfd_ctx *msi_trigger;
	struct eventfd_ctx *req_trigger;
	bool irq_line;
	bool msi_edge_pending;
	enum vfio_device_mig_state mig_state;
	struct mtty_migration_file *saving;
	struct mtty_migration_file *resuming;
};

/* mtty_main.c */
void mtty_reset_state(struct mdev_state *mdev_state);
void mtty_update_irq(struct mdev_state *mdev_state);

/* mtty_migration.c */
extern const struct vfio_migration_ops mtty_migration_ops;
void mtty_migration_cleanup(struct mdev_state *mdev_state);

#endif /* MTTY_H */
