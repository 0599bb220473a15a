/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private interfaces between the parts of vfio.ko and the IOMMU backends.
 */
#ifndef __VFIO_VFIO_H__
#define __VFIO_VFIO_H__

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/vfio.h>

struct iommu_group;
struct vfio_container;

/**
 * enum vfio_group_type - what stands behind a group's DMA
 * @VFIO_IOMMU: a real IOMMU group; DMA is translated
 * @VFIO_EMULATED_IOMMU: a software device (mdev); the core made up an
 *	iommu_group for the sysfs ABI and the device cannot DMA by itself
 * @VFIO_NO_IOMMU: a real device without IOMMU (noiommu mode); unsafe,
 *	needs CAP_SYS_RAWIO and taints the kernel
 */
enum vfio_group_type {
	VFIO_IOMMU,
	VFIO_EMULATED_IOMMU,
	VFIO_NO_IOMMU,
};

/**
 * struct vfio_group - one /dev/vfio/$N
 * @dev: the vfio class device; its kref is the object's lifetime
 * @cdev: the character device
 * @drivers: registered vfio devices of this group; at 0 the group is dead
 * @container_users: open device fds (each pins the container attachment)
 * @iommu_group: the IOMMU group, NULL once the group is dead
 * @container: the container the group is attached to, or NULL
 * @device_list: registered vfio devices
 * @device_lock: protects @device_list
 * @vfio_next: link in the global group list
 * @container_next: link in @container's group list
 * @type: see enum vfio_group_type
 * @group_lock: protects @container, @opened_file, @kvm, @container_users
 * @kvm: KVM associated through vfio_file_set_kvm()
 * @opened_file: the one open group file, or NULL
 */
struct vfio_group {
	struct device dev;
	struct cdev cdev;
	refcount_t drivers;
	unsigned int container_users;
	struct iommu_group *iommu_group;
	struct vfio_container *container;
	struct list_head device_list;
	struct mutex device_lock;		/* protects device_list */
	struct list_head vfio_next;
	struct list_head container_next;
	enum vfio_group_type type;
	struct mutex group_lock;		/* see above */
	struct kvm *kvm;
	struct file *opened_file;
};

/**
 * enum vfio_iommu_notify_type - events sent to an IOMMU backend
 * @VFIO_IOMMU_CONTAINER_CLOSE: the container fd was closed
 */
enum vfio_iommu_notify_type {
	VFIO_IOMMU_CONTAINER_CLOSE = 0,
};

/**
 * struct vfio_iommu_driver_ops - an IOMMU backend (type1, noiommu)
 * @name: backend name
 * @owner: module implementing it
 * @open: create backend state for an IOMMU model (the SET_IOMMU argument),
 *	or called with 0 by CHECK_EXTENSION-only users; returns ERR_PTR
 * @release: free backend state
 * @ioctl: container ioctls; CHECK_EXTENSION is asked with iommu_data NULL
 *	before a backend is chosen
 * @attach_group: a group joins the container
 * @detach_group: a group leaves the container
 * @pin_pages: pin user pages for an emulated device
 * @unpin_pages: undo @pin_pages
 * @register_device: a device of the container was opened
 * @unregister_device: that device was closed
 * @dma_rw: copy to or from a mapped IOVA range through the owner's mm
 * @group_iommu_domain: the IOMMU domain a group is attached to
 * @notify: deliver an enum vfio_iommu_notify_type event
 */
struct vfio_iommu_driver_ops {
	char		*name;
	struct module	*owner;
	void		*(*open)(unsigned long arg);
	void		(*release)(void *iommu_data);
	long		(*ioctl)(void *iommu_data, unsigned int cmd,
				 unsigned long arg);
	int		(*attach_group)(void *iommu_data,
					struct iommu_group *group,
					enum vfio_group_type type);
	void		(*detach_group)(void *iommu_data,
					struct iommu_group *group);
	int		(*pin_pages)(void *iommu_data,
				     struct iommu_group *group,
				     dma_addr_t user_iova,
				     int npage, int prot,
				     struct page **pages);
	void		(*unpin_pages)(void *iommu_data,
				       dma_addr_t user_iova, int npage);
	void		(*register_device)(void *iommu_data,
					   struct vfio_device *vdev);
	void		(*unregister_device)(void *iommu_data,
					     struct vfio_device *vdev);
	int		(*dma_rw)(void *iommu_data, dma_addr_t user_iova,
				  void *data, size_t count, bool write);
	struct iommu_domain *(*group_iommu_domain)(void *iommu_data,
						   struct iommu_group *group);
	void		(*notify)(void *iommu_data,
				  enum vfio_iommu_notify_type event);
};

/**
 * struct vfio_iommu_driver - a registered backend
 * @ops: its callbacks
 * @vfio_next: link in the backend list
 */
struct vfio_iommu_driver {
	const struct vfio_iommu_driver_ops	*ops;
	struct list_head			vfio_next;
};

int vfio_register_iommu_driver(const struct vfio_iommu_driver_ops *ops);
void vfio_unregister_iommu_driver(const struct vfio_iommu_driver_ops *ops);

/* container.c */
struct vfio_container *vfio_container_from_file(struct file *filep);
int vfio_container_attach_group(struct vfio_container *container,
				struct vfio_group *group);
void vfio_group_detach_container(struct vfio_group *group);
bool vfio_container_has_iommu(struct vfio_container *container);
void vfio_device_container_register(struct vfio_device *device);
void vfio_device_container_unregister(struct vfio_device *device);
bool vfio_container_enforced_coherent(struct vfio_container *container);
int __init vfio_container_init(void);
void vfio_container_cleanup(void);

/* group.c */
int vfio_group_use_container(struct vfio_group *group);
void vfio_group_unuse_container(struct vfio_group *group);
struct vfio_group *vfio_group_find_or_alloc(struct device *dev);
struct vfio_group *vfio_group_new_fake(struct device *dev,
				       enum vfio_group_type type);
void vfio_group_remove_device(struct vfio_device *device);
struct vfio_group *vfio_group_from_file(struct file *file);
int __init vfio_group_init(void);
void vfio_group_cleanup(void);

/* device.c */
struct file *vfio_device_open_file(struct vfio_device *device);
bool vfio_device_try_get_registration(struct vfio_device *device);
void vfio_device_put_registration(struct vfio_device *device);
int __init vfio_device_init(void);
void vfio_device_cleanup(void);

/* debugfs.c */
void vfio_device_debugfs_init(struct vfio_device *device);
void vfio_device_debugfs_exit(struct vfio_device *device);
void __init vfio_debugfs_init(void);
void vfio_debugfs_exit(void);

/* noiommu.c, built with CONFIG_VFIO_NOIOMMU */
extern const struct vfio_iommu_driver_ops vfio_noiommu_ops;
#if IS_ENABLED(CONFIG_VFIO_NOIOMMU)
extern bool vfio_noiommu;
int vfio_noiommu_register(void);
void vfio_noiommu_unregister(void);
#else
#define vfio_noiommu false
static inline int vfio_noiommu_register(void)
{
	return 0;
}

static inline void vfio_noiommu_unregister(void)
{
}
#endif

/* migration.c */
int vfio_ioctl_device_feature_migration(struct vfio_device *device,
					u32 flags, void __user *arg,
					size_t argsz);
int vfio_ioctl_device_feature_mig_device_state(struct vfio_device *device,
					       u32 flags, void __user *arg,
					       size_t argsz);

/* device_fs.c */
int __init vfio_fs_init(void);
void vfio_fs_exit(void);
int vfio_device_inode_get(struct vfio_device *device);
void vfio_device_inode_free(struct vfio_device *device);

#endif /* __VFIO_VFIO_H__ */
