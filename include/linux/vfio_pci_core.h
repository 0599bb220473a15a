/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio-pci-core: the library behind vfio-pci and its variant drivers.
 * Names follow Linux 6.1 so that 6.1 variant drivers build unchanged.
 */
#ifndef VFIO_PCI_CORE_H
#define VFIO_PCI_CORE_H

#include <linux/irqbypass.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/pci.h>
#include <linux/rwsem.h>
#include <linux/types.h>
#include <linux/uuid.h>
#include <linux/vfio.h>

/*
 * A region's offset in the device fd is its index shifted by 40 bits. The
 * offset is a user's loff_t: shifted unsigned, so that no offset (not even
 * one with bit 63 set) gives a negative index.
 */
#define VFIO_PCI_OFFSET_SHIFT	40
#define VFIO_PCI_OFFSET_TO_INDEX(off)	((u64)(off) >> VFIO_PCI_OFFSET_SHIFT)
#define VFIO_PCI_INDEX_TO_OFFSET(index)	((u64)(index) << VFIO_PCI_OFFSET_SHIFT)
#define VFIO_PCI_OFFSET_MASK	(((u64)(1) << VFIO_PCI_OFFSET_SHIFT) - 1)

struct vfio_pci_core_device;
struct vfio_pci_region;
struct vfio_pci_irq_ctx;
struct vfio_pci_vf_token;
struct perm_bits;

/**
 * struct vfio_pci_regops - callbacks of a device specific region
 * @rw: read or write
 * @release: free the region's data
 * @mmap: map the region, optional
 * @add_capability: add region info capabilities, optional
 */
struct vfio_pci_regops {
	ssize_t (*rw)(struct vfio_pci_core_device *vdev, char __user *buf,
		      size_t count, loff_t *ppos, bool iswrite);
	void	(*release)(struct vfio_pci_core_device *vdev,
			   struct vfio_pci_region *region);
	int	(*mmap)(struct vfio_pci_core_device *vdev,
			struct vfio_pci_region *region,
			struct vm_area_struct *vma);
	int	(*add_capability)(struct vfio_pci_core_device *vdev,
				  struct vfio_pci_region *region,
				  struct vfio_info_cap *caps);
};

/**
 * struct vfio_pci_region - a device specific region (index >= 9)
 * @type: VFIO_REGION_INFO_CAP_TYPE type
 * @subtype: and subtype
 * @ops: callbacks
 * @data: the driver's data
 * @size: size in bytes
 * @flags: VFIO_REGION_INFO_FLAG_*
 */
struct vfio_pci_region {
	u32				type;
	u32				subtype;
	const struct vfio_pci_regops	*ops;
	void				*data;
	size_t				size;
	u32				flags;
};

/**
 * struct vfio_pci_core_device - a PCI function exposed through VFIO
 * @vdev: the vfio device
 * @pdev: the PCI function
 * @barmap: ioremapped BARs, mapped on first access
 * @bar_mmap_supported: BARs that may be mmapped
 * @virq_disabled: the INTx line is masked for the user
 * @bardirty: the virtual BARs need their sizing fixup
 * @pci_config_map: for each config byte, the id of its capability
 * @vconfig: the virtual config space
 * @msi_perm: per-device permissions of the MSI capability
 * @irqlock: protects INTx masking state
 * @igate: serializes SET_IRQS and interrupt setup
 * @ctx: per vector interrupt contexts
 * @num_ctx: entries in @ctx
 * @irq_type: the active VFIO_PCI_*_IRQ_INDEX, or VFIO_PCI_NUM_IRQS
 * @num_regions: device specific regions
 * @region: those regions
 * @msi_qmax: log2 of the MSI vectors the user enabled (advertised MMC)
 * @msix_bar: BAR holding the MSI-X table
 * @msix_size: size of the MSI-X table
 * @msix_offset: offset of the MSI-X table in @msix_bar
 * @rbar: BARs 0-5 and the ROM BAR as the host assigned them, restored
 *	after a reset the device went through unseen
 * @pci_2_3: DisINTx masking works
 * @reset_works: a function reset is possible
 * @extended_caps: the device has PCIe extended config space
 * @has_vga: the VGA region is offered
 * @nointx: INTx is hidden
 * @needs_pm_restore: state is lost going through D3hot (NoSoftRst-)
 * @disable_idle_d3: keep the device in D0 while unused
 * @needs_reset: a reset is due when the device set is next idle
 * @pm_intx_masked: INTx was masked for runtime suspend
 * @pm_runtime_engaged: the user asked for low power
 * @sriov_active: SR-IOV was enabled through vfio
 * @pci_saved_state: config state saved at open
 * @pm_save: state saved across D3hot
 * @ioeventfds_nr: number of ioeventfds
 * @err_trigger: the ERR eventfd
 * @req_trigger: the REQ eventfd
 * @pm_wake_eventfd_ctx: eventfd for low power wakeup
 * @dummy_resources_list: reservations for sub-page BARs
 * @ioeventfds_lock: protects @ioeventfds_list
 * @ioeventfds_list: the ioeventfds
 * @vf_token: VF token of an SR-IOV PF
 * @sriov_pfs_item: link in the list of PFs with VF tokens
 * @sriov_pf_core_dev: for a VF, its PF when bound to vfio-pci
 * @nb: bus notifier for VF driver_override
 * @memory_lock: readers access MMIO; the writer changes memory decode,
 *	power state or resets
 * @last_reset: how the device was last reset successfully (a static
 *	string, see vfio_pci_reset_done()), or NULL
 * @cfg_hw_written: the config write in progress reached the hardware
 * @cfg_hw_val: what it wrote there (for the vfio_pci_config_write event)
 */
struct vfio_pci_core_device {
	struct vfio_device	vdev;
	struct pci_dev		*pdev;
	void __iomem		*barmap[PCI_STD_NUM_BARS];
	bool			bar_mmap_supported[PCI_STD_NUM_BARS];
	bool			virq_disabled;
	bool			bardirty;
	u8			*pci_config_map;
	u8			*vconfig;
	struct perm_bits	*msi_perm;
	spinlock_t		irqlock;	/* INTx masking state */
	struct mutex		igate;		/* SET_IRQS, interrupt setup */
	struct vfio_pci_irq_ctx	*ctx;
	int			num_ctx;
	int			irq_type;
	int			num_regions;
	struct vfio_pci_region	*region;
	u8			msi_qmax;
	u8			msix_bar;
	u16			msix_size;
	u32			msix_offset;
	u32			rbar[7];
	bool			pci_2_3:1;
	bool			reset_works:1;
	bool			extended_caps:1;
	bool			has_vga:1;
	bool			nointx:1;
	bool			needs_pm_restore:1;
	bool			disable_idle_d3:1;
	bool			needs_reset;
	bool			pm_intx_masked;
	bool			pm_runtime_engaged;
	bool			sriov_active;
	struct pci_saved_state	*pci_saved_state;
	struct pci_saved_state	*pm_save;
	int			ioeventfds_nr;
	struct eventfd_ctx	*err_trigger;
	struct eventfd_ctx	*req_trigger;
	struct eventfd_ctx	*pm_wake_eventfd_ctx;
	struct list_head	dummy_resources_list;
	struct mutex		ioeventfds_lock; /* @ioeventfds_list */
	struct list_head	ioeventfds_list;
	struct vfio_pci_vf_token	*vf_token;
	struct list_head		sriov_pfs_item;
	struct vfio_pci_core_device	*sriov_pf_core_dev;
	struct notifier_block	nb;
	struct rw_semaphore	memory_lock;
	const char		*last_reset;
	bool			cfg_hw_written;
	u32			cfg_hw_val;
};

/* The core's exports, for vfio-pci and the variant drivers built on it */
int vfio_pci_core_register_dev_region(struct vfio_pci_core_device *vdev,
				      unsigned int type, unsigned int subtype,
				      const struct vfio_pci_regops *ops,
				      size_t size, u32 flags, void *data);
void vfio_pci_core_set_params(bool nointxmask, bool is_disable_vga,
			      bool is_disable_idle_d3);
void vfio_pci_core_close_device(struct vfio_device *core_vdev);
int vfio_pci_core_init_dev(struct vfio_device *core_vdev);
void vfio_pci_core_release_dev(struct vfio_device *core_vdev);
int vfio_pci_core_register_device(struct vfio_pci_core_device *vdev);
void vfio_pci_core_unregister_device(struct vfio_pci_core_device *vdev);
extern const struct pci_error_handlers vfio_pci_core_err_handlers;
int vfio_pci_core_sriov_configure(struct vfio_pci_core_device *vdev,
				  int nr_virtfn);
long vfio_pci_core_ioctl(struct vfio_device *core_vdev, unsigned int cmd,
			 unsigned long arg);
int vfio_pci_core_ioctl_feature(struct vfio_device *device, u32 flags,
				void __user *arg, size_t argsz);
ssize_t vfio_pci_core_read(struct vfio_device *core_vdev, char __user *buf,
			   size_t count, loff_t *ppos);
ssize_t vfio_pci_core_write(struct vfio_device *core_vdev,
			    const char __user *buf, size_t count, loff_t *ppos);
int vfio_pci_core_mmap(struct vfio_device *core_vdev,
		       struct vm_area_struct *vma);
void vfio_pci_core_request(struct vfio_device *core_vdev, unsigned int count);
int vfio_pci_core_match(struct vfio_device *core_vdev, char *buf);
int vfio_pci_core_enable(struct vfio_pci_core_device *vdev);
void vfio_pci_core_disable(struct vfio_pci_core_device *vdev);
void vfio_pci_core_finish_enable(struct vfio_pci_core_device *vdev);
pci_ers_result_t vfio_pci_core_aer_err_detected(struct pci_dev *pdev,
						pci_channel_state_t state);

#endif /* VFIO_PCI_CORE_H */
