/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The vfio_file_* functions KVM (Debian's kvm.ko) looks up by name at run
 * time with symbol_get(): no CRC protects them, so their prototypes must
 * be exactly 6.1's. kvm_abi_ours.c and kvm_abi_debian.c check this table
 * against our header and against the installed kernel's header; a
 * difference on either side fails the build.
 */
#ifndef VFIO_KVM_ABI_H
#define VFIO_KVM_ABI_H

#include <linux/build_bug.h>

struct file;
struct iommu_group;
struct kvm;

/* Is @fn's type exactly @type (a function pointer type)? */
#define VFIO_KVM_ABI_SAME(fn, type)					\
	__builtin_types_compatible_p(typeof(fn) *, type)

#define VFIO_KVM_ABI_OK							\
	(VFIO_KVM_ABI_SAME(vfio_file_iommu_group,			\
			   struct iommu_group *(*)(struct file *)) &&	\
	 VFIO_KVM_ABI_SAME(vfio_file_is_group, bool (*)(struct file *)) &&	\
	 VFIO_KVM_ABI_SAME(vfio_file_enforced_coherent,			\
			   bool (*)(struct file *)) &&			\
	 VFIO_KVM_ABI_SAME(vfio_file_set_kvm,				\
			   void (*)(struct file *, struct kvm *)))

#endif /* VFIO_KVM_ABI_H */
