// SPDX-License-Identifier: GPL-2.0-only
/*
 * The legacy VGA region (index 8) of VGA-class devices: the memory window
 * 0xa0000-0xbffff and the I/O ports 0x3b0-0x3bb and 0x3c0-0x3df, each at
 * its own address inside the region. Only one device on a system can
 * decode these at a time, so every access is made under the VGA
 * arbiter, which routes the legacy ranges to our device first.
 */
#include <linux/aperture.h>
#include <linux/io.h>
#include <linux/pci.h>
#include <linux/vfio.h>
#include <linux/vgaarb.h>

#include "vfio_pci_priv.h"

#define VGA_ALL_RSRC	(VGA_RSRC_NORMAL_IO | VGA_RSRC_NORMAL_MEM | \
			 VGA_RSRC_LEGACY_IO | VGA_RSRC_LEGACY_MEM)

/*
 * What the device decodes, for the arbiter. A device whose user gave up
 * the VGA region (disable_vga) can drop the legacy ranges, unless another
 * VGA device sits below the same bridge: bridge routing cannot tell them
 * apart. Alone in the system, or on the root bus, it keeps everything.
 */
static unsigned int vfio_pci_vga_decode(struct pci_dev *pdev, bool single_vga)
{
	unsigned int decodes = VGA_RSRC_NORMAL_IO | VGA_RSRC_NORMAL_MEM;
	unsigned char max_busnr;
	struct pci_dev *other = NULL;

	if (single_vga || !vfio_pci_vga_disabled() || pci_is_root_bus(pdev->bus))
		return VGA_ALL_RSRC;

	max_busnr = pci_bus_max_busnr(pdev->bus);
	while ((other = pci_get_class(PCI_CLASS_DISPLAY_VGA << 8, other))) {
		if (other == pdev ||
		    pci_domain_nr(other->bus) != pci_domain_nr(pdev->bus) ||
		    pci_is_root_bus(other->bus))
			continue;
		if (other->bus->number >= pdev->bus->number &&
		    other->bus->number <= max_busnr) {
			pci_dev_put(other);
			decodes |= VGA_RSRC_LEGACY_IO | VGA_RSRC_LEGACY_MEM;
			break;
		}
	}
	return decodes;
}

/**
 * vfio_pci_vga_init - take a VGA device from firmware framebuffers
 * @vdev: the device, being registered
 *
 * Return: 0 or a negative errno.
 */
int vfio_pci_vga_init(struct vfio_pci_core_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	int ret;

	if (!vfio_pci_is_vga(pdev))
		return 0;

	/* efifb or simpledrm on its BARs would keep them busy */
	ret = aperture_remove_conflicting_pci_devices(pdev, vdev->vdev.ops->name);
	if (ret)
		return ret;
	ret = vga_client_register(pdev, vfio_pci_vga_decode);
	if (ret)
		return ret;
	vga_set_legacy_decoding(pdev, vfio_pci_vga_decode(pdev, false));
	return 0;
}

/**
 * vfio_pci_vga_uninit - give the arbiter its defaults back
 * @vdev: the device, being unregistered
 */
void vfio_pci_vga_uninit(struct vfio_pci_core_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;

	if (!vfio_pci_is_vga(pdev))
		return;
	vga_client_unregister(pdev);
	vga_set_legacy_decoding(pdev, VGA_ALL_RSRC);
}

/**
 * vfio_pci_vga_rw - read or write the VGA region
 * @vdev: the device
 * @buf: user buffer
 * @count: bytes
 * @ppos: device fd offset
 * @iswrite: direction
 *
 * One access stays inside one of the three windows; it is cut at the
 * window's end.
 *
 * Return: bytes done or a negative errno (-EINVAL outside the windows or
 * without a VGA region, -EINTR when waiting for the arbiter was
 * interrupted).
 */
ssize_t vfio_pci_vga_rw(struct vfio_pci_core_device *vdev, char __user *buf,
			size_t count, loff_t *ppos, bool iswrite)
{
	loff_t pos = *ppos & VFIO_PCI_OFFSET_MASK;
	unsigned long base, end;
	void __iomem *io;
	unsigned int rsrc;
	ssize_t done;
	int ret;

	if (!vdev->has_vga)
		return -EINVAL;

	if (pos >= 0xa0000 && pos < 0xc0000) {
		base = 0xa0000;
		end = 0xc0000;
	} else if (pos >= 0x3b0 && pos < 0x3bc) {
		base = 0x3b0;
		end = 0x3bc;
	} else if (pos >= 0x3c0 && pos < 0x3e0) {
		base = 0x3c0;
		end = 0x3e0;
	} else {
		return -EINVAL;
	}
	count = min_t(size_t, count, end - pos);

	if (base == 0xa0000) {
		io = ioremap(base, end - base);
		rsrc = VGA_RSRC_LEGACY_MEM;
	} else {
		io = ioport_map(base, end - base);
		rsrc = VGA_RSRC_LEGACY_IO;
	}
	if (!io)
		return -ENOMEM;

	ret = vga_get_interruptible(vdev->pdev, rsrc);
	if (ret) {
		done = ret;
		goto out_unmap;
	}
	/* legacy ranges are not BARs: memory decode is not consulted */
	done = vfio_pci_do_io_rw(vdev, false, io, buf, pos - base, count, 0, 0,
				 iswrite);
	vga_put(vdev->pdev, rsrc);
	if (done > 0)
		*ppos += done;

out_unmap:
	if (base == 0xa0000)
		iounmap(io);
	else
		ioport_unmap(io);
	return done;
}
