#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# /sys/kernel/debug/vfio/ goes with the modules: with an mtty mdev, the
# edu bound to vfio-pci and a container open until just before, each rmmod
# takes its own files (mtty its mdev's directory, vfio_pci the PCI
# devices', vfio the whole tree and the vfio trace events), nothing of
# vfio is left in debugfs or tracefs, and a reload brings the tree back.
# Starts and ends with every module of ours loaded and edu on vfio-pci.
. /vfio/lib.sh

. ./tap_lib.sh
loaded() { [ -d "/sys/module/$1" ]; }
ours() { grep -q "^$1 " /vfio/expected-srcversions; }

D=/sys/kernel/debug/vfio
T=/sys/kernel/tracing
[ -d "$T/events" ] || T=/sys/kernel/debug/tracing
uuid=c0ffee00-7ace-4a7f-9d3b-0000000000e7
edu=$(find_dev 1234 11e8)
require "edu (1234:11e8)" "$edu"

mods=""
for m in $VFIO_MODULES; do ours "$m" && mods="$mods $m"; done
rev=$(echo $mods | tr ' ' '\n' | tac | tr '\n' ' ')

# only vfio's own files: nothing under $D, no vfio trace event system
vfio_debugfs_left() { find "$D" "$T/events/vfio" 2>/dev/null | head -n 3; }

echo "TAP version 13"
check "all modules loaded, edu $edu found" \
	'for m in $mods; do loaded $m || exit 1; done; [ -n "$edu" ]'
check "edu on vfio-pci has its directory" \
	'release $edu; echo vfio-pci > $(dev $edu)/driver_override &&
	 echo $edu > /sys/bus/pci/drivers_probe && [ -r $D/$edu/open_count ]'
check "an mtty mdev has its directory" \
	'echo $uuid > /sys/devices/virtual/mtty/mtty/mdev_supported_types/mtty-2/create &&
	 [ -r $D/$uuid/open_count ] && [ "$(cat $D/$uuid/migration/state)" = RUNNING ]'
check "vfio trace events exist" '[ -d $T/events/vfio/vfio_dma_map ]'
check "rmmod mtty takes the mdev directory" \
	'rmmod mtty && ! [ -e $D/$uuid ] && [ -e $D/$edu ]'
check "rmmod mdev" 'rmmod mdev && ! loaded mdev'
check "rmmod vfio_pci takes the PCI device directories" \
	'rmmod vfio_pci && ! [ -e $D/$edu ] && [ -d $D ] &&
	 [ -z "$(ls $D | grep -v "^containers$")" ]'
check "rmmod the rest" \
	'for m in $rev; do loaded $m || continue; rmmod $m || exit 1; done; true'
check "no vfio directory, file or trace event is left" \
	'[ -d /sys/kernel/debug ] && [ -z "$(vfio_debugfs_left)" ]'
check "reload: the tree and the events are back" \
	'load_vfio_modules && [ -d $D/containers ] && [ -d $T/events/vfio/vfio_dma_map ]'
check "edu back on vfio-pci, its directory back" \
	'echo $edu > /sys/bus/pci/drivers_probe; [ "$(driver_of $edu)" = vfio-pci ] &&
	 [ -r $D/$edu/open_count ]'
check "srcversions still ours" 'prove_vfio_modules >/dev/null'
tap_end
