# shellcheck shell=bash disable=SC2154
# ($repo, $out, $kver, ok and not_ok come from tools/guest/check-install)
# Sourced by check-install while the package is installed: the two
# early-binding setups of Documentation/vfio-howto.rst ("Binding at boot"),
# each in a Debian initramfs made by this machine's initramfs-tools, booted
# in QEMU with this machine's kernel:
#
#  1. vfio-pci listed in initramfs-tools' modules file, the IDs on the
#     kernel command line (vfio-pci.ids=): the edu is vfio-pci's;
#  2. a modprobe.d file with "options vfio-pci ids=" and "softdep e1000e
#     pre: vfio-pci", e1000e loaded from the initramfs: e1000e is loaded,
#     and the e1000e device is vfio-pci's, not e1000e's.
#
# Either way the vfio_pci that bound it must be the DKMS build (srcversion
# of updates/dkms). mkinitramfs runs with -d on a copy of
# /etc/initramfs-tools (update-initramfs would rewrite /boot); the
# modprobe.d file is this machine's own for the moment of mkinitramfs, as
# the howto has it, and removed on every exit path.

early_conf=/etc/modprobe.d/vfio-kmods-early-test.conf

early_cleanup()
{
	rm -f "$early_conf"
}

# early_image NAME MODULE: an initramfs in $out/early-NAME.img that loads
# MODULE at boot and reports the PCI drivers and module srcversions from
# an init-premount script, then powers off
early_image()
{
	local name=$1 module=$2 conf=$out/early-$1-conf
	rm -rf "$conf"
	cp -a /etc/initramfs-tools "$conf"
	echo "$module" >> "$conf/modules"
	# only the listed modules and their dependencies: small and quick
	sed -i 's/^MODULES=.*/MODULES=list/' "$conf/initramfs.conf"
	mkdir -p "$conf/scripts/init-premount"
	cat > "$conf/scripts/init-premount/vfio-early-report" <<'EOF'
#!/bin/sh
case "$1" in prereqs) exit 0 ;; esac
udevadm settle --timeout=30 2>/dev/null
for d in /sys/bus/pci/devices/*; do
	read -r v < "$d/vendor"
	read -r p < "$d/device"
	drv=none
	[ -e "$d/driver" ] && drv=$(readlink "$d/driver")
	echo "vfio-early: device ${d##*/} $v:$p ${drv##*/}"
done
for m in vfio vfio_pci vfio_pci_core; do
	[ -r /sys/module/$m/srcversion ] &&
		echo "vfio-early: module $m $(cat /sys/module/$m/srcversion)"
done
[ -d /sys/module/e1000e ] && echo "vfio-early: loaded e1000e"
echo "vfio-early: done"
echo 1 > /proc/sys/kernel/sysrq
echo o > /proc/sysrq-trigger
sleep 30
EOF
	chmod +x "$conf/scripts/init-premount/vfio-early-report"
	mkinitramfs -d "$conf" -o "$out/early-$name.img" "$kver" \
		> "$out/early-$name-mkinitramfs.log" 2>&1
}

# early_boot NAME APPEND: boot this machine's kernel on that image with an
# IOMMU, an edu and an e1000e; the console in $out/early-NAME.log
early_boot()
{
	timeout -s KILL 300 qemu-system-x86_64 -machine q35 -accel tcg -cpu max \
		-smp 1 -m 1G -nodefaults -no-user-config -nographic -no-reboot \
		-display none -monitor none -vga none \
		-kernel "/boot/vmlinuz-$kver" -initrd "$out/early-$1.img" \
		-append "console=ttyS0,115200 intel_iommu=on panic=-1 $2" \
		-serial "file:$out/early-$1.log" \
		-device intel-iommu,intremap=on,caching-mode=on \
		-device edu,bus=pcie.0,addr=0x3 \
		-device e1000e,bus=pcie.0,addr=0x4 > /dev/null 2>&1
}

# early_check NAME VENDOR:DEVICE: that device's driver is vfio-pci and the
# vfio_pci module is the DKMS build
early_check()
{
	local log=$out/early-$1.log want
	want=$(modinfo -F srcversion "/lib/modules/$kver/updates/dkms/vfio-pci.ko")
	grep -q "^vfio-early: done" "$log" &&
		grep -qE "^vfio-early: device [0-9a-f:.]+ 0x${2%:*}:0x${2#*:} vfio-pci\s*$" "$log" &&
		grep -qE "^vfio-early: module vfio_pci $want\s*$" "$log"
}

early_report()
{
	tr -d '\r' < "$out/early-$1.log" | grep '^vfio-early:' | sed 's/^/# /'
}

trap 'early_cleanup; cleanup' EXIT

# early_result NAME RC WHAT: one TAP line for setup NAME, its report, and
# on failure the tails of its mkinitramfs and console logs
early_result()
{
	if [ "$2" -eq 0 ]; then
		ok "$3"
	else
		not_ok "$3"
	fi
	early_report "$1"
	[ "$2" -eq 0 ] && return
	tail -n 5 "$out/early-$1-mkinitramfs.log" | sed 's/^/# /'
	tail -n 15 "$out/early-$1.log" 2>/dev/null | sed 's/^/# /'
}

early_image ids vfio-pci && early_boot ids "vfio-pci.ids=1234:11e8" &&
	early_check ids 1234:11e8
early_result ids $? "early binding 1: vfio-pci in the initramfs and vfio-pci.ids= on the command line bind the edu to the DKMS vfio-pci"

printf '%s\n' "options vfio-pci ids=8086:10d3" "softdep e1000e pre: vfio-pci" \
	> "$early_conf"
early_image softdep e1000e && early_cleanup &&
	early_boot softdep "" && early_check softdep 8086:10d3 &&
	grep -q '^vfio-early: loaded e1000e' "$out/early-softdep.log"
early_result softdep $? "early binding 2: a modprobe.d softdep and ids option hand the e1000e to the DKMS vfio-pci before e1000e loads"
early_cleanup
