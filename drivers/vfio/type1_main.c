// SPDX-License-Identifier: GPL-2.0-only
#include <linux/module.h>
#include <linux/vfio.h>
#include "vfio.h"
MODULE_LICENSE("GPL v2");
