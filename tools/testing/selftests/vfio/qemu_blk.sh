#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Debian's QEMU, run inside the test guest, passes the test guest's own
# virtio-blk disk (behind root port 3, iommu_platform=on) to a second-level guest with
# -device vfio-pci,host=...; that guest's virtio-blk driver (MSI-X, DMA
# through our type1 mappings of its memory) reads the whole disk, and its
# checksum must equal the image's. Fails on any QEMU VFIO error.
. ./tap_lib.sh
. ./l2_lib.sh

BLK=$(find_dev 1af4 1042)
require "virtio-blk (1af4:1042)" "$BLK"
LOG=/tmp/l2-blk.log

echo "TAP version 13"
l2_mount
check "the virtio-blk disk (1af4:1042) is there" '[ -n "$BLK" ] && [ -s "$L2/disk.sha256" ]'
bind_vfio_check "$BLK" "it leaves virtio-pci for vfio-pci"
l2_run blk "$LOG" -device vfio-pci,host="$BLK"
want=$(cat "$L2/disk.sha256")

check "the second-level guest has the 4 MiB disk" 'grep -q "^L2: vda size 8192 sectors" "$LOG"'
# virtio-pci asks for MSI-X only; its per-queue vector names prove it
check "its virtio-blk takes MSI-X interrupts per queue" \
	'grep "^L2: irq" "$LOG" | grep "PCI-MSI" | grep "virtio0-req.0" |
	 awk "{ exit !(\$4 > 0) }"'
check "the checksum read through the device matches the image" \
	'grep -q "^L2: vda sha256 $want" "$LOG"'

umount "$L2"
unbind "$BLK"
echo > "$(dev "$BLK")/driver_override"
tap_end
