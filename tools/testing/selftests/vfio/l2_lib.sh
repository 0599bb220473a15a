# SPDX-License-Identifier: GPL-2.0-only
# Shared by the qemu_*.sh tests (sourced after tap_lib.sh): the
# second-level guest (build/l2, shared over 9p as "l2") and Debian's QEMU
# that runs it with one device passed through our VFIO.

L2=/tmp/l2-image

# l2_edu: the BDF of the edu behind root port 1 (not on the root bus)
l2_edu()
{
	for l2_dev in /sys/bus/pci/devices/*; do
		case "$l2_dev" in */0000:00:*) continue ;; esac
		if [ "$(cat "$l2_dev/vendor")" = 0x1234 ] &&
		   [ "$(cat "$l2_dev/device")" = 0x11e8 ]; then
			basename "$l2_dev"
			return
		fi
	done
}

# l2_mount: one TAP result
l2_mount()
{
	mkdir -p "$L2"
	check "the second-level guest image is shared" \
		'mount -t 9p -o trans=virtio,version=9p2000.L,ro l2 "$L2" &&
		 [ -s "$L2/vmlinux" ] && [ -s "$L2/initrd.cpio" ]'
}

# l2_run TEST LOG QEMU-DEVICE-ARGS...: boot the second-level guest with
# l2test=TEST, its console in LOG; then two TAP results on QEMU itself.
l2_run()
{
	l2_test=$1
	l2_log=$2
	shift 2
	l2_start=$(date +%s)
	timeout -s KILL 900 qemu-system-x86_64 -machine q35 -accel tcg -m 128M \
		-nodefaults -display none -no-reboot -serial stdio \
		-kernel "$L2/vmlinux" -initrd "$L2/initrd.cpio" \
		-append "console=ttyS0 panic=-1 quiet l2test=$l2_test" \
		"$@" > "$l2_log" 2>&1
	l2_rc=$?
	grep -E '^L2:|qemu-system' "$l2_log" | sed 's/^/# /'
	echo "# scenario: second-level guest ran $(($(date +%s) - l2_start))s"
	check "QEMU exits cleanly" '[ $l2_rc -eq 0 ]'
	check "QEMU printed no VFIO error" '! grep -i "qemu-system" "$l2_log" | grep -qi vfio'
}

# bind_vfio_check BDF NAME: bind BDF to vfio-pci, one TAP result
bind_vfio_check()
{
	l2_bdf=$1	# check evaluates its test with its own arguments
	check "$2" \
		'[ -n "$l2_bdf" ] && release "$l2_bdf" &&
		 echo vfio-pci > "$(dev "$l2_bdf")/driver_override" &&
		 echo "$l2_bdf" > /sys/bus/pci/drivers_probe &&
		 [ "$(driver_of "$l2_bdf")" = vfio-pci ]'
}
