#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Debian's driverctl (run from the host's /usr) binds a device to our
# vfio-pci through driver_override, lists, saves, reloads and removes the
# override; the device then works as a VFIO device (group node present).
. ./tap_lib.sh

NIC=$(find_dev 8086 10d3)
require "e1000e (8086:10d3)" "$NIC"
unbind "$NIC"
echo > "$(dev "$NIC")/driver_override"

echo "TAP version 13"
check "driverctl is the host's Debian script" '[ -x /usr/sbin/driverctl ] && head -n 1 /usr/sbin/driverctl | grep -q bash'
check "set-override binds the device to our vfio-pci" \
	'driverctl set-override "$NIC" vfio-pci && [ "$(driver_of "$NIC")" = vfio-pci ] &&
	 [ "$(cat "$(dev "$NIC")/driver_override")" = vfio-pci ]'
check "the device has its VFIO group node" \
	'g=$(basename "$(readlink "$(dev "$NIC")/iommu_group")") && [ -c "/dev/vfio/$g" ] &&
	 [ -e "$(dev "$NIC")/vfio-dev" ]'
check "the override is saved" '[ "$(cat "/etc/driverctl.d/pci-$NIC")" = vfio-pci ]'
check "list-overrides shows it" 'driverctl list-overrides | grep -qx "$NIC vfio-pci"'
check "list-devices marks it" 'driverctl list-devices | grep -qx "$NIC vfio-pci \[\*\]"'
# --noprobe: the guest has no e1000e driver, and driverctl reports an
# unset-override after which no driver binds as a failure.
check "unset-override --nosave releases it" \
	'driverctl --noprobe --nosave unset-override "$NIC" && [ -z "$(driver_of "$NIC")" ] &&
	 [ "$(cat "$(dev "$NIC")/driver_override")" = "(null)" ] &&
	 [ -e "/etc/driverctl.d/pci-$NIC" ]'
check "load-override binds it again from the saved file" \
	'driverctl load-override "$NIC" && [ "$(driver_of "$NIC")" = vfio-pci ]'
check "unset-override releases it and forgets it" \
	'driverctl --noprobe unset-override "$NIC" && [ -z "$(driver_of "$NIC")" ] &&
	 [ ! -e "/etc/driverctl.d/pci-$NIC" ]'

tap_end
