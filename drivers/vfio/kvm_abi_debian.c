// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time check: the installed kernel's own linux/vfio.h declares the
 * vfio_file_* functions as kvm_abi.h says, so what kvm.ko was built
 * against is what vfio.ko provides.
 */
#include VFIO_KERNEL_HEADER

#include "kvm_abi.h"

static_assert(VFIO_KVM_ABI_OK,
	      "vfio_file_* must have the 6.1 prototypes KVM expects");
