#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Idle D3 (reference §4.10): a device bound to vfio-pci with no user is
# runtime-suspended into D3hot; disable_idle_d3=1 (read at load) keeps it in
# D0; unbinding brings it back to D0 for the next driver.
. ./tap_lib.sh
bind_vfio()
{
	unbind "$1"
	echo vfio-pci > "$(dev "$1")/driver_override"
	echo "$1" > /sys/bus/pci/drivers_probe
	[ "$(driver_of "$1")" = vfio-pci ]
}
wait_attr()	# bdf attr value: poll for up to 5 s
{
	i=0
	while [ $i -lt 250 ]; do
		[ "$(cat "$(dev "$1")/$2")" = "$3" ] && return 0
		sleep 0.02
		i=$((i + 1))
	done
	echo "# $1 $2 is $(cat "$(dev "$1")/$2"), not $3"
	return 1
}
unbind_all_vfio()
{
	for d in /sys/bus/pci/drivers/vfio-pci/0000:*; do
		[ -e "$d" ] && echo "$(basename "$d")" > /sys/bus/pci/drivers/vfio-pci/unbind
	done
	true
}

NIC=$(find_dev 8086 10d3)
require "e1000e (8086:10d3)" "$NIC"

echo "TAP version 13"
check "an idle vfio-pci device is runtime suspended" \
	'bind_vfio "$NIC" && wait_attr "$NIC" power/runtime_status suspended'
check "in D3hot" 'wait_attr "$NIC" power_state D3hot'
check "its usage count is zero" \
	'[ "$(cat "$(dev "$NIC")/power/runtime_usage")" = 0 ]'
check "unbinding wakes it into D0" \
	'unbind "$NIC" && wait_attr "$NIC" power_state D0'

unbind_all_vfio
check "disable_idle_d3=1 at load" \
	'rmmod vfio-pci && modprobe vfio-pci disable_idle_d3=1 &&
	 [ "$(cat /sys/module/vfio_pci/parameters/disable_idle_d3)" = Y ]'
check "keeps an idle device awake in D0" \
	'bind_vfio "$NIC" && sleep 1 &&
	 [ "$(cat "$(dev "$NIC")/power/runtime_status")" = active ] &&
	 [ "$(cat "$(dev "$NIC")/power_state")" = D0 ]'
check "and unbinds cleanly" 'unbind "$NIC" && [ -z "$(driver_of "$NIC")" ]'
unbind_all_vfio
check "reloaded with defaults, idle devices sleep again" \
	'rmmod vfio-pci && modprobe vfio-pci &&
	 [ "$(cat /sys/module/vfio_pci/parameters/disable_idle_d3)" = N ] &&
	 bind_vfio "$NIC" && wait_attr "$NIC" power_state D3hot'

tap_end
