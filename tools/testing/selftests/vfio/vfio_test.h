/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared helpers of the VFIO selftests: finding the guest's test devices
 * and opening them through /dev/vfio.
 */
#ifndef VFIO_TEST_H
#define VFIO_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

/* An ioctl's errno, or 0 when it succeeded. */
static inline int ioctl_errno(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

static inline int ioctl_errno_val(int fd, unsigned long cmd, unsigned long arg)
{
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

#endif
