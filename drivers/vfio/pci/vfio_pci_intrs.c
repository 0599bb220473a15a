// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci-core: interrupts delivered to userspace through eventfds
 * (VFIO_DEVICE_SET_IRQS): INTx, MSI, MSI-X, and the ERR and REQ signals.
 *
 * INTx is level triggered and shared, so it is masked when it fires
 * (DisINTx where the device supports it, else at the interrupt
 * controller, which then needs an exclusive line) and stays masked until
 * the user unmasks it, by ioctl or through an unmask eventfd (virqfd).
 *
 * Callers hold vdev->igate; irqlock protects the INTx mask state against
 * the interrupt handler.
 */
#include <linux/eventfd.h>
#include <linux/interrupt.h>
#include <linux/irqbypass.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/vfio.h>
#include <trace/events/vfio.h>

#include "vfio_pci_priv.h"

/*
 * Is the device's interrupt mode @index (INTx, MSI or MSI-X), or, for
 * VFIO_PCI_NUM_IRQS, is none set up.
 */
static bool irq_is(struct vfio_pci_core_device *vdev, unsigned int index)
{
	return vdev->irq_type == index;
}

/* ---- INTx ---- */

static void vfio_send_intx_eventfd(void *opaque, void *unused)
{
	struct vfio_pci_core_device *vdev = opaque;

	if (likely(irq_is(vdev, VFIO_PCI_INTX_IRQ_INDEX) && !vdev->virq_disabled)) {
		struct eventfd_ctx *trigger = READ_ONCE(vdev->ctx[0].trigger);

		if (likely(trigger))
			eventfd_signal(trigger, 1);
	}
}

/**
 * vfio_pci_intx_mask - mask INTx for the user
 * @vdev: the device
 *
 * Also called for the user's DisINTx writes when INTx is not in use:
 * then the real bit simply follows the virtual one.
 *
 * Return: true when this call masked it.
 */
bool vfio_pci_intx_mask(struct vfio_pci_core_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	bool masked_changed = false;
	unsigned long flags;

	spin_lock_irqsave(&vdev->irqlock, flags);
	if (unlikely(!irq_is(vdev, VFIO_PCI_INTX_IRQ_INDEX))) {
		if (vdev->pci_2_3)
			pci_intx(pdev, 0);
	} else if (!vdev->ctx[0].masked) {
		/* always mask, pending or not */
		if (vdev->pci_2_3)
			pci_intx(pdev, 0);
		else
			disable_irq_nosync(pdev->irq);
		vdev->ctx[0].masked = true;
		masked_changed = true;
	}
	spin_unlock_irqrestore(&vdev->irqlock, flags);
	trace_vfio_pci_intx(pci_name(pdev), true, masked_changed);
	return masked_changed;
}

/*
 * Unmask; if the interrupt is still pending, say so (return 1) instead of
 * taking it again: the caller re-signals the user.
 */
static int vfio_pci_intx_unmask_handler(void *opaque, void *unused)
{
	struct vfio_pci_core_device *vdev = opaque;
	struct pci_dev *pdev = vdev->pdev;
	bool changed = false;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&vdev->irqlock, flags);
	if (unlikely(!irq_is(vdev, VFIO_PCI_INTX_IRQ_INDEX))) {
		if (vdev->pci_2_3)
			pci_intx(pdev, 1);
	} else if (vdev->ctx[0].masked && !vdev->virq_disabled) {
		if (vdev->pci_2_3) {
			if (!pci_check_and_unmask_intx(pdev))
				ret = 1;
		} else {
			enable_irq(pdev->irq);
		}
		vdev->ctx[0].masked = ret > 0;
		changed = !ret;
	}
	spin_unlock_irqrestore(&vdev->irqlock, flags);
	trace_vfio_pci_intx(pci_name(pdev), false, changed);
	return ret;
}

/**
 * vfio_pci_intx_unmask - unmask INTx for the user
 * @vdev: the device
 */
void vfio_pci_intx_unmask(struct vfio_pci_core_device *vdev)
{
	if (vfio_pci_intx_unmask_handler(vdev, NULL) > 0)
		vfio_send_intx_eventfd(vdev, NULL);
}

static irqreturn_t vfio_intx_handler(int irq, void *dev_id)
{
	struct vfio_pci_core_device *vdev = dev_id;
	irqreturn_t ret = IRQ_NONE;
	unsigned long flags;

	spin_lock_irqsave(&vdev->irqlock, flags);
	if (!vdev->pci_2_3) {
		disable_irq_nosync(vdev->pdev->irq);
		vdev->ctx[0].masked = true;
		ret = IRQ_HANDLED;
	} else if (!vdev->ctx[0].masked &&
		   pci_check_and_mask_intx(vdev->pdev)) {
		vdev->ctx[0].masked = true;
		ret = IRQ_HANDLED;
	}
	spin_unlock_irqrestore(&vdev->irqlock, flags);

	if (ret == IRQ_HANDLED) {
		atomic_long_inc(&vdev->ctx[0].fired);
		vfio_send_intx_eventfd(vdev, NULL);
	}
	return ret;
}

static int vfio_intx_enable(struct vfio_pci_core_device *vdev,
			    struct eventfd_ctx *trigger)
{
	struct pci_dev *pdev = vdev->pdev;
	unsigned long irqflags;
	char *name;
	int ret;

	if (!irq_is(vdev, VFIO_PCI_NUM_IRQS))
		return -EINVAL;
	if (!pdev->irq || pdev->irq == IRQ_NOTCONNECTED)
		return -ENODEV;

	name = kasprintf(GFP_KERNEL_ACCOUNT, "vfio-intx(%s)", pci_name(pdev));
	if (!name)
		return -ENOMEM;

	vdev->ctx = kzalloc(sizeof(*vdev->ctx), GFP_KERNEL_ACCOUNT);
	if (!vdev->ctx) {
		kfree(name);
		return -ENOMEM;
	}
	vdev->num_ctx = 1;
	vdev->ctx[0].name = name;
	vdev->ctx[0].trigger = trigger;

	/*
	 * Start masked if the user's DisINTx says so. Without DisINTx the
	 * line must be ours alone, and a masked start must not enable it.
	 */
	vdev->ctx[0].masked = vdev->virq_disabled;
	if (vdev->pci_2_3) {
		pci_intx(pdev, !vdev->ctx[0].masked);
		irqflags = IRQF_SHARED;
	} else {
		irqflags = vdev->ctx[0].masked ? IRQF_NO_AUTOEN : 0;
	}

	/* the handler reads irq_type: set it first */
	vdev->irq_type = VFIO_PCI_INTX_IRQ_INDEX;
	ret = request_irq(pdev->irq, vfio_intx_handler, irqflags, name, vdev);
	if (ret) {
		vdev->irq_type = VFIO_PCI_NUM_IRQS;
		kfree(name);
		kfree(vdev->ctx);
		vdev->ctx = NULL;
		vdev->num_ctx = 0;
		return ret;
	}
	return 0;
}

static int vfio_intx_set_signal(struct vfio_pci_core_device *vdev, int fd)
{
	struct eventfd_ctx *trigger = NULL, *old;

	if (fd >= 0) {
		trigger = eventfd_ctx_fdget(fd);
		if (IS_ERR(trigger))
			return PTR_ERR(trigger);
	}

	old = vdev->ctx[0].trigger;
	WRITE_ONCE(vdev->ctx[0].trigger, trigger);

	/* nobody may still be signalling the old one */
	if (old) {
		synchronize_irq(vdev->pdev->irq);
		vfio_virqfd_flush_thread(&vdev->ctx[0].unmask);
		eventfd_ctx_put(old);
	}
	return 0;
}

static void vfio_intx_disable(struct vfio_pci_core_device *vdev)
{
	struct vfio_pci_irq_ctx *ctx = &vdev->ctx[0];

	vfio_virqfd_disable(&ctx->unmask);
	vfio_virqfd_disable(&ctx->mask);
	free_irq(vdev->pdev->irq, vdev);
	if (ctx->trigger)
		eventfd_ctx_put(ctx->trigger);
	kfree(ctx->name);
	kfree(vdev->ctx);
	vdev->ctx = NULL;
	vdev->num_ctx = 0;
	vdev->irq_type = VFIO_PCI_NUM_IRQS;
}

/* ---- MSI and MSI-X ---- */

/* @arg is the vector's context, its trigger set while the irq is requested */
static irqreturn_t vfio_msihandler(int irq, void *arg)
{
	struct vfio_pci_irq_ctx *ctx = arg;

	atomic_long_inc(&ctx->fired);
	eventfd_signal(ctx->trigger, 1);
	return IRQ_HANDLED;
}

static int vfio_msi_enable(struct vfio_pci_core_device *vdev, int nvec,
			   bool msix)
{
	struct pci_dev *pdev = vdev->pdev;
	unsigned int flag = msix ? PCI_IRQ_MSIX : PCI_IRQ_MSI;
	int ret;
	u16 cmd;

	if (!irq_is(vdev, VFIO_PCI_NUM_IRQS))
		return -EINVAL;

	vdev->ctx = kcalloc(nvec, sizeof(*vdev->ctx), GFP_KERNEL_ACCOUNT);
	if (!vdev->ctx)
		return -ENOMEM;

	/* MSI-X needs memory decode to program the table */
	cmd = vfio_pci_memory_lock_and_enable(vdev);
	ret = pci_alloc_irq_vectors(pdev, 1, nvec, flag);
	if (ret < nvec) {
		if (ret > 0)
			pci_free_irq_vectors(pdev);
		vfio_pci_memory_unlock_and_restore(vdev, cmd);
		kfree(vdev->ctx);
		vdev->ctx = NULL;
		/* fewer available: tell the user how many (positive) */
		return ret;
	}
	vfio_pci_memory_unlock_and_restore(vdev, cmd);

	vdev->num_ctx = nvec;
	vdev->irq_type = msix ? VFIO_PCI_MSIX_IRQ_INDEX : VFIO_PCI_MSI_IRQ_INDEX;
	/* the MSI capability now advertises log2 of what was enabled */
	if (!msix)
		vdev->msi_qmax = fls(nvec * 2 - 1) - 1;
	return 0;
}

static int vfio_msi_set_vector_signal(struct vfio_pci_core_device *vdev,
				      int vector, int fd, bool msix)
{
	struct vfio_pci_irq_ctx *ctx;
	struct pci_dev *pdev = vdev->pdev;
	struct eventfd_ctx *trigger;
	int irq, ret;
	u16 cmd;

	if (vector < 0 || vector >= vdev->num_ctx)
		return -EINVAL;

	ctx = &vdev->ctx[vector];
	irq = pci_irq_vector(pdev, vector);
	if (irq < 0)
		return -EINVAL;

	if (ctx->trigger) {
		irq_bypass_unregister_producer(&ctx->producer);
		cmd = vfio_pci_memory_lock_and_enable(vdev);
		free_irq(irq, ctx);
		vfio_pci_memory_unlock_and_restore(vdev, cmd);
		kfree(ctx->name);
		ctx->name = NULL;
		eventfd_ctx_put(ctx->trigger);
		ctx->trigger = NULL;
	}

	if (fd < 0)
		return 0;

	ctx->name = kasprintf(GFP_KERNEL_ACCOUNT, "vfio-msi%s[%d](%s)",
			      msix ? "x" : "", vector, pci_name(pdev));
	if (!ctx->name)
		return -ENOMEM;

	trigger = eventfd_ctx_fdget(fd);
	if (IS_ERR(trigger)) {
		kfree(ctx->name);
		ctx->name = NULL;
		return PTR_ERR(trigger);
	}

	/*
	 * A backdoor reset may have wiped the MSI-X table, which the user
	 * cannot rewrite: put the cached message back before enabling.
	 */
	cmd = vfio_pci_memory_lock_and_enable(vdev);
	if (msix) {
		struct msi_msg msg;

		get_cached_msi_msg(irq, &msg);
		pci_write_msi_msg(irq, &msg);
	}
	ctx->trigger = trigger;
	ret = request_irq(irq, vfio_msihandler, 0, ctx->name, ctx);
	vfio_pci_memory_unlock_and_restore(vdev, cmd);
	if (ret) {
		ctx->trigger = NULL;
		kfree(ctx->name);
		ctx->name = NULL;
		eventfd_ctx_put(trigger);
		return ret;
	}

	/* KVM posts the interrupt directly when it has the same eventfd */
	ctx->producer.token = trigger;
	ctx->producer.irq = irq;
	ret = irq_bypass_register_producer(&ctx->producer);
	if (unlikely(ret)) {
		dev_info(&pdev->dev,
			 "irq bypass producer (token %p) registration fails: %d\n",
			 ctx->producer.token, ret);
		ctx->producer.token = NULL;
	}
	return 0;
}

static int vfio_msi_set_block(struct vfio_pci_core_device *vdev,
			      unsigned int start, unsigned int count,
			      s32 *fds, bool msix)
{
	unsigned int i, j;
	int ret = 0;

	for (i = 0, j = start; i < count && !ret; i++, j++) {
		int fd = fds ? fds[i] : -1;

		ret = vfio_msi_set_vector_signal(vdev, j, fd, msix);
	}

	if (ret) {
		for (i = start; i < j; i++)
			vfio_msi_set_vector_signal(vdev, i, -1, msix);
	}
	return ret;
}

static void vfio_msi_disable(struct vfio_pci_core_device *vdev, bool msix)
{
	struct pci_dev *pdev = vdev->pdev;
	int i;
	u16 cmd;

	for (i = 0; i < vdev->num_ctx; i++) {
		vfio_virqfd_disable(&vdev->ctx[i].unmask);
		vfio_virqfd_disable(&vdev->ctx[i].mask);
	}

	vfio_msi_set_block(vdev, 0, vdev->num_ctx, NULL, msix);

	cmd = vfio_pci_memory_lock_and_enable(vdev);
	pci_free_irq_vectors(pdev);
	vfio_pci_memory_unlock_and_restore(vdev, cmd);

	/* freeing the vectors cleared DisINTx; keep hidden INTx masked */
	if (vdev->nointx)
		pci_intx(pdev, 0);

	vdev->irq_type = VFIO_PCI_NUM_IRQS;
	vdev->num_ctx = 0;
	kfree(vdev->ctx);
	vdev->ctx = NULL;
}

/* ---- SET_IRQS handlers ---- */

static int vfio_pci_set_intx_unmask(struct vfio_pci_core_device *vdev,
				    unsigned int index, unsigned int start,
				    unsigned int count, u32 flags, void *data)
{
	if (!irq_is(vdev, VFIO_PCI_INTX_IRQ_INDEX) || start != 0 || count != 1)
		return -EINVAL;

	if (flags & VFIO_IRQ_SET_DATA_NONE) {
		vfio_pci_intx_unmask(vdev);
	} else if (flags & VFIO_IRQ_SET_DATA_BOOL) {
		if (*(u8 *)data)
			vfio_pci_intx_unmask(vdev);
	} else if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		s32 fd = *(s32 *)data;

		/* KVM's resample fd: INTx unmasked without a trip to us */
		if (fd >= 0)
			return vfio_virqfd_enable((void *)vdev,
						  vfio_pci_intx_unmask_handler,
						  vfio_send_intx_eventfd, NULL,
						  &vdev->ctx[0].unmask, fd);
		vfio_virqfd_disable(&vdev->ctx[0].unmask);
	}
	return 0;
}

static int vfio_pci_set_intx_mask(struct vfio_pci_core_device *vdev,
				  unsigned int index, unsigned int start,
				  unsigned int count, u32 flags, void *data)
{
	if (!irq_is(vdev, VFIO_PCI_INTX_IRQ_INDEX) || start != 0 || count != 1)
		return -EINVAL;

	if (flags & VFIO_IRQ_SET_DATA_NONE) {
		vfio_pci_intx_mask(vdev);
	} else if (flags & VFIO_IRQ_SET_DATA_BOOL) {
		if (*(u8 *)data)
			vfio_pci_intx_mask(vdev);
	} else if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		return -ENOTTY;	/* no mask eventfd, as upstream */
	}
	return 0;
}

static int vfio_pci_set_intx_trigger(struct vfio_pci_core_device *vdev,
				     unsigned int index, unsigned int start,
				     unsigned int count, u32 flags, void *data)
{
	if (irq_is(vdev, index) && !count && (flags & VFIO_IRQ_SET_DATA_NONE)) {
		vfio_intx_disable(vdev);
		return 0;
	}

	if (!(irq_is(vdev, index) || irq_is(vdev, VFIO_PCI_NUM_IRQS)) ||
	    start != 0 || count != 1)
		return -EINVAL;

	if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		struct eventfd_ctx *trigger = NULL;
		s32 fd = *(s32 *)data;
		int ret;

		if (irq_is(vdev, index))
			return vfio_intx_set_signal(vdev, fd);

		if (fd >= 0) {
			trigger = eventfd_ctx_fdget(fd);
			if (IS_ERR(trigger))
				return PTR_ERR(trigger);
		}
		ret = vfio_intx_enable(vdev, trigger);
		if (ret && trigger)
			eventfd_ctx_put(trigger);
		return ret;
	}

	if (!irq_is(vdev, VFIO_PCI_INTX_IRQ_INDEX))
		return -EINVAL;

	/* loopback: signal as if the interrupt had fired */
	if (flags & VFIO_IRQ_SET_DATA_NONE)
		vfio_send_intx_eventfd(vdev, NULL);
	else if ((flags & VFIO_IRQ_SET_DATA_BOOL) && *(u8 *)data)
		vfio_send_intx_eventfd(vdev, NULL);
	return 0;
}

static int vfio_pci_set_msi_trigger(struct vfio_pci_core_device *vdev,
				    unsigned int index, unsigned int start,
				    unsigned int count, u32 flags, void *data)
{
	bool msix = index == VFIO_PCI_MSIX_IRQ_INDEX;
	unsigned int i;
	int ret;

	if (irq_is(vdev, index) && !count && (flags & VFIO_IRQ_SET_DATA_NONE)) {
		vfio_msi_disable(vdev, msix);
		return 0;
	}

	if (!(irq_is(vdev, index) || irq_is(vdev, VFIO_PCI_NUM_IRQS)))
		return -EINVAL;

	if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		s32 *fds = data;

		/* enabled: only the eventfds of existing vectors change */
		if (irq_is(vdev, index))
			return vfio_msi_set_block(vdev, start, count, fds, msix);

		if (!count)
			return -EINVAL;
		ret = vfio_msi_enable(vdev, start + count, msix);
		if (ret)
			return ret;
		ret = vfio_msi_set_block(vdev, start, count, fds, msix);
		if (ret)
			vfio_msi_disable(vdev, msix);
		return ret;
	}

	if (!irq_is(vdev, index) || start + count > vdev->num_ctx)
		return -EINVAL;

	for (i = start; i < start + count; i++) {
		if (!vdev->ctx[i].trigger)
			continue;
		if (flags & VFIO_IRQ_SET_DATA_NONE)
			eventfd_signal(vdev->ctx[i].trigger, 1);
		else if ((flags & VFIO_IRQ_SET_DATA_BOOL) &&
			 ((u8 *)data)[i - start])
			eventfd_signal(vdev->ctx[i].trigger, 1);
	}
	return 0;
}

/* ERR and REQ: a single eventfd each, also signalled by loopback. */
static int vfio_pci_set_ctx_trigger_single(struct eventfd_ctx **ctx,
					   unsigned int count, u32 flags,
					   void *data)
{
	if (flags & VFIO_IRQ_SET_DATA_NONE) {
		if (!*ctx)
			return -EINVAL;
		if (count) {
			eventfd_signal(*ctx, 1);
		} else {
			eventfd_ctx_put(*ctx);
			*ctx = NULL;
		}
		return 0;
	}
	if (flags & VFIO_IRQ_SET_DATA_BOOL) {
		if (!count)
			return -EINVAL;
		if (*(u8 *)data && *ctx)
			eventfd_signal(*ctx, 1);
		return 0;
	}
	if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		s32 fd;

		if (!count)
			return -EINVAL;
		fd = *(s32 *)data;
		if (fd == -1) {
			if (*ctx)
				eventfd_ctx_put(*ctx);
			*ctx = NULL;
		} else if (fd >= 0) {
			struct eventfd_ctx *efdctx = eventfd_ctx_fdget(fd);

			if (IS_ERR(efdctx))
				return PTR_ERR(efdctx);
			if (*ctx)
				eventfd_ctx_put(*ctx);
			*ctx = efdctx;
		}
		/* as 6.1: any other negative fd leaves the trigger as it is */
		return 0;
	}
	return -EINVAL;
}

static int vfio_pci_set_err_trigger(struct vfio_pci_core_device *vdev,
				    unsigned int index, unsigned int start,
				    unsigned int count, u32 flags, void *data)
{
	if (start != 0 || count > 1)
		return -EINVAL;
	return vfio_pci_set_ctx_trigger_single(&vdev->err_trigger, count,
					       flags, data);
}

static int vfio_pci_set_req_trigger(struct vfio_pci_core_device *vdev,
				    unsigned int index, unsigned int start,
				    unsigned int count, u32 flags, void *data)
{
	if (start != 0 || count > 1)
		return -EINVAL;
	return vfio_pci_set_ctx_trigger_single(&vdev->req_trigger, count,
					       flags, data);
}

typedef int (*vfio_pci_irq_handler_t)(struct vfio_pci_core_device *vdev,
				      unsigned int index, unsigned int start,
				      unsigned int count, u32 flags,
				      void *data);

/*
 * Who handles what: [index][action]. A missing entry (MSI masking, ERR on
 * conventional PCI, combined actions) answers ENOTTY.
 */
static vfio_pci_irq_handler_t vfio_pci_irq_handler(struct vfio_pci_core_device *vdev,
						   unsigned int index, u32 action)
{
	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		switch (action) {
		case VFIO_IRQ_SET_ACTION_MASK:
			return vfio_pci_set_intx_mask;
		case VFIO_IRQ_SET_ACTION_UNMASK:
			return vfio_pci_set_intx_unmask;
		case VFIO_IRQ_SET_ACTION_TRIGGER:
			return vfio_pci_set_intx_trigger;
		}
		break;
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_MSIX_IRQ_INDEX:
		if (action == VFIO_IRQ_SET_ACTION_TRIGGER)
			return vfio_pci_set_msi_trigger;
		break;
	case VFIO_PCI_ERR_IRQ_INDEX:
		if (action == VFIO_IRQ_SET_ACTION_TRIGGER &&
		    pci_is_pcie(vdev->pdev))
			return vfio_pci_set_err_trigger;
		break;
	case VFIO_PCI_REQ_IRQ_INDEX:
		if (action == VFIO_IRQ_SET_ACTION_TRIGGER)
			return vfio_pci_set_req_trigger;
		break;
	}
	return NULL;
}

/**
 * vfio_pci_set_irqs_ioctl - carry out a validated VFIO_DEVICE_SET_IRQS
 * @vdev: the device, igate held
 * @flags: DATA and ACTION flags
 * @index: irq index
 * @start: first vector
 * @count: number of vectors
 * @data: @count bools or eventfds, by the DATA flag
 *
 * Return: 0, -ENOTTY for an unsupported action, or another errno.
 */
int vfio_pci_set_irqs_ioctl(struct vfio_pci_core_device *vdev, u32 flags,
			    unsigned int index, unsigned int start,
			    unsigned int count, void *data)
{
	vfio_pci_irq_handler_t func;
	int ret;

	lockdep_assert_held(&vdev->igate);

	func = vfio_pci_irq_handler(vdev, index,
				    flags & VFIO_IRQ_SET_ACTION_TYPE_MASK);
	ret = func ? func(vdev, index, start, count, flags, data) : -ENOTTY;
	trace_vfio_pci_set_irqs(pci_name(vdev->pdev), index, start, count,
				flags, ret);
	return ret;
}

/**
 * vfio_pci_irqs_disable_all - turn off whichever interrupt mode is on
 * @vdev: the device, igate held
 */
void vfio_pci_irqs_disable_all(struct vfio_pci_core_device *vdev)
{
	lockdep_assert_held(&vdev->igate);

	switch (vdev->irq_type) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		vfio_intx_disable(vdev);
		break;
	case VFIO_PCI_MSI_IRQ_INDEX:
		vfio_msi_disable(vdev, false);
		break;
	case VFIO_PCI_MSIX_IRQ_INDEX:
		vfio_msi_disable(vdev, true);
		break;
	}
}
