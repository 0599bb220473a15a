/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfio-pci-core: interfaces between its source files.
 */
#ifndef VFIO_PCI_PRIV_H
#define VFIO_PCI_PRIV_H

#include <linux/vfio_pci_core.h>

/* pci_config_map values besides capability ids */
#define PCI_CAP_ID_INVALID		0xFF	/* raw access */
#define PCI_CAP_ID_INVALID_VIRT		0xFE	/* virtualized, reads vconfig */

#define VFIO_PCI_IOEVENTFD_MAX		1000

/**
 * struct vfio_pci_irq_ctx - one interrupt vector given to userspace
 * @trigger: eventfd signalled by the interrupt
 * @unmask: virqfd unmasking INTx
 * @mask: virqfd masking INTx (unused)
 * @name: name of the Linux irq
 * @masked: INTx is masked
 * @producer: irq bypass producer, token @trigger
 * @fired: interrupts taken by our handler (debugfs)
 */
struct vfio_pci_irq_ctx {
	struct eventfd_ctx	*trigger;
	struct virqfd		*unmask;
	struct virqfd		*mask;
	char			*name;
	bool			masked;
	struct irq_bypass_producer	producer;
	atomic_long_t		fired;
};

/**
 * struct vfio_pci_ioeventfd - a write to a BAR triggered by an eventfd
 * @next: in vfio_pci_core_device.ioeventfds_list
 * @vdev: the device
 * @virqfd: the eventfd's virqfd
 * @addr: mapped address of the register
 * @data: value written
 * @pos: offset in the BAR
 * @bar: the BAR
 * @count: access width in bytes
 * @test_mem: the BAR is MMIO and needs memory decode
 */
struct vfio_pci_ioeventfd {
	struct list_head	next;
	struct vfio_pci_core_device	*vdev;
	struct virqfd		*virqfd;
	void __iomem		*addr;
	u64			data;
	loff_t			pos;
	int			bar;
	int			count;
	bool			test_mem;
};

/* vfio_pci_intrs.c */
bool vfio_pci_intx_mask(struct vfio_pci_core_device *vdev);
void vfio_pci_intx_unmask(struct vfio_pci_core_device *vdev);
int vfio_pci_set_irqs_ioctl(struct vfio_pci_core_device *vdev, u32 flags,
			    unsigned int index, unsigned int start,
			    unsigned int count, void *data);
void vfio_pci_irqs_disable_all(struct vfio_pci_core_device *vdev);

/**
 * struct perm_bits - how a capability's config bytes are accessed
 * @virt: bits read from (and written to) vconfig; NULL: none
 * @write: bits the user may write; NULL: none
 * @readfn: read hook; reads @count bytes at config offset @pos, which is
 *	@offset bytes into the capability
 * @writefn: write hook; NULL drops every write
 */
struct perm_bits {
	u8	*virt;
	u8	*write;
	int	(*readfn)(struct vfio_pci_core_device *vdev, int pos, int count,
			  struct perm_bits *perm, int offset, __le32 *val);
	int	(*writefn)(struct vfio_pci_core_device *vdev, int pos, int count,
			   struct perm_bits *perm, int offset, __le32 val);
};

/* vfio_pci_config.c */
ssize_t vfio_pci_config_rw(struct vfio_pci_core_device *vdev, char __user *buf,
			   size_t count, loff_t *ppos, bool iswrite);
int vfio_pci_init_perm_bits(void);
void vfio_pci_uninit_perm_bits(void);
int vfio_config_init(struct vfio_pci_core_device *vdev);
void vfio_config_free(struct vfio_pci_core_device *vdev);
u8 vfio_pci_msi_count_log2(struct vfio_pci_core_device *vdev);
#if IS_ENABLED(CONFIG_KUNIT)
__le32 vfio_perm_mask(const u8 *bits, int offset, int count);
struct perm_bits *vfio_config_find_perm(struct vfio_pci_core_device *vdev,
					int pos, int *offset);
#endif

/* vfio_pci_rdwr.c */
ssize_t vfio_pci_bar_rw(struct vfio_pci_core_device *vdev, char __user *buf,
			size_t count, loff_t *ppos, bool iswrite);
ssize_t vfio_pci_rom_rw(struct vfio_pci_core_device *vdev, char __user *buf,
			size_t count, loff_t *ppos, bool iswrite);
ssize_t vfio_pci_do_io_rw(struct vfio_pci_core_device *vdev, bool test_mem,
			  void __iomem *io, char __user *buf, loff_t off,
			  size_t count, size_t x_start, size_t x_end,
			  bool iswrite);
int vfio_pci_setup_barmap(struct vfio_pci_core_device *vdev, int bar);
int vfio_pci_ioeventfd(struct vfio_pci_core_device *vdev, loff_t offset,
		       u64 data, int count, int fd);
void vfio_pci_ioeventfds_free(struct vfio_pci_core_device *vdev);

/* vfio_pci_mmap.c */
bool __vfio_pci_memory_enabled(struct vfio_pci_core_device *vdev);
void vfio_pci_zap_bars(struct vfio_pci_core_device *vdev);
void vfio_pci_zap_and_down_write_memory_lock(struct vfio_pci_core_device *vdev);
u16 vfio_pci_memory_lock_and_enable(struct vfio_pci_core_device *vdev);
void vfio_pci_memory_unlock_and_restore(struct vfio_pci_core_device *vdev,
					u16 cmd);
int vfio_pci_bar_mmap(struct vfio_pci_core_device *vdev,
		      struct vm_area_struct *vma, unsigned int index);

/* vfio_pci_core.c */
bool vfio_pci_vga_disabled(void);

/* vfio_pci_sriov.c */
void vfio_pci_vf_token_user_add(struct vfio_pci_core_device *vdev, int val);
int vfio_pci_core_feature_token(struct vfio_pci_core_device *vdev, u32 flags,
				uuid_t __user *arg, size_t argsz);
int vfio_pci_vf_init(struct vfio_pci_core_device *vdev);
void vfio_pci_vf_uninit(struct vfio_pci_core_device *vdev);

/* vfio_pci_reset.c */
int vfio_pci_ioctl_get_pci_hot_reset_info(struct vfio_pci_core_device *vdev,
					  void __user *arg);
int vfio_pci_ioctl_pci_hot_reset(struct vfio_pci_core_device *vdev,
				 void __user *arg);
void vfio_pci_dev_set_try_reset(struct vfio_device_set *dev_set);
struct pci_dev *vfio_pci_dev_set_resettable(struct vfio_device_set *dev_set);
void vfio_pci_reset_done(struct vfio_pci_core_device *vdev,
			 const char *method, int ret);

/* vfio_pci_debugfs.c */
void vfio_pci_debugfs_init(struct vfio_pci_core_device *vdev);

/* vfio_pci_vga.c */
#ifdef CONFIG_VFIO_PCI_VGA
int vfio_pci_vga_init(struct vfio_pci_core_device *vdev);
void vfio_pci_vga_uninit(struct vfio_pci_core_device *vdev);
ssize_t vfio_pci_vga_rw(struct vfio_pci_core_device *vdev, char __user *buf,
			size_t count, loff_t *ppos, bool iswrite);
#else
static inline int vfio_pci_vga_init(struct vfio_pci_core_device *vdev)
{
	return 0;
}

static inline void vfio_pci_vga_uninit(struct vfio_pci_core_device *vdev)
{
}

static inline ssize_t vfio_pci_vga_rw(struct vfio_pci_core_device *vdev,
				      char __user *buf, size_t count,
				      loff_t *ppos, bool iswrite)
{
	return -EINVAL;
}
#endif

/* vfio_pci_pm.c */
void vfio_pci_probe_power_state(struct vfio_pci_core_device *vdev);
int vfio_pci_set_power_state(struct vfio_pci_core_device *vdev,
			     pci_power_t state);
void vfio_pci_lock_and_set_power_state(struct vfio_pci_core_device *vdev,
				       pci_power_t state);
int vfio_pci_pm_feature(struct vfio_pci_core_device *vdev, u32 flags,
			void __user *arg, size_t argsz);
void vfio_pci_low_power_exit(struct vfio_pci_core_device *vdev);
void vfio_pci_pm_register(struct vfio_pci_core_device *vdev);
void vfio_pci_pm_unregister(struct vfio_pci_core_device *vdev);
int vfio_pci_pm_get(struct vfio_pci_core_device *vdev);
void vfio_pci_pm_put(struct vfio_pci_core_device *vdev);
int vfio_pci_dev_set_pm_get(struct vfio_device_set *dev_set);
void vfio_pci_dev_set_pm_put(struct vfio_device_set *dev_set);

/* ---- helpers ---- */

/* pci_power_t is __bitwise: compare power states through this */
static inline int vfio_pci_pstate(pci_power_t state)
{
	return (__force int)state;
}

static inline bool vfio_pci_is_vga(struct pci_dev *pdev)
{
	return (pdev->class >> 8) == PCI_CLASS_DISPLAY_VGA;
}

#endif /* VFIO_PCI_PRIV_H */
