#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Debian's QEMU, run inside the test guest, passes the edu behind root
# port 1 to a second-level guest with -device vfio-pci,host=<BDF> on our
# modules. That guest (build/l2, shared over 9p as "l2") reads the edu's
# identification, liveness and factorial registers and takes its
# interrupt (tools/testing/e2e/edu_l2.c). Fails on any QEMU VFIO error.
. ./tap_lib.sh
. ./l2_lib.sh

EDU=$(l2_edu)
require "edu behind a root port" "$EDU"
LOG=/tmp/l2.log

echo "TAP version 13"
l2_mount
bind_vfio_check "$EDU" "the edu behind root port 1 is bound to vfio-pci"
l2_run edu "$LOG" -device vfio-pci,host="$EDU"
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
