#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Debian's QEMU, run inside the test guest, passes the edu behind root
# port 1 to a second-level guest with -device vfio-pci,host=<BDF> on our
# modules. That guest (build/l2, shared over 9p as "l2") reads the edu's
# identification, liveness and factorial registers and takes its
# interrupt (tools/testing/e2e/edu_l2.c). Fails on any QEMU VFIO error.
. ./tap_lib.sh

EDU=""
for d in /sys/bus/pci/devices/*; do
	case "$d" in */0000:00:*) continue ;; esac
	[ "$(cat "$d/vendor")" = 0x1234 ] && [ "$(cat "$d/device")" = 0x11e8 ] &&
		EDU=$(basename "$d")
done
L2=/tmp/l2-image
LOG=/tmp/l2.log

echo "TAP version 13"
mkdir -p "$L2"
check "the second-level guest image is shared" \
	'mount -t 9p -o trans=virtio,version=9p2000.L,ro l2 "$L2" &&
	 [ -s "$L2/vmlinux" ] && [ -s "$L2/initrd.cpio" ]'
check "the edu behind root port 1 is bound to vfio-pci" \
	'[ -n "$EDU" ] && release "$EDU" && echo vfio-pci > "$(dev "$EDU")/driver_override" &&
	 echo "$EDU" > /sys/bus/pci/drivers_probe && [ "$(driver_of "$EDU")" = vfio-pci ]'

start=$(date +%s)
timeout -s KILL 900 qemu-system-x86_64 -machine q35 -accel tcg -m 128M \
	-nodefaults -display none -no-reboot -serial stdio \
	-kernel "$L2/vmlinux" -initrd "$L2/initrd.cpio" \
	-append "console=ttyS0 panic=-1 quiet" \
	-device vfio-pci,host="$EDU" > "$LOG" 2>&1
rc=$?
elapsed=$(($(date +%s) - start))
grep -E '^L2:|qemu-system' "$LOG" | sed 's/^/# /'
echo "# scenario: second-level guest ran ${elapsed}s"

check "QEMU exits cleanly" '[ $rc -eq 0 ]'
check "QEMU printed no VFIO error" '! grep -i "qemu-system" "$LOG" | grep -qi vfio'
check "the second-level guest sees 1234:11e8" 'grep -q "^L2: found edu" "$LOG"'
check "it reads the identification register" 'grep -q "^L2: ident 0x010000ed" "$LOG"'
check "the liveness register inverts" 'grep -q "^L2: liveness 0xedcba987" "$LOG"'
check "the factorial unit computes 10!" 'grep -q "^L2: factorial(10) = 3628800" "$LOG"'
check "the edu interrupt reaches it" 'grep -q "^L2: interrupt received" "$LOG"'
check "every check of the second-level guest passed" 'grep -q "^L2: edu OK" "$LOG"'

umount "$L2"
unbind "$EDU"
echo > "$(dev "$EDU")/driver_override"
tap_end
