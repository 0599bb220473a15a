#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# How devices reach vfio-pci (reference §4.2): only through driver_override,
# new_id or ids=; its modalias is vfio_pci:, not pci:; bridges are refused.
. ./tap_lib.sh

NIC=$(find_dev 8086 10d3)
EDU=$(find_dev 1234 11e8)
require "e1000e (8086:10d3)" "$NIC"
require "edu (1234:11e8)" "$EDU"
VPCI=/sys/bus/pci/drivers/vfio-pci

echo "TAP version 13"
check "modalias is vfio_pci:, so PCI uevents never autoload it" \
	'[ "$(modinfo -F alias vfio-pci)" = "vfio_pci:v*d*sv*sd*bc*sc*i*" ]'

release "$NIC"
check "a device without override is not taken by drivers_probe" \
	'echo "$NIC" > /sys/bus/pci/drivers_probe; [ -z "$(driver_of "$NIC")" ]'
check "driver_override binds it" \
	'echo vfio-pci > "$(dev "$NIC")/driver_override" && echo "$NIC" > /sys/bus/pci/drivers_probe && [ "$(driver_of "$NIC")" = vfio-pci ]'
release "$NIC"

check "new_id binds matching unbound devices" \
	'echo "8086 10d3" > $VPCI/new_id && [ "$(driver_of "$NIC")" = vfio-pci ]'
check "remove_id stops further binding" \
	'echo "8086 10d3" > $VPCI/remove_id && unbind "$NIC" && echo "$NIC" > /sys/bus/pci/drivers_probe; [ -z "$(driver_of "$NIC")" ]'

# ids= at load time: every vfio-pci user must let go first
for d in /sys/bus/pci/drivers/vfio-pci/0000:*; do
	[ -e "$d" ] && echo "$(basename "$d")" > $VPCI/unbind
done
check "vfio-pci unloads once nothing is bound" 'rmmod vfio-pci'
check "ids= binds at load" \
	'modprobe vfio-pci ids=8086:10d3,bogus, && [ "$(driver_of "$NIC")" = vfio-pci ]'
check "ids= is a load-time parameter only (no sysfs file)" '[ ! -e /sys/module/vfio_pci/parameters/ids ]'
check "parameters are there with upstream permissions" \
	'[ "$(stat -c %a /sys/module/vfio_pci/parameters/nointxmask)" = 644 ] &&
	 [ "$(stat -c %a /sys/module/vfio_pci/parameters/disable_idle_d3)" = 644 ] &&
	 [ "$(stat -c %a /sys/module/vfio_pci/parameters/enable_sriov)" = 644 ] &&
	 [ "$(stat -c %a /sys/module/vfio_pci/parameters/disable_vga)" = 444 ] &&
	 [ "$(stat -c %a /sys/module/vfio_pci/parameters/disable_denylist)" = 444 ]'

# a bridge is refused: take the second root port away from pcieport
RP=""
for d in /sys/bus/pci/devices/0000:00:05.0; do RP=$(basename "$d"); done
check "the test root port is a bridge" '[ "$(cat "$(dev "$RP")/class")" = 0x060400 ]'
NVME=$(find_dev 1b36 0010)
require "nvme (1b36:0010)" "$NVME"
release "$NVME"
unbind "$RP"
check "vfio-pci refuses a bridge" \
	'echo vfio-pci > "$(dev "$RP")/driver_override"; echo "$RP" > /sys/bus/pci/drivers_probe; [ -z "$(driver_of "$RP")" ]'
echo > "$(dev "$RP")/driver_override"
echo "$RP" > /sys/bus/pci/drivers/pcieport/bind 2>/dev/null
check "the port goes back to pcieport" '[ "$(driver_of "$RP")" = pcieport ]'

release "$NIC"
check "override set again for later tests" \
	'echo vfio-pci > "$(dev "$NIC")/driver_override" && echo "$NIC" > /sys/bus/pci/drivers_probe && [ "$(driver_of "$NIC")" = vfio-pci ]'
tap_end
