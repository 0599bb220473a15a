// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_virqfd.ko: eventfds that call back into a driver when userspace
 * (or KVM) signals them, e.g. to unmask an interrupt without an ioctl.
 *
 * The callback has two halves: @handler runs in the eventfd's wakeup
 * context, under its wait queue lock, and may ask for @thread, which runs
 * from the system workqueue. Teardown is deferred to an ordered workqueue
 * of our own so that disabling waits for every pending teardown.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vfio.h>

static struct workqueue_struct *vfio_virqfd_cleanup_wq;
static DEFINE_SPINLOCK(virqfd_lock);	/* protects every *pvirqfd */

static void virqfd_deactivate(struct virqfd *virqfd)
{
	queue_work(vfio_virqfd_cleanup_wq, &virqfd->shutdown);
}

static void virqfd_fire(struct virqfd *virqfd)
{
	if ((!virqfd->handler ||
	     virqfd->handler(virqfd->opaque, virqfd->data)) &&
	    virqfd->thread)
		schedule_work(&virqfd->inject);
}

static int virqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode,
			 int sync, void *key)
{
	struct virqfd *virqfd = container_of(wait, struct virqfd, wait);
	__poll_t flags = key_to_poll(key);

	if (flags & EPOLLIN) {
		u64 cnt;

		eventfd_ctx_do_read(virqfd->eventfd, &cnt);
		virqfd_fire(virqfd);
	}

	if (flags & EPOLLHUP) {
		unsigned long irqflags;

		/* the eventfd is going away: tear down unless already done */
		spin_lock_irqsave(&virqfd_lock, irqflags);
		if (*virqfd->pvirqfd == virqfd) {
			*virqfd->pvirqfd = NULL;
			virqfd_deactivate(virqfd);
		}
		spin_unlock_irqrestore(&virqfd_lock, irqflags);
	}
	return 0;
}

static void virqfd_ptable_queue_proc(struct file *file,
				     wait_queue_head_t *wqh, poll_table *pt)
{
	struct virqfd *virqfd = container_of(pt, struct virqfd, pt);

	add_wait_queue(wqh, &virqfd->wait);
}

static void virqfd_shutdown(struct work_struct *work)
{
	struct virqfd *virqfd = container_of(work, struct virqfd, shutdown);
	u64 cnt;

	eventfd_ctx_remove_wait_queue(virqfd->eventfd, &virqfd->wait, &cnt);
	flush_work(&virqfd->inject);
	eventfd_ctx_put(virqfd->eventfd);
	kfree(virqfd);
}

static void virqfd_inject(struct work_struct *work)
{
	struct virqfd *virqfd = container_of(work, struct virqfd, inject);

	if (virqfd->thread)
		virqfd->thread(virqfd->opaque, virqfd->data);
}

static void virqfd_flush_inject(struct work_struct *work)
{
	struct virqfd *virqfd = container_of(work, struct virqfd, flush_inject);

	flush_work(&virqfd->inject);
}

/**
 * vfio_virqfd_enable - call back into a driver when an eventfd is signalled
 * @opaque: first argument of @handler and @thread
 * @handler: called from the wakeup (atomic) context; return non-zero to
 *	run @thread; NULL runs @thread always
 * @thread: called from a workqueue, may sleep; may be NULL
 * @data: second argument of @handler and @thread
 * @pvirqfd: the driver's slot for the virqfd; must be NULL
 * @fd: the eventfd
 *
 * An eventfd already signalled when this is called fires at once.
 *
 * Return: 0, -EBADF/-EINVAL for a bad @fd, -EBUSY when *@pvirqfd is in
 * use, or -ENOMEM.
 */
int vfio_virqfd_enable(void *opaque, int (*handler)(void *, void *),
		       void (*thread)(void *, void *), void *data,
		       struct virqfd **pvirqfd, int fd)
{
	struct eventfd_ctx *ctx;
	struct virqfd *virqfd;
	__poll_t events;
	struct fd irqfd;
	int ret = 0;

	virqfd = kzalloc(sizeof(*virqfd), GFP_KERNEL_ACCOUNT);
	if (!virqfd)
		return -ENOMEM;

	virqfd->pvirqfd = pvirqfd;
	virqfd->opaque = opaque;
	virqfd->handler = handler;
	virqfd->thread = thread;
	virqfd->data = data;
	INIT_WORK(&virqfd->shutdown, virqfd_shutdown);
	INIT_WORK(&virqfd->inject, virqfd_inject);
	INIT_WORK(&virqfd->flush_inject, virqfd_flush_inject);

	irqfd = fdget(fd);
	if (!irqfd.file) {
		ret = -EBADF;
		goto err_free;
	}

	ctx = eventfd_ctx_fileget(irqfd.file);
	if (IS_ERR(ctx)) {
		ret = PTR_ERR(ctx);
		goto err_fdput;
	}
	virqfd->eventfd = ctx;

	/*
	 * Publish under the lock: the EPOLLHUP path may race with us and
	 * must find either nothing or the fully set up virqfd.
	 */
	spin_lock_irq(&virqfd_lock);
	if (*pvirqfd) {
		spin_unlock_irq(&virqfd_lock);
		ret = -EBUSY;
		goto err_put_ctx;
	}
	*pvirqfd = virqfd;
	spin_unlock_irq(&virqfd_lock);

	init_waitqueue_func_entry(&virqfd->wait, virqfd_wakeup);
	init_poll_funcptr(&virqfd->pt, virqfd_ptable_queue_proc);

	events = vfs_poll(irqfd.file, &virqfd->pt);

	/* An event that arrived before we were on the wait queue. */
	if (events & EPOLLIN)
		virqfd_fire(virqfd);

	fdput(irqfd);
	return 0;

err_put_ctx:
	eventfd_ctx_put(ctx);
err_fdput:
	fdput(irqfd);
err_free:
	kfree(virqfd);
	return ret;
}
EXPORT_SYMBOL_GPL(vfio_virqfd_enable);

/**
 * vfio_virqfd_disable - stop a virqfd and wait for its teardown
 * @pvirqfd: the driver's slot; NULL afterwards
 */
void vfio_virqfd_disable(struct virqfd **pvirqfd)
{
	unsigned long flags;

	spin_lock_irqsave(&virqfd_lock, flags);
	if (*pvirqfd) {
		virqfd_deactivate(*pvirqfd);
		*pvirqfd = NULL;
	}
	spin_unlock_irqrestore(&virqfd_lock, flags);

	/* every queued teardown, ours or an EPOLLHUP one, is done after this */
	flush_workqueue(vfio_virqfd_cleanup_wq);
}
EXPORT_SYMBOL_GPL(vfio_virqfd_disable);

/**
 * vfio_virqfd_flush_thread - wait until a virqfd's thread half has run
 * @pvirqfd: the driver's slot
 */
void vfio_virqfd_flush_thread(struct virqfd **pvirqfd)
{
	unsigned long flags;

	spin_lock_irqsave(&virqfd_lock, flags);
	if (*pvirqfd && (*pvirqfd)->thread)
		queue_work(vfio_virqfd_cleanup_wq, &(*pvirqfd)->flush_inject);
	spin_unlock_irqrestore(&virqfd_lock, flags);

	flush_workqueue(vfio_virqfd_cleanup_wq);
}
EXPORT_SYMBOL_GPL(vfio_virqfd_flush_thread);

static int __init vfio_virqfd_init(void)
{
	vfio_virqfd_cleanup_wq = alloc_ordered_workqueue("vfio-irqfd-cleanup", 0);
	if (!vfio_virqfd_cleanup_wq)
		return -ENOMEM;
	return 0;
}

static void __exit vfio_virqfd_exit(void)
{
	destroy_workqueue(vfio_virqfd_cleanup_wq);
}

module_init(vfio_virqfd_init);
module_exit(vfio_virqfd_exit);

MODULE_VERSION("0.1");
MODULE_LICENSE("GPL v2");
MODULE_AUTHOR("The vfio-kmods authors");
MODULE_DESCRIPTION("IRQFD support for VFIO bus drivers");
