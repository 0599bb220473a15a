#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Module load and unload in dependency order. Starts and ends with every
# module of ours loaded.
. /vfio/lib.sh

. ./tap_lib.sh
loaded() { [ -d "/sys/module/$1" ]; }
ours() { grep -q "^$1 " /vfio/expected-srcversions; }

mods=""
for m in $VFIO_MODULES; do ours "$m" && mods="$mods $m"; done
rev=$(echo $mods | tr ' ' '\n' | tac | tr '\n' ' ')

echo "TAP version 13"
check "all modules loaded at start" 'for m in $mods; do loaded $m || exit 1; done'
check "vfio cannot go while vfio_iommu_type1 uses it" '! rmmod vfio 2>/dev/null && loaded vfio'
check "vfio_iommu_type1 holds a reference on vfio" '[ -e /sys/module/vfio/holders/vfio_iommu_type1 ]'
check "unload in reverse dependency order" 'for m in $rev; do rmmod $m || exit 1; loaded $m && exit 1; done; true'
check "nothing of ours is left" 'for m in $mods; do loaded $m && exit 1; done; true'
check "vfio_iommu_type1 does not load without vfio symbols" '! insmod "$(modinfo -n vfio_iommu_type1)" 2>/dev/null && ! loaded vfio_iommu_type1'
check "modprobe vfio also loads vfio_iommu_type1 (softdep)" 'modprobe vfio && loaded vfio && loaded vfio_iommu_type1 && rmmod vfio_iommu_type1 vfio'
check "insmod in dependency order" 'for m in $mods; do insmod "$(modinfo -n $m)" || exit 1; loaded $m || exit 1; done; true'
check "/dev/vfio/vfio is back" '[ -c /dev/vfio/vfio ]'
check "srcversions still ours" 'prove_vfio_modules >/dev/null'
tap_end
