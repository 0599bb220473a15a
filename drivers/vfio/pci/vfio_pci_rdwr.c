// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci-core: read/write of BARs and the ROM through the device fd, and
 * ioeventfds (BAR writes triggered by an eventfd).
 */
#include <linux/eventfd.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "vfio_pci_priv.h"

/**
 * vfio_pci_setup_barmap - request and map a BAR on first use
 * @vdev: the device
 * @bar: BAR index
 *
 * Every BAR access through the device fd comes here: once the BAR is
 * mapped the answer is a lockless load (paired with the release below
 * that publishes the mapping), not a trip through igate.
 *
 * Return: 0 or a negative errno.
 */
int vfio_pci_setup_barmap(struct vfio_pci_core_device *vdev, int bar)
{
	struct pci_dev *pdev = vdev->pdev;
	void __iomem *io;
	int ret = 0;

	/* pairs with the release below: a mapping seen is fully set up */
	if (smp_load_acquire(&vdev->barmap[bar]))
		return 0;

	mutex_lock(&vdev->igate);
	if (vdev->barmap[bar])
		goto out_unlock;

	ret = pci_request_selected_regions(pdev, 1 << bar, "vfio");
	if (ret)
		goto out_unlock;

	io = pci_iomap(pdev, bar, 0);
	if (!io) {
		pci_release_selected_regions(pdev, 1 << bar);
		ret = -ENOMEM;
		goto out_unlock;
	}
	/* publish only once requested and mapped (the acquire above) */
	smp_store_release(&vdev->barmap[bar], io);
out_unlock:
	mutex_unlock(&vdev->igate);
	return ret;
}

/* @len (1, 2 or 4) bytes from user memory into @val's low bytes */
static int vfio_pci_get_user(u32 *val, const char __user *buf, size_t len)
{
	u16 v16;
	u8 v8;

	switch (len) {
	case 4:
		return get_user(*val, (const u32 __user *)buf);
	case 2:
		if (get_user(v16, (const u16 __user *)buf))
			return -EFAULT;
		*val = v16;
		return 0;
	default:
		if (get_user(v8, (const u8 __user *)buf))
			return -EFAULT;
		*val = v8;
		return 0;
	}
}

/* the low @len (1, 2 or 4) bytes of @val to user memory */
static int vfio_pci_put_user(u32 val, char __user *buf, size_t len)
{
	switch (len) {
	case 4:
		return put_user(val, (u32 __user *)buf);
	case 2:
		return put_user((u16)val, (u16 __user *)buf);
	default:
		return put_user((u8)val, (u8 __user *)buf);
	}
}

/**
 * vfio_pci_do_io_rw - copy between user memory and MMIO or I/O space
 * @vdev: the device
 * @test_mem: check memory decode (under memory_lock) first
 * @io: the mapping
 * @buf: user buffer
 * @off: offset in @io
 * @count: bytes
 * @x_start: start of an excluded range
 * @x_end: its end
 * @iswrite: direction
 *
 * Copies from @off in naturally aligned 4, 2
 * and 1 byte accesses. Inside [x_start, x_end) reads return 0xff and
 * writes are dropped (the MSI-X table, the tail of a ROM BAR). MMIO is
 * only touched while memory decode is on (@test_mem).
 *
 * Return: bytes done, or a negative errno when nothing was (-EFAULT, -EIO).
 */
ssize_t vfio_pci_do_io_rw(struct vfio_pci_core_device *vdev, bool test_mem,
			  void __iomem *io, char __user *buf, loff_t off,
			  size_t count, size_t x_start, size_t x_end,
			  bool iswrite)
{
	ssize_t done = 0;
	int ret = 0;

	while (count) {
		size_t fillable, filled;
		u32 val = 0;

		if (off < x_start)
			fillable = min(count, (size_t)(x_start - off));
		else if (off >= x_end)
			fillable = count;
		else
			fillable = 0;

		if (!fillable) {
			/* the excluded range: reads 0xff, writes dropped */
			filled = min(count, (size_t)(x_end - off));
			if (!iswrite) {
				size_t i;

				for (i = 0; i < filled; i++)
					if (put_user((u8)0xff, buf + i))
						goto fault;
			}
			goto next;
		}

		if (fillable >= 4 && !(off % 4))
			filled = 4;
		else if (fillable >= 2 && !(off % 2))
			filled = 2;
		else
			filled = 1;

		/*
		 * User memory is copied with no lock held: it may be an mmap
		 * of this very BAR, whose fault handler takes memory_lock.
		 * One access of the device's width each way (get_user() and
		 * put_user() rather than a byte-copy loop).
		 */
		if (iswrite && vfio_pci_get_user(&val, buf, filled))
			goto fault;

		if (test_mem) {
			down_read(&vdev->memory_lock);
			if (!__vfio_pci_memory_enabled(vdev)) {
				up_read(&vdev->memory_lock);
				ret = -EIO;
				break;
			}
		}
		switch (filled) {
		case 4:
			if (iswrite)
				iowrite32(val, io + off);
			else
				val = ioread32(io + off);
			break;
		case 2:
			if (iswrite)
				iowrite16(val, io + off);
			else
				val = ioread16(io + off);
			break;
		default:
			if (iswrite)
				iowrite8(val, io + off);
			else
				val = ioread8(io + off);
			break;
		}
		if (test_mem)
			up_read(&vdev->memory_lock);

		if (!iswrite && vfio_pci_put_user(val, buf, filled))
			goto fault;
next:
		count -= filled;
		done += filled;
		off += filled;
		buf += filled;
	}
	goto out;

fault:
	ret = -EFAULT;
out:
	return done ? done : ret;
}

/**
 * vfio_pci_bar_rw - read or write a BAR region
 * @vdev: the device
 * @buf: user buffer
 * @count: bytes; clipped at the end of the BAR
 * @ppos: device fd offset, advanced by what was done
 * @iswrite: direction
 *
 * Return: bytes done, -EINVAL past the end or for a missing BAR, -EIO
 * while memory decode is off, or another negative errno.
 */
ssize_t vfio_pci_bar_rw(struct vfio_pci_core_device *vdev, char __user *buf,
			size_t count, loff_t *ppos, bool iswrite)
{
	struct pci_dev *pdev = vdev->pdev;
	loff_t pos = *ppos & VFIO_PCI_OFFSET_MASK;
	int bar = VFIO_PCI_OFFSET_TO_INDEX(*ppos);
	size_t x_start = 0, x_end = 0;
	resource_size_t end;
	ssize_t done;
	int ret;

	if (!pci_resource_start(pdev, bar))
		return -EINVAL;
	end = pci_resource_len(pdev, bar);
	if (pos >= end)
		return -EINVAL;
	count = min(count, (size_t)(end - pos));

	ret = vfio_pci_setup_barmap(vdev, bar);
	if (ret)
		return ret;

	/* the MSI-X table belongs to the host's MSI-X code */
	if (bar == vdev->msix_bar) {
		x_start = vdev->msix_offset;
		x_end = vdev->msix_offset + vdev->msix_size;
	}

	done = vfio_pci_do_io_rw(vdev, pci_resource_flags(pdev, bar) & IORESOURCE_MEM,
				 vdev->barmap[bar], buf, pos, count,
				 x_start, x_end, iswrite);
	if (done >= 0)
		*ppos += done;
	return done;
}

/**
 * vfio_pci_rom_rw - read the option ROM region
 * @vdev: the device
 * @buf: user buffer
 * @count: bytes
 * @ppos: device fd offset
 * @iswrite: must be false
 *
 * Bytes past the ROM image read as 0xff.
 *
 * Return: bytes read or a negative errno.
 */
ssize_t vfio_pci_rom_rw(struct vfio_pci_core_device *vdev, char __user *buf,
			size_t count, loff_t *ppos, bool iswrite)
{
	struct pci_dev *pdev = vdev->pdev;
	loff_t pos = *ppos & VFIO_PCI_OFFSET_MASK;
	size_t rom_size = 0;
	resource_size_t end;
	void __iomem *io;
	ssize_t done = 0;
	int ret = 0;
	u8 *kbuf;
	u16 cmd;

	if (iswrite)
		return -EINVAL;

	if (pci_resource_start(pdev, PCI_ROM_RESOURCE))
		end = pci_resource_len(pdev, PCI_ROM_RESOURCE);
	else if (pdev->resource[PCI_ROM_RESOURCE].flags & IORESOURCE_ROM_SHADOW)
		end = 0x20000;
	else
		return -EINVAL;
	if (pos >= end)
		return -EINVAL;
	count = min(count, (size_t)(end - pos));

	kbuf = kmalloc(min_t(size_t, count, PAGE_SIZE), GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;

	/*
	 * The ROM only decodes with memory enabled, under memory_lock; it is
	 * read into a bounce buffer, and copied to the user with no lock
	 * held (the buffer may be an mmap of one of the BARs).
	 */
	while (count) {
		size_t n = min_t(size_t, count, PAGE_SIZE), in_rom = 0;

		cmd = vfio_pci_memory_lock_and_enable(vdev);
		io = pci_map_rom(pdev, &rom_size);
		if (io) {
			if (pos < rom_size)
				in_rom = min_t(size_t, n, rom_size - pos);
			memcpy_fromio(kbuf, io + pos, in_rom);
			pci_unmap_rom(pdev, io);
		}
		vfio_pci_memory_unlock_and_restore(vdev, cmd);
		if (!io) {
			ret = -ENOMEM;
			break;
		}
		/* past the image: 0xff, as an absent ROM byte reads */
		memset(kbuf + in_rom, 0xff, n - in_rom);
		if (copy_to_user(buf + done, kbuf, n)) {
			ret = -EFAULT;
			break;
		}
		done += n;
		pos += n;
		count -= n;
	}
	kfree(kbuf);
	*ppos += done;
	return done ? done : ret;
}

/* ---- ioeventfd ---- */

static void vfio_pci_ioeventfd_do_write(struct vfio_pci_ioeventfd *ioeventfd)
{
	switch (ioeventfd->count) {
	case 1:
		iowrite8(ioeventfd->data, ioeventfd->addr);
		break;
	case 2:
		iowrite16(ioeventfd->data, ioeventfd->addr);
		break;
	case 4:
		iowrite32(ioeventfd->data, ioeventfd->addr);
		break;
	case 8:
		iowrite64(ioeventfd->data, ioeventfd->addr);
		break;
	}
}

/* In the eventfd's wakeup: write now unless that would need to sleep. */
static int vfio_pci_ioeventfd_handler(void *opaque, void *unused)
{
	struct vfio_pci_ioeventfd *ioeventfd = opaque;
	struct vfio_pci_core_device *vdev = ioeventfd->vdev;

	if (ioeventfd->test_mem) {
		if (!down_read_trylock(&vdev->memory_lock))
			return 1;	/* contended: let the thread do it */
		if (!__vfio_pci_memory_enabled(vdev)) {
			up_read(&vdev->memory_lock);
			return 0;
		}
	}
	vfio_pci_ioeventfd_do_write(ioeventfd);
	if (ioeventfd->test_mem)
		up_read(&vdev->memory_lock);
	return 0;
}

static void vfio_pci_ioeventfd_thread(void *opaque, void *unused)
{
	struct vfio_pci_ioeventfd *ioeventfd = opaque;
	struct vfio_pci_core_device *vdev = ioeventfd->vdev;

	if (ioeventfd->test_mem) {
		down_read(&vdev->memory_lock);
		if (!__vfio_pci_memory_enabled(vdev)) {
			up_read(&vdev->memory_lock);
			return;
		}
	}
	vfio_pci_ioeventfd_do_write(ioeventfd);
	if (ioeventfd->test_mem)
		up_read(&vdev->memory_lock);
}

/**
 * vfio_pci_ioeventfd - add or remove an ioeventfd
 * @vdev: the device
 * @offset: device fd offset of the register (a BAR region)
 * @data: value to write
 * @count: access width in bytes (1, 2, 4 or 8)
 * @fd: eventfd, or -1 to remove the ioeventfd matching the rest
 *
 * Return: 0, -EINVAL for a bad place, -EEXIST for a duplicate, -ENODEV
 * when removing one that does not exist, -ENOSPC past 1000, or another
 * negative errno.
 */
int vfio_pci_ioeventfd(struct vfio_pci_core_device *vdev, loff_t offset,
		       u64 data, int count, int fd)
{
	struct pci_dev *pdev = vdev->pdev;
	loff_t pos = offset & VFIO_PCI_OFFSET_MASK;
	u64 bar = VFIO_PCI_OFFSET_TO_INDEX(offset);
	struct vfio_pci_ioeventfd *ioeventfd;
	int ret;

	if (bar > VFIO_PCI_BAR5_REGION_INDEX || !pci_resource_start(pdev, bar))
		return -EINVAL;
	if (pos + count > pci_resource_len(pdev, bar))
		return -EINVAL;
	/* no back door around the MSI-X table */
	if (bar == vdev->msix_bar &&
	    !(pos + count <= vdev->msix_offset ||
	      pos >= vdev->msix_offset + vdev->msix_size))
		return -EINVAL;

	ret = vfio_pci_setup_barmap(vdev, bar);
	if (ret)
		return ret;

	mutex_lock(&vdev->ioeventfds_lock);

	list_for_each_entry(ioeventfd, &vdev->ioeventfds_list, next) {
		if (ioeventfd->pos == pos && ioeventfd->bar == bar &&
		    ioeventfd->data == data && ioeventfd->count == count) {
			if (fd == -1) {
				vfio_virqfd_disable(&ioeventfd->virqfd);
				list_del(&ioeventfd->next);
				vdev->ioeventfds_nr--;
				kfree(ioeventfd);
				ret = 0;
			} else {
				ret = -EEXIST;
			}
			goto out_unlock;
		}
	}

	if (fd < 0) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (vdev->ioeventfds_nr >= VFIO_PCI_IOEVENTFD_MAX) {
		ret = -ENOSPC;
		goto out_unlock;
	}

	ioeventfd = kzalloc(sizeof(*ioeventfd), GFP_KERNEL_ACCOUNT);
	if (!ioeventfd) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	ioeventfd->vdev = vdev;
	ioeventfd->addr = vdev->barmap[bar] + pos;
	ioeventfd->data = data;
	ioeventfd->pos = pos;
	ioeventfd->bar = bar;
	ioeventfd->count = count;
	ioeventfd->test_mem = pci_resource_flags(pdev, bar) & IORESOURCE_MEM;

	ret = vfio_virqfd_enable(ioeventfd, vfio_pci_ioeventfd_handler,
				 vfio_pci_ioeventfd_thread, NULL,
				 &ioeventfd->virqfd, fd);
	if (ret) {
		kfree(ioeventfd);
		goto out_unlock;
	}
	list_add(&ioeventfd->next, &vdev->ioeventfds_list);
	vdev->ioeventfds_nr++;

out_unlock:
	mutex_unlock(&vdev->ioeventfds_lock);
	return ret;
}

/**
 * vfio_pci_ioeventfds_free - remove every ioeventfd of a device
 * @vdev: the device, being closed
 */
void vfio_pci_ioeventfds_free(struct vfio_pci_core_device *vdev)
{
	struct vfio_pci_ioeventfd *ioeventfd, *tmp;

	mutex_lock(&vdev->ioeventfds_lock);
	list_for_each_entry_safe(ioeventfd, tmp, &vdev->ioeventfds_list, next) {
		vfio_virqfd_disable(&ioeventfd->virqfd);
		list_del(&ioeventfd->next);
		kfree(ioeventfd);
	}
	vdev->ioeventfds_nr = 0;
	mutex_unlock(&vdev->ioeventfds_lock);
}
