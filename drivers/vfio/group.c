// SPDX-License-Identifier: GPL-2.0-only
/*
 * Groups: /dev/vfio/$N, one per IOMMU group that has a device registered
 * with VFIO. A group fd is the proof of ownership of every device in the
 * IOMMU group: it attaches them to a container and hands out device fds.
 */
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/iommu.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "vfio.h"

static struct {
	struct class		*class;
	struct list_head	group_list;
	struct mutex		group_lock;	/* protects group_list */
	struct ida		group_ida;
	dev_t			group_devt;
} vfio_groups;

static const struct file_operations vfio_group_fops;

/**
 * vfio_group_from_file - the group behind a /dev/vfio/$N file
 * @file: any file
 *
 * Return: the group, or NULL when @file is not a group fd.
 */
struct vfio_group *vfio_group_from_file(struct file *file)
{
	if (file->f_op != &vfio_group_fops)
		return NULL;
	return file->private_data;
}

/* ---- group fd ---- */

static int vfio_group_ioctl_get_status(struct vfio_group *group,
				       struct vfio_group_status __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_group_status, flags);
	struct vfio_group_status status;

	if (copy_from_user(&status, arg, minsz))
		return -EFAULT;
	if (status.argsz < minsz)
		return -EINVAL;

	status.flags = 0;

	mutex_lock(&group->group_lock);
	if (!group->iommu_group) {
		mutex_unlock(&group->group_lock);
		return -ENODEV;
	}
	/*
	 * Viable: no device of the IOMMU group is driven by a kernel driver
	 * doing DMA through the DMA API. Once in a container the group owns
	 * the DMA, which implies viability.
	 */
	if (group->container)
		status.flags |= VFIO_GROUP_FLAGS_CONTAINER_SET |
				VFIO_GROUP_FLAGS_VIABLE;
	else if (!iommu_group_dma_owner_claimed(group->iommu_group))
		status.flags |= VFIO_GROUP_FLAGS_VIABLE;
	mutex_unlock(&group->group_lock);

	if (copy_to_user(arg, &status, minsz))
		return -EFAULT;
	return 0;
}

static int vfio_group_ioctl_set_container(struct vfio_group *group,
					  int __user *arg)
{
	struct vfio_container *container;
	struct fd f;
	int ret;
	int fd;

	if (get_user(fd, arg))
		return -EFAULT;

	f = fdget(fd);
	if (!f.file)
		return -EBADF;

	mutex_lock(&group->group_lock);
	if (group->container) {
		ret = -EINVAL;
		goto out_unlock;
	}
	if (!group->iommu_group) {
		ret = -ENODEV;
		goto out_unlock;
	}
	container = vfio_container_from_file(f.file);
	if (!container) {
		ret = -EINVAL;
		goto out_unlock;
	}
	ret = vfio_container_attach_group(container, group);
out_unlock:
	mutex_unlock(&group->group_lock);
	fdput(f);
	return ret;
}

static int vfio_group_ioctl_unset_container(struct vfio_group *group)
{
	int ret = 0;

	mutex_lock(&group->group_lock);
	if (!group->iommu_group)
		ret = -ENODEV;
	else if (!group->container)
		ret = -EINVAL;
	else if (group->container_users != 1)
		ret = -EBUSY;	/* device fds are open */
	else
		vfio_group_detach_container(group);
	mutex_unlock(&group->group_lock);
	return ret;
}

/* Find a registered device by the name userspace gave, with a reference. */
static struct vfio_device *vfio_group_find_device(struct vfio_group *group,
						  char *name)
{
	struct vfio_device *it, *found = ERR_PTR(-ENODEV);

	mutex_lock(&group->device_lock);
	list_for_each_entry(it, &group->device_list, group_next) {
		int ret;

		if (it->ops->match)
			ret = it->ops->match(it, name);
		else
			ret = !strcmp(dev_name(it->dev), name);

		if (ret < 0) {
			found = ERR_PTR(ret);
			break;
		}
		if (ret && vfio_device_try_get_registration(it)) {
			found = it;
			break;
		}
	}
	mutex_unlock(&group->device_lock);
	return found;
}

/* The group's IOMMU group number for messages, -1 once it is gone. */
static int vfio_group_id(struct vfio_group *group)
{
	return group->iommu_group ? iommu_group_id(group->iommu_group) : -1;
}

/*
 * Say, rate limited, why VFIO_GROUP_GET_DEVICE_FD failed and what to do;
 * @why ends with the fix.
 */
#define vfio_group_warn_open(group, why, ...)				\
	pr_warn_ratelimited("vfio: %s[%d] group %d: VFIO_GROUP_GET_DEVICE_FD: " why "\n", \
			    current->comm, task_tgid_nr(current),	\
			    vfio_group_id(group), ##__VA_ARGS__)

/*
 * Take what a device fd needs from its group: the group must be in a
 * container with an IOMMU model set. The device fd then holds a reference
 * on the group file and counts as a container user.
 */
int vfio_group_use_container(struct vfio_group *group)
{
	lockdep_assert_held(&group->group_lock);

	if (!group->container || !vfio_container_has_iommu(group->container)) {
		vfio_group_warn_open(group,
				     "the group is in no container with an IOMMU model: VFIO_GROUP_SET_CONTAINER, then VFIO_SET_IOMMU, first");
		return -EINVAL;
	}
	if (group->type == VFIO_NO_IOMMU && !capable(CAP_SYS_RAWIO)) {
		vfio_group_warn_open(group,
				     "a no-IOMMU device needs CAP_SYS_RAWIO: run with it");
		return -EPERM;
	}

	get_file(group->opened_file);
	group->container_users++;
	return 0;
}

void vfio_group_unuse_container(struct vfio_group *group)
{
	struct file *file;

	mutex_lock(&group->group_lock);
	group->container_users--;
	file = group->opened_file;
	mutex_unlock(&group->group_lock);
	fput(file);
}

static int vfio_group_ioctl_get_device_fd(struct vfio_group *group,
					  char __user *arg)
{
	struct vfio_device *device;
	struct file *filep;
	char *name;
	int fdno;
	int ret;

	name = strndup_user(arg, PAGE_SIZE);
	if (IS_ERR(name))
		return PTR_ERR(name);

	device = vfio_group_find_device(group, name);
	if (IS_ERR(device)) {
		/* the name as given, escaped, at most 64 bytes of it */
		if (PTR_ERR(device) == -ENODEV)
			vfio_group_warn_open(group,
					     "no device \"%*pE\" in the group: its devices are in /sys/kernel/iommu_groups/%d/devices",
					     (int)min_t(size_t, strlen(name), 64),
					     name, vfio_group_id(group));
		kfree(name);
		return PTR_ERR(device);
	}
	kfree(name);

	fdno = get_unused_fd_flags(O_CLOEXEC);
	if (fdno < 0) {
		ret = fdno;
		goto err_put;
	}

	filep = vfio_device_open_file(device);
	if (IS_ERR(filep)) {
		ret = PTR_ERR(filep);
		put_unused_fd(fdno);
		goto err_put;
	}

	fd_install(fdno, filep);
	return fdno;

err_put:
	vfio_device_put_registration(device);
	return ret;
}

static long vfio_group_fops_unl_ioctl(struct file *filep, unsigned int cmd,
				      unsigned long arg)
{
	struct vfio_group *group = filep->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_GROUP_GET_DEVICE_FD:
		return vfio_group_ioctl_get_device_fd(group, uarg);
	case VFIO_GROUP_GET_STATUS:
		return vfio_group_ioctl_get_status(group, uarg);
	case VFIO_GROUP_SET_CONTAINER:
		return vfio_group_ioctl_set_container(group, uarg);
	case VFIO_GROUP_UNSET_CONTAINER:
		return vfio_group_ioctl_unset_container(group);
	default:
		return -ENOTTY;
	}
}

static int vfio_group_fops_open(struct inode *inode, struct file *filep)
{
	struct vfio_group *group =
		container_of(inode->i_cdev, struct vfio_group, cdev);
	int ret = 0;

	mutex_lock(&group->group_lock);
	/* drivers is stable at 0 under group_lock once the group is dying */
	if (!refcount_read(&group->drivers))
		ret = -ENODEV;
	else if (group->type == VFIO_NO_IOMMU && !capable(CAP_SYS_RAWIO))
		ret = -EPERM;
	else if (group->opened_file)
		ret = -EBUSY;	/* a group has one owner */

	if (!ret) {
		group->opened_file = filep;
		filep->private_data = group;
	}
	mutex_unlock(&group->group_lock);
	return ret;
}

static int vfio_group_fops_release(struct inode *inode, struct file *filep)
{
	struct vfio_group *group = filep->private_data;

	/* Device fds hold the group file, so none is open any more. */
	mutex_lock(&group->group_lock);
	if (group->container)
		vfio_group_detach_container(group);
	group->opened_file = NULL;
	mutex_unlock(&group->group_lock);
	return 0;
}

static const struct file_operations vfio_group_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= vfio_group_fops_unl_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.open		= vfio_group_fops_open,
	.release	= vfio_group_fops_release,
};

/* ---- group objects ---- */

static void vfio_group_release(struct device *dev)
{
	struct vfio_group *group = container_of(dev, struct vfio_group, dev);

	mutex_destroy(&group->device_lock);
	mutex_destroy(&group->group_lock);
	ida_free(&vfio_groups.group_ida, MINOR(group->dev.devt));
	kfree(group);
}

/* Create and publish a group; vfio_groups.group_lock held. */
static struct vfio_group *vfio_group_create(struct iommu_group *iommu_group,
					    enum vfio_group_type type)
{
	struct vfio_group *group;
	int minor;
	int ret;

	lockdep_assert_held(&vfio_groups.group_lock);

	group = kzalloc(sizeof(*group), GFP_KERNEL);
	if (!group)
		return ERR_PTR(-ENOMEM);

	minor = ida_alloc_max(&vfio_groups.group_ida, MINORMASK, GFP_KERNEL);
	if (minor < 0) {
		kfree(group);
		return ERR_PTR(minor);
	}

	device_initialize(&group->dev);
	group->dev.devt = MKDEV(MAJOR(vfio_groups.group_devt), minor);
	group->dev.class = vfio_groups.class;
	group->dev.release = vfio_group_release;
	cdev_init(&group->cdev, &vfio_group_fops);
	group->cdev.owner = THIS_MODULE;

	refcount_set(&group->drivers, 1);
	mutex_init(&group->group_lock);
	mutex_init(&group->device_lock);
	INIT_LIST_HEAD(&group->device_list);
	group->iommu_group = iommu_group;
	/* released in vfio_group_remove_device() */
	iommu_group_ref_get(iommu_group);
	group->type = type;

	ret = dev_set_name(&group->dev, "%s%d",
			   type == VFIO_NO_IOMMU ? "noiommu-" : "",
			   iommu_group_id(iommu_group));
	if (ret)
		goto err_put;

	ret = cdev_device_add(&group->cdev, &group->dev);
	if (ret)
		goto err_put;

	list_add(&group->vfio_next, &vfio_groups.group_list);
	return group;

err_put:
	iommu_group_put(iommu_group);
	put_device(&group->dev);
	return ERR_PTR(ret);
}

/*
 * A group made up by the core: for emulated (mdev) devices and, in
 * noiommu mode, for real devices without an IOMMU. The iommu_group exists
 * so that the sysfs ABI (iommu_group link, /sys/kernel/iommu_groups)
 * looks as usual to userspace.
 */
struct vfio_group *vfio_group_new_fake(struct device *dev,
				       enum vfio_group_type type)
{
	struct iommu_group *iommu_group;
	struct vfio_group *group;
	int ret;

	iommu_group = iommu_group_alloc();
	if (IS_ERR(iommu_group))
		return ERR_CAST(iommu_group);

	ret = iommu_group_set_name(iommu_group, "vfio-noiommu");
	if (ret)
		goto out_put;
	ret = iommu_group_add_device(iommu_group, dev);
	if (ret)
		goto out_put;

	mutex_lock(&vfio_groups.group_lock);
	group = vfio_group_create(iommu_group, type);
	mutex_unlock(&vfio_groups.group_lock);
	if (IS_ERR(group)) {
		ret = PTR_ERR(group);
		goto out_remove;
	}
	iommu_group_put(iommu_group);
	return group;

out_remove:
	iommu_group_remove_device(dev);
out_put:
	iommu_group_put(iommu_group);
	return ERR_PTR(ret);
}

static struct vfio_group *vfio_group_lookup(struct iommu_group *iommu_group)
{
	struct vfio_group *group;

	lockdep_assert_held(&vfio_groups.group_lock);

	list_for_each_entry(group, &vfio_groups.group_list, vfio_next) {
		if (group->iommu_group == iommu_group &&
		    group->type == VFIO_IOMMU) {
			refcount_inc(&group->drivers);
			return group;
		}
	}
	return NULL;
}

/*
 * The group for a physical device: its IOMMU group's, created on first
 * use. Without an IOMMU group the device is refused unless noiommu mode
 * is on, which then fakes one.
 */
struct vfio_group *vfio_group_find_or_alloc(struct device *dev)
{
	struct iommu_group *iommu_group;
	struct vfio_group *group;

	iommu_group = iommu_group_get(dev);
	if (!iommu_group && vfio_noiommu) {
		group = vfio_group_new_fake(dev, VFIO_NO_IOMMU);
		if (!IS_ERR(group)) {
			add_taint(TAINT_USER, LOCKDEP_STILL_OK);
			dev_warn(dev, "Adding kernel taint for vfio-noiommu group on device\n");
		}
		return group;
	}
	if (!iommu_group)
		return ERR_PTR(-EINVAL);

	/*
	 * VFIO lets userspace pick cache attributes by mapping, which is
	 * only safe when the IOMMU snoops. Refuse devices whose IOMMU
	 * cannot guarantee coherency.
	 */
	if (!device_iommu_capable(dev, IOMMU_CAP_CACHE_COHERENCY)) {
		iommu_group_put(iommu_group);
		return ERR_PTR(-EINVAL);
	}

	mutex_lock(&vfio_groups.group_lock);
	group = vfio_group_lookup(iommu_group);
	if (!group)
		group = vfio_group_create(iommu_group, VFIO_IOMMU);
	mutex_unlock(&vfio_groups.group_lock);

	iommu_group_put(iommu_group);
	return group;
}

/*
 * A registered device of @device's group goes away. The last one kills
 * the group: its node disappears, its container is left and its
 * iommu_group pointer is cleared, which fails later ioctls with ENODEV.
 */
void vfio_group_remove_device(struct vfio_device *device)
{
	struct vfio_group *group = device->group;
	struct iommu_group *iommu_group;

	if (group->type == VFIO_NO_IOMMU || group->type == VFIO_EMULATED_IOMMU)
		iommu_group_remove_device(device->dev);

	if (!refcount_dec_and_mutex_lock(&group->drivers,
					 &vfio_groups.group_lock))
		return;
	list_del(&group->vfio_next);
	/* under the list lock: a new group of the same name may follow */
	cdev_device_del(&group->cdev, &group->dev);

	mutex_lock(&group->group_lock);
	if (group->container)
		vfio_group_detach_container(group);
	iommu_group = group->iommu_group;
	group->iommu_group = NULL;
	mutex_unlock(&group->group_lock);
	mutex_unlock(&vfio_groups.group_lock);

	iommu_group_put(iommu_group);
	put_device(&group->dev);
}

static char *vfio_group_devnode(struct device *dev, umode_t *mode)
{
	return kasprintf(GFP_KERNEL, "vfio/%s", dev_name(dev));
}

int __init vfio_group_init(void)
{
	int ret;

	ida_init(&vfio_groups.group_ida);
	mutex_init(&vfio_groups.group_lock);
	INIT_LIST_HEAD(&vfio_groups.group_list);

	vfio_groups.class = class_create(THIS_MODULE, "vfio");
	if (IS_ERR(vfio_groups.class))
		return PTR_ERR(vfio_groups.class);
	vfio_groups.class->devnode = vfio_group_devnode;

	ret = alloc_chrdev_region(&vfio_groups.group_devt, 0, MINORMASK + 1,
				  "vfio");
	if (ret) {
		class_destroy(vfio_groups.class);
		return ret;
	}
	return 0;
}

void vfio_group_cleanup(void)
{
	WARN_ON(!list_empty(&vfio_groups.group_list));
	unregister_chrdev_region(vfio_groups.group_devt, MINORMASK + 1);
	class_destroy(vfio_groups.class);
	ida_destroy(&vfio_groups.group_ida);
}

/* ---- lookups by file, used by KVM and vfio-pci ---- */

/**
 * vfio_file_iommu_group - the IOMMU group behind a VFIO group file
 * @file: a file
 *
 * Kept for SPAPR's KVM code; other users should not need it.
 *
 * Return: the iommu_group, or NULL if @file is not a VFIO group file.
 */
struct iommu_group *vfio_file_iommu_group(struct file *file)
{
	struct vfio_group *group = vfio_group_from_file(file);

	return group ? group->iommu_group : NULL;
}
EXPORT_SYMBOL_GPL(vfio_file_iommu_group);

/**
 * vfio_file_is_group - is this a VFIO group file
 * @file: a file
 *
 * Return: true when @file is a /dev/vfio/$N file.
 */
bool vfio_file_is_group(struct file *file)
{
	return vfio_group_from_file(file);
}
EXPORT_SYMBOL_GPL(vfio_file_is_group);

/**
 * vfio_file_enforced_coherent - is DMA of the group's devices coherent
 * @file: a VFIO group file
 *
 * Until the group is in a container the answer is true: the user has not
 * yet shown the right to anything more.
 *
 * Return: false when non-coherent DMA is possible (KVM then has to emulate
 * WBINVD and honour guest cache attributes), true otherwise.
 */
bool vfio_file_enforced_coherent(struct file *file)
{
	struct vfio_group *group = vfio_group_from_file(file);
	bool ret = true;

	if (!group)
		return true;

	mutex_lock(&group->group_lock);
	if (group->container)
		ret = vfio_container_enforced_coherent(group->container);
	mutex_unlock(&group->group_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(vfio_file_enforced_coherent);

/**
 * vfio_file_set_kvm - associate a KVM with a VFIO group file
 * @file: a VFIO group file
 * @kvm: the KVM, or NULL to drop the association
 *
 * Devices opened afterwards see @kvm in vfio_device.kvm.
 */
void vfio_file_set_kvm(struct file *file, struct kvm *kvm)
{
	struct vfio_group *group = vfio_group_from_file(file);

	if (!group)
		return;

	mutex_lock(&group->group_lock);
	group->kvm = kvm;
	mutex_unlock(&group->group_lock);
}
EXPORT_SYMBOL_GPL(vfio_file_set_kvm);

/**
 * vfio_file_has_dev - does a VFIO group file cover a device
 * @file: a file
 * @device: a vfio device
 *
 * Return: true when @file is the group file of @device's group.
 */
bool vfio_file_has_dev(struct file *file, struct vfio_device *device)
{
	struct vfio_group *group = vfio_group_from_file(file);

	return group && group == device->group;
}
EXPORT_SYMBOL_GPL(vfio_file_has_dev);
