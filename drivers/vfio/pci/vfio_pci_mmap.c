// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci-core: mmap of BARs.
 *
 * BAR mappings are populated on first fault, and every populated VMA is
 * remembered so that it can be zapped whenever the BAR stops being
 * accessible: memory decode turned off, reset, low power. A fault while
 * the BAR is inaccessible gets SIGBUS.
 *
 * Lock order: mmap_lock, then vma_lock, then memory_lock. The fault
 * handler runs under mmap_lock and takes the other two; zapping needs
 * each mm's mmap_lock, so vma_lock is dropped while it is taken.
 */
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vfio.h>

#include "vfio_pci_priv.h"

/**
 * struct vfio_pci_mmap_vma - a populated BAR mapping
 * @vma: the VMA
 * @vma_next: in vfio_pci_core_device.vma_list
 */
struct vfio_pci_mmap_vma {
	struct vm_area_struct	*vma;
	struct list_head	vma_next;
};

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

/* Take vma_lock with vma_list empty: every populated mapping zapped. */
static void vfio_pci_zap_and_vma_lock(struct vfio_pci_core_device *vdev)
{
	for (;;) {
		struct vfio_pci_mmap_vma *mmap_vma, *tmp;
		struct mm_struct *mm = NULL;

		mutex_lock(&vdev->vma_lock);
		while (!list_empty(&vdev->vma_list)) {
			mmap_vma = list_first_entry(&vdev->vma_list,
						    struct vfio_pci_mmap_vma,
						    vma_next);
			mm = mmap_vma->vma->vm_mm;
			if (mmget_not_zero(mm))
				break;
			/* the process is exiting; its mappings go with it */
			list_del(&mmap_vma->vma_next);
			kfree(mmap_vma);
			mm = NULL;
		}
		if (!mm)
			return;
		mutex_unlock(&vdev->vma_lock);

		mmap_read_lock(mm);
		mutex_lock(&vdev->vma_lock);
		list_for_each_entry_safe(mmap_vma, tmp, &vdev->vma_list, vma_next) {
			struct vm_area_struct *vma = mmap_vma->vma;

			if (vma->vm_mm != mm)
				continue;
			list_del(&mmap_vma->vma_next);
			kfree(mmap_vma);
			zap_vma_ptes(vma, vma->vm_start, vma->vm_end - vma->vm_start);
		}
		mutex_unlock(&vdev->vma_lock);
		mmap_read_unlock(mm);
		mmput(mm);
	}
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
	vfio_pci_zap_and_vma_lock(vdev);
	down_write(&vdev->memory_lock);
	mutex_unlock(&vdev->vma_lock);
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

/* A new VMA (fork, split) starts unpopulated, so it is not on the list. */
static void vfio_pci_mmap_open(struct vm_area_struct *vma)
{
	zap_vma_ptes(vma, vma->vm_start, vma->vm_end - vma->vm_start);
}

static void vfio_pci_mmap_close(struct vm_area_struct *vma)
{
	struct vfio_pci_core_device *vdev = vma->vm_private_data;
	struct vfio_pci_mmap_vma *mmap_vma;

	mutex_lock(&vdev->vma_lock);
	list_for_each_entry(mmap_vma, &vdev->vma_list, vma_next) {
		if (mmap_vma->vma == vma) {
			list_del(&mmap_vma->vma_next);
			kfree(mmap_vma);
			break;
		}
	}
	mutex_unlock(&vdev->vma_lock);
}

static vm_fault_t vfio_pci_mmap_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct vfio_pci_core_device *vdev = vma->vm_private_data;
	struct vfio_pci_mmap_vma *mmap_vma;
	vm_fault_t ret = VM_FAULT_NOPAGE;

	mutex_lock(&vdev->vma_lock);
	down_read(&vdev->memory_lock);

	if (vdev->pm_runtime_engaged || !__vfio_pci_memory_enabled(vdev)) {
		ret = VM_FAULT_SIGBUS;
		goto out_unlock;
	}

	/* a concurrent fault may have populated the whole VMA already */
	list_for_each_entry(mmap_vma, &vdev->vma_list, vma_next) {
		if (mmap_vma->vma == vma)
			goto out_unlock;
	}

	mmap_vma = kmalloc(sizeof(*mmap_vma), GFP_KERNEL_ACCOUNT);
	if (!mmap_vma) {
		ret = VM_FAULT_OOM;
		goto out_unlock;
	}

	if (io_remap_pfn_range(vma, vma->vm_start, vma->vm_pgoff,
			       vma->vm_end - vma->vm_start,
			       vma->vm_page_prot)) {
		zap_vma_ptes(vma, vma->vm_start, vma->vm_end - vma->vm_start);
		kfree(mmap_vma);
		ret = VM_FAULT_SIGBUS;
		goto out_unlock;
	}

	mmap_vma->vma = vma;
	list_add(&mmap_vma->vma_next, &vdev->vma_list);

out_unlock:
	up_read(&vdev->memory_lock);
	mutex_unlock(&vdev->vma_lock);
	return ret;
}

static const struct vm_operations_struct vfio_pci_mmap_ops = {
	.open = vfio_pci_mmap_open,
	.close = vfio_pci_mmap_close,
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

	vma->vm_private_data = vdev;
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	vma->vm_pgoff = (pci_resource_start(pdev, index) >> PAGE_SHIFT) + pgoff;
	/* populated at fault time, so that it can be revoked */
	vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
	vma->vm_ops = &vfio_pci_mmap_ops;
	return 0;
}
