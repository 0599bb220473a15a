// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtty.ko: a mediated device sample. A virtual parent, /sys/devices/
 * virtual/mtty/mtty, offers two types, mtty-1 and mtty-2, sharing a budget
 * of 24 ports. Each instance is a vfio-pci device: a PCI serial card
 * (4348:3253, class 0x070002) with an emulated config space and one 8-byte
 * I/O BAR per 16550A port (mtty_uart.c).
 *
 * Unlike the 6.1 sample, every access is bounds checked, INTx really
 * automasks and unmasks (by ioctl, eventfd or DisINTx), interrupts are
 * level conditions of the UART model, reset restores power-on state,
 * eventfds are released on close, and the device migrates (mtty_migration.c).
 */
#include <linux/device.h>
#include <linux/eventfd.h>
#include <linux/module.h>
#include <linux/pci_regs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "mtty.h"

#define MTTY_NAME		"mtty"
#define MTTY_MAX_TOTAL_PORTS	24
#define MTTY_VENDOR		0x4348
#define MTTY_DEVICE		0x3253
#define MTTY_OFFSET_SHIFT	40
#define MTTY_OFFSET_MASK	((1ULL << MTTY_OFFSET_SHIFT) - 1)

static atomic_t mtty_avail_ports = ATOMIC_INIT(MTTY_MAX_TOTAL_PORTS);

static struct {
	struct class	*class;
	struct device	dev;
	struct mdev_parent parent;
} mtty_dev;

/**
 * struct mtty_type - an mdev type with its port count
 * @type: the mdev type
 * @nr_ports: ports of an instance
 */
struct mtty_type {
	struct mdev_type type;
	int nr_ports;
};

static struct mtty_type mtty_types[] = {
	{ .nr_ports = 1, .type.sysfs_name = "1",
	  .type.pretty_name = "Single port serial" },
	{ .nr_ports = 2, .type.sysfs_name = "2",
	  .type.pretty_name = "Dual port serial" },
};

static struct mdev_type *mtty_mdev_types[] = {
	&mtty_types[0].type,
	&mtty_types[1].type,
};

static struct mdev_state *to_mtty(struct vfio_device *vdev)
{
	return container_of(vdev, struct mdev_state, vdev);
}

/* ---- PCI config space ---- */

static void mtty_config_init(struct mdev_state *s)
{
	u8 *c = s->config;

	memset(c, 0, MTTY_CONFIG_SIZE);
	*(__le16 *)&c[PCI_VENDOR_ID] = cpu_to_le16(MTTY_VENDOR);
	*(__le16 *)&c[PCI_DEVICE_ID] = cpu_to_le16(MTTY_DEVICE);
	*(__le16 *)&c[PCI_COMMAND] = cpu_to_le16(PCI_COMMAND_IO);
	*(__le16 *)&c[PCI_STATUS] = cpu_to_le16(0x0200);	/* medium DEVSEL */
	c[PCI_REVISION_ID] = 0x10;
	c[PCI_CLASS_PROG] = 0x02;				/* 16550 */
	*(__le16 *)&c[PCI_CLASS_DEVICE] = cpu_to_le16(0x0700);	/* serial */
	*(__le32 *)&c[PCI_BASE_ADDRESS_0] = cpu_to_le32(PCI_BASE_ADDRESS_SPACE_IO);
	if (s->nr_ports > 1)
		*(__le32 *)&c[PCI_BASE_ADDRESS_1] =
			cpu_to_le32(PCI_BASE_ADDRESS_SPACE_IO);
	*(__le16 *)&c[PCI_SUBSYSTEM_VENDOR_ID] = cpu_to_le16(MTTY_VENDOR);
	*(__le16 *)&c[PCI_SUBSYSTEM_ID] = cpu_to_le16(MTTY_DEVICE);
	c[PCI_INTERRUPT_PIN] = 1;
	/* vendor bytes as the 6.1 sample has them */
	c[0x40] = 0x23;
	c[0x43] = 0x80;
	c[0x44] = 0x23;
	c[0x48] = 0x23;
	c[0x4c] = 0x23;
	memcpy(&c[0x60], "PCI Serial/UART", 15);
}

static bool mtty_intx_disabled(struct mdev_state *s)
{
	return le16_to_cpu(*(__le16 *)&s->config[PCI_COMMAND]) &
	       PCI_COMMAND_INTX_DISABLE;
}

/* A dword-aligned write of a BAR: I/O space, sized like an 8-byte BAR. */
static void mtty_write_bar(struct mdev_state *s, unsigned int bar, u32 val)
{
	__le32 *reg = (__le32 *)&s->config[PCI_BASE_ADDRESS_0 + bar * 4];

	if (bar >= s->nr_ports) {
		*reg = 0;
		return;
	}
	val &= ~(u32)(MTTY_BAR_SIZE - 1);
	*reg = cpu_to_le32(val | PCI_BASE_ADDRESS_SPACE_IO);
}

/*
 * I/O decode stays on; INTx disable is honoured as vfio-pci does: setting
 * it masks INTx, clearing it unmasks (so an automasked, still asserted
 * line fires again).
 */
static void mtty_write_command(struct mdev_state *s, u16 intx_disable)
{
	bool was_disabled = mtty_intx_disabled(s);
	unsigned long flags;

	*(__le16 *)&s->config[PCI_COMMAND] =
		cpu_to_le16(PCI_COMMAND_IO | intx_disable);
	if (was_disabled == !!intx_disable)
		return;
	spin_lock_irqsave(&s->irqlock, flags);
	s->intx_masked = intx_disable;
	spin_unlock_irqrestore(&s->irqlock, flags);
	mtty_update_irq(s);
}

static void mtty_config_write(struct mdev_state *s, unsigned int off,
			      const u8 *buf, unsigned int count)
{
	u32 val = 0;

	memcpy(&val, buf, count);
	val = le32_to_cpu((__force __le32)val);

	switch (off) {
	case PCI_COMMAND:
	case PCI_COMMAND + 1:
		if (off == PCI_COMMAND + 1)
			val <<= 8;
		else if (count == 1)
			break;	/* only decode enables there: I/O stays on */
		mtty_write_command(s, val & PCI_COMMAND_INTX_DISABLE);
		break;
	case PCI_INTERRUPT_LINE:
		s->config[PCI_INTERRUPT_LINE] = val;
		break;
	case PCI_BASE_ADDRESS_0 ... PCI_BASE_ADDRESS_5:
		if (count == 4)
			mtty_write_bar(s, (off - PCI_BASE_ADDRESS_0) / 4, val);
		break;
	default:
		/* everything else is read only */
		break;
	}
}

/* ---- interrupts ---- */

/* A device stopped for migration must not signal any interrupt. */
static bool mtty_may_interrupt(struct mdev_state *s)
{
	enum vfio_device_mig_state state = READ_ONCE(s->mig_state);

	return state == VFIO_DEVICE_STATE_RUNNING ||
	       state == VFIO_DEVICE_STATE_RUNNING_P2P;
}

/*
 * Signal a trigger outside irqlock: the eventfd's wakeup may run our
 * unmask handler (the user can give one eventfd for both), which takes
 * irqlock. trigger_lock keeps the eventfd alive while it is signalled.
 */
static void mtty_signal(struct mdev_state *s, struct eventfd_ctx **slot)
{
	unsigned long flags;

	spin_lock_irqsave(&s->trigger_lock, flags);
	if (*slot)
		eventfd_signal(*slot, 1);
	spin_unlock_irqrestore(&s->trigger_lock, flags);
}

/**
 * mtty_update_irq - deliver the interrupt condition of the ports
 * @s: the instance, state_mutex held
 *
 * INTx is a level: it is signalled when asserted and not masked, and
 * masks itself. MSI is signalled when the condition rises.
 */
void mtty_update_irq(struct mdev_state *s)
{
	struct eventfd_ctx **signal = NULL;
	bool line = false, rising;
	unsigned long flags;
	int i;

	for (i = 0; i < s->nr_ports; i++)
		line |= mtty_uart_irq_pending(&s->uart[i]);

	spin_lock_irqsave(&s->irqlock, flags);
	rising = line && !s->irq_line;
	s->irq_line = line;
	if (!mtty_may_interrupt(s)) {
		/* a stopped device raises nothing, but remembers an edge */
		s->msi_edge_pending |= rising;
		goto out;
	}
	rising |= s->msi_edge_pending;
	s->msi_edge_pending = false;

	if (s->irq_index == VFIO_PCI_INTX_IRQ_INDEX) {
		if (line && !s->intx_masked && !mtty_intx_disabled(s) &&
		    s->intx_trigger) {
			signal = &s->intx_trigger;
			s->intx_masked = true;
		}
	} else if (s->irq_index == VFIO_PCI_MSI_IRQ_INDEX) {
		if (rising && s->msi_trigger)
			signal = &s->msi_trigger;
	}
out:
	spin_unlock_irqrestore(&s->irqlock, flags);
	if (signal)
		mtty_signal(s, signal);
}

/*
 * Unmask INTx. Returns true when the line is still asserted, in which
 * case INTx is masked again and the caller must signal the trigger.
 */
static bool mtty_intx_unmask_locked(struct mdev_state *s)
{
	lockdep_assert_held(&s->irqlock);

	s->intx_masked = false;
	/* a stopped device re-evaluates the line when it runs again */
	if (s->irq_line && !mtty_intx_disabled(s) && s->intx_trigger &&
	    mtty_may_interrupt(s)) {
		s->intx_masked = true;
		return true;
	}
	return false;
}

/* virqfd: runs in the eventfd's wakeup, must not signal from here */
static int mtty_intx_unmask_handler(void *opaque, void *unused)
{
	struct mdev_state *s = opaque;
	unsigned long flags;
	bool resignal;

	spin_lock_irqsave(&s->irqlock, flags);
	resignal = s->irq_index == VFIO_PCI_INTX_IRQ_INDEX &&
		   mtty_intx_unmask_locked(s);
	spin_unlock_irqrestore(&s->irqlock, flags);
	return resignal;
}

static void mtty_intx_resignal(void *opaque, void *unused)
{
	mtty_signal(opaque, &((struct mdev_state *)opaque)->intx_trigger);
}

static void mtty_intx_unmask(struct mdev_state *s)
{
	unsigned long flags;
	bool resignal;

	spin_lock_irqsave(&s->irqlock, flags);
	resignal = mtty_intx_unmask_locked(s);
	spin_unlock_irqrestore(&s->irqlock, flags);
	if (resignal)
		mtty_signal(s, &s->intx_trigger);
}

static void mtty_intx_mask(struct mdev_state *s)
{
	unsigned long flags;

	spin_lock_irqsave(&s->irqlock, flags);
	s->intx_masked = true;
	spin_unlock_irqrestore(&s->irqlock, flags);
}

static void mtty_put_trigger(struct mdev_state *s, struct eventfd_ctx **slot)
{
	struct eventfd_ctx *old;
	unsigned long flags;

	spin_lock_irqsave(&s->trigger_lock, flags);
	spin_lock(&s->irqlock);
	old = *slot;
	*slot = NULL;
	spin_unlock(&s->irqlock);
	spin_unlock_irqrestore(&s->trigger_lock, flags);
	if (old)
		eventfd_ctx_put(old);
}

static int mtty_set_trigger(struct mdev_state *s, struct eventfd_ctx **slot,
			    int fd)
{
	struct eventfd_ctx *ctx, *old;
	unsigned long flags;

	if (fd < -1)
		return -EINVAL;
	if (fd == -1) {
		mtty_put_trigger(s, slot);
		return 0;
	}
	ctx = eventfd_ctx_fdget(fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	spin_lock_irqsave(&s->trigger_lock, flags);
	spin_lock(&s->irqlock);
	old = *slot;
	*slot = ctx;
	spin_unlock(&s->irqlock);
	spin_unlock_irqrestore(&s->trigger_lock, flags);
	if (old)
		eventfd_ctx_put(old);
	return 0;
}

static void mtty_disable_irq(struct mdev_state *s)
{
	vfio_virqfd_disable(&s->intx_unmask);
	mtty_put_trigger(s, &s->intx_trigger);
	mtty_put_trigger(s, &s->msi_trigger);
	spin_lock_irq(&s->irqlock);
	s->irq_index = -1;
	s->intx_masked = false;
	s->msi_edge_pending = false;	/* it belonged to the old mode */
	spin_unlock_irq(&s->irqlock);
}

static int mtty_set_irqs_intx(struct mdev_state *s, u32 flags,
			      unsigned int count, void *data)
{
	u32 action = flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
	bool data_none = flags & VFIO_IRQ_SET_DATA_NONE;
	bool data_bool = flags & VFIO_IRQ_SET_DATA_BOOL;
	bool is_intx = s->irq_index == VFIO_PCI_INTX_IRQ_INDEX;
	int ret;

	switch (action) {
	case VFIO_IRQ_SET_ACTION_TRIGGER:
		if (data_none && !count) {
			if (is_intx)
				mtty_disable_irq(s);
			return 0;
		}
		if (count != 1)
			return -EINVAL;
		if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
			if (s->irq_index != -1 && !is_intx)
				return -EINVAL;	/* MSI is on */
			ret = mtty_set_trigger(s, &s->intx_trigger, *(s32 *)data);
			if (ret)
				return ret;
			s->irq_index = VFIO_PCI_INTX_IRQ_INDEX;
			mtty_update_irq(s);
			return 0;
		}
		if (!is_intx)
			return -EINVAL;
		if (data_none || *(u8 *)data)
			mtty_signal(s, &s->intx_trigger);
		return 0;
	case VFIO_IRQ_SET_ACTION_UNMASK:
		if (!is_intx || count != 1)
			return -EINVAL;
		if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
			s32 fd = *(s32 *)data;

			if (fd >= 0)
				return vfio_virqfd_enable(s, mtty_intx_unmask_handler,
							  mtty_intx_resignal, NULL,
							  &s->intx_unmask, fd);
			vfio_virqfd_disable(&s->intx_unmask);
			return 0;
		}
		if (data_none || (data_bool && *(u8 *)data))
			mtty_intx_unmask(s);
		return 0;
	case VFIO_IRQ_SET_ACTION_MASK:
		if (!is_intx || count != 1)
			return -EINVAL;
		if (flags & VFIO_IRQ_SET_DATA_EVENTFD)
			return -ENOTTY;
		if (data_none || (data_bool && *(u8 *)data))
			mtty_intx_mask(s);
		return 0;
	}
	return -ENOTTY;
}

static int mtty_set_irqs_msi(struct mdev_state *s, u32 flags,
			     unsigned int count, void *data)
{
	bool is_msi = s->irq_index == VFIO_PCI_MSI_IRQ_INDEX;
	int ret;

	if ((flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) != VFIO_IRQ_SET_ACTION_TRIGGER)
		return -ENOTTY;	/* MSI cannot be masked */

	if ((flags & VFIO_IRQ_SET_DATA_NONE) && !count) {
		if (is_msi)
			mtty_disable_irq(s);
		return 0;
	}
	if (count != 1)
		return -EINVAL;
	if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		if (s->irq_index != -1 && !is_msi)
			return -EINVAL;	/* INTx is on */
		ret = mtty_set_trigger(s, &s->msi_trigger, *(s32 *)data);
		if (ret)
			return ret;
		s->irq_index = VFIO_PCI_MSI_IRQ_INDEX;
		return 0;
	}
	if (!is_msi)
		return -EINVAL;
	if ((flags & VFIO_IRQ_SET_DATA_NONE) || *(u8 *)data)
		mtty_signal(s, &s->msi_trigger);
	return 0;
}

static int mtty_set_irqs_req(struct mdev_state *s, u32 flags,
			     unsigned int count, void *data)
{
	if ((flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) != VFIO_IRQ_SET_ACTION_TRIGGER)
		return -ENOTTY;
	if ((flags & VFIO_IRQ_SET_DATA_NONE) && !count) {
		mtty_put_trigger(s, &s->req_trigger);
		return 0;
	}
	if (count != 1)
		return -EINVAL;
	if (flags & VFIO_IRQ_SET_DATA_EVENTFD)
		return mtty_set_trigger(s, &s->req_trigger, *(s32 *)data);
	if ((flags & VFIO_IRQ_SET_DATA_NONE) || *(u8 *)data)
		mtty_signal(s, &s->req_trigger);
	return 0;
}

static int mtty_irq_count(unsigned int index)
{
	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_REQ_IRQ_INDEX:
		return 1;
	}
	return 0;
}

static int mtty_ioctl_set_irqs(struct mdev_state *s,
			       struct vfio_irq_set __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	u8 *data = NULL;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(&hdr,
						 hdr.index < VFIO_PCI_NUM_IRQS ?
						 mtty_irq_count(hdr.index) : 0,
						 VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	if (data_size) {
		data = memdup_user(&arg->data, data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}

	mutex_lock(&s->state_mutex);
	switch (hdr.index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		ret = mtty_set_irqs_intx(s, hdr.flags, hdr.count, data);
		break;
	case VFIO_PCI_MSI_IRQ_INDEX:
		ret = mtty_set_irqs_msi(s, hdr.flags, hdr.count, data);
		break;
	case VFIO_PCI_REQ_IRQ_INDEX:
		ret = mtty_set_irqs_req(s, hdr.flags, hdr.count, data);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
	mutex_unlock(&s->state_mutex);
	kfree(data);
	return ret;
}

/* ---- region access ---- */

/*
 * @len (1, 2 or 4) naturally aligned bytes of config space to user memory
 * as one store of that width: no byte-copy loop, no usercopy object check.
 */
static int mtty_config_put_user(const u8 *cfg, char __user *buf,
				unsigned int len)
{
	switch (len) {
	case 4:
		return put_user(*(const u32 *)cfg, (u32 __user *)buf);
	case 2:
		return put_user(*(const u16 *)cfg, (u16 __user *)buf);
	default:
		return put_user(*cfg, (u8 __user *)buf);
	}
}

static ssize_t mtty_config_rw(struct mdev_state *s, char __user *buf,
			      size_t count, loff_t off, bool iswrite)
{
	size_t done = 0;

	if (off >= MTTY_CONFIG_SIZE || count > MTTY_CONFIG_SIZE - off)
		return -EINVAL;

	while (done < count) {
		unsigned int pos = off + done, len;
		u8 tmp[4];

		/* aligned pieces of 4, 2 or 1 bytes */
		if (!(pos % 4) && count - done >= 4)
			len = 4;
		else if (!(pos % 2) && count - done >= 2)
			len = 2;
		else
			len = 1;

		if (iswrite) {
			if (copy_from_user(tmp, buf + done, len))
				return -EFAULT;
			mtty_config_write(s, pos, tmp, len);
		} else if (mtty_config_put_user(&s->config[pos],
						buf + done, len)) {
			return -EFAULT;
		}
		done += len;
	}
	return done;
}

static ssize_t mtty_bar_rw(struct mdev_state *s, unsigned int port,
			   char __user *buf, size_t count, loff_t off,
			   bool iswrite)
{
	bool quiet = true;
	size_t done;

	if (port >= s->nr_ports || off >= MTTY_BAR_SIZE ||
	    count > MTTY_BAR_SIZE - off)
		return -EINVAL;

	/* an 8-bit device: wider accesses are consecutive byte accesses */
	for (done = 0; done < count; done++) {
		u8 val;

		quiet &= mtty_uart_quiet(off + done, iswrite);

		if (iswrite) {
			if (get_user(val, buf + done))
				return -EFAULT;
			mtty_uart_write(&s->uart[port], off + done, val);
		} else {
			val = mtty_uart_read(&s->uart[port], off + done);
			if (put_user(val, buf + done))
				return -EFAULT;
		}
	}
	if (!quiet)
		mtty_update_irq(s);
	return done;
}

static ssize_t mtty_rw(struct vfio_device *vdev, char __user *buf,
		       size_t count, loff_t *ppos, bool iswrite)
{
	struct mdev_state *s = to_mtty(vdev);
	u64 index = (u64)*ppos >> MTTY_OFFSET_SHIFT;
	loff_t off = *ppos & MTTY_OFFSET_MASK;
	ssize_t ret;

	if (!count)
		return 0;

	mutex_lock(&s->state_mutex);
	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		ret = mtty_config_rw(s, buf, count, off, iswrite);
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
	case VFIO_PCI_BAR1_REGION_INDEX:
		ret = mtty_bar_rw(s, index, buf, count, off, iswrite);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	mutex_unlock(&s->state_mutex);

	if (ret > 0)
		*ppos += ret;
	return ret;
}

static ssize_t mtty_read(struct vfio_device *vdev, char __user *buf,
			 size_t count, loff_t *ppos)
{
	return mtty_rw(vdev, buf, count, ppos, false);
}

static ssize_t mtty_write(struct vfio_device *vdev, const char __user *buf,
			  size_t count, loff_t *ppos)
{
	return mtty_rw(vdev, (char __user *)buf, count, ppos, true);
}

/* ---- info ioctls ---- */

static int mtty_ioctl_get_info(struct mdev_state *s,
			       struct vfio_device_info __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	unsigned long capsz = offsetofend(struct vfio_device_info, cap_offset);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	if (info.argsz >= capsz) {
		minsz = capsz;
		info.cap_offset = 0;
	}
	info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static int mtty_ioctl_get_region_info(struct mdev_state *s,
				      struct vfio_region_info __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;

	info.offset = (u64)info.index << MTTY_OFFSET_SHIFT;
	info.cap_offset = 0;
	switch (info.index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info.size = MTTY_CONFIG_SIZE;
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
	case VFIO_PCI_BAR1_REGION_INDEX:
		info.size = info.index < s->nr_ports ? MTTY_BAR_SIZE : 0;
		break;
	default:
		info.size = 0;
		break;
	}
	info.flags = info.size ? VFIO_REGION_INFO_FLAG_READ |
				 VFIO_REGION_INFO_FLAG_WRITE : 0;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static int mtty_ioctl_get_irq_info(struct mdev_state *s,
				   struct vfio_irq_info __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS ||
	    !mtty_irq_count(info.index))
		return -EINVAL;

	info.flags = VFIO_IRQ_INFO_EVENTFD;
	info.count = 1;
	if (info.index == VFIO_PCI_INTX_IRQ_INDEX)
		info.flags |= VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
	else
		info.flags |= VFIO_IRQ_INFO_NORESIZE;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/**
 * mtty_reset_state - power-on state of config space and ports
 * @s: the instance, state_mutex held or not yet shared
 */
void mtty_reset_state(struct mdev_state *s)
{
	unsigned long flags;
	int i;

	mtty_config_init(s);
	for (i = 0; i < MTTY_MAX_PORTS; i++)
		mtty_uart_reset(&s->uart[i]);
	spin_lock_irqsave(&s->irqlock, flags);
	s->irq_line = false;
	s->msi_edge_pending = false;
	s->intx_masked = false;
	spin_unlock_irqrestore(&s->irqlock, flags);
}

static long mtty_ioctl(struct vfio_device *vdev, unsigned int cmd,
		       unsigned long arg)
{
	struct mdev_state *s = to_mtty(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return mtty_ioctl_get_info(s, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return mtty_ioctl_get_region_info(s, uarg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return mtty_ioctl_get_irq_info(s, uarg);
	case VFIO_DEVICE_SET_IRQS:
		return mtty_ioctl_set_irqs(s, uarg);
	case VFIO_DEVICE_RESET:
		mutex_lock(&s->state_mutex);
		if (s->vdev.mig_ops)
			mtty_migration_cleanup(s);
		mtty_reset_state(s);
		mutex_unlock(&s->state_mutex);
		return 0;
	}
	return -ENOTTY;
}

/* ---- device life ---- */

static int mtty_open_device(struct vfio_device *vdev)
{
	struct mdev_state *s = to_mtty(vdev);

	mutex_lock(&s->state_mutex);
	mtty_reset_state(s);
	s->mig_state = VFIO_DEVICE_STATE_RUNNING;
	mutex_unlock(&s->state_mutex);
	return 0;
}

static void mtty_close_device(struct vfio_device *vdev)
{
	struct mdev_state *s = to_mtty(vdev);

	mutex_lock(&s->state_mutex);
	mtty_migration_cleanup(s);
	mtty_disable_irq(s);
	mtty_put_trigger(s, &s->req_trigger);
	mtty_reset_state(s);
	mutex_unlock(&s->state_mutex);
}

static void mtty_request(struct vfio_device *vdev, unsigned int count)
{
	struct mdev_state *s = to_mtty(vdev);

	mutex_lock(&s->state_mutex);
	if (s->req_trigger) {
		if (!(count % 10))
			dev_notice_ratelimited(vdev->dev, "Relaying device request to user (#%u)\n",
					       count);
		eventfd_signal(s->req_trigger, 1);
	} else if (!count) {
		dev_notice(vdev->dev, "No device request channel registered, blocked until released by user\n");
	}
	mutex_unlock(&s->state_mutex);
}

static int mtty_init_dev(struct vfio_device *vdev)
{
	struct mdev_state *s = to_mtty(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	struct mtty_type *type = container_of(mdev->type, struct mtty_type, type);
	int avail = atomic_read(&mtty_avail_ports);

	/* take the ports from the shared budget */
	do {
		if (avail < type->nr_ports)
			return -ENOSPC;
	} while (!atomic_try_cmpxchg(&mtty_avail_ports, &avail,
				     avail - type->nr_ports));

	s->mdev = mdev;
	s->nr_ports = type->nr_ports;
	s->irq_index = -1;
	mutex_init(&s->state_mutex);
	spin_lock_init(&s->irqlock);
	spin_lock_init(&s->trigger_lock);
	mtty_reset_state(s);
	s->mig_state = VFIO_DEVICE_STATE_RUNNING;
	vdev->migration_flags = VFIO_MIGRATION_STOP_COPY;
	vdev->mig_ops = &mtty_migration_ops;
	return 0;
}

static void mtty_release_dev(struct vfio_device *vdev)
{
	struct mdev_state *s = to_mtty(vdev);

	atomic_add(s->nr_ports, &mtty_avail_ports);
	mutex_destroy(&s->state_mutex);
	vfio_free_device(vdev);
}

static const struct vfio_device_ops mtty_dev_ops = {
	.name		= "vfio-mtty",
	.init		= mtty_init_dev,
	.release	= mtty_release_dev,
	.open_device	= mtty_open_device,
	.close_device	= mtty_close_device,
	.read		= mtty_read,
	.write		= mtty_write,
	.ioctl		= mtty_ioctl,
	.request	= mtty_request,
};

static int mtty_probe(struct mdev_device *mdev)
{
	struct mdev_state *s;
	int ret;

	s = vfio_alloc_device(mdev_state, vdev, &mdev->dev, &mtty_dev_ops);
	if (IS_ERR(s))
		return PTR_ERR(s);

	ret = vfio_register_emulated_iommu_dev(&s->vdev);
	if (ret) {
		vfio_put_device(&s->vdev);
		return ret;
	}
	dev_set_drvdata(&mdev->dev, s);
	return 0;
}

static void mtty_remove(struct mdev_device *mdev)
{
	struct mdev_state *s = dev_get_drvdata(&mdev->dev);

	vfio_unregister_group_dev(&s->vdev);
	vfio_put_device(&s->vdev);
}

static unsigned int mtty_get_available(struct mdev_type *mtype)
{
	struct mtty_type *type = container_of(mtype, struct mtty_type, type);

	return atomic_read(&mtty_avail_ports) / type->nr_ports;
}

static ssize_t sample_mdev_dev_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "This is MDEV %s\n", dev_name(dev));
}
static DEVICE_ATTR_RO(sample_mdev_dev);

static struct attribute *mdev_dev_attrs[] = {
	&dev_attr_sample_mdev_dev.attr,
	NULL,
};

static const struct attribute_group mdev_dev_group = {
	.name = "vendor",
	.attrs = mdev_dev_attrs,
};

static const struct attribute_group *mdev_dev_groups[] = {
	&mdev_dev_group,
	NULL,
};

static struct mdev_driver mtty_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = "mtty",
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = mdev_dev_groups,
	},
	.probe = mtty_probe,
	.remove	= mtty_remove,
	.get_available = mtty_get_available,
};

static void mtty_device_release(struct device *dev)
{
	dev_dbg(dev, "mtty: released\n");
}

static int __init mtty_dev_init(void)
{
	int ret;

	mtty_dev.class = class_create(THIS_MODULE, MTTY_NAME);
	if (IS_ERR(mtty_dev.class))
		return PTR_ERR(mtty_dev.class);

	mtty_dev.dev.class = mtty_dev.class;
	mtty_dev.dev.release = mtty_device_release;
	dev_set_name(&mtty_dev.dev, "%s", MTTY_NAME);
	ret = device_register(&mtty_dev.dev);
	if (ret)
		goto err_put;

	ret = mdev_register_driver(&mtty_driver);
	if (ret)
		goto err_device;

	ret = mdev_register_parent(&mtty_dev.parent, &mtty_dev.dev, &mtty_driver,
				   mtty_mdev_types, ARRAY_SIZE(mtty_mdev_types));
	if (ret)
		goto err_driver;
	return 0;

err_driver:
	mdev_unregister_driver(&mtty_driver);
err_device:
	device_del(&mtty_dev.dev);
err_put:
	put_device(&mtty_dev.dev);
	class_destroy(mtty_dev.class);
	return ret;
}

static void __exit mtty_dev_exit(void)
{
	mdev_unregister_parent(&mtty_dev.parent);
	mdev_unregister_driver(&mtty_driver);
	device_unregister(&mtty_dev.dev);
	class_destroy(mtty_dev.class);
}

module_init(mtty_dev_init);
module_exit(mtty_dev_exit);

MODULE_VERSION("0.2");
MODULE_LICENSE("GPL v2");
MODULE_AUTHOR("The vfio-kmods authors");
MODULE_DESCRIPTION("Test driver that simulates a serial port over PCI");
