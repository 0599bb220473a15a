// SPDX-License-Identifier: GPL-2.0-only
/* Build-time check: our vfio_file_* prototypes are 6.1's (kvm_abi.h). */
#include <linux/vfio.h>

#include "kvm_abi.h"

VFIO_KVM_ABI_CHECK_ALL();
