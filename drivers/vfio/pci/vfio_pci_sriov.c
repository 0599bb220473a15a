// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci-core: SR-IOV and the VF token.
 *
 * A PF bound to vfio-pci may enable its VFs (sriov_configure); its user
 * then shares a secret UUID, the VF token, with the users of the VFs, so
 * that a VF is never driven by someone the PF's user does not trust. A
 * VF's open names the token in its GET_DEVICE_FD string (vfio_pci_core_match),
 * and the PF's user sets it with VFIO_DEVICE_FEATURE_PCI_VF_TOKEN.
 */
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uuid.h>
#include <linux/vfio.h>

#include "vfio_pci_priv.h"

/* PFs whose SR-IOV was enabled through vfio-pci, to find a VF's PF. */
static DEFINE_MUTEX(vfio_pci_sriov_pfs_mutex);	/* protects the list */
static LIST_HEAD(vfio_pci_sriov_pfs);

/**
 * struct vfio_pci_vf_token - the secret shared by a PF's and its VFs' users
 * @lock: protects the rest
 * @uuid: the token
 * @users: open VFs of the PF
 */
struct vfio_pci_vf_token {
	struct mutex	lock;		/* protects uuid and users */
	uuid_t		uuid;
	int		users;
};

/**
 * vfio_pci_vf_token_user_add - count a VF's user on its PF's token
 * @vdev: a VF (nothing happens for any other device)
 * @val: 1 on open, -1 on close
 */
void vfio_pci_vf_token_user_add(struct vfio_pci_core_device *vdev, int val)
{
	struct vfio_pci_core_device *pf_vdev = vdev->sriov_pf_core_dev;

	if (!pf_vdev)
		return;
	mutex_lock(&pf_vdev->vf_token->lock);
	pf_vdev->vf_token->users += val;
	WARN_ON(pf_vdev->vf_token->users < 0);
	mutex_unlock(&pf_vdev->vf_token->lock);
}

static int vfio_pci_validate_vf_token(struct vfio_pci_core_device *vdev,
				      bool vf_token, uuid_t *uuid)
{
	struct pci_dev *pdev = vdev->pdev;

	if (pdev->is_virtfn) {
		struct vfio_pci_core_device *pf_vdev = vdev->sriov_pf_core_dev;
		bool match;

		if (!pf_vdev) {
			if (!vf_token)
				return 0;	/* the PF is not ours: no token */
			pci_info_ratelimited(pdev, "VF token incorrectly provided, PF not bound to vfio-pci\n");
			return -EINVAL;
		}
		if (!vf_token) {
			pci_info_ratelimited(pdev, "VF token required to access device\n");
			return -EACCES;
		}
		mutex_lock(&pf_vdev->vf_token->lock);
		match = uuid_equal(uuid, &pf_vdev->vf_token->uuid);
		mutex_unlock(&pf_vdev->vf_token->lock);
		if (!match) {
			pci_info_ratelimited(pdev, "Incorrect VF token provided for device\n");
			return -EACCES;
		}
	} else if (vdev->vf_token) {
		int ret = 0;

		mutex_lock(&vdev->vf_token->lock);
		if (vdev->vf_token->users) {
			/* VFs are in use: the PF user must know their token */
			if (!vf_token) {
				pci_info_ratelimited(pdev, "VF token required to access device\n");
				ret = -EACCES;
			} else if (!uuid_equal(uuid, &vdev->vf_token->uuid)) {
				pci_info_ratelimited(pdev, "Incorrect VF token provided for device\n");
				ret = -EACCES;
			}
		} else if (vf_token) {
			uuid_copy(&vdev->vf_token->uuid, uuid);
		}
		mutex_unlock(&vdev->vf_token->lock);
		return ret;
	} else if (vf_token) {
		pci_info_ratelimited(pdev, "VF token incorrectly provided, not a PF or VF\n");
		return -EINVAL;
	}
	return 0;
}

#define VF_TOKEN_ARG "vf_token="

/**
 * vfio_pci_core_match - match a VFIO_GROUP_GET_DEVICE_FD name
 * @core_vdev: the device
 * @buf: "DDDD:BB:DD.F" optionally followed by " vf_token=<uuid>"
 *
 * Return: 1 on a match, 0 for another device, or a negative errno for
 * a bad option or VF token.
 */
int vfio_pci_core_match(struct vfio_device *core_vdev, char *buf)
{
	struct vfio_pci_core_device *vdev =
		container_of(core_vdev, struct vfio_pci_core_device, vdev);
	const char *name = pci_name(vdev->pdev);
	size_t len = strlen(name);
	bool vf_token = false;
	uuid_t uuid;
	int ret;

	if (strncmp(name, buf, len))
		return 0;

	buf += len;
	if (*buf && *buf != ' ')
		return 0;	/* a longer name */

	while (*buf) {
		if (*buf == ' ') {
			buf++;
			continue;
		}
		if (vf_token || strncmp(buf, VF_TOKEN_ARG, strlen(VF_TOKEN_ARG)))
			return -EINVAL;	/* unknown or repeated option */
		buf += strlen(VF_TOKEN_ARG);
		if (strnlen(buf, UUID_STRING_LEN) < UUID_STRING_LEN)
			return -EINVAL;
		ret = uuid_parse(buf, &uuid);
		if (ret)
			return ret;
		vf_token = true;
		buf += UUID_STRING_LEN;
	}

	ret = vfio_pci_validate_vf_token(vdev, vf_token, &uuid);
	return ret ? ret : 1;
}
EXPORT_SYMBOL_GPL(vfio_pci_core_match);

/**
 * vfio_pci_core_feature_token - VFIO_DEVICE_FEATURE_PCI_VF_TOKEN (SET only)
 * @vdev: a PF
 * @flags: the request's flags
 * @arg: the UUID
 * @argsz: its size
 *
 * Return: 0, the vfio_check_feature() result, -ENOTTY for a device that
 * is not a PF with vfio-pci's SR-IOV, or -EFAULT.
 */
int vfio_pci_core_feature_token(struct vfio_pci_core_device *vdev, u32 flags,
				uuid_t __user *arg, size_t argsz)
{
	uuid_t uuid;
	int ret;

	if (!vdev->vf_token)
		return -ENOTTY;
	/* SET only: reading it back would leak it */
	ret = vfio_check_feature(flags, argsz, VFIO_DEVICE_FEATURE_SET,
				 sizeof(uuid));
	if (ret != 1)
		return ret;
	if (copy_from_user(&uuid, arg, sizeof(uuid)))
		return -EFAULT;

	mutex_lock(&vdev->vf_token->lock);
	uuid_copy(&vdev->vf_token->uuid, &uuid);
	mutex_unlock(&vdev->vf_token->lock);
	return 0;
}

static struct vfio_pci_core_device *vfio_pci_find_pf(struct pci_dev *physfn)
{
	struct vfio_pci_core_device *cur, *found = NULL;

	mutex_lock(&vfio_pci_sriov_pfs_mutex);
	list_for_each_entry(cur, &vfio_pci_sriov_pfs, sriov_pfs_item) {
		if (cur->pdev == physfn) {
			found = cur;
			break;
		}
	}
	mutex_unlock(&vfio_pci_sriov_pfs_mutex);
	return found;
}

/* VFs of our PFs are captured for vfio-pci as they appear. */
static int vfio_pci_bus_notifier(struct notifier_block *nb,
				 unsigned long action, void *data)
{
	struct vfio_pci_core_device *vdev =
		container_of(nb, struct vfio_pci_core_device, nb);
	struct device *dev = data;
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_dev *physfn = pci_physfn(pdev);

	if (action == BUS_NOTIFY_ADD_DEVICE && pdev->is_virtfn &&
	    physfn == vdev->pdev) {
		pci_info(vdev->pdev, "Captured SR-IOV VF %s driver_override\n",
			 pci_name(pdev));
		pdev->driver_override = kasprintf(GFP_KERNEL, "%s",
						  vdev->vdev.ops->name);
	} else if (action == BUS_NOTIFY_BOUND_DRIVER && pdev->is_virtfn &&
		   physfn == vdev->pdev) {
		struct pci_driver *drv = pci_dev_driver(pdev);

		if (drv && drv != pci_dev_driver(vdev->pdev))
			pci_warn(vdev->pdev,
				 "VF %s bound to driver %s while PF bound to driver %s\n",
				 pci_name(pdev), drv->name,
				 pci_dev_driver(vdev->pdev)->name);
	}
	return 0;
}

/**
 * vfio_pci_vf_init - SR-IOV state of a device being registered
 * @vdev: the device
 *
 * Return: 0 or a negative errno.
 */
int vfio_pci_vf_init(struct vfio_pci_core_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	int ret;

	if (pdev->is_virtfn) {
		/* a VF of a PF whose VFs vfio-pci created shares its token */
		vdev->sriov_pf_core_dev = vfio_pci_find_pf(pci_physfn(pdev));
		return 0;
	}
	if (!pdev->is_physfn)
		return 0;

	vdev->vf_token = kzalloc(sizeof(*vdev->vf_token), GFP_KERNEL);
	if (!vdev->vf_token)
		return -ENOMEM;
	mutex_init(&vdev->vf_token->lock);
	uuid_gen(&vdev->vf_token->uuid);

	vdev->nb.notifier_call = vfio_pci_bus_notifier;
	ret = bus_register_notifier(&pci_bus_type, &vdev->nb);
	if (ret) {
		kfree(vdev->vf_token);
		vdev->vf_token = NULL;
	}
	return ret;
}

/**
 * vfio_pci_vf_uninit - undo vfio_pci_vf_init()
 * @vdev: the device being unregistered
 */
void vfio_pci_vf_uninit(struct vfio_pci_core_device *vdev)
{
	if (!vdev->vf_token)
		return;
	bus_unregister_notifier(&pci_bus_type, &vdev->nb);
	WARN_ON(vdev->vf_token->users);
	mutex_destroy(&vdev->vf_token->lock);
	kfree(vdev->vf_token);
	vdev->vf_token = NULL;
}

/**
 * vfio_pci_core_sriov_configure - enable or disable VFs of a PF
 * @vdev: the PF
 * @nr_virtfn: number of VFs, 0 to disable
 *
 * Return: @nr_virtfn, 0, or a negative errno.
 */
int vfio_pci_core_sriov_configure(struct vfio_pci_core_device *vdev,
				  int nr_virtfn)
{
	struct pci_dev *pdev = vdev->pdev;
	int ret = 0;

	if (nr_virtfn) {
		mutex_lock(&vfio_pci_sriov_pfs_mutex);
		/* only the first enabler may call pci_enable_sriov() */
		if (!list_empty(&vdev->sriov_pfs_item)) {
			mutex_unlock(&vfio_pci_sriov_pfs_mutex);
			return -EINVAL;
		}
		list_add_tail(&vdev->sriov_pfs_item, &vfio_pci_sriov_pfs);
		mutex_unlock(&vfio_pci_sriov_pfs_mutex);

		/* the PF stays awake, in D0, while it has VFs */
		ret = pm_runtime_resume_and_get(&pdev->dev);
		if (ret)
			goto out_del;
		down_write(&vdev->memory_lock);
		vfio_pci_set_power_state(vdev, PCI_D0);
		vdev->sriov_active = true;
		up_write(&vdev->memory_lock);
		/*
		 * Not under memory_lock: the VFs probe in here, and their
		 * registration takes device set locks that a hot reset holds
		 * while it waits for memory_lock.
		 */
		ret = pci_enable_sriov(pdev, nr_virtfn);
		if (!ret)
			return nr_virtfn;
		down_write(&vdev->memory_lock);
		vdev->sriov_active = false;
		up_write(&vdev->memory_lock);
		pm_runtime_put(&pdev->dev);
	} else if (pci_num_vf(pdev)) {
		pci_disable_sriov(pdev);
		down_write(&vdev->memory_lock);
		vdev->sriov_active = false;
		up_write(&vdev->memory_lock);
		pm_runtime_put(&pdev->dev);
	}

out_del:

	mutex_lock(&vfio_pci_sriov_pfs_mutex);
	list_del_init(&vdev->sriov_pfs_item);
	mutex_unlock(&vfio_pci_sriov_pfs_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(vfio_pci_core_sriov_configure);
