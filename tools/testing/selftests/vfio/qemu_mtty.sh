#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Debian's QEMU, run inside the test guest, passes an mtty-2 instance to a
# second-level guest with -device vfio-pci,sysfsdev=...; that guest's
# 8250_pci driver finds two 16550A ports, bytes written through the tty
# layer come back, and the card's interrupt is counted
# (tools/testing/e2e/mtty_l2.c). Fails on any QEMU VFIO error.
. ./tap_lib.sh
. ./l2_lib.sh

UUID=5c3f8a2e-7d41-4b6a-9e0f-2a1b3c4d5e6f
TYPES=/sys/class/mdev_bus/mtty/mdev_supported_types
require "mtty parent (mtty.ko)" "$(ls -d "$TYPES/mtty-2" 2>/dev/null)"
LOG=/tmp/l2-mtty.log

echo "TAP version 13"
l2_mount
check "an mtty-2 instance is created" \
	'echo "$UUID" > "$TYPES/mtty-2/create" && [ -d "/sys/bus/mdev/devices/$UUID" ]'
l2_run mtty "$LOG" -device vfio-pci,sysfsdev="/sys/bus/mdev/devices/$UUID"
check "the second-level guest sees 4348:3253" 'grep -q "^L2: found mtty" "$LOG"'
check "both ports loop bytes back through the tty layer" \
	'[ "$(grep -c "^L2: /dev/ttyS.* read back \"hello ttyS" "$LOG")" = 2 ]'
check "two ports, and the card interrupted" 'grep -q "^L2: 2 ports, [1-9][0-9]* interrupts" "$LOG"'
check "every check of the second-level guest passed" 'grep -q "^L2: mtty OK" "$LOG"'
check "the instance is removed" \
	'echo 1 > "/sys/bus/mdev/devices/$UUID/remove" && [ ! -e "/sys/bus/mdev/devices/$UUID" ]'

umount "$L2"
tap_end
