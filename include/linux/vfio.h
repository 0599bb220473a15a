/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * In-kernel API of the VFIO core, as used by bus drivers (vfio-pci, mdev
 * vendor drivers), IOMMU backends and KVM. Names and semantics follow
 * Linux 6.1 so that drivers written against 6.1 build unchanged.
 */
#ifndef VFIO_H
#define VFIO_H

#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/workqueue.h>
#include <linux/poll.h>
#include <linux/completion.h>
#include <linux/refcount.h>
#include <uapi/linux/vfio.h>
#include <linux/iova_bitmap.h>

struct kvm;
struct vfio_group;

/**
 * struct vfio_device_set - devices that open and close under one lock
 * @set_id: the key drivers chose (a slot, a bus, or the device itself)
 * @lock: held around open_device() and close_device() of every member
 * @device_list: members, linked through vfio_device.dev_set_list
 * @device_count: number of members; the set is freed when it drops to 0
 */
struct vfio_device_set {
	void *set_id;
	struct mutex lock; /* open/close of members, @device_list */
	struct list_head device_list;
	unsigned int device_count;
};

/**
 * struct vfio_device - a device exposed to userspace through VFIO
 * @dev: the underlying (parent) device
 * @ops: the bus driver's callbacks
 * @mig_ops: migration callbacks, or NULL; fixed before registration
 * @log_ops: DMA logging callbacks, or NULL; fixed before registration
 * @group: the vfio group this device belongs to
 * @dev_set: the device set, assigned at registration at the latest
 * @dev_set_list: link in @dev_set
 * @migration_flags: VFIO_MIGRATION_* the device supports
 * @kvm: the KVM the group was associated with at first open, or NULL
 * @inode: the device's own inode, made on its first open (NULL before:
 *	then it has no fd and no mmap); every device fd maps its
 *	address_space, so unmap_mapping_range() on it revokes every mmap of
 *	the device
 * @debug_root: the device's debugfs directory (/sys/kernel/debug/vfio/
 *	<device name>/) while registered; bus drivers may add files to it
 *
 * The members below are private to the core.
 * @index: the N of /sys/class/vfio-dev/vfioN
 * @device: the vfio-dev class device; its kref is the object's lifetime
 * @refcount: registration reference plus one per device fd user
 * @open_count: number of open device fds
 * @comp: completed when @refcount drops to zero during unregistration
 * @group_next: link in the group's device list
 * @iommu_entry: link in the IOMMU backend's list of registered devices
 */
struct vfio_device {
	struct device *dev;
	const struct vfio_device_ops *ops;
	const struct vfio_migration_ops *mig_ops;
	const struct vfio_log_ops *log_ops;
	struct vfio_group *group;
	struct vfio_device_set *dev_set;
	struct list_head dev_set_list;
	unsigned int migration_flags;
	struct kvm *kvm;
	struct inode *inode;
	struct dentry *debug_root;

	/* private to the core */
	unsigned int index;
	struct device device;
	refcount_t refcount;
	unsigned int open_count;
	struct completion comp;
	struct list_head group_next;
	struct list_head iommu_entry;
};

/**
 * struct vfio_device_ops - callbacks of a VFIO bus driver
 * @name: driver name, for messages
 * @init: set up the driver part of a freshly allocated device
 * @release: undo @init; called when the last reference goes away
 * @open_device: the first device fd is being opened
 * @close_device: the last device fd was closed
 * @read: read(2)/pread(2) on the device fd
 * @write: write(2)/pwrite(2) on the device fd
 * @ioctl: VFIO_DEVICE_* ioctls not handled by the core
 * @mmap: mmap(2) of a region of the device fd
 * @request: ask the user to release the device; @count counts the calls
 * @match: name match for VFIO_GROUP_GET_DEVICE_FD: 0 no match, >0 match,
 *	-errno to fail the lookup
 * @dma_unmap: userspace unmapped [iova, iova + length) that the driver
 *	may have pinned; the driver must unpin it before returning
 * @device_feature: VFIO_DEVICE_FEATURE requests the core does not handle
 */
struct vfio_device_ops {
	char	*name;
	int	(*init)(struct vfio_device *vdev);
	void	(*release)(struct vfio_device *vdev);
	int	(*open_device)(struct vfio_device *vdev);
	void	(*close_device)(struct vfio_device *vdev);
	ssize_t	(*read)(struct vfio_device *vdev, char __user *buf,
			size_t count, loff_t *ppos);
	ssize_t	(*write)(struct vfio_device *vdev, const char __user *buf,
			 size_t count, loff_t *size);
	long	(*ioctl)(struct vfio_device *vdev, unsigned int cmd,
			 unsigned long arg);
	int	(*mmap)(struct vfio_device *vdev, struct vm_area_struct *vma);
	void	(*request)(struct vfio_device *vdev, unsigned int count);
	int	(*match)(struct vfio_device *vdev, char *buf);
	void	(*dma_unmap)(struct vfio_device *vdev, u64 iova, u64 length);
	int	(*device_feature)(struct vfio_device *device, u32 flags,
				  void __user *arg, size_t argsz);
};

/**
 * struct vfio_migration_ops - migration v2 callbacks
 * @migration_set_state: move one arc of the state machine; returns the
 *	data file for arcs that start a stream, NULL otherwise, or ERR_PTR
 * @migration_get_state: report the current state
 */
struct vfio_migration_ops {
	struct file *(*migration_set_state)(struct vfio_device *device,
					    enum vfio_device_mig_state new_state);
	int (*migration_get_state)(struct vfio_device *device,
				   enum vfio_device_mig_state *curr_state);
};

/**
 * struct vfio_log_ops - device DMA logging callbacks
 * @log_start: start logging the given IOVA ranges
 * @log_stop: stop logging
 * @log_read_and_clear: report and clear dirty pages of a range
 */
struct vfio_log_ops {
	int (*log_start)(struct vfio_device *device,
			 struct rb_root_cached *ranges, u32 nnodes,
			 u64 *page_size);
	int (*log_stop)(struct vfio_device *device);
	int (*log_read_and_clear)(struct vfio_device *device,
				  unsigned long iova, unsigned long length,
				  struct iova_bitmap *dirty);
};

/**
 * vfio_check_feature - validate a VFIO_DEVICE_FEATURE request in a driver
 * @flags: the request's flags
 * @argsz: the payload size the user supplied
 * @supported_ops: VFIO_DEVICE_FEATURE_GET and/or _SET the feature has
 * @minsz: payload size the feature needs
 *
 * Return: 1 when the driver should carry out the GET or SET, 0 for a
 * successful PROBE, or -EINVAL.
 */
static inline int vfio_check_feature(u32 flags, size_t argsz, u32 supported_ops,
				     size_t minsz)
{
	u32 op = flags & (VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET);

	if (op & ~supported_ops)
		return -EINVAL;
	if (flags & VFIO_DEVICE_FEATURE_PROBE)
		return 0;
	if (!op || argsz < minsz)
		return -EINVAL;
	return 1;
}

struct vfio_device *_vfio_alloc_device(size_t size, struct device *dev,
				       const struct vfio_device_ops *ops);
/*
 * The vfio_device must be the first member of the driver's structure, so
 * that one allocation (and one kfree) covers both.
 */
#define vfio_alloc_device(dev_struct, member, dev, ops)			\
	container_of(_vfio_alloc_device(sizeof(struct dev_struct) +	\
					BUILD_BUG_ON_ZERO(offsetof(	\
						struct dev_struct, member)), \
					dev, ops),			\
		     struct dev_struct, member)

int vfio_init_device(struct vfio_device *device, struct device *dev,
		     const struct vfio_device_ops *ops);
void vfio_free_device(struct vfio_device *device);

/**
 * vfio_put_device - drop a reference taken by vfio_alloc_device()
 * @device: the device
 */
static inline void vfio_put_device(struct vfio_device *device)
{
	put_device(&device->device);
}

int vfio_register_group_dev(struct vfio_device *device);
int vfio_register_emulated_iommu_dev(struct vfio_device *device);
void vfio_unregister_group_dev(struct vfio_device *device);

int vfio_assign_device_set(struct vfio_device *device, void *set_id);
unsigned int vfio_device_set_open_count(struct vfio_device_set *dev_set);
void vfio_device_unmap_mapping_range(struct vfio_device *device,
				     loff_t start, loff_t len);

int vfio_mig_get_next_state(struct vfio_device *device,
			    enum vfio_device_mig_state cur_fsm,
			    enum vfio_device_mig_state new_fsm,
			    enum vfio_device_mig_state *next_fsm);

/* Used by KVM (looked up by name) and by vfio-pci's hot reset. */
struct iommu_group *vfio_file_iommu_group(struct file *file);
bool vfio_file_is_group(struct file *file);
bool vfio_file_enforced_coherent(struct file *file);
void vfio_file_set_kvm(struct file *file, struct kvm *kvm);
bool vfio_file_has_dev(struct file *file, struct vfio_device *device);

#define VFIO_PIN_PAGES_MAX_ENTRIES	(PAGE_SIZE / sizeof(unsigned long))

int vfio_pin_pages(struct vfio_device *device, dma_addr_t iova,
		   int npage, int prot, struct page **pages);
void vfio_unpin_pages(struct vfio_device *device, dma_addr_t iova, int npage);
int vfio_dma_rw(struct vfio_device *device, dma_addr_t iova,
		void *data, size_t len, bool write);

/**
 * struct vfio_info_cap - a capability chain being built
 * @buf: the chain, reallocated as capabilities are added
 * @size: bytes used in @buf
 */
struct vfio_info_cap {
	struct vfio_info_cap_header *buf;
	size_t size;
};

struct vfio_info_cap_header *vfio_info_cap_add(struct vfio_info_cap *caps,
					       size_t size, u16 id,
					       u16 version);
void vfio_info_cap_shift(struct vfio_info_cap *caps, size_t offset);
int vfio_info_add_capability(struct vfio_info_cap *caps,
			     struct vfio_info_cap_header *cap, size_t size);
int vfio_info_cap_to_user(struct vfio_info_cap *caps, void __user *arg,
			  size_t info_size, u32 *argsz, u32 *cap_offset);

int vfio_set_irqs_validate_and_prepare(struct vfio_irq_set *hdr,
				       int num_irqs, int max_irq_type,
				       size_t *data_size);

struct pci_dev;
static inline void vfio_spapr_pci_eeh_open(struct pci_dev *pdev)
{
}

static inline void vfio_spapr_pci_eeh_release(struct pci_dev *pdev)
{
}

/**
 * struct virqfd - an eventfd that calls back into a driver when signalled
 * @opaque: the driver's context
 * @eventfd: the eventfd
 * @handler: called in the wakeup (atomic) context; non-zero runs @thread
 * @thread: called from a workqueue
 * @data: second argument of @handler and @thread
 * @inject: work item running @thread
 * @wait: our entry on the eventfd's wait queue
 * @pt: poll table used to add @wait
 * @shutdown: work item tearing the virqfd down
 * @flush_inject: work item flushing @inject
 * @pvirqfd: the driver's pointer to this virqfd, cleared on shutdown
 */
struct virqfd {
	void			*opaque;
	struct eventfd_ctx	*eventfd;
	int			(*handler)(void *opaque, void *data);
	void			(*thread)(void *opaque, void *data);
	void			*data;
	struct work_struct	inject;
	wait_queue_entry_t	wait;
	poll_table		pt;
	struct work_struct	shutdown;
	struct work_struct	flush_inject;
	struct virqfd		**pvirqfd;
};

int vfio_virqfd_enable(void *opaque, int (*handler)(void *opaque, void *data),
		       void (*thread)(void *opaque, void *data), void *data,
		       struct virqfd **pvirqfd, int fd);
void vfio_virqfd_disable(struct virqfd **pvirqfd);
void vfio_virqfd_flush_thread(struct virqfd **pvirqfd);

#endif /* VFIO_H */
