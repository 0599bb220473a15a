#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Debian's mdevctl manages mtty instances through our mdev sysfs ABI:
# types, start, list, stop.
. ./tap_lib.sh
require "mtty parent (mtty.ko)" "$(ls -d /sys/class/mdev_bus/mtty 2>/dev/null)"
UUID=1f3c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f
MDEVCTL=$(command -v mdevctl)

echo "TAP version 13"
# the directories the Debian package would have installed in /etc
mkdir -p /etc/mdevctl.d/scripts.d/callouts /etc/mdevctl.d/scripts.d/notifiers
check "mdevctl is installed (Debian package)" '[ -x "$MDEVCTL" ]'
mdevctl types > /tmp/types.out 2>&1
sed 's/^/# /' /tmp/types.out
check "types lists mtty-1 and mtty-2 of parent mtty" \
	'grep -q "^mtty" /tmp/types.out && grep -q "mtty-1" /tmp/types.out && grep -q "mtty-2" /tmp/types.out'
check "types shows the instance counts" \
	'grep -A4 "mtty-2" /tmp/types.out | grep -q "Available instances: 12"'
check "types shows the device api" 'grep -q "Device API: vfio-pci" /tmp/types.out'
check "start creates the device" \
	'mdevctl start -u $UUID -p mtty -t mtty-2 && [ -d /sys/bus/mdev/devices/$UUID ]'
mdevctl list > /tmp/list.out 2>&1
sed 's/^/# /' /tmp/list.out
check "list shows it with its parent and type" 'grep -q "$UUID mtty mtty-2" /tmp/list.out'
check "the instance is counted" \
	'[ "$(cat /sys/devices/virtual/mtty/mtty/mdev_supported_types/mtty-2/available_instances)" = 11 ]'
check "stop removes it" 'mdevctl stop -u $UUID && [ ! -e /sys/bus/mdev/devices/$UUID ]'
check "list is empty again" 'mdevctl list > /tmp/list.out && [ -z "$(tr -d "[:space:]" < /tmp/list.out)" ]'
tap_end
