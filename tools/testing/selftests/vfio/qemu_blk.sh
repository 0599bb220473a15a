#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Debian's QEMU, run inside the test guest, passes the test guest's own
# virtio-blk disk (behind root port 3, iommu_platform=on) to a second-level guest with
# -device vfio-pci,host=...; that guest's virtio-blk driver (MSI-X, DMA
# through our type1 mappings of its memory) reads the whole disk, and its
# checksum must equal the image's. Fails on any QEMU VFIO error.
. ./tap_lib.sh

BLK=$(find_dev 1af4 1042)
L2=/tmp/l2-image
LOG=/tmp/l2-blk.log

echo "TAP version 13"
mkdir -p "$L2"
check "the second-level guest image is shared" \
	'mount -t 9p -o trans=virtio,version=9p2000.L,ro l2 "$L2" &&
	 [ -s "$L2/vmlinux" ] && [ -s "$L2/disk.sha256" ]'
check "the virtio-blk disk (1af4:1042) is there" '[ -n "$BLK" ]'
check "it leaves virtio-pci for vfio-pci" \
	'release "$BLK" && echo vfio-pci > "$(dev "$BLK")/driver_override" &&
	 echo "$BLK" > /sys/bus/pci/drivers_probe && [ "$(driver_of "$BLK")" = vfio-pci ]'

start=$(date +%s)
timeout -s KILL 900 qemu-system-x86_64 -machine q35 -accel tcg -m 128M \
	-nodefaults -display none -no-reboot -serial stdio \
	-kernel "$L2/vmlinux" -initrd "$L2/initrd.cpio" \
	-append "console=ttyS0 panic=-1 quiet l2test=blk" \
	-device vfio-pci,host="$BLK" > "$LOG" 2>&1
rc=$?
elapsed=$(($(date +%s) - start))
grep -E '^L2:|qemu-system' "$LOG" | sed 's/^/# /'
echo "# scenario: second-level guest ran ${elapsed}s"
want=$(cat "$L2/disk.sha256")

check "QEMU exits cleanly" '[ $rc -eq 0 ]'
check "QEMU printed no VFIO error" '! grep -i "qemu-system" "$LOG" | grep -qi vfio'
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
