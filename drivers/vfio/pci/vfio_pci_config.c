// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci-core: config space virtualization.
 *
 * Each device keeps a virtual copy of its config space (vconfig) and a
 * byte map telling which capability owns each byte. Every capability kind
 * has a struct perm_bits describing, bit by bit, what is virtual (read
 * from vconfig) and what the user may write:
 *
 *   virtual + writable      -> the write lands in vconfig
 *   real + writable         -> read-modify-write of the hardware
 *   not writable            -> the write is dropped
 *
 * A capability may add read and write hooks for what bits cannot say
 * (BAR sizing, power states, FLR, MSI enable). The permission tables are
 * all built in vfio_pci_init_perm_bits(), one function per capability.
 *
 * Every capability's next pointer is virtual so that capabilities can be
 * hidden from the chain. Bytes owned by no capability are passed through.
 */
#include <kunit/visibility.h>
#include <linux/eventfd.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <trace/events/vfio.h>

#include "vfio_pci_priv.h"

#define ALL_VIRT	0xFFFFFFFFU
#define NO_VIRT		0
#define ALL_WRITE	0xFFFFFFFFU
#define NO_WRITE	0

/* the standard header, owning config bytes 0..63, as a capability id */
#define PCI_CAP_ID_BASIC	0

/* ---- capability lengths ---- */

/* Fixed lengths of standard capabilities; 0 hides it, 0xFF is computed. */
static const u8 pci_cap_length[PCI_CAP_ID_MAX + 1] = {
	[PCI_CAP_ID_BASIC]	= PCI_STD_HEADER_SIZEOF,
	[PCI_CAP_ID_PM]		= PCI_PM_SIZEOF,
	[PCI_CAP_ID_AGP]	= PCI_AGP_SIZEOF,
	[PCI_CAP_ID_VPD]	= PCI_CAP_VPD_SIZEOF,
	[PCI_CAP_ID_SLOTID]	= 0,	/* bridge only */
	[PCI_CAP_ID_MSI]	= 0xFF,	/* 10, 14, 20 or 24 */
	[PCI_CAP_ID_CHSWP]	= 0,	/* CompactPCI hotswap */
	[PCI_CAP_ID_PCIX]	= 0xFF,	/* 8 or 24 */
	[PCI_CAP_ID_HT]		= 0xFF,
	[PCI_CAP_ID_VNDR]	= 0xFF,
	[PCI_CAP_ID_DBG]	= 0,
	[PCI_CAP_ID_CCRC]	= 0,
	[PCI_CAP_ID_SHPC]	= 0,
	[PCI_CAP_ID_SSVID]	= 0,	/* bridge only */
	[PCI_CAP_ID_AGP3]	= 0,
	[PCI_CAP_ID_SECDEV]	= 0,
	[PCI_CAP_ID_EXP]	= 0xFF,	/* 20 or 50 (RCiEP 12 or 44) */
	[PCI_CAP_ID_MSIX]	= PCI_CAP_MSIX_SIZEOF,
	[PCI_CAP_ID_SATA]	= 0xFF,
	[PCI_CAP_ID_AF]		= PCI_CAP_AF_SIZEOF,
};

/* Fixed lengths of extended capabilities; 0 hides it, 0xFF is computed. */
static const u8 pci_ext_cap_length[PCI_EXT_CAP_ID_MAX + 1] = {
	[PCI_EXT_CAP_ID_ERR]	= PCI_ERR_ROOT_COMMAND,
	[PCI_EXT_CAP_ID_VC]	= 0xFF,
	[PCI_EXT_CAP_ID_DSN]	= PCI_EXT_CAP_DSN_SIZEOF,
	[PCI_EXT_CAP_ID_PWR]	= PCI_EXT_CAP_PWR_SIZEOF,
	[PCI_EXT_CAP_ID_RCLD]	= 0,	/* root complex only */
	[PCI_EXT_CAP_ID_RCILC]	= 0,
	[PCI_EXT_CAP_ID_RCEC]	= 0,
	[PCI_EXT_CAP_ID_MFVC]	= 0xFF,
	[PCI_EXT_CAP_ID_VC9]	= 0xFF,
	[PCI_EXT_CAP_ID_RCRB]	= 0,
	[PCI_EXT_CAP_ID_VNDR]	= 0xFF,
	[PCI_EXT_CAP_ID_CAC]	= 0,
	[PCI_EXT_CAP_ID_ACS]	= 0xFF,
	[PCI_EXT_CAP_ID_ARI]	= PCI_EXT_CAP_ARI_SIZEOF,
	[PCI_EXT_CAP_ID_ATS]	= PCI_EXT_CAP_ATS_SIZEOF,
	[PCI_EXT_CAP_ID_SRIOV]	= PCI_EXT_CAP_SRIOV_SIZEOF,
	[PCI_EXT_CAP_ID_MRIOV]	= 0,
	[PCI_EXT_CAP_ID_MCAST]	= PCI_EXT_CAP_MCAST_ENDPOINT_SIZEOF,
	[PCI_EXT_CAP_ID_PRI]	= PCI_EXT_CAP_PRI_SIZEOF,
	[PCI_EXT_CAP_ID_AMD_XXX] = 0,
	[PCI_EXT_CAP_ID_REBAR]	= 0xFF,
	[PCI_EXT_CAP_ID_DPA]	= 0xFF,
	[PCI_EXT_CAP_ID_TPH]	= 0xFF,
	[PCI_EXT_CAP_ID_LTR]	= PCI_EXT_CAP_LTR_SIZEOF,
	[PCI_EXT_CAP_ID_SECPCI]	= 0,
	[PCI_EXT_CAP_ID_PMUX]	= 0,
	[PCI_EXT_CAP_ID_PASID]	= 0,
};

/* ---- hardware access ---- */

static int vfio_user_config_read(struct pci_dev *pdev, int offset,
				 __le32 *val, int count)
{
	int ret = -EINVAL;
	u32 tmp_val = 0;

	switch (count) {
	case 1: {
		u8 tmp;

		ret = pci_user_read_config_byte(pdev, offset, &tmp);
		tmp_val = tmp;
		break;
	}
	case 2: {
		u16 tmp;

		ret = pci_user_read_config_word(pdev, offset, &tmp);
		tmp_val = tmp;
		break;
	}
	case 4:
		ret = pci_user_read_config_dword(pdev, offset, &tmp_val);
		break;
	}
	*val = cpu_to_le32(tmp_val);
	return ret;
}

/* @vdev notes what went to the hardware, for the config write event */
static int vfio_user_config_write(struct vfio_pci_core_device *vdev,
				  int offset, __le32 val, int count)
{
	struct pci_dev *pdev = vdev->pdev;
	u32 tmp_val = le32_to_cpu(val);

	vdev->cfg_hw_written = true;
	vdev->cfg_hw_val = tmp_val;
	switch (count) {
	case 1:
		return pci_user_write_config_byte(pdev, offset, tmp_val);
	case 2:
		return pci_user_write_config_word(pdev, offset, tmp_val);
	case 4:
		return pci_user_write_config_dword(pdev, offset, tmp_val);
	}
	return -EINVAL;
}

/* ---- generic accessors ---- */

/**
 * vfio_perm_mask - the bits of a permission table under one access
 * @bits: the table (virt or write); NULL for a capability without one
 * @offset: offset of the access in the capability
 * @count: 1, 2 or 4 bytes
 *
 * Return: the mask, in config space (little endian) byte order, with the
 * bytes past @count zero; zero for a NULL table.
 */
VISIBLE_IF_KUNIT __le32 vfio_perm_mask(const u8 *bits, int offset, int count)
{
	__le32 mask = 0;

	if (bits)
		memcpy(&mask, bits + offset, count);
	return mask;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_perm_mask);

static __le32 vfio_count_mask(int count)
{
	return cpu_to_le32(~0U >> (32 - count * 8));
}

/* Virtual bits from vconfig, the rest from the hardware. */
static int vfio_default_config_read(struct vfio_pci_core_device *vdev, int pos,
				    int count, struct perm_bits *perm,
				    int offset, __le32 *val)
{
	__le32 virt = vfio_perm_mask(perm->virt, offset, count);

	memcpy(val, vdev->vconfig + pos, count);

	if (virt != vfio_count_mask(count)) {
		__le32 phys;
		int ret;

		ret = vfio_user_config_read(vdev->pdev, pos, &phys, count);
		if (ret)
			return pcibios_err_to_errno(ret);
		*val = (*val & virt) | (phys & ~virt);
	}
	return count;
}

/* Writable virtual bits to vconfig, writable real bits to the hardware. */
static int vfio_default_config_write(struct vfio_pci_core_device *vdev, int pos,
				     int count, struct perm_bits *perm,
				     int offset, __le32 val)
{
	__le32 write = vfio_perm_mask(perm->write, offset, count);
	__le32 virt = vfio_perm_mask(perm->virt, offset, count);

	if (!write)
		return count;

	if (write & virt) {
		__le32 vval = 0;

		memcpy(&vval, vdev->vconfig + pos, count);
		vval = (vval & ~(write & virt)) | (val & write & virt);
		memcpy(vdev->vconfig + pos, &vval, count);
	}

	if (write & ~virt) {
		__le32 phys;
		int ret;

		ret = vfio_user_config_read(vdev->pdev, pos, &phys, count);
		if (ret)
			return pcibios_err_to_errno(ret);
		phys = (phys & ~(write & ~virt)) | (val & write & ~virt);
		ret = vfio_user_config_write(vdev, pos, phys, count);
		if (ret)
			return pcibios_err_to_errno(ret);
	}
	return count;
}

/* The hardware, except the capability header bytes, from vconfig. */
static int vfio_direct_config_read(struct vfio_pci_core_device *vdev, int pos,
				   int count, struct perm_bits *perm,
				   int offset, __le32 *val)
{
	int ret;

	ret = vfio_user_config_read(vdev->pdev, pos, val, count);
	if (ret)
		return pcibios_err_to_errno(ret);

	if (pos >= PCI_CFG_SPACE_SIZE) {
		/* the extended header dword carries the next pointer */
		if (offset < 4)
			memcpy(val, vdev->vconfig + pos, count);
	} else if (pos >= PCI_STD_HEADER_SIZEOF) {
		if (offset == PCI_CAP_LIST_ID && count > 1)
			memcpy(val, vdev->vconfig + pos,
			       min(PCI_CAP_FLAGS, count));
		else if (offset == PCI_CAP_LIST_NEXT)
			memcpy(val, vdev->vconfig + pos, 1);
	}
	return count;
}

static int vfio_raw_config_write(struct vfio_pci_core_device *vdev, int pos,
				 int count, struct perm_bits *perm,
				 int offset, __le32 val)
{
	int ret = vfio_user_config_write(vdev, pos, val, count);

	return ret ? pcibios_err_to_errno(ret) : count;
}

static int vfio_raw_config_read(struct vfio_pci_core_device *vdev, int pos,
				int count, struct perm_bits *perm,
				int offset, __le32 *val)
{
	int ret = vfio_user_config_read(vdev->pdev, pos, val, count);

	return ret ? pcibios_err_to_errno(ret) : count;
}

static int vfio_virt_config_read(struct vfio_pci_core_device *vdev, int pos,
				 int count, struct perm_bits *perm,
				 int offset, __le32 *val)
{
	memcpy(val, vdev->vconfig + pos, count);
	return count;
}

static int vfio_virt_config_write(struct vfio_pci_core_device *vdev, int pos,
				  int count, struct perm_bits *perm,
				  int offset, __le32 val)
{
	memcpy(vdev->vconfig + pos, &val, count);
	return count;
}

/* Bytes of no capability: straight through (some devices hide registers). */
static struct perm_bits unassigned_perms = {
	.readfn = vfio_raw_config_read,
	.writefn = vfio_raw_config_write,
};

static struct perm_bits virt_perms = {
	.readfn = vfio_virt_config_read,
	.writefn = vfio_virt_config_write,
};

/* Known capabilities without a table and anchors of hidden ones. */
static struct perm_bits direct_ro_perms = {
	.readfn = vfio_direct_config_read,
};

static struct perm_bits cap_perms[PCI_CAP_ID_MAX + 1] = {
	[0 ... PCI_CAP_ID_MAX] = { .readfn = vfio_direct_config_read },
};

static struct perm_bits ecap_perms[PCI_EXT_CAP_ID_MAX + 1] = {
	[0 ... PCI_EXT_CAP_ID_MAX] = { .readfn = vfio_direct_config_read },
};

/* ---- building permission tables ---- */

static int alloc_perm_bits(struct perm_bits *perm, int size)
{
	/* whole dwords, so that any aligned access stays inside */
	size = round_up(size, 4);
	perm->virt = kzalloc(size, GFP_KERNEL);
	perm->write = kzalloc(size, GFP_KERNEL);
	if (!perm->virt || !perm->write) {
		kfree(perm->virt);
		kfree(perm->write);
		perm->virt = NULL;
		perm->write = NULL;
		return -ENOMEM;
	}
	perm->readfn = vfio_default_config_read;
	perm->writefn = vfio_default_config_write;
	return 0;
}

static void free_perm_bits(struct perm_bits *perm)
{
	kfree(perm->virt);
	kfree(perm->write);
	perm->virt = NULL;
	perm->write = NULL;
}

static void p_setb(struct perm_bits *p, int off, u8 virt, u8 write)
{
	p->virt[off] = virt;
	p->write[off] = write;
}

static void p_setw(struct perm_bits *p, int off, u16 virt, u16 write)
{
	*(__le16 *)&p->virt[off] = cpu_to_le16(virt);
	*(__le16 *)&p->write[off] = cpu_to_le16(write);
}

static void p_setd(struct perm_bits *p, int off, u32 virt, u32 write)
{
	*(__le32 *)&p->virt[off] = cpu_to_le32(virt);
	*(__le32 *)&p->write[off] = cpu_to_le32(write);
}

/* ---- the standard header ---- */

static bool is_bar(int offset)
{
	return (offset >= PCI_BASE_ADDRESS_0 && offset < PCI_BASE_ADDRESS_5 + 4) ||
	       (offset >= PCI_ROM_ADDRESS && offset < PCI_ROM_ADDRESS + 4);
}

static __le32 vfio_bar_flags(struct pci_dev *pdev, int bar)
{
	unsigned long flags = pci_resource_flags(pdev, bar);
	u32 val;

	if (flags & IORESOURCE_IO)
		return cpu_to_le32(PCI_BASE_ADDRESS_SPACE_IO);

	val = PCI_BASE_ADDRESS_SPACE_MEMORY;
	if (flags & IORESOURCE_PREFETCH)
		val |= PCI_BASE_ADDRESS_MEM_PREFETCH;
	if (flags & IORESOURCE_MEM_64)
		val |= PCI_BASE_ADDRESS_MEM_TYPE_64;
	return cpu_to_le32(val);
}

/*
 * Make the virtual BARs answer like real ones after the user wrote them:
 * sizing writes of all ones read back the size mask and the type flags.
 * Unassigned BARs read as zero; the real BARs are never touched.
 */
static void vfio_bar_fixup(struct vfio_pci_core_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	__le32 *vbar;
	u64 mask;
	int i;

	if (!vdev->bardirty)
		return;

	vbar = (__le32 *)&vdev->vconfig[PCI_BASE_ADDRESS_0];
	for (i = 0; i < PCI_STD_NUM_BARS; i++, vbar++) {
		if (!pci_resource_start(pdev, i)) {
			*vbar = 0;
			continue;
		}
		mask = ~(pci_resource_len(pdev, i) - 1);
		*vbar &= cpu_to_le32((u32)mask);
		*vbar |= vfio_bar_flags(pdev, i);
		if (*vbar & cpu_to_le32(PCI_BASE_ADDRESS_MEM_TYPE_64)) {
			vbar++;
			*vbar &= cpu_to_le32((u32)(mask >> 32));
			i++;
		}
	}

	vbar = (__le32 *)&vdev->vconfig[PCI_ROM_ADDRESS];
	if (pci_resource_start(pdev, PCI_ROM_RESOURCE)) {
		mask = ~(pci_resource_len(pdev, PCI_ROM_RESOURCE) - 1);
		mask |= PCI_ROM_ADDRESS_ENABLE;
		*vbar &= cpu_to_le32((u32)mask);
	} else if (pdev->resource[PCI_ROM_RESOURCE].flags & IORESOURCE_ROM_SHADOW) {
		mask = ~(0x20000 - 1) | PCI_ROM_ADDRESS_ENABLE;
		*vbar &= cpu_to_le32((u32)mask);
	} else {
		*vbar = 0;
	}

	vdev->bardirty = false;
}

/* Has a backdoor reset cleared the real BARs under us? */
static bool vfio_need_bar_restore(struct vfio_pci_core_device *vdev)
{
	int i = 0, pos = PCI_BASE_ADDRESS_0;
	u32 bar;

	for (; pos <= PCI_BASE_ADDRESS_5; i++, pos += 4) {
		if (!vdev->rbar[i])
			continue;
		if (pci_user_read_config_dword(vdev->pdev, pos, &bar) ||
		    bar != vdev->rbar[i])
			return true;
	}
	return false;
}

/* Put back the BARs the host assigned after the device lost them. */
static void vfio_bar_restore(struct vfio_pci_core_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	u32 *rbar = vdev->rbar;
	u16 cmd;
	int i;

	if (pdev->is_virtfn)
		return;

	pci_info(pdev, "%s: reset recovery - restoring BARs\n", __func__);

	for (i = PCI_BASE_ADDRESS_0; i <= PCI_BASE_ADDRESS_5; i += 4, rbar++)
		pci_user_write_config_dword(pdev, i, *rbar);
	pci_user_write_config_dword(pdev, PCI_ROM_ADDRESS, *rbar);

	if (vdev->nointx) {
		pci_user_read_config_word(pdev, PCI_COMMAND, &cmd);
		cmd |= PCI_COMMAND_INTX_DISABLE;
		pci_user_write_config_word(pdev, PCI_COMMAND, cmd);
	}
}

static int vfio_basic_config_read(struct vfio_pci_core_device *vdev, int pos,
				  int count, struct perm_bits *perm,
				  int offset, __le32 *val)
{
	if (is_bar(offset))
		vfio_bar_fixup(vdev);

	count = vfio_default_config_read(vdev, pos, count, perm, offset, val);

	/* VFs have no memory enable bit: show what the user wrote */
	if (offset == PCI_COMMAND && vdev->pdev->no_command_memory) {
		u16 cmd = le16_to_cpu(*(__le16 *)&vdev->vconfig[PCI_COMMAND]);

		*val |= cpu_to_le32(cmd & PCI_COMMAND_MEMORY);
	}
	return count;
}

static int vfio_basic_config_write(struct vfio_pci_core_device *vdev, int pos,
				   int count, struct perm_bits *perm,
				   int offset, __le32 val)
{
	struct pci_dev *pdev = vdev->pdev;
	__le16 *virt_cmd = (__le16 *)&vdev->vconfig[PCI_COMMAND];
	bool cmd_write = offset == PCI_COMMAND;
	u16 new_cmd = 0;
	int ret;

	if (cmd_write) {
		bool phys_mem, virt_mem, new_mem, phys_io, virt_io, new_io;
		u16 phys_cmd;

		ret = pci_user_read_config_word(pdev, PCI_COMMAND, &phys_cmd);
		if (ret)
			return pcibios_err_to_errno(ret);

		new_cmd = le32_to_cpu(val);
		phys_io = phys_cmd & PCI_COMMAND_IO;
		virt_io = le16_to_cpu(*virt_cmd) & PCI_COMMAND_IO;
		new_io = new_cmd & PCI_COMMAND_IO;
		phys_mem = phys_cmd & PCI_COMMAND_MEMORY;
		virt_mem = le16_to_cpu(*virt_cmd) & PCI_COMMAND_MEMORY;
		new_mem = new_cmd & PCI_COMMAND_MEMORY;

		/* turning memory decode off: no mmap may stay populated */
		if (!new_mem)
			vfio_pci_zap_and_down_write_memory_lock(vdev);
		else
			down_write(&vdev->memory_lock);

		/*
		 * Enabling what we believe is enabled but the hardware says
		 * is not: the device went through a reset we did not see.
		 */
		if ((new_mem && virt_mem && !phys_mem && !pdev->no_command_memory) ||
		    (new_io && virt_io && !phys_io) || vfio_need_bar_restore(vdev))
			vfio_bar_restore(vdev);
	}

	count = vfio_default_config_write(vdev, pos, count, perm, offset, val);

	if (cmd_write) {
		u16 mask = PCI_COMMAND_MEMORY | PCI_COMMAND_IO;

		/* remember the decode bits for the test above */
		if (count >= 0) {
			*virt_cmd &= cpu_to_le16(~mask);
			*virt_cmd |= cpu_to_le16(new_cmd & mask);
		}
		up_write(&vdev->memory_lock);
	}
	if (count < 0)
		return count;

	/* INTx disable is ours: it masks the interrupt we deliver */
	if (offset <= PCI_COMMAND + 1 && offset + count > PCI_COMMAND + 1) {
		bool virt_intx_disable = le16_to_cpu(*virt_cmd) &
					 PCI_COMMAND_INTX_DISABLE;

		if (virt_intx_disable && !vdev->virq_disabled) {
			vdev->virq_disabled = true;
			vfio_pci_intx_mask(vdev);
		} else if (!virt_intx_disable && vdev->virq_disabled) {
			vdev->virq_disabled = false;
			vfio_pci_intx_unmask(vdev);
		}
	}

	if (is_bar(offset))
		vdev->bardirty = true;
	return count;
}

static int init_pci_cap_basic_perm(struct perm_bits *perm)
{
	int i;

	if (alloc_perm_bits(perm, PCI_STD_HEADER_SIZEOF))
		return -ENOMEM;

	perm->readfn = vfio_basic_config_read;
	perm->writefn = vfio_basic_config_write;

	/* VFs read 0xffff here: the ids come from vconfig */
	p_setw(perm, PCI_VENDOR_ID, (u16)ALL_VIRT, NO_WRITE);
	p_setw(perm, PCI_DEVICE_ID, (u16)ALL_VIRT, NO_WRITE);
	/* INTx disable is ours; the other bits go to the device */
	p_setw(perm, PCI_COMMAND, PCI_COMMAND_INTX_DISABLE, (u16)ALL_WRITE);
	/* the capability list bit follows the (possibly empty) chain */
	p_setw(perm, PCI_STATUS, PCI_STATUS_CAP_LIST, NO_WRITE);
	p_setb(perm, PCI_CACHE_LINE_SIZE, NO_VIRT, (u8)ALL_WRITE);
	p_setb(perm, PCI_LATENCY_TIMER, NO_VIRT, (u8)ALL_WRITE);
	p_setb(perm, PCI_BIST, NO_VIRT, (u8)ALL_WRITE);
	/* the real BARs are the host's */
	for (i = PCI_BASE_ADDRESS_0; i <= PCI_BASE_ADDRESS_5; i += 4)
		p_setd(perm, i, ALL_VIRT, ALL_WRITE);
	p_setd(perm, PCI_ROM_ADDRESS, ALL_VIRT, ALL_WRITE);
	p_setb(perm, PCI_CAPABILITY_LIST, (u8)ALL_VIRT, NO_WRITE);
	p_setb(perm, PCI_INTERRUPT_LINE, (u8)ALL_VIRT, (u8)ALL_WRITE);
	/* a zero pin hides INTx */
	p_setb(perm, PCI_INTERRUPT_PIN, (u8)ALL_VIRT, NO_WRITE);
	return 0;
}

/* ---- power management ---- */

static int vfio_pm_config_write(struct vfio_pci_core_device *vdev, int pos,
				int count, struct perm_bits *perm,
				int offset, __le32 val)
{
	count = vfio_default_config_write(vdev, pos, count, perm, offset, val);
	if (count < 0)
		return count;

	/* the power state bits are read-only: we make the change */
	if (offset == PCI_PM_CTRL) {
		pci_power_t state;

		switch (le32_to_cpu(val) & PCI_PM_CTRL_STATE_MASK) {
		case 0:
			state = PCI_D0;
			break;
		case 1:
			state = PCI_D1;
			break;
		case 2:
			state = PCI_D2;
			break;
		default:
			state = PCI_D3hot;
			break;
		}
		vfio_pci_lock_and_set_power_state(vdev, state);
	}
	return count;
}

static int init_pci_cap_pm_perm(struct perm_bits *perm)
{
	if (alloc_perm_bits(perm, pci_cap_length[PCI_CAP_ID_PM]))
		return -ENOMEM;

	perm->writefn = vfio_pm_config_write;
	p_setb(perm, PCI_CAP_LIST_NEXT, (u8)ALL_VIRT, NO_WRITE);
	/* no PME from D3cold can reach the user: PME_Support is ours */
	p_setw(perm, PCI_PM_PMC, PCI_PM_CAP_PME_MASK, NO_WRITE);
	/* PME_En and PME_Status are virtual, PowerState is trapped */
	p_setd(perm, PCI_PM_CTRL,
	       PCI_PM_CTRL_PME_ENABLE | PCI_PM_CTRL_PME_STATUS,
	       ~(PCI_PM_CTRL_PME_ENABLE | PCI_PM_CTRL_PME_STATUS |
		 PCI_PM_CTRL_STATE_MASK));
	return 0;
}

/* ---- VPD ---- */

static int vfio_vpd_config_write(struct vfio_pci_core_device *vdev, int pos,
				 int count, struct perm_bits *perm,
				 int offset, __le32 val)
{
	struct pci_dev *pdev = vdev->pdev;
	__le16 *paddr = (__le16 *)(vdev->vconfig + pos - offset + PCI_VPD_ADDR);
	__le32 *pdata = (__le32 *)(vdev->vconfig + pos - offset + PCI_VPD_DATA);
	u16 addr;
	u32 data;

	count = vfio_default_config_write(vdev, pos, count, perm, offset, val);
	/* the access starts when the upper address byte (with F) is written */
	if (count < 0 || offset > PCI_VPD_ADDR + 1 ||
	    offset + count <= PCI_VPD_ADDR + 1)
		return count;

	addr = le16_to_cpu(*paddr);
	if (addr & PCI_VPD_ADDR_F) {
		data = le32_to_cpu(*pdata);
		if (pci_write_vpd(pdev, addr & ~PCI_VPD_ADDR_F, 4, &data) != 4)
			return count;
	} else {
		data = 0;
		if (pci_read_vpd(pdev, addr, 4, &data) < 0)
			return count;
		*pdata = cpu_to_le32(data);
	}

	/* completion: F flips */
	addr ^= PCI_VPD_ADDR_F;
	*paddr = cpu_to_le16(addr);
	return count;
}

static int init_pci_cap_vpd_perm(struct perm_bits *perm)
{
	if (alloc_perm_bits(perm, pci_cap_length[PCI_CAP_ID_VPD]))
		return -ENOMEM;

	perm->writefn = vfio_vpd_config_write;
	p_setb(perm, PCI_CAP_LIST_NEXT, (u8)ALL_VIRT, NO_WRITE);
	p_setw(perm, PCI_VPD_ADDR, (u16)ALL_VIRT, (u16)ALL_WRITE);
	p_setd(perm, PCI_VPD_DATA, ALL_VIRT, ALL_WRITE);
	return 0;
}

/* ---- PCI-X ---- */

static int init_pci_cap_pcix_perm(struct perm_bits *perm)
{
	if (alloc_perm_bits(perm, PCI_CAP_PCIX_SIZEOF_V2))
		return -ENOMEM;

	p_setb(perm, PCI_CAP_LIST_NEXT, (u8)ALL_VIRT, NO_WRITE);
	p_setw(perm, PCI_X_CMD, NO_VIRT, (u16)ALL_WRITE);
	p_setd(perm, PCI_X_ECC_CSR, NO_VIRT, ALL_WRITE);
	return 0;
}

/* ---- PCI Express ---- */

static void vfio_user_flr(struct vfio_pci_core_device *vdev)
{
	vfio_pci_zap_and_down_write_memory_lock(vdev);
	pci_try_reset_function(vdev->pdev);
	up_write(&vdev->memory_lock);
}

static int vfio_exp_config_write(struct vfio_pci_core_device *vdev, int pos,
				 int count, struct perm_bits *perm,
				 int offset, __le32 val)
{
	__le16 *ctrl = (__le16 *)(vdev->vconfig + pos - offset + PCI_EXP_DEVCTL);
	int readrq = le16_to_cpu(*ctrl) & PCI_EXP_DEVCTL_READRQ;

	count = vfio_default_config_write(vdev, pos, count, perm, offset, val);
	if (count < 0)
		return count;

	/* FLR reads back 0; it resets the function if the device has FLR */
	if (*ctrl & cpu_to_le16(PCI_EXP_DEVCTL_BCR_FLR)) {
		u32 cap;
		int ret;

		*ctrl &= ~cpu_to_le16(PCI_EXP_DEVCTL_BCR_FLR);
		ret = pci_user_read_config_dword(vdev->pdev,
						 pos - offset + PCI_EXP_DEVCAP,
						 &cap);
		if (!ret && (cap & PCI_EXP_DEVCAP_FLR))
			vfio_user_flr(vdev);
	}

	/*
	 * MPS stays virtual: it must match the rest of the hierarchy. MRRS
	 * goes to the device, but never below MPS.
	 */
	if (readrq != (le16_to_cpu(*ctrl) & PCI_EXP_DEVCTL_READRQ)) {
		readrq = 128 << ((le16_to_cpu(*ctrl) & PCI_EXP_DEVCTL_READRQ) >> 12);
		readrq = max(readrq, pcie_get_mps(vdev->pdev));
		pcie_set_readrq(vdev->pdev, readrq);
	}
	return count;
}

static int init_pci_cap_exp_perm(struct perm_bits *perm)
{
	if (alloc_perm_bits(perm, PCI_CAP_EXP_ENDPOINT_SIZEOF_V2))
		return -ENOMEM;

	perm->writefn = vfio_exp_config_write;
	p_setb(perm, PCI_CAP_LIST_NEXT, (u8)ALL_VIRT, NO_WRITE);
	/*
	 * Device control: no phantom functions (they confuse the IOMMU);
	 * FLR, MPS and MRRS handled by the write hook. ARI forwarding in
	 * DEVCTL2 belongs to the host.
	 */
	p_setw(perm, PCI_EXP_DEVCTL,
	       PCI_EXP_DEVCTL_BCR_FLR | PCI_EXP_DEVCTL_PAYLOAD |
	       PCI_EXP_DEVCTL_READRQ, ~PCI_EXP_DEVCTL_PHANTOM);
	p_setw(perm, PCI_EXP_DEVCTL2, NO_VIRT, ~PCI_EXP_DEVCTL2_ARI);
	return 0;
}

/* ---- Advanced Features ---- */

static int vfio_af_config_write(struct vfio_pci_core_device *vdev, int pos,
				int count, struct perm_bits *perm,
				int offset, __le32 val)
{
	u8 *ctrl = vdev->vconfig + pos - offset + PCI_AF_CTRL;

	count = vfio_default_config_write(vdev, pos, count, perm, offset, val);
	if (count < 0)
		return count;

	if (*ctrl & PCI_AF_CTRL_FLR) {
		u8 cap;
		int ret;

		*ctrl &= ~PCI_AF_CTRL_FLR;
		ret = pci_user_read_config_byte(vdev->pdev,
						pos - offset + PCI_AF_CAP, &cap);
		if (!ret && (cap & PCI_AF_CAP_FLR) && (cap & PCI_AF_CAP_TP))
			vfio_user_flr(vdev);
	}
	return count;
}

static int init_pci_cap_af_perm(struct perm_bits *perm)
{
	if (alloc_perm_bits(perm, pci_cap_length[PCI_CAP_ID_AF]))
		return -ENOMEM;

	perm->writefn = vfio_af_config_write;
	p_setb(perm, PCI_CAP_LIST_NEXT, (u8)ALL_VIRT, NO_WRITE);
	p_setb(perm, PCI_AF_CTRL, PCI_AF_CTRL_FLR, PCI_AF_CTRL_FLR);
	return 0;
}

/* ---- MSI (per device: the layout depends on the flags) ---- */

static int vfio_find_cap_start(struct vfio_pci_core_device *vdev, int pos)
{
	u8 cap = vdev->pci_config_map[pos];
	int base = pos >= PCI_CFG_SPACE_SIZE ? PCI_CFG_SPACE_SIZE : 0;

	/* capabilities start dword aligned */
	for (pos &= ~3; pos > base && vdev->pci_config_map[pos - 1] == cap; pos -= 4)
		;
	return pos;
}

static int vfio_msi_config_write(struct vfio_pci_core_device *vdev, int pos,
				 int count, struct perm_bits *perm,
				 int offset, __le32 val)
{
	count = vfio_default_config_write(vdev, pos, count, perm, offset, val);
	if (count < 0)
		return count;

	if (offset <= PCI_MSI_FLAGS && offset + count > PCI_MSI_FLAGS) {
		int start = vfio_find_cap_start(vdev, pos);
		__le16 *pflags = (__le16 *)&vdev->vconfig[start + PCI_MSI_FLAGS];
		u16 flags = le16_to_cpu(*pflags);
		int ret;

		/* MSI is enabled through VFIO_DEVICE_SET_IRQS only */
		if (vdev->irq_type != VFIO_PCI_MSI_IRQ_INDEX)
			flags &= ~PCI_MSI_FLAGS_ENABLE;
		/* never more vectors than were set up */
		if (((flags & PCI_MSI_FLAGS_QSIZE) >> 4) > vdev->msi_qmax) {
			flags &= ~PCI_MSI_FLAGS_QSIZE;
			flags |= vdev->msi_qmax << 4;
		}
		*pflags = cpu_to_le16(flags);
		ret = pci_user_write_config_word(vdev->pdev, start + PCI_MSI_FLAGS,
						 flags);
		if (ret)
			return pcibios_err_to_errno(ret);
	}
	return count;
}

static int init_pci_cap_msi_perm(struct perm_bits *perm, int len, u16 flags)
{
	if (alloc_perm_bits(perm, len))
		return -ENOMEM;

	/*
	 * Reads show the hardware's Multiple Message Capable field: 6.1
	 * meant to show the vectors enabled so far but its hook missed the
	 * field, and what users (QEMU sizing the guest's MSI) really get and
	 * need is the hardware's capability. Writes clamp Multiple Message
	 * Enable to what SET_IRQS set up.
	 */
	perm->writefn = vfio_msi_config_write;
	p_setb(perm, PCI_CAP_LIST_NEXT, (u8)ALL_VIRT, NO_WRITE);
	/* only the low byte of the flags is defined */
	p_setb(perm, PCI_MSI_FLAGS, (u8)ALL_VIRT, (u8)ALL_WRITE);
	p_setd(perm, PCI_MSI_ADDRESS_LO, ALL_VIRT, ALL_WRITE);

	if (flags & PCI_MSI_FLAGS_64BIT) {
		p_setd(perm, PCI_MSI_ADDRESS_HI, ALL_VIRT, ALL_WRITE);
		p_setw(perm, PCI_MSI_DATA_64, (u16)ALL_VIRT, (u16)ALL_WRITE);
		if (flags & PCI_MSI_FLAGS_MASKBIT) {
			p_setd(perm, PCI_MSI_MASK_64, NO_VIRT, ALL_WRITE);
			p_setd(perm, PCI_MSI_PENDING_64, NO_VIRT, ALL_WRITE);
		}
	} else {
		p_setw(perm, PCI_MSI_DATA_32, (u16)ALL_VIRT, (u16)ALL_WRITE);
		if (flags & PCI_MSI_FLAGS_MASKBIT) {
			p_setd(perm, PCI_MSI_MASK_32, NO_VIRT, ALL_WRITE);
			p_setd(perm, PCI_MSI_PENDING_32, NO_VIRT, ALL_WRITE);
		}
	}
	return 0;
}

static int vfio_msi_cap_len(struct vfio_pci_core_device *vdev, u8 pos)
{
	struct pci_dev *pdev = vdev->pdev;
	int len, ret;
	u16 flags;

	ret = pci_read_config_word(pdev, pos + PCI_MSI_FLAGS, &flags);
	if (ret)
		return pcibios_err_to_errno(ret);

	len = 10;
	if (flags & PCI_MSI_FLAGS_64BIT)
		len += 4;
	if (flags & PCI_MSI_FLAGS_MASKBIT)
		len += 10;

	if (vdev->msi_perm)
		return len;

	vdev->msi_perm = kmalloc(sizeof(*vdev->msi_perm), GFP_KERNEL_ACCOUNT);
	if (!vdev->msi_perm)
		return -ENOMEM;
	ret = init_pci_cap_msi_perm(vdev->msi_perm, len, flags);
	if (ret) {
		kfree(vdev->msi_perm);
		vdev->msi_perm = NULL;
		return ret;
	}
	return len;
}

/**
 * vfio_pci_msi_count_log2 - log2 of the MSI vectors the hardware offers
 * @vdev: the device
 *
 * Return: the Multiple Message Capable field of the real MSI capability.
 */
u8 vfio_pci_msi_count_log2(struct vfio_pci_core_device *vdev)
{
	u16 flags;

	if (!vdev->pdev->msi_cap ||
	    pci_read_config_word(vdev->pdev, vdev->pdev->msi_cap + PCI_MSI_FLAGS,
				 &flags))
		return 0;
	return (flags & PCI_MSI_FLAGS_QMASK) >> 1;
}

/* ---- extended capabilities ---- */

static int init_pci_ext_cap_err_perm(struct perm_bits *perm)
{
	u32 mask;

	if (alloc_perm_bits(perm, pci_ext_cap_length[PCI_EXT_CAP_ID_ERR]))
		return -ENOMEM;

	/* the header dword holds the next pointer */
	p_setd(perm, 0, ALL_VIRT, NO_WRITE);

	mask = PCI_ERR_UNC_UND | PCI_ERR_UNC_DLP | PCI_ERR_UNC_SURPDN |
	       PCI_ERR_UNC_POISON_TLP | PCI_ERR_UNC_FCP | PCI_ERR_UNC_COMP_TIME |
	       PCI_ERR_UNC_COMP_ABORT | PCI_ERR_UNC_UNX_COMP |
	       PCI_ERR_UNC_RX_OVER | PCI_ERR_UNC_MALF_TLP | PCI_ERR_UNC_ECRC |
	       PCI_ERR_UNC_UNSUP | PCI_ERR_UNC_ACSV | PCI_ERR_UNC_INTN |
	       PCI_ERR_UNC_MCBTLP | PCI_ERR_UNC_ATOMEG | PCI_ERR_UNC_TLPPRE;
	p_setd(perm, PCI_ERR_UNCOR_STATUS, NO_VIRT, mask);
	p_setd(perm, PCI_ERR_UNCOR_MASK, NO_VIRT, mask);
	p_setd(perm, PCI_ERR_UNCOR_SEVER, NO_VIRT, mask);

	mask = PCI_ERR_COR_RCVR | PCI_ERR_COR_BAD_TLP | PCI_ERR_COR_BAD_DLLP |
	       PCI_ERR_COR_REP_ROLL | PCI_ERR_COR_REP_TIMER |
	       PCI_ERR_COR_ADV_NFAT | PCI_ERR_COR_INTERNAL |
	       PCI_ERR_COR_LOG_OVER;
	p_setd(perm, PCI_ERR_COR_STATUS, NO_VIRT, mask);
	p_setd(perm, PCI_ERR_COR_MASK, NO_VIRT, mask);

	mask = PCI_ERR_CAP_ECRC_GENE | PCI_ERR_CAP_ECRC_CHKE;
	p_setd(perm, PCI_ERR_CAP, NO_VIRT, mask);
	return 0;
}

static int init_pci_ext_cap_pwr_perm(struct perm_bits *perm)
{
	if (alloc_perm_bits(perm, pci_ext_cap_length[PCI_EXT_CAP_ID_PWR]))
		return -ENOMEM;

	p_setd(perm, 0, ALL_VIRT, NO_WRITE);
	/* selecting which budget entry to read is harmless */
	p_setb(perm, PCI_PWR_DATA, NO_VIRT, (u8)ALL_WRITE);
	return 0;
}

/**
 * vfio_pci_uninit_perm_bits - free the permission tables
 */
void vfio_pci_uninit_perm_bits(void)
{
	free_perm_bits(&cap_perms[PCI_CAP_ID_BASIC]);
	free_perm_bits(&cap_perms[PCI_CAP_ID_PM]);
	free_perm_bits(&cap_perms[PCI_CAP_ID_VPD]);
	free_perm_bits(&cap_perms[PCI_CAP_ID_PCIX]);
	free_perm_bits(&cap_perms[PCI_CAP_ID_EXP]);
	free_perm_bits(&cap_perms[PCI_CAP_ID_AF]);
	free_perm_bits(&ecap_perms[PCI_EXT_CAP_ID_ERR]);
	free_perm_bits(&ecap_perms[PCI_EXT_CAP_ID_PWR]);
}

/**
 * vfio_pci_init_perm_bits - build the permission tables
 *
 * Return: 0 or -ENOMEM.
 */
int vfio_pci_init_perm_bits(void)
{
	int ret;

	ret = init_pci_cap_basic_perm(&cap_perms[PCI_CAP_ID_BASIC]);
	ret = ret ?: init_pci_cap_pm_perm(&cap_perms[PCI_CAP_ID_PM]);
	ret = ret ?: init_pci_cap_vpd_perm(&cap_perms[PCI_CAP_ID_VPD]);
	ret = ret ?: init_pci_cap_pcix_perm(&cap_perms[PCI_CAP_ID_PCIX]);
	ret = ret ?: init_pci_cap_exp_perm(&cap_perms[PCI_CAP_ID_EXP]);
	ret = ret ?: init_pci_cap_af_perm(&cap_perms[PCI_CAP_ID_AF]);
	ret = ret ?: init_pci_ext_cap_err_perm(&ecap_perms[PCI_EXT_CAP_ID_ERR]);
	ret = ret ?: init_pci_ext_cap_pwr_perm(&ecap_perms[PCI_EXT_CAP_ID_PWR]);
	/* vendor specific registers are the vendor's business */
	cap_perms[PCI_CAP_ID_VNDR].writefn = vfio_raw_config_write;
	ecap_perms[PCI_EXT_CAP_ID_VNDR].writefn = vfio_raw_config_write;
	ecap_perms[PCI_EXT_CAP_ID_DVSEC].writefn = vfio_raw_config_write;

	if (ret)
		vfio_pci_uninit_perm_bits();
	return ret;
}

/* ---- building a device's vconfig and byte map ---- */

static int vfio_cap_len(struct vfio_pci_core_device *vdev, u8 cap, u8 pos)
{
	struct pci_dev *pdev = vdev->pdev;
	u32 dword;
	u16 word;
	u8 byte;
	int ret;

	switch (cap) {
	case PCI_CAP_ID_MSI:
		return vfio_msi_cap_len(vdev, pos);
	case PCI_CAP_ID_PCIX:
		ret = pci_read_config_word(pdev, pos + PCI_X_CMD, &word);
		if (ret)
			return pcibios_err_to_errno(ret);
		if (PCI_X_CMD_VERSION(word)) {
			if (pdev->cfg_size > PCI_CFG_SPACE_SIZE) {
				ret = pci_read_config_dword(pdev, PCI_CFG_SPACE_SIZE,
							    &dword);
				if (ret)
					return pcibios_err_to_errno(ret);
				vdev->extended_caps = dword != 0;
			}
			return PCI_CAP_PCIX_SIZEOF_V2;
		}
		return PCI_CAP_PCIX_SIZEOF_V0;
	case PCI_CAP_ID_VNDR:
		ret = pci_read_config_byte(pdev, pos + PCI_CAP_FLAGS, &byte);
		return ret ? pcibios_err_to_errno(ret) : byte;
	case PCI_CAP_ID_EXP:
		vdev->extended_caps = pdev->cfg_size > PCI_CFG_SPACE_SIZE;
		ret = pci_read_config_word(pdev, pos + PCI_EXP_FLAGS, &word);
		if (ret)
			return pcibios_err_to_errno(ret);
		if ((word & PCI_EXP_FLAGS_VERS) == 1) {
			if (pci_pcie_type(pdev) == PCI_EXP_TYPE_RC_END)
				return 0xc;
			return PCI_CAP_EXP_ENDPOINT_SIZEOF_V1;
		}
		if (pci_pcie_type(pdev) == PCI_EXP_TYPE_RC_END)
			return 0x2c;
		return PCI_CAP_EXP_ENDPOINT_SIZEOF_V2;
	case PCI_CAP_ID_HT:
		ret = pci_read_config_byte(pdev, pos + 3, &byte);
		if (ret)
			return pcibios_err_to_errno(ret);
		return (byte & HT_3BIT_CAP_MASK) ? HT_CAP_SIZEOF_SHORT :
						   HT_CAP_SIZEOF_LONG;
	case PCI_CAP_ID_SATA:
		ret = pci_read_config_byte(pdev, pos + PCI_SATA_REGS, &byte);
		if (ret)
			return pcibios_err_to_errno(ret);
		byte &= PCI_SATA_REGS_MASK;
		return byte == PCI_SATA_REGS_INLINE ? PCI_SATA_SIZEOF_LONG :
						      PCI_SATA_SIZEOF_SHORT;
	}
	pci_warn(pdev, "%s: unknown length for PCI cap %#x@%#x\n",
		 __func__, cap, pos);
	return 0;
}

static int vfio_ext_cap_len(struct vfio_pci_core_device *vdev, u16 ecap,
			    u16 epos)
{
	struct pci_dev *pdev = vdev->pdev;
	u32 dword;
	u8 byte;
	int ret;

	switch (ecap) {
	case PCI_EXT_CAP_ID_VNDR:
		ret = pci_read_config_dword(pdev, epos + PCI_VSEC_HDR, &dword);
		return ret ? pcibios_err_to_errno(ret) : dword >> PCI_VSEC_HDR_LEN_SHIFT;
	case PCI_EXT_CAP_ID_VC:
	case PCI_EXT_CAP_ID_VC9:
	case PCI_EXT_CAP_ID_MFVC:
		/* the port and VC resource registers; arbitration tables stay raw */
		ret = pci_read_config_dword(pdev, epos + PCI_VC_PORT_CAP1, &dword);
		if (ret)
			return pcibios_err_to_errno(ret);
		return PCI_CAP_VC_BASE_SIZEOF +
		       ((dword & PCI_VC_CAP1_EVCC) + 1) * PCI_CAP_VC_PER_VC_SIZEOF;
	case PCI_EXT_CAP_ID_ACS:
		ret = pci_read_config_byte(pdev, epos + PCI_ACS_CAP, &byte);
		if (ret)
			return pcibios_err_to_errno(ret);
		if (byte & PCI_ACS_EC) {
			int bits;

			ret = pci_read_config_byte(pdev, epos + PCI_ACS_EGRESS_BITS,
						   &byte);
			if (ret)
				return pcibios_err_to_errno(ret);
			bits = byte ? round_up(byte, 32) : 256;
			return 8 + (bits / 8);
		}
		return 8;
	case PCI_EXT_CAP_ID_REBAR:
		ret = pci_read_config_byte(pdev, epos + PCI_REBAR_CTRL, &byte);
		if (ret)
			return pcibios_err_to_errno(ret);
		byte &= PCI_REBAR_CTRL_NBAR_MASK;
		byte >>= PCI_REBAR_CTRL_NBAR_SHIFT;
		return 4 + (byte * 8);
	case PCI_EXT_CAP_ID_DPA:
		ret = pci_read_config_byte(pdev, epos + PCI_DPA_CAP, &byte);
		if (ret)
			return pcibios_err_to_errno(ret);
		byte &= PCI_DPA_CAP_SUBSTATE_MASK;
		return PCI_DPA_BASE_SIZEOF + byte + 1;
	case PCI_EXT_CAP_ID_TPH:
		ret = pci_read_config_dword(pdev, epos + PCI_TPH_CAP, &dword);
		if (ret)
			return pcibios_err_to_errno(ret);
		if ((dword & PCI_TPH_CAP_LOC_MASK) == PCI_TPH_LOC_CAP) {
			int sts = (dword & PCI_TPH_CAP_ST_MASK) >>
				  PCI_TPH_CAP_ST_SHIFT;

			return PCI_TPH_BASE_SIZEOF + (sts * 2) + 2;
		}
		return PCI_TPH_BASE_SIZEOF;
	}
	pci_warn(pdev, "%s: unknown length for PCI ecap %#x@%#x\n",
		 __func__, ecap, epos);
	return 0;
}

/* Copy @size bytes at @offset from the hardware into vconfig. */
static int vfio_fill_vconfig_bytes(struct vfio_pci_core_device *vdev,
				   int offset, int size)
{
	struct pci_dev *pdev = vdev->pdev;
	int ret = 0;

	while (size) {
		int filled;

		if (size >= 4 && !(offset % 4)) {
			__le32 *dwordp = (__le32 *)&vdev->vconfig[offset];
			u32 dword;

			ret = pci_read_config_dword(pdev, offset, &dword);
			if (ret)
				return ret;
			*dwordp = cpu_to_le32(dword);
			filled = 4;
		} else if (size >= 2 && !(offset % 2)) {
			__le16 *wordp = (__le16 *)&vdev->vconfig[offset];
			u16 word;

			ret = pci_read_config_word(pdev, offset, &word);
			if (ret)
				return ret;
			*wordp = cpu_to_le16(word);
			filled = 2;
		} else {
			u8 *byte = &vdev->vconfig[offset];

			ret = pci_read_config_byte(pdev, offset, byte);
			if (ret)
				return ret;
			filled = 1;
		}
		offset += filled;
		size -= filled;
	}
	return ret;
}

static int vfio_claim_bytes(struct vfio_pci_core_device *vdev, int pos,
			    int len, u8 id)
{
	u8 *map = vdev->pci_config_map;
	int i;

	if (pos + len > vdev->pdev->cfg_size)
		len = vdev->pdev->cfg_size - pos;
	for (i = 0; i < len; i++) {
		if (map[pos + i] != PCI_CAP_ID_INVALID) {
			pci_warn(vdev->pdev,
				 "%s: pci config conflict @%#x, was cap %#x now cap %#x\n",
				 __func__, pos + i, map[pos + i], id);
			return -EFAULT;
		}
	}
	memset(map + pos, id, len);
	return vfio_fill_vconfig_bytes(vdev, pos, len);
}

/* Walk the standard chain: claim known capabilities, unlink hidden ones. */
static int vfio_cap_init(struct vfio_pci_core_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	u8 *prev = &vdev->vconfig[PCI_CAPABILITY_LIST];
	int loops = PCI_CFG_SPACE_SIZE / PCI_CAP_SIZEOF;
	int caps = 0, ret;
	u16 status;
	u8 pos;

	ret = pci_read_config_word(pdev, PCI_STATUS, &status);
	if (ret)
		return ret;
	if (!(status & PCI_STATUS_CAP_LIST))
		return 0;

	ret = pci_read_config_byte(pdev, PCI_CAPABILITY_LIST, &pos);
	if (ret)
		return ret;

	while (pos && loops--) {
		u8 cap, next;
		int len;

		pos &= ~3;
		if (pos < PCI_STD_HEADER_SIZEOF)
			break;
		ret = pci_read_config_byte(pdev, pos + PCI_CAP_LIST_ID, &cap);
		if (ret)
			return ret;
		ret = pci_read_config_byte(pdev, pos + PCI_CAP_LIST_NEXT, &next);
		if (ret)
			return ret;

		/* ID 0 would claim the header's length: hide it */
		len = cap && cap <= PCI_CAP_ID_MAX ? pci_cap_length[cap] : 0;
		if (len == 0xFF)
			len = vfio_cap_len(vdev, cap, pos);
		if (len < 0)
			return len;

		if (!len) {
			pci_dbg(pdev, "%s: hiding cap %#x@%#x\n", __func__, cap, pos);
			*prev = next;
			pos = next;
			continue;
		}

		ret = vfio_claim_bytes(vdev, pos, len, cap);
		if (ret)
			return ret;

		prev = &vdev->vconfig[pos + PCI_CAP_LIST_NEXT];
		pos = next;
		caps++;
	}

	/* nothing left to show */
	if (!caps)
		*(__le16 *)&vdev->vconfig[PCI_STATUS] &= cpu_to_le16(~PCI_STATUS_CAP_LIST);
	return 0;
}

/* Walk the extended chain the same way; a hidden first one stays as ID 0. */
static int vfio_ecap_init(struct vfio_pci_core_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	int loops = (PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / PCI_CAP_SIZEOF;
	__le32 *prev = NULL;
	u16 epos = PCI_CFG_SPACE_SIZE;
	int ecaps = 0, ret;
	u32 header;

	if (!vdev->extended_caps)
		return 0;

	while (loops--) {
		bool hidden = false;
		u16 ecap;
		int len;

		ret = pci_read_config_dword(pdev, epos, &header);
		if (ret)
			return ret;
		if (!header || header == ~0U)
			break;

		ecap = PCI_EXT_CAP_ID(header);
		len = ecap <= PCI_EXT_CAP_ID_MAX ? pci_ext_cap_length[ecap] : 0;
		if (len == 0xFF)
			len = vfio_ext_cap_len(vdev, ecap, epos);
		if (len < 0)
			return len;

		if (!len) {
			pci_dbg(pdev, "%s: hiding ecap %#x@%#x\n", __func__, ecap, epos);
			if (prev) {
				u32 next = PCI_EXT_CAP_NEXT(header);

				*prev &= cpu_to_le32(~(0xffcU << 20));
				*prev |= cpu_to_le32(next << 20);
				epos = next;
				if (epos < PCI_CFG_SPACE_SIZE)
					break;
				continue;
			}
			/* the chain must start at 0x100: keep an anonymous anchor */
			len = PCI_CAP_SIZEOF;
			hidden = true;
		}

		/* an unknown ID gets a map value above every known one */
		ret = vfio_claim_bytes(vdev, epos, len,
				       ecap > PCI_EXT_CAP_ID_MAX ?
				       PCI_CAP_ID_INVALID_VIRT - 1 : ecap);
		if (ret)
			return ret;

		if (hidden)
			*(__le32 *)&vdev->vconfig[epos] &= cpu_to_le32(0xffcU << 20);
		else
			ecaps++;

		prev = (__le32 *)&vdev->vconfig[epos];
		epos = PCI_EXT_CAP_NEXT(header);
		if (epos < PCI_CFG_SPACE_SIZE)
			break;
	}

	if (!ecaps)
		*(u32 *)&vdev->vconfig[PCI_CFG_SPACE_SIZE] = 0;
	return 0;
}

/**
 * vfio_config_init - build a device's virtual config space
 * @vdev: the device, being enabled
 *
 * Return: 0 or a negative errno.
 */
int vfio_config_init(struct vfio_pci_core_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	u8 *map, *vconfig;
	int ret, i;

	map = kmalloc(pdev->cfg_size, GFP_KERNEL_ACCOUNT);
	if (!map)
		return -ENOMEM;
	vconfig = kzalloc(pdev->cfg_size, GFP_KERNEL_ACCOUNT);
	if (!vconfig) {
		kfree(map);
		return -ENOMEM;
	}

	vdev->pci_config_map = map;
	vdev->vconfig = vconfig;

	memset(map, PCI_CAP_ID_INVALID, pdev->cfg_size);
	memset(map, PCI_CAP_ID_BASIC, PCI_STD_HEADER_SIZEOF);

	ret = vfio_fill_vconfig_bytes(vdev, 0, PCI_STD_HEADER_SIZEOF);
	if (ret)
		goto out;

	/*
	 * The BARs and the ROM BAR as the host set them, to restore after a
	 * backdoor reset (the last entry is the ROM BAR, not the CardBus CIS
	 * pointer that follows BAR 5).
	 */
	for (i = 0; i < PCI_STD_NUM_BARS; i++)
		vdev->rbar[i] = le32_to_cpu(*(__le32 *)&vconfig[PCI_BASE_ADDRESS_0 + 4 * i]);
	vdev->rbar[PCI_STD_NUM_BARS] = le32_to_cpu(*(__le32 *)&vconfig[PCI_ROM_ADDRESS]);
	vdev->bardirty = true;

	/* VFs have no ids of their own in config space */
	if (pdev->is_virtfn) {
		*(__le16 *)&vconfig[PCI_VENDOR_ID] = cpu_to_le16(pdev->vendor);
		*(__le16 *)&vconfig[PCI_DEVICE_ID] = cpu_to_le16(pdev->device);
	}

	if (!IS_ENABLED(CONFIG_VFIO_PCI_INTX) || vdev->nointx ||
	    pdev->is_virtfn || !pdev->irq || pdev->irq == IRQ_NOTCONNECTED)
		vconfig[PCI_INTERRUPT_PIN] = 0;

	ret = vfio_cap_init(vdev);
	if (ret)
		goto out;
	ret = vfio_ecap_init(vdev);
	if (ret)
		goto out;

	/* PME cannot reach the user: no PME support, enable or status */
	if (pdev->pm_cap && map[pdev->pm_cap] == PCI_CAP_ID_PM) {
		__le16 *pmc = (__le16 *)&vconfig[pdev->pm_cap + PCI_PM_PMC];
		__le16 *pmcsr = (__le16 *)&vconfig[pdev->pm_cap + PCI_PM_CTRL];

		*pmc &= ~cpu_to_le16(PCI_PM_CAP_PME_MASK);
		*pmcsr &= ~cpu_to_le16(PCI_PM_CTRL_PME_ENABLE |
				       PCI_PM_CTRL_PME_STATUS);
	}
	return 0;

out:
	vfio_config_free(vdev);
	return ret ? pcibios_err_to_errno(ret) : 0;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_config_init);

/**
 * vfio_config_free - drop a device's virtual config space
 * @vdev: the device
 */
void vfio_config_free(struct vfio_pci_core_device *vdev)
{
	kfree(vdev->vconfig);
	vdev->vconfig = NULL;
	kfree(vdev->pci_config_map);
	vdev->pci_config_map = NULL;
	if (vdev->msi_perm) {
		free_perm_bits(vdev->msi_perm);
		kfree(vdev->msi_perm);
		vdev->msi_perm = NULL;
	}
}
EXPORT_SYMBOL_IF_KUNIT(vfio_config_free);

/* Bytes from @pos that belong to the same capability, within its dword. */
static size_t vfio_cap_remaining_dword(struct vfio_pci_core_device *vdev,
				       loff_t pos)
{
	u8 cap = vdev->pci_config_map[pos];
	size_t i;

	for (i = 1; (pos + i) % 4 && vdev->pci_config_map[pos + i] == cap; i++)
		;
	return i;
}

/**
 * vfio_config_find_perm - the permissions of a config space byte
 * @vdev: the device, its config map built
 * @pos: the config offset
 * @offset: set to @pos relative to the start of its capability (for the
 *	header, unowned and virtual bytes: relative to 0, @pos, @pos)
 *
 * Return: the shared table of the capability owning @pos, the device's
 * own MSI table, or the tables of unowned (raw) and virtual bytes.
 */
VISIBLE_IF_KUNIT struct perm_bits *
vfio_config_find_perm(struct vfio_pci_core_device *vdev, int pos, int *offset)
{
	struct perm_bits *perm;
	int cap_start = 0;
	u8 cap_id;

	cap_id = vdev->pci_config_map[pos];
	if (cap_id == PCI_CAP_ID_INVALID) {
		perm = &unassigned_perms;
		cap_start = pos;
	} else if (cap_id == PCI_CAP_ID_INVALID_VIRT) {
		perm = &virt_perms;
		cap_start = pos;
	} else if (pos >= PCI_CFG_SPACE_SIZE) {
		perm = cap_id > PCI_EXT_CAP_ID_MAX ? &direct_ro_perms :
						     &ecap_perms[cap_id];
		cap_start = vfio_find_cap_start(vdev, pos);
	} else {
		perm = cap_id == PCI_CAP_ID_MSI && vdev->msi_perm ?
			vdev->msi_perm : &cap_perms[cap_id];
		if (cap_id > PCI_CAP_ID_BASIC)
			cap_start = vfio_find_cap_start(vdev, pos);
	}
	*offset = pos - cap_start;
	return perm;
}
EXPORT_SYMBOL_IF_KUNIT(vfio_config_find_perm);

static ssize_t vfio_config_do_rw(struct vfio_pci_core_device *vdev,
				 char __user *buf, size_t count, loff_t pos,
				 bool iswrite)
{
	struct perm_bits *perm;
	__le32 val = 0;
	ssize_t ret;
	int offset;

	/* aligned pieces of 4, 2 or 1 bytes inside one capability */
	count = min(count, vfio_cap_remaining_dword(vdev, pos));
	if (count >= 4 && !(pos % 4))
		count = 4;
	else if (count >= 2 && !(pos % 2))
		count = 2;
	else
		count = 1;

	perm = vfio_config_find_perm(vdev, pos, &offset);
	if (iswrite) {
		if (!perm->writefn)
			return count;	/* read-only: silently dropped */
		if (copy_from_user(&val, buf, count))
			return -EFAULT;
		vdev->cfg_hw_written = false;
		ret = perm->writefn(vdev, pos, count, perm, offset, val);
		trace_vfio_pci_config_write(pci_name(vdev->pdev), pos, count,
					    le32_to_cpu(val),
					    vdev->cfg_hw_written,
					    vdev->cfg_hw_val, ret);
	} else {
		ret = perm->readfn(vdev, pos, count, perm, offset, &val);
		if (ret < 0)
			return ret;
		if (copy_to_user(buf, &val, count))
			return -EFAULT;
	}
	return ret;
}

/**
 * vfio_pci_config_rw - read or write the config region
 * @vdev: the device
 * @buf: user buffer
 * @count: bytes
 * @ppos: device fd offset, advanced by what was done
 * @iswrite: direction
 *
 * Return: bytes done, or -EFAULT outside the config space, or another
 * negative errno.
 */
ssize_t vfio_pci_config_rw(struct vfio_pci_core_device *vdev, char __user *buf,
			   size_t count, loff_t *ppos, bool iswrite)
{
	loff_t pos = *ppos & VFIO_PCI_OFFSET_MASK;
	size_t done = 0;

	if (pos >= vdev->pdev->cfg_size || count > vdev->pdev->cfg_size - pos)
		return -EFAULT;

	while (count) {
		ssize_t ret = vfio_config_do_rw(vdev, buf, count, pos, iswrite);

		if (ret < 0)
			return ret;
		count -= ret;
		done += ret;
		buf += ret;
		pos += ret;
	}
	*ppos += done;
	return done;
}
