// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci-core: mmap of BARs.
 *
 * A BAR mapping starts empty and its fault handler inserts the pfns, so
 * that access can be revoked whenever the BAR stops being accessible:
 * memory decode turned off, reset, low power. Every mmap of the device
 * hangs off the address_space of the device's own inode (vfio core), so
 * revoking is one unmap_mapping_range(); no list of VMAs is kept and no
 * mm is locked from here. A fault while the BAR is inaccessible gets
 * SIGBUS.
 *
 * Lock order: mmap_lock (fault), then memory_lock, then the mapping's
 * i_mmap_rwsem (unmap_mapping_range()).
 *
 * Unlike 6.1, which remaps the whole VMA with io_remap_pfn_range() from
 * the fault handler, nothing here reserves a PAT memtype for the VMA, so
 * zapping, splitting or forking it can never leave the PAT tracking of a
 * BAR torn down twice or for a range it never covered.
 */
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/vfio.h>
#include <trace/events/vfio.h>

#include "vfio_pci_priv.h"

/*
 * Populated around a fault: the aligned 16 MiB of the VMA around it, in
 * 2 MiB pieces (one page table page each), so touching a large BAR takes
 * one fault per 16 MiB.
 */
#define VFIO_PCI_FAULT_AROUND	SZ_16M
#define VFIO_PCI_FAULT_PIECE	SZ_2M

/**
 * __vfio_pci_memory_enabled - may the BARs be accessed
 * @vdev: the device, memory_lock held
 *
 * Return: true when memory decode is on (as the user set it) and the
 * device is in D0..D2.
 */
bool __vfio_pci_memory_enabled(struct vfio_pci_core_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	u16 cmd = le16_to_cpu(*(__le16 *)&vdev->vconfig[PCI_COMMAND]);

	/* VFs have no memory enable bit: their decode follows the PF */
	return vfio_pci_pstate(pdev->current_state) < vfio_pci_pstate(PCI_D3hot) &&
	       (pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY));
}

/**
 * vfio_pci_zap_bars - revoke every mmap of the device's BARs
 * @vdev: the device, memory_lock held for writing
 *
 * The next access faults, and finds out under memory_lock whether the
 * BAR may be mapped again.
 */
void vfio_pci_zap_bars(struct vfio_pci_core_device *vdev)
{
	loff_t start = VFIO_PCI_INDEX_TO_OFFSET(VFIO_PCI_BAR0_REGION_INDEX);
	loff_t end = VFIO_PCI_INDEX_TO_OFFSET(VFIO_PCI_BAR5_REGION_INDEX + 1);

	lockdep_assert_held_write(&vdev->memory_lock);
	vfio_device_unmap_mapping_range(&vdev->vdev, start, end - start);
}

/**
 * vfio_pci_zap_and_down_write_memory_lock - revoke BAR mappings, lock out
 * @vdev: the device
 *
 * On return every BAR mapping is zapped and memory_lock is held for
 * writing, so nothing can fault them back in until it is released.
 */
void vfio_pci_zap_and_down_write_memory_lock(struct vfio_pci_core_device *vdev)
{
	down_write(&vdev->memory_lock);
	vfio_pci_zap_bars(vdev);
}

/**
 * vfio_pci_memory_lock_and_enable - lock out users, turn memory decode on
 * @vdev: the device
 *
 * Return: the COMMAND register to restore.
 */
u16 vfio_pci_memory_lock_and_enable(struct vfio_pci_core_device *vdev)
{
	u16 cmd;

	down_write(&vdev->memory_lock);
	pci_read_config_word(vdev->pdev, PCI_COMMAND, &cmd);
	if (!(cmd & PCI_COMMAND_MEMORY))
		pci_write_config_word(vdev->pdev, PCI_COMMAND,
				      cmd | PCI_COMMAND_MEMORY);
	return cmd;
}

/**
 * vfio_pci_memory_unlock_and_restore - undo vfio_pci_memory_lock_and_enable()
 * @vdev: the device
 * @cmd: the COMMAND register it returned
 */
void vfio_pci_memory_unlock_and_restore(struct vfio_pci_core_device *vdev,
					u16 cmd)
{
	pci_write_config_word(vdev->pdev, PCI_COMMAND, cmd);
	up_write(&vdev->memory_lock);
}

/* The pfn mapped at @vma's first address. */
static unsigned long vfio_pci_vma_pfn_base(struct vfio_pci_core_device *vdev,
					   struct vm_area_struct *vma)
{
	unsigned int index = vma->vm_pgoff >>
			     (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT);
	unsigned long pgoff = vma->vm_pgoff &
			      ((1UL << (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT)) - 1);

	return (pci_resource_start(vdev->pdev, index) >> PAGE_SHIFT) + pgoff;
}

/* The pfn that @vma maps at @addr. */
static unsigned long vfio_pci_vma_pfn(struct vm_area_struct *vma,
				      unsigned long pfn_base, unsigned long addr)
{
	return pfn_base + ((addr - vma->vm_start) >> PAGE_SHIFT);
}

/*
 * Map the rest of [@start, @end) of @vma like the page at @addr, which is
 * present. The range lies in one 2 MiB-aligned block, so its ptes are the
 * entries of the one page table page that holds @addr's, written here in
 * one pass under that page's lock. The vmf_insert_pfn() that mapped @addr
 * looked up the PAT memtype of its pfn; the block's pages share it (the
 * assumption of any huge page mapping of a BAR: one memtype per 2 MiB), so
 * the rest is written with the same protection instead of one
 * vmf_insert_pfn(), with its memtype lookup in the iomem and memtype
 * trees, per 4 KiB page.
 */
static void vfio_pci_fill_piece(struct vm_area_struct *vma,
				unsigned long pfn_base, unsigned long addr,
				unsigned long start, unsigned long end)
{
	spinlock_t *ptl;	/* the page table page's, from follow_pte() */
	pte_t *ptep, *pte;
	unsigned long at;
	pgprot_t prot;

	/* a piece is at most one page table page */
	BUILD_BUG_ON(VFIO_PCI_FAULT_PIECE > PMD_SIZE);

	if (follow_pte(vma->vm_mm, addr, &ptep, &ptl))
		return;
	__acquire(ptl);		/* for sparse: follow_pte() returned it held */
	prot = pte_pgprot(pte_mkold(pte_mkclean(ptep_get(ptep))));

	arch_enter_lazy_mmu_mode();
	pte = ptep - ((addr - start) >> PAGE_SHIFT);
	for (at = start; at < end; at += PAGE_SIZE, pte++) {
		/* present already (@addr, a racing fault): stays */
		if (!pte_none(ptep_get(pte)))
			continue;
		set_pte_at(vma->vm_mm, at, pte,
			   pte_mkspecial(pfn_pte(vfio_pci_vma_pfn(vma, pfn_base, at),
						 prot)));
		update_mmu_cache(vma, at, pte);
	}
	arch_leave_lazy_mmu_mode();
	pte_unmap_unlock(ptep, ptl);
}

/*
 * Populate the aligned VFIO_PCI_FAULT_AROUND window of @vma around @addr,
 * whose page the fault just inserted: a user of a BAR rarely touches one
 * page only, and DMA mapping of a BAR (peer to peer) faults it in
 * otherwise. Each other piece starts with a vmf_insert_pfn() of its first
 * page, which allocates its page table page and looks up its memtype.
 * Pages present already are left alone.
 */
static void vfio_pci_fill_around(struct vm_area_struct *vma,
				 unsigned long pfn_base, unsigned long addr)
{
	unsigned long base = ALIGN_DOWN(addr, VFIO_PCI_FAULT_AROUND);
	unsigned long start = max(base, vma->vm_start);
	unsigned long end = min(base + VFIO_PCI_FAULT_AROUND, vma->vm_end);
	unsigned long at, next;

	for (at = start; at < end; at = next) {
		unsigned long first = at;

		next = min(ALIGN_DOWN(at, VFIO_PCI_FAULT_PIECE) +
			   VFIO_PCI_FAULT_PIECE, end);
		if (addr >= at && addr < next)
			first = addr;
		else if (vmf_insert_pfn(vma, at,
					vfio_pci_vma_pfn(vma, pfn_base, at)) &
			 VM_FAULT_ERROR)
			break;
		vfio_pci_fill_piece(vma, pfn_base, first, at, next);
	}
}

static vm_fault_t vfio_pci_mmap_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct vfio_pci_core_device *vdev = vma->vm_private_data;
	unsigned long pfn = vfio_pci_vma_pfn_base(vdev, vma);
	vm_fault_t ret;

	down_read(&vdev->memory_lock);

	if (vdev->pm_runtime_engaged || !__vfio_pci_memory_enabled(vdev)) {
		ret = VM_FAULT_SIGBUS;
		goto out_unlock;
	}

	ret = vmf_insert_pfn(vma, vmf->address,
			     vfio_pci_vma_pfn(vma, pfn, vmf->address));
	if (!(ret & VM_FAULT_ERROR))
		vfio_pci_fill_around(vma, pfn, vmf->address);

out_unlock:
	up_read(&vdev->memory_lock);
	trace_vfio_pci_mmap_fault(pci_name(vdev->pdev),
				  vma->vm_pgoff >>
				  (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT),
				  ((vma->vm_pgoff << PAGE_SHIFT) &
				   VFIO_PCI_OFFSET_MASK) +
				  vmf->address - vma->vm_start,
				  (__force unsigned int)ret);
	return ret;
}

static const struct vm_operations_struct vfio_pci_mmap_ops = {
	.fault = vfio_pci_mmap_fault,
};

/**
 * vfio_pci_bar_mmap - set up a mapping of a BAR region
 * @vdev: the device
 * @vma: the VMA, vm_pgoff in device fd pages
 * @index: the region index (a BAR)
 *
 * Return: 0 or a negative errno.
 */
int vfio_pci_bar_mmap(struct vfio_pci_core_device *vdev,
		      struct vm_area_struct *vma, unsigned int index)
{
	struct pci_dev *pdev = vdev->pdev;
	u64 phys_len, req_len, pgoff, req_start;
	int ret;

	if (index >= PCI_STD_NUM_BARS || !vdev->bar_mmap_supported[index])
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;

	phys_len = PAGE_ALIGN(pci_resource_len(pdev, index));
	req_len = vma->vm_end - vma->vm_start;
	pgoff = vma->vm_pgoff &
		((1U << (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT)) - 1);
	req_start = pgoff << PAGE_SHIFT;

	if (req_start + req_len > phys_len || req_start + req_len < req_start)
		return -EINVAL;

	/* claim the BAR like read/write do */
	ret = vfio_pci_setup_barmap(vdev, index);
	if (ret)
		return ret;

	/*
	 * vm_pgoff stays the offset in the device fd: unmap_mapping_range()
	 * finds the VMA by it, and the fault handler derives the pfn.
	 */
	vma->vm_private_data = vdev;
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	/* populated at fault time, so that it can be revoked */
	vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
	vma->vm_ops = &vfio_pci_mmap_ops;
	return 0;
}
