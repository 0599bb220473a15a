// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runtime power management of vfio-pci devices.
 *
 * A bound device with no user holds no runtime PM reference (unless the
 * disable_idle_d3 parameter is set), so the PCI core puts it in D3hot when
 * idle. Opening takes a reference, closing drops it; every ioctl,
 * read and write holds one while it runs, so an access always finds the
 * device awake.
 *
 * A user may give up its own reference with the low power features
 * (VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY[_WITH_WAKEUP]): the BAR mappings are
 * revoked, faults on them raise SIGBUS, and the device suspends once the
 * ioctl returns. The entry with wakeup stores an eventfd that the next
 * resume signals, and that resume also ends the low power state; without
 * it only VFIO_DEVICE_FEATURE_LOW_POWER_EXIT (or closing) does.
 *
 * The user-visible flags are protected by memory_lock, the same lock that
 * guards BAR access, so a fault never races with entry or exit.
 */
#include <linux/eventfd.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/vfio_pci_core.h>

#include "vfio_pci_priv.h"

static int vfio_pci_low_power_enter(struct vfio_pci_core_device *vdev,
				    struct eventfd_ctx *wakeup)
{
	vfio_pci_zap_and_down_write_memory_lock(vdev);
	if (vdev->pm_runtime_engaged) {
		up_write(&vdev->memory_lock);
		return -EINVAL;
	}
	vdev->pm_runtime_engaged = true;
	vdev->pm_wake_eventfd_ctx = wakeup;
	/*
	 * Only the count drops here: the ioctl wrapper still holds its own
	 * reference and its put lets the device suspend.
	 */
	pm_runtime_put_noidle(&vdev->pdev->dev);
	up_write(&vdev->memory_lock);
	return 0;
}

/* Take back the user's reference; memory_lock held for writing. */
static void __vfio_pci_low_power_exit(struct vfio_pci_core_device *vdev)
{
	lockdep_assert_held_write(&vdev->memory_lock);

	if (!vdev->pm_runtime_engaged)
		return;
	vdev->pm_runtime_engaged = false;
	pm_runtime_get_noresume(&vdev->pdev->dev);
	if (vdev->pm_wake_eventfd_ctx) {
		eventfd_ctx_put(vdev->pm_wake_eventfd_ctx);
		vdev->pm_wake_eventfd_ctx = NULL;
	}
}

/**
 * vfio_pci_low_power_exit - end a user's low power state, if any
 * @vdev: the device
 *
 * The device is not resumed here: the caller holds or takes a reference
 * that does.
 */
void vfio_pci_low_power_exit(struct vfio_pci_core_device *vdev)
{
	down_write(&vdev->memory_lock);
	__vfio_pci_low_power_exit(vdev);
	up_write(&vdev->memory_lock);
}

static int vfio_pci_feature_low_power_entry(struct vfio_pci_core_device *vdev,
					    u32 flags, size_t argsz)
{
	int ret;

	ret = vfio_check_feature(flags, argsz, VFIO_DEVICE_FEATURE_SET, 0);
	if (ret != 1)
		return ret;
	return vfio_pci_low_power_enter(vdev, NULL);
}

static int
vfio_pci_feature_low_power_wakeup(struct vfio_pci_core_device *vdev, u32 flags,
				  void __user *arg, size_t argsz)
{
	struct vfio_device_low_power_entry_with_wakeup entry;
	struct eventfd_ctx *wakeup;
	int ret;

	ret = vfio_check_feature(flags, argsz, VFIO_DEVICE_FEATURE_SET,
				 sizeof(entry));
	if (ret != 1)
		return ret;
	if (copy_from_user(&entry, arg, sizeof(entry)))
		return -EFAULT;
	if (entry.wakeup_eventfd < 0)
		return -EINVAL;

	wakeup = eventfd_ctx_fdget(entry.wakeup_eventfd);
	if (IS_ERR(wakeup))
		return PTR_ERR(wakeup);

	ret = vfio_pci_low_power_enter(vdev, wakeup);
	if (ret)
		eventfd_ctx_put(wakeup);
	return ret;
}

static int vfio_pci_feature_low_power_exit(struct vfio_pci_core_device *vdev,
					   u32 flags, size_t argsz)
{
	int ret;

	ret = vfio_check_feature(flags, argsz, VFIO_DEVICE_FEATURE_SET, 0);
	if (ret != 1)
		return ret;
	/*
	 * The ioctl wrapper has resumed the device; with a wakeup eventfd
	 * that resume already ended the low power state, and this is a no-op.
	 */
	vfio_pci_low_power_exit(vdev);
	return 0;
}

/**
 * vfio_pci_pm_feature - the low power VFIO_DEVICE_FEATUREs
 * @vdev: the device
 * @flags: the request's flags
 * @arg: the payload
 * @argsz: its size
 *
 * Return: the feature's result, or -ENOTTY for other features.
 */
int vfio_pci_pm_feature(struct vfio_pci_core_device *vdev, u32 flags,
			void __user *arg, size_t argsz)
{
	switch (flags & VFIO_DEVICE_FEATURE_MASK) {
	case VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY:
		return vfio_pci_feature_low_power_entry(vdev, flags, argsz);
	case VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP:
		return vfio_pci_feature_low_power_wakeup(vdev, flags, arg,
							 argsz);
	case VFIO_DEVICE_FEATURE_LOW_POWER_EXIT:
		return vfio_pci_feature_low_power_exit(vdev, flags, argsz);
	default:
		return -ENOTTY;
	}
}

static int vfio_pci_runtime_suspend(struct device *dev)
{
	struct vfio_pci_core_device *vdev = dev_get_drvdata(dev);

	/*
	 * The PCI core picks the low power state; it starts from D0 so that
	 * a user's own D3hot (with its saved state) is undone first.
	 */
	down_write(&vdev->memory_lock);
	vfio_pci_set_power_state(vdev, PCI_D0);
	up_write(&vdev->memory_lock);

	/* an INTx left unmasked would fire into a sleeping device */
	vdev->pm_intx_masked = vdev->irq_type == VFIO_PCI_INTX_IRQ_INDEX &&
			       vfio_pci_intx_mask(vdev);
	return 0;
}

static int vfio_pci_runtime_resume(struct device *dev)
{
	struct vfio_pci_core_device *vdev = dev_get_drvdata(dev);

	down_write(&vdev->memory_lock);
	if (vdev->pm_wake_eventfd_ctx) {
		eventfd_signal(vdev->pm_wake_eventfd_ctx, 1);
		__vfio_pci_low_power_exit(vdev);
	}
	up_write(&vdev->memory_lock);

	if (vdev->pm_intx_masked) {
		vdev->pm_intx_masked = false;
		vfio_pci_intx_unmask(vdev);
	}
	return 0;
}

static const struct dev_pm_ops vfio_pci_pm_ops = {
	RUNTIME_PM_OPS(vfio_pci_runtime_suspend, vfio_pci_runtime_resume, NULL)
};

/**
 * vfio_pci_pm_register - let an idle device suspend
 * @vdev: the device, being registered
 *
 * Installs our runtime PM callbacks in the binding driver and drops the
 * reference the PCI core holds across probe.
 */
void vfio_pci_pm_register(struct vfio_pci_core_device *vdev)
{
	struct device *dev = &vdev->pdev->dev;

	dev->driver->pm = &vfio_pci_pm_ops;
	pm_runtime_allow(dev);
	if (!vdev->disable_idle_d3)
		pm_runtime_put(dev);
}

/**
 * vfio_pci_pm_unregister - undo vfio_pci_pm_register()
 * @vdev: the device, being removed (awake: the PCI core resumed it)
 */
void vfio_pci_pm_unregister(struct vfio_pci_core_device *vdev)
{
	struct device *dev = &vdev->pdev->dev;

	if (!vdev->disable_idle_d3)
		pm_runtime_get_noresume(dev);
	pm_runtime_forbid(dev);
}

/**
 * vfio_pci_pm_get - wake a device for its first user
 * @vdev: the device
 *
 * Return: 0 or a negative errno.
 */
int vfio_pci_pm_get(struct vfio_pci_core_device *vdev)
{
	if (vdev->disable_idle_d3)
		return 0;
	return pm_runtime_resume_and_get(&vdev->pdev->dev);
}

/**
 * vfio_pci_pm_put - the last user is gone
 * @vdev: the device
 */
void vfio_pci_pm_put(struct vfio_pci_core_device *vdev)
{
	if (!vdev->disable_idle_d3)
		pm_runtime_put(&vdev->pdev->dev);
}

/**
 * vfio_pci_dev_set_pm_get - wake every member of a device set
 * @dev_set: the set, locked
 *
 * A bus reset must not find a member asleep.
 *
 * Return: 0, or a negative errno with no reference taken.
 */
int vfio_pci_dev_set_pm_get(struct vfio_device_set *dev_set)
{
	struct vfio_pci_core_device *cur;
	int ret;

	list_for_each_entry(cur, &dev_set->device_list, vdev.dev_set_list) {
		ret = pm_runtime_resume_and_get(&cur->pdev->dev);
		if (ret)
			goto unwind;
	}
	return 0;

unwind:
	list_for_each_entry_continue_reverse(cur, &dev_set->device_list,
					     vdev.dev_set_list)
		pm_runtime_put(&cur->pdev->dev);
	return ret;
}

/**
 * vfio_pci_dev_set_pm_put - undo vfio_pci_dev_set_pm_get()
 * @dev_set: the set, locked
 */
void vfio_pci_dev_set_pm_put(struct vfio_device_set *dev_set)
{
	struct vfio_pci_core_device *cur;

	list_for_each_entry(cur, &dev_set->device_list, vdev.dev_set_list)
		pm_runtime_put(&cur->pdev->dev);
}

/* ---- power state changes ---- */

/**
 * vfio_pci_probe_power_state - note whether D3hot loses the device's state
 * @vdev: the device being registered
 */
void vfio_pci_probe_power_state(struct vfio_pci_core_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	u16 pmcsr;

	if (!pdev->pm_cap)
		return;
	pci_read_config_word(pdev, pdev->pm_cap + PCI_PM_CTRL, &pmcsr);
	vdev->needs_pm_restore = !(pmcsr & PCI_PM_CTRL_NO_SOFT_RESET);
}

/**
 * vfio_pci_set_power_state - change the power state, keeping config state
 * @vdev: the device
 * @state: the new state
 *
 * Devices that lose their state in D3hot (NoSoftRst-) get it saved and
 * restored around the transition. A PF with VFs stays in D0.
 *
 * Return: 0 or a negative errno.
 */
int vfio_pci_set_power_state(struct vfio_pci_core_device *vdev,
			     pci_power_t state)
{
	struct pci_dev *pdev = vdev->pdev;
	bool needs_restore = false, needs_save = false;
	int ret;

	/* a PF whose VFs vfio-pci enabled stays in D0 */
	if (vdev->sriov_active && vfio_pci_pstate(state) > vfio_pci_pstate(PCI_D0))
		return -EBUSY;

	if (vdev->needs_pm_restore) {
		int cur = vfio_pci_pstate(pdev->current_state);
		int new = vfio_pci_pstate(state);
		int d3hot = vfio_pci_pstate(PCI_D3hot);

		if (cur < d3hot && new >= d3hot) {
			pci_save_state(pdev);
			needs_save = true;
		}
		if (cur >= d3hot && new <= vfio_pci_pstate(PCI_D0))
			needs_restore = true;
	}

	ret = pci_set_power_state(pdev, state);
	if (!ret) {
		/* D3 may be refused by a quirk: save only if we got there */
		if (needs_save && vfio_pci_pstate(pdev->current_state) >=
				  vfio_pci_pstate(PCI_D3hot)) {
			kfree(vdev->pm_save);
			vdev->pm_save = pci_store_saved_state(pdev);
		} else if (needs_restore) {
			pci_load_and_free_saved_state(pdev, &vdev->pm_save);
			pci_restore_state(pdev);
		}
	}
	return ret;
}

/**
 * vfio_pci_lock_and_set_power_state - a power state change asked by the user
 * @vdev: the device
 * @state: the new state
 *
 * Going to D3 revokes BAR mappings first.
 */
void vfio_pci_lock_and_set_power_state(struct vfio_pci_core_device *vdev,
				       pci_power_t state)
{
	if (vfio_pci_pstate(state) >= vfio_pci_pstate(PCI_D3hot))
		vfio_pci_zap_and_down_write_memory_lock(vdev);
	else
		down_write(&vdev->memory_lock);
	vfio_pci_set_power_state(vdev, state);
	up_write(&vdev->memory_lock);
}
