#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Debian's DPDK (dpdk-testpmd from the host's /usr) drives QEMU's e1000e
# (82574L, DPDK's net_e1000_em driver) through our vfio-pci: EAL opens the
# container and group, maps its hugepage memory through type1 (or, in a
# guest without an IOMMU, uses noiommu mode), the port starts, transmits
# packets the device fetches by DMA, stops and closes cleanly.
. ./tap_lib.sh

NIC=$(find_dev 8086 10d3)
require "e1000e (8086:10d3)" "$NIC"
LOG=/tmp/dpdk-testpmd.log
if ls /sys/class/iommu/* > /dev/null 2>&1; then
	mode="Type 1"
	type=1
	iova=va
	unsafe=N
else
	mode="No-IOMMU"
	type=8
	iova=pa
	unsafe=Y
fi

echo "TAP version 13"
echo "# mode: $mode"
check "dpdk-testpmd and the e1000 PMD are installed" \
	'[ -x /usr/bin/dpdk-testpmd ] && ls /usr/lib/x86_64-linux-gnu/dpdk/pmds-*/librte_net_e1000.so* > /dev/null'
check "the e1000e is bound to our vfio-pci" \
	'[ -n "$NIC" ] && echo $unsafe > /sys/module/vfio/parameters/enable_unsafe_noiommu_mode &&
	 unbind "$NIC" && echo vfio-pci > "$(dev "$NIC")/driver_override" &&
	 echo "$NIC" > /sys/bus/pci/drivers_probe && [ "$(driver_of "$NIC")" = vfio-pci ]'

# EAL keeps its runtime files there even with --in-memory: /var/run is a
# link to /run, as on Debian (libvirt.sh needs the same)
mkdir -p /var
[ -e /var/run ] || ln -s /run /var/run

# Interactive testpmd fed by a pipe: show the port, transmit for 3 s, stop.
start=$(date +%s)
{
	echo "show port info 0"
	echo "set fwd txonly"
	echo "start"
	sleep 3
	echo "stop"
	echo "quit"
} | timeout -s KILL 300 dpdk-testpmd -l 0-1 -n 1 -a "$NIC" --in-memory --iova-mode=$iova \
	-- -i --total-num-mbufs=2048 --nb-cores=1 > $LOG 2>&1
rc=$?
echo "# scenario: dpdk-testpmd ran $(($(date +%s) - start))s, exit $rc"
sed 's/^/# | /' $LOG | grep -v '^# | *$' | head -n 120

check "testpmd exits 0" '[ $rc -eq 0 ]'
check "EAL uses VFIO in $mode mode" 'grep -q "EAL: VFIO support initialized" $LOG && grep -qF "EAL: Using IOMMU type $type ($mode)" $LOG'
check "the e1000 PMD probes the device" 'grep -q "Probe PCI driver: net_e1000_em (8086:10d3) device: $NIC" $LOG'
check "the port starts" 'grep -qE "^Port 0: ([0-9A-F]{2}:){5}[0-9A-F]{2}" $LOG'
check "packets are transmitted (descriptors and data read by DMA)" \
	'tx=$(grep -m1 -E "TX-packets: [0-9]+" $LOG | sed -E "s/.*TX-packets: ([0-9]+).*/\1/") &&
	 echo "# TX-packets: $tx" && [ "${tx:-0}" -gt 0 ]'
check "the port stops and closes" 'grep -q "Stopping port 0" $LOG && grep -q "Closing ports" $LOG && grep -q "Bye" $LOG'
check "no EAL or VFIO error" '! grep -iE "EAL: .*(error|fail|cannot)|vfio.*(error|fail)" $LOG'
check "the device is free again after testpmd" \
	'[ "$(driver_of "$NIC")" = vfio-pci ] && g=$(basename "$(readlink "$(dev "$NIC")/iommu_group")") &&
	 node=/dev/vfio/$g && { [ -c $node ] || node=/dev/vfio/noiommu-$g; } &&
	 exec 7<> $node && exec 7<&-'
release "$NIC"
echo N > /sys/module/vfio/parameters/enable_unsafe_noiommu_mode
tap_end
