// SPDX-License-Identifier: GPL-2.0-only
/* Build-time check: our vfio_file_* prototypes are 6.1's (kvm_abi.h). */
#include <linux/vfio.h>

#include "kvm_abi.h"

static_assert(VFIO_KVM_ABI_OK,
	      "vfio_file_* must have the 6.1 prototypes KVM expects");
