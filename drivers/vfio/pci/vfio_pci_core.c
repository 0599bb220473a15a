// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci-core: the device side of vfio-pci. Opening and closing a PCI
 * function for a user, the VFIO_DEVICE_* ioctls, region access, the
 * request to release and device sets. SR-IOV and the VF token are in
 * vfio_pci_sriov.c, power states in vfio_pci_pm.c.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uuid.h>
#include <linux/vfio.h>
#include <trace/events/vfio.h>

#include "vfio_pci_priv.h"

#define DRIVER_AUTHOR	"The vfio-kmods authors"
#define DRIVER_DESC	"core driver for VFIO based PCI devices"

static bool nointxmask;
static bool disable_vga;
static bool disable_idle_d3;

/**
 * struct vfio_pci_dummy_resource - reservation of the rest of a BAR page
 * @resource: the reserved range
 * @index: the BAR
 * @res_next: in vfio_pci_core_device.dummy_resources_list
 */
struct vfio_pci_dummy_resource {
	struct resource		resource;
	int			index;
	struct list_head	res_next;
};

/**
 * vfio_pci_core_set_params - module parameters of vfio-pci
 * @is_nointxmask: never use DisINTx masking
 * @is_disable_vga: do not offer the VGA region
 * @is_disable_idle_d3: keep unused devices in D0
 */
void vfio_pci_core_set_params(bool is_nointxmask, bool is_disable_vga,
			      bool is_disable_idle_d3)
{
	nointxmask = is_nointxmask;
	disable_vga = is_disable_vga;
	disable_idle_d3 = is_disable_idle_d3;
}
EXPORT_SYMBOL_GPL(vfio_pci_core_set_params);

/* Did the administrator give up the VGA region (disable_vga)? */
bool vfio_pci_vga_disabled(void)
{
	return disable_vga;
}

/* Devices whose DisINTx masking is known broken: hide INTx. */
static bool vfio_pci_nointx(struct pci_dev *pdev)
{
	if (pdev->vendor != PCI_VENDOR_ID_INTEL)
		return false;

	switch (pdev->device) {
	/* i40e: XL710/X710/XXV710 */
	case 0x1572:
	case 0x1574:
	case 0x1580 ... 0x1581:
	case 0x1583 ... 0x158b:
	case 0x37d0 ... 0x37d2:
	/* X550 */
	case 0x1563:
		return true;
	default:
		return false;
	}
}

/* ---- mmappable BARs ---- */

static void vfio_pci_probe_mmaps(struct vfio_pci_core_device *vdev)
{
	struct vfio_pci_dummy_resource *dummy;
	struct resource *res;
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		res = &vdev->pdev->resource[bar];
		vdev->bar_mmap_supported[bar] = false;

		if (!IS_ENABLED(CONFIG_VFIO_PCI_MMAP) ||
		    !(res->flags & IORESOURCE_MEM) || !resource_size(res))
			continue;

		if (resource_size(res) >= PAGE_SIZE) {
			vdev->bar_mmap_supported[bar] = true;
			continue;
		}

		/*
		 * A page-aligned BAR smaller than a page: reserve the rest
		 * of its page so nothing else lands there, then map it.
		 */
		if (res->start & ~PAGE_MASK)
			continue;
		dummy = kzalloc(sizeof(*dummy), GFP_KERNEL_ACCOUNT);
		if (!dummy)
			continue;
		dummy->resource.name = "vfio sub-page reserved";
		dummy->resource.start = res->end + 1;
		dummy->resource.end = res->start + PAGE_SIZE - 1;
		dummy->resource.flags = res->flags;
		if (request_resource(res->parent, &dummy->resource)) {
			kfree(dummy);
			continue;
		}
		dummy->index = bar;
		list_add(&dummy->res_next, &vdev->dummy_resources_list);
		vdev->bar_mmap_supported[bar] = true;
	}
}

/* ---- open and close ---- */

/**
 * vfio_pci_core_enable - prepare a device for its first user
 * @vdev: the device
 *
 * Return: 0 or a negative errno (-EAGAIN when it could not be reset).
 */
int vfio_pci_core_enable(struct vfio_pci_core_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	u16 cmd;
	int ret;

	ret = vfio_pci_pm_get(vdev);
	if (ret)
		return ret;
	vfio_pci_set_power_state(vdev, PCI_D0);

	/* the saved state must not include bus mastering */
	pci_clear_master(pdev);

	ret = pci_enable_device(pdev);
	if (ret)
		goto out_pm;

	/* a reset that cannot take the device lock fails the open */
	ret = pci_try_reset_function(pdev);
	vfio_pci_reset_done(vdev, "open", ret);
	if (ret == -EAGAIN)
		goto out_disable;
	vdev->reset_works = !ret;

	/*
	 * The state to put back at close. Unlike 6.1, which only logs a
	 * failure here and then restores whatever state close finds, an
	 * open without it fails: the next user must get the device as
	 * this one did.
	 */
	pci_save_state(pdev);
	vdev->pci_saved_state = pci_store_saved_state(pdev);
	if (!vdev->pci_saved_state) {
		ret = -ENOMEM;
		goto out_disable;
	}

	if (likely(!nointxmask)) {
		if (vfio_pci_nointx(pdev)) {
			pci_info(pdev, "Masking broken INTx support\n");
			vdev->nointx = true;
			pci_intx(pdev, 0);
		} else {
			vdev->pci_2_3 = pci_intx_mask_supported(pdev);
		}
	}

	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	if (vdev->pci_2_3 && (cmd & PCI_COMMAND_INTX_DISABLE)) {
		cmd &= ~PCI_COMMAND_INTX_DISABLE;
		pci_write_config_word(pdev, PCI_COMMAND, cmd);
	}

	ret = vfio_config_init(vdev);
	if (ret) {
		kfree(vdev->pci_saved_state);
		vdev->pci_saved_state = NULL;
		goto out_disable;
	}

	if (pdev->msix_cap) {
		u16 flags;
		u32 table;

		pci_read_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS, &flags);
		pci_read_config_dword(pdev, pdev->msix_cap + PCI_MSIX_TABLE, &table);
		vdev->msix_bar = table & PCI_MSIX_TABLE_BIR;
		vdev->msix_offset = table & PCI_MSIX_TABLE_OFFSET;
		vdev->msix_size = ((flags & PCI_MSIX_FLAGS_QSIZE) + 1) * 16;
	} else {
		vdev->msix_bar = 0xFF;
	}

	vdev->has_vga = IS_ENABLED(CONFIG_VFIO_PCI_VGA) &&
			!vfio_pci_vga_disabled() && vfio_pci_is_vga(pdev);
	return 0;

out_disable:
	pci_disable_device(pdev);
out_pm:
	vfio_pci_pm_put(vdev);
	return ret;
}
EXPORT_SYMBOL_GPL(vfio_pci_core_enable);

/**
 * vfio_pci_core_finish_enable - the last step of opening a device
 * @vdev: the device
 */
void vfio_pci_core_finish_enable(struct vfio_pci_core_device *vdev)
{
	vfio_pci_probe_mmaps(vdev);
	vfio_pci_vf_token_user_add(vdev, 1);
}
EXPORT_SYMBOL_GPL(vfio_pci_core_finish_enable);

/**
 * vfio_pci_core_disable - undo everything a user did to a device
 * @vdev: the device, being closed by its last user
 *
 * Interrupts, ioeventfds, regions and BAR mappings go; the saved state
 * is restored and the function reset; a bus reset of the whole device set
 * follows when the set is idle and some member needs one.
 */
void vfio_pci_core_disable(struct vfio_pci_core_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	struct vfio_pci_dummy_resource *dummy, *tmp;
	int i;

	lockdep_assert_held(&vdev->vdev.dev_set->lock);

	/*
	 * The user may have left the device in low power or in D3hot: the
	 * restore and the reset below (a PM reset needs D0) happen awake.
	 */
	vfio_pci_low_power_exit(vdev);
	pm_runtime_resume(&pdev->dev);
	vfio_pci_set_power_state(vdev, PCI_D0);

	/* no more DMA */
	pci_clear_master(pdev);

	mutex_lock(&vdev->igate);
	vfio_pci_irqs_disable_all(vdev);
	mutex_unlock(&vdev->igate);

	vfio_pci_ioeventfds_free(vdev);
	vdev->virq_disabled = false;

	for (i = 0; i < vdev->num_regions; i++)
		vdev->region[i].ops->release(vdev, &vdev->region[i]);
	vdev->num_regions = 0;
	kfree(vdev->region);
	vdev->region = NULL;

	vfio_config_free(vdev);

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		if (!vdev->barmap[i])
			continue;
		pci_iounmap(pdev, vdev->barmap[i]);
		pci_release_selected_regions(pdev, 1 << i);
		vdev->barmap[i] = NULL;
	}

	list_for_each_entry_safe(dummy, tmp, &vdev->dummy_resources_list, res_next) {
		list_del(&dummy->res_next);
		release_resource(&dummy->resource);
		kfree(dummy);
	}

	vdev->needs_reset = true;

	/*
	 * Put back the state saved at open and reset on top of it: a reset
	 * with the current state beats nothing.
	 */
	if (pci_load_and_free_saved_state(pdev, &vdev->pci_saved_state)) {
		pci_info(pdev, "%s: Couldn't reload saved state\n", __func__);
		if (!vdev->reset_works)
			goto out;
		pci_save_state(pdev);
	}

	/* as pci_reset_function() does: no interrupts during the reset */
	pci_write_config_word(pdev, PCI_COMMAND, PCI_COMMAND_INTX_DISABLE);

	if (vdev->reset_works && pci_dev_trylock(pdev)) {
		int ret = __pci_reset_function_locked(pdev);

		vfio_pci_reset_done(vdev, "close", ret);
		if (!ret)
			vdev->needs_reset = false;
		pci_dev_unlock(pdev);
	}
	pci_restore_state(pdev);
out:
	pci_disable_device(pdev);
	vfio_pci_dev_set_try_reset(vdev->vdev.dev_set);
	vfio_pci_pm_put(vdev);
}
EXPORT_SYMBOL_GPL(vfio_pci_core_disable);

/**
 * vfio_pci_core_close_device - the close_device op of vfio-pci drivers
 * @core_vdev: the device
 */
void vfio_pci_core_close_device(struct vfio_device *core_vdev)
{
	struct vfio_pci_core_device *vdev =
		container_of(core_vdev, struct vfio_pci_core_device, vdev);

	vfio_pci_vf_token_user_add(vdev, -1);
	vfio_pci_core_disable(vdev);

	mutex_lock(&vdev->igate);
	if (vdev->err_trigger) {
		eventfd_ctx_put(vdev->err_trigger);
		vdev->err_trigger = NULL;
	}
	if (vdev->req_trigger) {
		eventfd_ctx_put(vdev->req_trigger);
		vdev->req_trigger = NULL;
	}
	mutex_unlock(&vdev->igate);
}
EXPORT_SYMBOL_GPL(vfio_pci_core_close_device);

/* ---- info ioctls ---- */

static int vfio_pci_get_irq_count(struct vfio_pci_core_device *vdev,
				  int irq_type)
{
	struct pci_dev *pdev = vdev->pdev;
	u16 flags;
	u8 pin;

	switch (irq_type) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		if (!IS_ENABLED(CONFIG_VFIO_PCI_INTX) || vdev->nointx ||
		    pdev->is_virtfn)
			return 0;
		/* the pin the user sees */
		if (vdev->vconfig)
			pin = vdev->vconfig[PCI_INTERRUPT_PIN];
		else
			pci_read_config_byte(pdev, PCI_INTERRUPT_PIN, &pin);
		return pin ? 1 : 0;
	case VFIO_PCI_MSI_IRQ_INDEX:
		if (!pdev->msi_cap)
			return 0;
		pci_read_config_word(pdev, pdev->msi_cap + PCI_MSI_FLAGS, &flags);
		return 1 << ((flags & PCI_MSI_FLAGS_QMASK) >> 1);
	case VFIO_PCI_MSIX_IRQ_INDEX:
		if (!pdev->msix_cap)
			return 0;
		pci_read_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS, &flags);
		return (flags & PCI_MSIX_FLAGS_QSIZE) + 1;
	case VFIO_PCI_ERR_IRQ_INDEX:
		return pci_is_pcie(pdev) ? 1 : 0;
	case VFIO_PCI_REQ_IRQ_INDEX:
		return 1;
	}
	return 0;
}

static int vfio_pci_ioctl_get_info(struct vfio_pci_core_device *vdev,
				   struct vfio_device_info __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	unsigned long capsz = offsetofend(struct vfio_device_info, cap_offset);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	/* callers that know cap_offset get it, 0: no capabilities on x86 */
	if (info.argsz >= capsz) {
		minsz = capsz;
		info.cap_offset = 0;
	}

	info.flags = VFIO_DEVICE_FLAGS_PCI;
	if (vdev->reset_works)
		info.flags |= VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS + vdev->num_regions;
	info.num_irqs = VFIO_PCI_NUM_IRQS;

	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static int vfio_pci_region_info(struct vfio_pci_core_device *vdev,
				struct vfio_region_info *info,
				struct vfio_info_cap *caps)
{
	struct pci_dev *pdev = vdev->pdev;
	struct vfio_info_cap_header msix_cap = {
		.id = VFIO_REGION_INFO_CAP_MSIX_MAPPABLE,
		.version = 1,
	};
	struct vfio_region_info_cap_type cap_type = {
		.header.id = VFIO_REGION_INFO_CAP_TYPE,
		.header.version = 1,
	};
	void __iomem *io;
	size_t size;
	u16 cmd;
	int i, ret;

	info->offset = VFIO_PCI_INDEX_TO_OFFSET(info->index);

	switch (info->index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info->size = pdev->cfg_size;
		info->flags = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE;
		return 0;
	case VFIO_PCI_BAR0_REGION_INDEX ... VFIO_PCI_BAR5_REGION_INDEX:
		info->size = pci_resource_len(pdev, info->index);
		if (!info->size) {
			info->flags = 0;
			return 0;
		}
		info->flags = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE;
		if (vdev->bar_mmap_supported[info->index]) {
			info->flags |= VFIO_REGION_INFO_FLAG_MMAP;
			/* the MSI-X table may be mapped: userspace overlays it */
			if (info->index == vdev->msix_bar)
				return vfio_info_add_capability(caps, &msix_cap,
								sizeof(msix_cap));
		}
		return 0;
	case VFIO_PCI_ROM_REGION_INDEX:
		info->flags = 0;
		/* the BAR size, not the ROM image size */
		info->size = pci_resource_len(pdev, info->index);
		if (!info->size) {
			if (!(pdev->resource[PCI_ROM_RESOURCE].flags &
			      IORESOURCE_ROM_SHADOW))
				return 0;
			info->size = 0x20000;
		}
		/* readable only if a ROM is really there */
		cmd = vfio_pci_memory_lock_and_enable(vdev);
		io = pci_map_rom(pdev, &size);
		if (io) {
			info->flags = VFIO_REGION_INFO_FLAG_READ;
			pci_unmap_rom(pdev, io);
		} else {
			info->size = 0;
		}
		vfio_pci_memory_unlock_and_restore(vdev, cmd);
		return 0;
	case VFIO_PCI_VGA_REGION_INDEX:
		if (!vdev->has_vga)
			return -EINVAL;
		info->size = 0xc0000;
		info->flags = VFIO_REGION_INFO_FLAG_READ |
			      VFIO_REGION_INFO_FLAG_WRITE;
		return 0;
	}

	if (info->index >= VFIO_PCI_NUM_REGIONS + vdev->num_regions)
		return -EINVAL;
	info->index = array_index_nospec(info->index,
					 VFIO_PCI_NUM_REGIONS + vdev->num_regions);
	i = info->index - VFIO_PCI_NUM_REGIONS;
	info->size = vdev->region[i].size;
	info->flags = vdev->region[i].flags;
	cap_type.type = vdev->region[i].type;
	cap_type.subtype = vdev->region[i].subtype;
	ret = vfio_info_add_capability(caps, &cap_type.header, sizeof(cap_type));
	if (ret)
		return ret;
	if (vdev->region[i].ops->add_capability)
		return vdev->region[i].ops->add_capability(vdev,
							   &vdev->region[i],
							   caps);
	return 0;
}

static int vfio_pci_ioctl_get_region_info(struct vfio_pci_core_device *vdev,
					  struct vfio_region_info __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_info_cap caps = { .buf = NULL, .size = 0 };
	struct vfio_region_info info;
	int ret;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	ret = vfio_pci_region_info(vdev, &info, &caps);
	if (ret) {
		kfree(caps.buf);
		return ret;
	}

	if (caps.size)
		info.flags |= VFIO_REGION_INFO_FLAG_CAPS;
	ret = vfio_info_cap_to_user(&caps, arg, sizeof(info), &info.argsz,
				    &info.cap_offset);
	if (ret)
		return ret;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static int vfio_pci_ioctl_get_irq_info(struct vfio_pci_core_device *vdev,
				       struct vfio_irq_info __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	if (info.index == VFIO_PCI_ERR_IRQ_INDEX && !pci_is_pcie(vdev->pdev))
		return -EINVAL;

	info.flags = VFIO_IRQ_INFO_EVENTFD;
	info.count = vfio_pci_get_irq_count(vdev, info.index);
	if (info.index == VFIO_PCI_INTX_IRQ_INDEX)
		info.flags |= VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
	else
		info.flags |= VFIO_IRQ_INFO_NORESIZE;

	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static int vfio_pci_ioctl_set_irqs(struct vfio_pci_core_device *vdev,
				   struct vfio_irq_set __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	u8 *data = NULL;
	int max, ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;

	max = hdr.index < VFIO_PCI_NUM_IRQS ?
	      vfio_pci_get_irq_count(vdev, hdr.index) : 0;
	ret = vfio_set_irqs_validate_and_prepare(&hdr, max, VFIO_PCI_NUM_IRQS,
						 &data_size);
	if (ret)
		return ret;

	if (data_size) {
		data = memdup_user(&arg->data, data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}

	mutex_lock(&vdev->igate);
	ret = vfio_pci_set_irqs_ioctl(vdev, hdr.flags, hdr.index, hdr.start,
				      hdr.count, data);
	mutex_unlock(&vdev->igate);
	kfree(data);
	return ret;
}

static int vfio_pci_ioctl_reset(struct vfio_pci_core_device *vdev)
{
	int ret;

	if (!vdev->reset_works)
		return -EINVAL;

	/* mappings are revoked across the reset and refault afterwards */
	vfio_pci_zap_and_down_write_memory_lock(vdev);
	vfio_pci_set_power_state(vdev, PCI_D0);
	ret = pci_try_reset_function(vdev->pdev);
	up_write(&vdev->memory_lock);
	vfio_pci_reset_done(vdev, "function", ret);
	return ret;
}

static int vfio_pci_ioctl_ioeventfd(struct vfio_pci_core_device *vdev,
				    struct vfio_device_ioeventfd __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_ioeventfd, fd);
	struct vfio_device_ioeventfd ioeventfd;
	int count;

	if (copy_from_user(&ioeventfd, arg, minsz))
		return -EFAULT;
	if (ioeventfd.argsz < minsz ||
	    ioeventfd.flags & ~VFIO_DEVICE_IOEVENTFD_SIZE_MASK)
		return -EINVAL;

	count = ioeventfd.flags & VFIO_DEVICE_IOEVENTFD_SIZE_MASK;
	if (hweight8(count) != 1 || ioeventfd.fd < -1)
		return -EINVAL;

	return vfio_pci_ioeventfd(vdev, ioeventfd.offset, ioeventfd.data,
				  count, ioeventfd.fd);
}

/**
 * vfio_pci_core_ioctl - the VFIO_DEVICE_* ioctls of a PCI device
 * @core_vdev: the device
 * @cmd: the ioctl
 * @arg: its argument
 *
 * Return: the ioctl's result; -ENOTTY for an unknown one.
 */
long vfio_pci_core_ioctl(struct vfio_device *core_vdev, unsigned int cmd,
			 unsigned long arg)
{
	struct vfio_pci_core_device *vdev =
		container_of(core_vdev, struct vfio_pci_core_device, vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return vfio_pci_ioctl_get_info(vdev, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return vfio_pci_ioctl_get_region_info(vdev, uarg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return vfio_pci_ioctl_get_irq_info(vdev, uarg);
	case VFIO_DEVICE_SET_IRQS:
		return vfio_pci_ioctl_set_irqs(vdev, uarg);
	case VFIO_DEVICE_RESET:
		return vfio_pci_ioctl_reset(vdev);
	case VFIO_DEVICE_GET_PCI_HOT_RESET_INFO:
		return vfio_pci_ioctl_get_pci_hot_reset_info(vdev, uarg);
	case VFIO_DEVICE_PCI_HOT_RESET:
		return vfio_pci_ioctl_pci_hot_reset(vdev, uarg);
	case VFIO_DEVICE_IOEVENTFD:
		return vfio_pci_ioctl_ioeventfd(vdev, uarg);
	default:
		return -ENOTTY;
	}
}
EXPORT_SYMBOL_GPL(vfio_pci_core_ioctl);

/**
 * vfio_pci_core_ioctl_feature - VFIO_DEVICE_FEATURE of a PCI device
 * @device: the device
 * @flags: the request's flags
 * @arg: the payload
 * @argsz: its size
 *
 * Return: the feature's result; -ENOTTY for an unsupported feature.
 */
int vfio_pci_core_ioctl_feature(struct vfio_device *device, u32 flags,
				void __user *arg, size_t argsz)
{
	struct vfio_pci_core_device *vdev =
		container_of(device, struct vfio_pci_core_device, vdev);

	switch (flags & VFIO_DEVICE_FEATURE_MASK) {
	case VFIO_DEVICE_FEATURE_PCI_VF_TOKEN:
		return vfio_pci_core_feature_token(vdev, flags, arg, argsz);
	default:
		return vfio_pci_pm_feature(vdev, flags, arg, argsz);
	}
}
EXPORT_SYMBOL_GPL(vfio_pci_core_ioctl_feature);

/* ---- read, write, mmap ---- */

static ssize_t vfio_pci_rw(struct vfio_pci_core_device *vdev, char __user *buf,
			   size_t count, loff_t *ppos, bool iswrite)
{
	unsigned int index = VFIO_PCI_OFFSET_TO_INDEX(*ppos);
	ssize_t ret;

	if (index >= VFIO_PCI_NUM_REGIONS + vdev->num_regions)
		return -EINVAL;

	/* an access wakes a device its user let sleep */
	ret = pm_runtime_resume_and_get(&vdev->pdev->dev);
	if (ret) {
		pci_info_ratelimited(vdev->pdev, "runtime resume failed %zd\n",
				     ret);
		return -EIO;
	}

	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		ret = vfio_pci_config_rw(vdev, buf, count, ppos, iswrite);
		break;
	case VFIO_PCI_ROM_REGION_INDEX:
		ret = vfio_pci_rom_rw(vdev, buf, count, ppos, iswrite);
		break;
	case VFIO_PCI_BAR0_REGION_INDEX ... VFIO_PCI_BAR5_REGION_INDEX:
		ret = vfio_pci_bar_rw(vdev, buf, count, ppos, iswrite);
		break;
	case VFIO_PCI_VGA_REGION_INDEX:
		ret = vfio_pci_vga_rw(vdev, buf, count, ppos, iswrite);
		break;
	default:
		index -= VFIO_PCI_NUM_REGIONS;
		index = array_index_nospec(index, vdev->num_regions);
		ret = vdev->region[index].ops->rw(vdev, buf, count, ppos,
						  iswrite);
		break;
	}

	pm_runtime_put(&vdev->pdev->dev);
	return ret;
}

/**
 * vfio_pci_core_read - read(2) on a PCI device fd
 * @core_vdev: the device
 * @buf: user buffer
 * @count: bytes
 * @ppos: offset (region index << 40 | offset in region)
 *
 * Return: bytes read or a negative errno.
 */
ssize_t vfio_pci_core_read(struct vfio_device *core_vdev, char __user *buf,
			   size_t count, loff_t *ppos)
{
	struct vfio_pci_core_device *vdev =
		container_of(core_vdev, struct vfio_pci_core_device, vdev);

	if (!count)
		return 0;
	return vfio_pci_rw(vdev, buf, count, ppos, false);
}
EXPORT_SYMBOL_GPL(vfio_pci_core_read);

/**
 * vfio_pci_core_write - write(2) on a PCI device fd
 * @core_vdev: the device
 * @buf: user buffer
 * @count: bytes
 * @ppos: offset (region index << 40 | offset in region)
 *
 * Return: bytes written or a negative errno.
 */
ssize_t vfio_pci_core_write(struct vfio_device *core_vdev,
			    const char __user *buf, size_t count, loff_t *ppos)
{
	struct vfio_pci_core_device *vdev =
		container_of(core_vdev, struct vfio_pci_core_device, vdev);

	if (!count)
		return 0;
	return vfio_pci_rw(vdev, (char __user *)buf, count, ppos, true);
}
EXPORT_SYMBOL_GPL(vfio_pci_core_write);

/**
 * vfio_pci_core_mmap - mmap(2) on a PCI device fd
 * @core_vdev: the device
 * @vma: the mapping; vm_pgoff encodes the region
 *
 * Return: 0 or a negative errno.
 */
int vfio_pci_core_mmap(struct vfio_device *core_vdev, struct vm_area_struct *vma)
{
	struct vfio_pci_core_device *vdev =
		container_of(core_vdev, struct vfio_pci_core_device, vdev);
	unsigned int index = vma->vm_pgoff >> (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT);

	if (vma->vm_end < vma->vm_start)
		return -EINVAL;
	if (index >= VFIO_PCI_NUM_REGIONS + vdev->num_regions)
		return -EINVAL;
	if (index >= VFIO_PCI_NUM_REGIONS) {
		int regnum = array_index_nospec(index - VFIO_PCI_NUM_REGIONS,
						vdev->num_regions);
		struct vfio_pci_region *region = vdev->region + regnum;

		if (region->ops && region->ops->mmap &&
		    (region->flags & VFIO_REGION_INFO_FLAG_MMAP))
			return region->ops->mmap(vdev, region, vma);
		return -EINVAL;
	}
	return vfio_pci_bar_mmap(vdev, vma, index);
}
EXPORT_SYMBOL_GPL(vfio_pci_core_mmap);

/**
 * vfio_pci_core_request - ask the user to release the device
 * @core_vdev: the device
 * @count: how many times we asked before
 */
void vfio_pci_core_request(struct vfio_device *core_vdev, unsigned int count)
{
	struct vfio_pci_core_device *vdev =
		container_of(core_vdev, struct vfio_pci_core_device, vdev);
	struct pci_dev *pdev = vdev->pdev;

	mutex_lock(&vdev->igate);
	if (vdev->req_trigger) {
		if (!(count % 10))
			pci_notice_ratelimited(pdev, "Relaying device request to user (#%u)\n",
					       count);
		eventfd_signal(vdev->req_trigger, 1);
	} else if (count == 0) {
		pci_warn(pdev, "No device request channel registered, blocked until released by user\n");
	}
	mutex_unlock(&vdev->igate);
}
EXPORT_SYMBOL_GPL(vfio_pci_core_request);

/**
 * vfio_pci_core_register_dev_region - add a device specific region
 * @vdev: the device, being opened
 * @type: VFIO_REGION_INFO_CAP_TYPE type
 * @subtype: and subtype
 * @ops: region callbacks
 * @size: size
 * @flags: VFIO_REGION_INFO_FLAG_*
 * @data: the driver's data
 *
 * Return: 0 or -ENOMEM.
 */
int vfio_pci_core_register_dev_region(struct vfio_pci_core_device *vdev,
				      unsigned int type, unsigned int subtype,
				      const struct vfio_pci_regops *ops,
				      size_t size, u32 flags, void *data)
{
	struct vfio_pci_region *region;

	region = krealloc(vdev->region,
			  (vdev->num_regions + 1) * sizeof(*region),
			  GFP_KERNEL_ACCOUNT);
	if (!region)
		return -ENOMEM;

	vdev->region = region;
	vdev->region[vdev->num_regions].type = type;
	vdev->region[vdev->num_regions].subtype = subtype;
	vdev->region[vdev->num_regions].ops = ops;
	vdev->region[vdev->num_regions].size = size;
	vdev->region[vdev->num_regions].flags = flags;
	vdev->region[vdev->num_regions].data = data;
	vdev->num_regions++;
	return 0;
}
EXPORT_SYMBOL_GPL(vfio_pci_core_register_dev_region);

/* ---- AER ---- */

/**
 * vfio_pci_core_aer_err_detected - relay an AER error to the user
 * @pdev: the device
 * @state: the channel state
 *
 * Return: PCI_ERS_RESULT_CAN_RECOVER.
 */
pci_ers_result_t vfio_pci_core_aer_err_detected(struct pci_dev *pdev,
						pci_channel_state_t state)
{
	struct vfio_pci_core_device *vdev = dev_get_drvdata(&pdev->dev);

	mutex_lock(&vdev->igate);
	if (vdev->err_trigger)
		eventfd_signal(vdev->err_trigger, 1);
	mutex_unlock(&vdev->igate);
	return PCI_ERS_RESULT_CAN_RECOVER;
}
EXPORT_SYMBOL_GPL(vfio_pci_core_aer_err_detected);

const struct pci_error_handlers vfio_pci_core_err_handlers = {
	.error_detected = vfio_pci_core_aer_err_detected,
};
EXPORT_SYMBOL_GPL(vfio_pci_core_err_handlers);

/* ---- device life ---- */

/**
 * vfio_pci_core_init_dev - the init op of vfio-pci drivers
 * @core_vdev: the freshly allocated device
 *
 * Return: 0.
 */
int vfio_pci_core_init_dev(struct vfio_device *core_vdev)
{
	struct vfio_pci_core_device *vdev =
		container_of(core_vdev, struct vfio_pci_core_device, vdev);

	vdev->pdev = to_pci_dev(core_vdev->dev);
	vdev->irq_type = VFIO_PCI_NUM_IRQS;
	mutex_init(&vdev->igate);
	spin_lock_init(&vdev->irqlock);
	mutex_init(&vdev->ioeventfds_lock);
	INIT_LIST_HEAD(&vdev->dummy_resources_list);
	INIT_LIST_HEAD(&vdev->ioeventfds_list);
	INIT_LIST_HEAD(&vdev->sriov_pfs_item);
	init_rwsem(&vdev->memory_lock);
	vdev->disable_idle_d3 = disable_idle_d3;
	return 0;
}
EXPORT_SYMBOL_GPL(vfio_pci_core_init_dev);

/**
 * vfio_pci_core_release_dev - the release op of vfio-pci drivers
 * @core_vdev: the device, last reference gone
 */
void vfio_pci_core_release_dev(struct vfio_device *core_vdev)
{
	struct vfio_pci_core_device *vdev =
		container_of(core_vdev, struct vfio_pci_core_device, vdev);

	mutex_destroy(&vdev->igate);
	mutex_destroy(&vdev->ioeventfds_lock);
	kfree(vdev->region);
	kfree(vdev->pm_save);
	vfio_free_device(core_vdev);
}
EXPORT_SYMBOL_GPL(vfio_pci_core_release_dev);

/**
 * vfio_pci_core_register_device - expose a bound PCI function
 * @vdev: the device, set as the pci_dev's drvdata
 *
 * Return: 0 or a negative errno (-EINVAL for bridges, -EBUSY for a PF
 * that already has VFs).
 */
int vfio_pci_core_register_device(struct vfio_pci_core_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	struct device *dev = &pdev->dev;
	int ret;

	if (WARN_ON(vdev != dev_get_drvdata(dev)))
		return -EINVAL;
	if (pdev->hdr_type != PCI_HEADER_TYPE_NORMAL)
		return -EINVAL;
	if (vdev->vdev.mig_ops &&
	    (!vdev->vdev.mig_ops->migration_get_state ||
	     !vdev->vdev.mig_ops->migration_set_state ||
	     !(vdev->vdev.migration_flags & VFIO_MIGRATION_STOP_COPY)))
		return -EINVAL;

	/* VFs that exist already may be in use: we could not track them */
	if (pci_num_vf(pdev)) {
		pci_warn(pdev, "Cannot bind to PF with SR-IOV enabled\n");
		return -EBUSY;
	}

	/*
	 * Devices that reset together open and close together: the slot
	 * when it can be reset alone, else the whole bus. Root bus devices
	 * and VFs have no bus reset to share: each is its own set.
	 */
	if (pci_is_root_bus(pdev->bus) || pdev->is_virtfn)
		ret = vfio_assign_device_set(&vdev->vdev, vdev);
	else if (!pci_probe_reset_slot(pdev->slot))
		ret = vfio_assign_device_set(&vdev->vdev, pdev->slot);
	else
		ret = vfio_assign_device_set(&vdev->vdev, pdev->bus);
	if (ret)
		return ret;

	ret = vfio_pci_vf_init(vdev);
	if (ret)
		return ret;
	ret = vfio_pci_vga_init(vdev);
	if (ret)
		goto out_vf;

	/*
	 * The PCI core leaves an unbound device's power state unknown; D0
	 * first, then idle devices may suspend.
	 */
	vfio_pci_probe_power_state(vdev);
	vfio_pci_set_power_state(vdev, PCI_D0);
	vfio_pci_pm_register(vdev);

	ret = vfio_register_group_dev(&vdev->vdev);
	if (ret)
		goto out_pm;
	vfio_pci_debugfs_init(vdev);
	return 0;

out_pm:
	vfio_pci_pm_unregister(vdev);
	vfio_pci_vga_uninit(vdev);
out_vf:
	vfio_pci_vf_uninit(vdev);
	return ret;
}
EXPORT_SYMBOL_GPL(vfio_pci_core_register_device);

/**
 * vfio_pci_core_unregister_device - withdraw a PCI function
 * @vdev: the device
 *
 * Blocks until the user has closed it (see vfio_unregister_group_dev()).
 */
void vfio_pci_core_unregister_device(struct vfio_pci_core_device *vdev)
{
	vfio_pci_core_sriov_configure(vdev, 0);
	vfio_unregister_group_dev(&vdev->vdev);
	vfio_pci_vf_uninit(vdev);
	vfio_pci_vga_uninit(vdev);
	vfio_pci_pm_unregister(vdev);
}
EXPORT_SYMBOL_GPL(vfio_pci_core_unregister_device);

static int __init vfio_pci_core_init(void)
{
	return vfio_pci_init_perm_bits();
}

static void __exit vfio_pci_core_cleanup(void)
{
	vfio_pci_uninit_perm_bits();
}

module_init(vfio_pci_core_init);
module_exit(vfio_pci_core_cleanup);

MODULE_VERSION("0.2");
MODULE_LICENSE("GPL v2");
MODULE_AUTHOR(DRIVER_AUTHOR);
MODULE_DESCRIPTION(DRIVER_DESC);
