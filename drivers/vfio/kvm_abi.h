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

#define VFIO_KVM_ABI_CHECK(fn, type)					\
	static_assert(__builtin_types_compatible_p(typeof(&fn), type),	\
		      #fn " must have the 6.1 prototype")

#define VFIO_KVM_ABI_CHECK_ALL()					\
	VFIO_KVM_ABI_CHECK(vfio_file_iommu_group,			\
			   struct iommu_group *(*)(struct file *));	\
	VFIO_KVM_ABI_CHECK(vfio_file_is_group, bool (*)(struct file *));	\
	VFIO_KVM_ABI_CHECK(vfio_file_enforced_coherent,			\
			   bool (*)(struct file *));			\
	VFIO_KVM_ABI_CHECK(vfio_file_set_kvm,				\
			   void (*)(struct file *, struct kvm *))

#endif /* VFIO_KVM_ABI_H */
