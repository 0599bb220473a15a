// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtty: migration v2 (VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE).
 *
 * Arcs: RUNNING <-> STOP, STOP -> STOP_COPY (a read stream with the whole
 * device state: config space, every UART register and the bytes waiting
 * in the FIFOs), STOP_COPY -> STOP, STOP -> RESUMING (a write stream),
 * RESUMING -> STOP (the written state is checked and loaded).
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "mtty.h"

#define MTTY_MIG_MAGIC		0x7974746d6f696676ULL	/* "vfiomtty" */
#define MTTY_MIG_VERSION	1

/**
 * struct mtty_mig_port - one port on the wire
 * @fifo: the FIFO, oldest byte first
 * @count: bytes in @fifo
 * @fifo_size: 16 or 1
 * @trigger: receiver trigger level
 * @ier: IER
 * @lcr: LCR
 * @mcr: MCR
 * @scr: SCR
 * @fcr: FCR
 * @dll: divisor low
 * @dlm: divisor high
 * @overrun: receiver overrun
 * @thre_pending: THRE interrupt pending
 * @msr_delta: unread modem status changes
 */
struct mtty_mig_port {
	u8 fifo[MTTY_FIFO_SIZE];
	u8 count;
	u8 fifo_size;
	u8 trigger;
	u8 ier;
	u8 lcr;
	u8 mcr;
	u8 scr;
	u8 fcr;
	u8 dll;
	u8 dlm;
	u8 overrun;
	u8 thre_pending;
	u8 msr_delta;
} __packed;

/**
 * struct mtty_mig_data - the stream
 * @magic: MTTY_MIG_MAGIC
 * @version: MTTY_MIG_VERSION
 * @nr_ports: ports of the source instance
 * @config: PCI config space
 * @port: the ports
 */
struct mtty_mig_data {
	__le64 magic;
	__le32 version;
	__le32 nr_ports;
	u8 config[MTTY_CONFIG_SIZE];
	struct mtty_mig_port port[MTTY_MAX_PORTS];
} __packed;

/**
 * struct mtty_migration_file - a data stream
 * @filp: its file; the device holds a reference while the arc lasts
 * @lock: protects the rest
 * @data: the state
 * @len: bytes of @data filled (written, or available to read)
 * @disabled: the arc ended: the stream no longer works
 */
struct mtty_migration_file {
	struct file *filp;
	struct mutex lock;	/* protects the rest */
	struct mtty_mig_data data;
	size_t len;
	bool disabled;
};

static ssize_t mtty_mig_read(struct file *filp, char __user *buf, size_t len,
			     loff_t *pos)
{
	struct mtty_migration_file *migf = filp->private_data;
	ssize_t ret;

	if (pos)
		return -ESPIPE;
	pos = &filp->f_pos;

	mutex_lock(&migf->lock);
	if (migf->disabled) {
		ret = -ENODEV;
		goto out;
	}
	if (*pos >= migf->len) {
		ret = 0;	/* end of stream */
		goto out;
	}
	len = min_t(size_t, len, migf->len - *pos);
	if (copy_to_user(buf, (u8 *)&migf->data + *pos, len)) {
		ret = -EFAULT;
		goto out;
	}
	*pos += len;
	ret = len;
out:
	mutex_unlock(&migf->lock);
	return ret;
}

static ssize_t mtty_mig_write(struct file *filp, const char __user *buf,
			      size_t len, loff_t *pos)
{
	struct mtty_migration_file *migf = filp->private_data;
	ssize_t ret;

	if (pos)
		return -ESPIPE;
	pos = &filp->f_pos;

	mutex_lock(&migf->lock);
	if (migf->disabled) {
		ret = -ENODEV;
		goto out;
	}
	if (*pos < 0 || *pos + len > sizeof(migf->data)) {
		ret = -EFBIG;	/* more than a state can be */
		goto out;
	}
	if (copy_from_user((u8 *)&migf->data + *pos, buf, len)) {
		ret = -EFAULT;
		goto out;
	}
	*pos += len;
	migf->len = max_t(size_t, migf->len, *pos);
	ret = len;
out:
	mutex_unlock(&migf->lock);
	return ret;
}

static int mtty_mig_release(struct inode *inode, struct file *filp)
{
	struct mtty_migration_file *migf = filp->private_data;

	mutex_destroy(&migf->lock);
	kfree(migf);
	return 0;
}

static const struct file_operations mtty_save_fops = {
	.owner = THIS_MODULE,
	.read = mtty_mig_read,
	.release = mtty_mig_release,
	.llseek = no_llseek,
};

static const struct file_operations mtty_resume_fops = {
	.owner = THIS_MODULE,
	.write = mtty_mig_write,
	.release = mtty_mig_release,
	.llseek = no_llseek,
};

static struct mtty_migration_file *mtty_mig_file(const struct file_operations *fops,
						 int flags)
{
	struct mtty_migration_file *migf;

	migf = kzalloc(sizeof(*migf), GFP_KERNEL_ACCOUNT);
	if (!migf)
		return ERR_PTR(-ENOMEM);
	mutex_init(&migf->lock);
	migf->filp = anon_inode_getfile("mtty_mig", fops, migf, flags);
	if (IS_ERR(migf->filp)) {
		struct file *err = migf->filp;

		mutex_destroy(&migf->lock);
		kfree(migf);
		return ERR_CAST(err);
	}
	stream_open(migf->filp->f_inode, migf->filp);
	/* one reference for the user's fd, one for the device */
	get_file(migf->filp);
	return migf;
}

static void mtty_mig_file_end(struct mtty_migration_file **slot)
{
	struct mtty_migration_file *migf = *slot;

	if (!migf)
		return;
	mutex_lock(&migf->lock);
	migf->disabled = true;
	mutex_unlock(&migf->lock);
	*slot = NULL;
	fput(migf->filp);
}

static void mtty_save(struct mdev_state *s, struct mtty_mig_data *d)
{
	int i, j;

	memset(d, 0, sizeof(*d));
	d->magic = cpu_to_le64(MTTY_MIG_MAGIC);
	d->version = cpu_to_le32(MTTY_MIG_VERSION);
	d->nr_ports = cpu_to_le32(s->nr_ports);
	memcpy(d->config, s->config, MTTY_CONFIG_SIZE);
	for (i = 0; i < s->nr_ports; i++) {
		struct mtty_uart *u = &s->uart[i];
		struct mtty_mig_port *p = &d->port[i];

		for (j = 0; j < u->count; j++)
			p->fifo[j] = u->fifo[(u->head + j) % MTTY_FIFO_SIZE];
		p->count = u->count;
		p->fifo_size = u->fifo_size;
		p->trigger = u->trigger;
		p->ier = u->ier;
		p->lcr = u->lcr;
		p->mcr = u->mcr;
		p->scr = u->scr;
		p->fcr = u->fcr;
		p->dll = u->dll;
		p->dlm = u->dlm;
		p->overrun = u->overrun;
		p->thre_pending = u->thre_pending;
		p->msr_delta = u->msr_delta;
	}
}

static int mtty_load(struct mdev_state *s, const struct mtty_mig_data *d,
		     size_t len)
{
	unsigned long flags;
	bool line = false;
	int i;

	if (len != sizeof(*d) || le64_to_cpu(d->magic) != MTTY_MIG_MAGIC ||
	    le32_to_cpu(d->version) != MTTY_MIG_VERSION ||
	    le32_to_cpu(d->nr_ports) != s->nr_ports)
		return -EINVAL;

	/* check everything before changing anything */
	for (i = 0; i < s->nr_ports; i++) {
		const struct mtty_mig_port *p = &d->port[i];

		if ((p->fifo_size != 1 && p->fifo_size != MTTY_FIFO_SIZE) ||
		    p->count > p->fifo_size || !p->trigger ||
		    p->trigger > MTTY_FIFO_SIZE)
			return -EINVAL;
	}

	memcpy(s->config, d->config, MTTY_CONFIG_SIZE);
	for (i = 0; i < s->nr_ports; i++) {
		const struct mtty_mig_port *p = &d->port[i];
		struct mtty_uart *u = &s->uart[i];

		mtty_uart_reset(u);
		memcpy(u->fifo, p->fifo, MTTY_FIFO_SIZE);
		u->head = 0;
		u->count = p->count;
		u->fifo_size = p->fifo_size;
		u->trigger = p->trigger;
		u->ier = p->ier & 0x0f;
		u->lcr = p->lcr;
		u->mcr = p->mcr & 0x1f;
		u->scr = p->scr;
		u->fcr = p->fcr;
		u->dll = p->dll;
		u->dlm = p->dlm;
		u->overrun = p->overrun;
		u->thre_pending = p->thre_pending;
		u->msr_delta = p->msr_delta & 0x0f;
		line |= mtty_uart_irq_pending(u);
	}

	/*
	 * The loaded condition is the line's level, not a new edge: the
	 * source has signalled any MSI for it already.
	 */
	spin_lock_irqsave(&s->irqlock, flags);
	s->irq_line = line;
	s->msi_edge_pending = false;
	spin_unlock_irqrestore(&s->irqlock, flags);
	return 0;
}

/* One arc; returns a stream for the arcs that open one. */
static struct file *mtty_step(struct mdev_state *s,
			      enum vfio_device_mig_state next)
{
	enum vfio_device_mig_state cur = s->mig_state;
	struct mtty_migration_file *migf;
	int ret;

	if (cur == VFIO_DEVICE_STATE_STOP && next == VFIO_DEVICE_STATE_STOP_COPY) {
		migf = mtty_mig_file(&mtty_save_fops, O_RDONLY);
		if (IS_ERR(migf))
			return ERR_CAST(migf);
		mtty_save(s, &migf->data);
		migf->len = sizeof(migf->data);
		s->saving = migf;
		return migf->filp;
	}
	if (cur == VFIO_DEVICE_STATE_STOP_COPY && next == VFIO_DEVICE_STATE_STOP) {
		mtty_mig_file_end(&s->saving);
		return NULL;
	}
	if (cur == VFIO_DEVICE_STATE_STOP && next == VFIO_DEVICE_STATE_RESUMING) {
		migf = mtty_mig_file(&mtty_resume_fops, O_WRONLY);
		if (IS_ERR(migf))
			return ERR_CAST(migf);
		s->resuming = migf;
		return migf->filp;
	}
	if (cur == VFIO_DEVICE_STATE_RESUMING && next == VFIO_DEVICE_STATE_STOP) {
		migf = s->resuming;
		mutex_lock(&migf->lock);
		ret = mtty_load(s, &migf->data, migf->len);
		mutex_unlock(&migf->lock);
		/*
		 * A refused stream stays open: the device remains in
		 * RESUMING, the user may complete the data and retry, or
		 * leave through VFIO_DEVICE_RESET.
		 */
		if (ret)
			return ERR_PTR(ret);
		mtty_mig_file_end(&s->resuming);
		return NULL;
	}
	if ((cur == VFIO_DEVICE_STATE_RUNNING && next == VFIO_DEVICE_STATE_STOP) ||
	    (cur == VFIO_DEVICE_STATE_STOP && next == VFIO_DEVICE_STATE_RUNNING))
		return NULL;	/* no DMA, no internal activity to quiesce */

	return ERR_PTR(-EINVAL);
}

static struct file *mtty_set_state(struct vfio_device *vdev,
				   enum vfio_device_mig_state new_state)
{
	struct mdev_state *s = container_of(vdev, struct mdev_state, vdev);
	enum vfio_device_mig_state next;
	struct file *res = NULL;
	int ret;

	mutex_lock(&s->state_mutex);
	while (s->mig_state != new_state) {
		ret = vfio_mig_get_next_state(vdev, s->mig_state, new_state, &next);
		if (ret) {
			res = ERR_PTR(ret);
			break;
		}
		res = mtty_step(s, next);
		if (IS_ERR(res))
			break;
		s->mig_state = next;
		/* a stream ends the walk: the user must drain or fill it */
		if (res && s->mig_state != new_state) {
			fput(res);
			res = ERR_PTR(-EINVAL);
			break;
		}
	}
	if (s->mig_state == VFIO_DEVICE_STATE_RUNNING)
		mtty_update_irq(s);
	mutex_unlock(&s->state_mutex);
	return res;
}

static int mtty_get_state(struct vfio_device *vdev,
			  enum vfio_device_mig_state *curr_state)
{
	struct mdev_state *s = container_of(vdev, struct mdev_state, vdev);

	mutex_lock(&s->state_mutex);
	*curr_state = s->mig_state;
	mutex_unlock(&s->state_mutex);
	return 0;
}

const struct vfio_migration_ops mtty_migration_ops = {
	.migration_set_state = mtty_set_state,
	.migration_get_state = mtty_get_state,
};

/**
 * mtty_migration_cleanup - end any stream, back to RUNNING
 * @s: the instance, state_mutex held
 *
 * On close and on VFIO_DEVICE_RESET, which the uAPI makes the way out of
 * any migration state.
 */
void mtty_migration_cleanup(struct mdev_state *s)
{
	mtty_mig_file_end(&s->saving);
	mtty_mig_file_end(&s->resuming);
	s->mig_state = VFIO_DEVICE_STATE_RUNNING;
}
