// SPDX-License-Identifier: GPL-2.0-only
/*
 * The migration v2 state machine (VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE),
 * and the two device features of migration v2 (device.c dispatches them).
 *
 * Drivers implement single arcs; a request for a distant state is walked
 * one arc at a time along a shortest path, computed here by a breadth
 * first search over the arcs the device supports.
 */
#include <linux/file.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <trace/events/vfio.h>

#include "vfio.h"

#define VFIO_MIG_NR_STATES	(VFIO_DEVICE_STATE_RUNNING_P2P + 1)

/* Flags a device needs for a state to exist. */
static u32 vfio_mig_state_flags(enum vfio_device_mig_state state)
{
	switch (state) {
	case VFIO_DEVICE_STATE_STOP:
	case VFIO_DEVICE_STATE_RUNNING:
	case VFIO_DEVICE_STATE_STOP_COPY:
	case VFIO_DEVICE_STATE_RESUMING:
		return VFIO_MIGRATION_STOP_COPY;
	case VFIO_DEVICE_STATE_RUNNING_P2P:
		return VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P;
	default:
		return ~0U;	/* ERROR and unknown states are never targets */
	}
}

static bool vfio_mig_state_ok(struct vfio_device *device, u32 state)
{
	u32 need;

	if (state >= VFIO_MIG_NR_STATES)
		return false;
	need = vfio_mig_state_flags(state);
	return (device->migration_flags & need) == need;
}

/* Is there a single arc a -> b for this device? */
static bool vfio_mig_arc(struct vfio_device *device,
			 enum vfio_device_mig_state a,
			 enum vfio_device_mig_state b)
{
	bool p2p = device->migration_flags & VFIO_MIGRATION_P2P;

#define ARC(x, y) (a == VFIO_DEVICE_STATE_##x && b == VFIO_DEVICE_STATE_##y)
	if (ARC(STOP, STOP_COPY) || ARC(STOP_COPY, STOP) ||
	    ARC(STOP, RESUMING) || ARC(RESUMING, STOP))
		return true;
	if (p2p)
		return ARC(RUNNING, RUNNING_P2P) || ARC(RUNNING_P2P, RUNNING) ||
		       ARC(RUNNING_P2P, STOP) || ARC(STOP, RUNNING_P2P);
	return ARC(RUNNING, STOP) || ARC(STOP, RUNNING);
#undef ARC
}

/**
 * vfio_mig_get_next_state - next arc on the way to a migration state
 * @device: the device, with migration_flags set
 * @cur_fsm: the current state
 * @new_fsm: the requested state
 * @next_fsm: receives the state to move to next
 *
 * Return: 0, or -EINVAL when @new_fsm cannot be reached (unknown or
 * unsupported state, or @cur_fsm is ERROR, which only a reset leaves).
 */
int vfio_mig_get_next_state(struct vfio_device *device,
			    enum vfio_device_mig_state cur_fsm,
			    enum vfio_device_mig_state new_fsm,
			    enum vfio_device_mig_state *next_fsm)
{
	u8 queue[VFIO_MIG_NR_STATES], prev[VFIO_MIG_NR_STATES];
	unsigned int head = 0, tail = 0;
	u32 s, t;

	if (WARN_ON(!(device->migration_flags & VFIO_MIGRATION_STOP_COPY)))
		return -EINVAL;
	if (!vfio_mig_state_ok(device, cur_fsm) ||
	    !vfio_mig_state_ok(device, new_fsm))
		return -EINVAL;
	if (cur_fsm == new_fsm) {
		*next_fsm = cur_fsm;
		return 0;
	}

	/* Search backwards from the target: prev[] then points one step on. */
	memset(prev, 0xff, sizeof(prev));
	prev[new_fsm] = new_fsm;
	queue[tail++] = new_fsm;
	while (head < tail) {
		t = queue[head++];
		for (s = 0; s < VFIO_MIG_NR_STATES; s++) {
			if (prev[s] != 0xff || !vfio_mig_state_ok(device, s) ||
			    !vfio_mig_arc(device, s, t))
				continue;
			prev[s] = t;
			queue[tail++] = s;
		}
	}
	if (prev[cur_fsm] == 0xff)
		return -EINVAL;
	*next_fsm = prev[cur_fsm];
	return 0;
}
EXPORT_SYMBOL_GPL(vfio_mig_get_next_state);

/* ---- the device features ---- */

/*
 * The driver's set_state, with the state it leaves traced: the state
 * before is read only while the tracepoint is enabled.
 */
static struct file *vfio_mig_set_state_traced(struct vfio_device *device,
					      enum vfio_device_mig_state to)
{
	enum vfio_device_mig_state from = VFIO_DEVICE_STATE_ERROR;
	bool tracing = trace_vfio_mig_state_enabled();
	struct file *filp;

	if (tracing && device->mig_ops->migration_get_state(device, &from))
		from = VFIO_DEVICE_STATE_ERROR;
	filp = device->mig_ops->migration_set_state(device, to);
	if (tracing)
		trace_vfio_mig_state(dev_name(device->dev), from, to,
				     PTR_ERR_OR_ZERO(filp));
	return filp;
}

int vfio_ioctl_device_feature_migration(struct vfio_device *device,
					u32 flags, void __user *arg,
					size_t argsz)
{
	struct vfio_device_feature_migration mig = {
		.flags = device->migration_flags,
	};
	int ret;

	if (!device->mig_ops)
		return -ENOTTY;

	ret = vfio_check_feature(flags, argsz, VFIO_DEVICE_FEATURE_GET,
				 sizeof(mig));
	if (ret != 1)
		return ret;
	if (copy_to_user(arg, &mig, sizeof(mig)))
		return -EFAULT;
	return 0;
}

int vfio_ioctl_device_feature_mig_device_state(struct vfio_device *device,
					       u32 flags, void __user *arg,
					       size_t argsz)
{
	size_t minsz = offsetofend(struct vfio_device_feature_mig_state,
				   data_fd);
	struct vfio_device_feature_mig_state mig;
	struct file *filp = NULL;
	enum vfio_device_mig_state state;
	int fd;
	int ret;

	if (!device->mig_ops)
		return -ENOTTY;

	ret = vfio_check_feature(flags, argsz,
				 VFIO_DEVICE_FEATURE_SET |
				 VFIO_DEVICE_FEATURE_GET,
				 sizeof(mig));
	if (ret != 1)
		return ret;

	if (copy_from_user(&mig, arg, minsz))
		return -EFAULT;

	if (flags & VFIO_DEVICE_FEATURE_GET) {
		ret = device->mig_ops->migration_get_state(device, &state);
		if (ret)
			return ret;
		mig.device_state = state;
		mig.data_fd = -1;
		return copy_to_user(arg, &mig, minsz) ? -EFAULT : 0;
	}

	/* SET: the driver walks the arcs, we hand out a resulting stream. */
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;

	filp = vfio_mig_set_state_traced(device, mig.device_state);
	if (IS_ERR(filp) || !filp) {
		put_unused_fd(fd);
		mig.data_fd = -1;
		ret = IS_ERR(filp) ? PTR_ERR(filp) : 0;
		if (ret)
			return ret;
		return copy_to_user(arg, &mig, minsz) ? -EFAULT : 0;
	}

	mig.data_fd = fd;
	if (copy_to_user(arg, &mig, minsz)) {
		put_unused_fd(fd);
		fput(filp);
		return -EFAULT;
	}
	fd_install(fd, filp);
	return 0;
}
