#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Debian's libvirt (9.0, the host's libvirtd and virsh) inside the test
# guest, on our modules: virsh nodedev-detach binds the edu behind root
# port 1 to vfio-pci, a TCG domain with the edu as a managed PCI hostdev
# boots the second-level guest (the checks of qemu_edu.sh), another one
# ends with virsh destroy, the same one persistent is defined, started,
# destroyed and undefined, and nodedev-reattach releases the edu; then
# virsh nodedev-create makes an mtty-2 instance (libvirt runs mdevctl), a
# domain with it as an mdev hostdev boots the second-level guest (the
# checks of qemu_mtty.sh), and nodedev-destroy removes it; last the same
# instance is kept by mdevctl: nodedev-define, -start, -destroy, -undefine.
#
# The guest has no init system: the test writes libvirt's configuration,
# starts systemd-udevd (libvirt learns of a new mdev from udevd's events
# only), then libvirtd, and stops both at the end.
. ./tap_lib.sh
. ./l2_lib.sh

EDU=$(l2_edu)
require "edu behind a root port" "$EDU"
NODEDEV=pci_$(echo "$EDU" | tr ':.' __)
UUID=8e1a5c3b-2f4d-4e6a-9b7c-0d1e2f3a4b5c
LV=/run/vfio-libvirt
EDU_LOG=/tmp/l2-libvirt-edu.log
MTTY_LOG=/tmp/l2-libvirt-mtty.log
QLOG=/var/log/libvirt/qemu

virsh() { command virsh -q -c qemu:///system "$@"; }

# domain_xml NAME L2TEST SERIAL-LOG HOSTDEV-XML: a TCG q35 domain booting
# the second-level guest directly, as l2_run does
domain_xml()
{
	cat <<EOF
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>$L2/vmlinux</kernel>
    <initrd>$L2/initrd.cpio</initrd>
    <cmdline>console=ttyS0 panic=-1 quiet l2test=$2</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='usb' model='none'/>
    <memballoon model='none'/>
    <serial type='file'>
      <source path='$3'/>
    </serial>
$4
  </devices>
</domain>
EOF
}

# run_domain NAME XML-FILE SERIAL-LOG: virsh create, then wait (at most
# 300 s) until the second-level guest powers off and libvirt ends the
# domain; three TAP results
run_domain()
{
	rd_name=$1	# check evaluates its test with its own arguments
	rd_xml=$2
	rd_log=$3
	rm -f "$rd_log" "$QLOG/$rd_name.log"
	rd_start=$(date +%s)
	check "virsh create starts domain $rd_name" 'virsh create "$rd_xml"'
	while virsh domstate "$rd_name" > /dev/null 2>&1 &&
	      [ $(($(date +%s) - rd_start)) -lt 300 ]; do
		sleep 2
	done
	grep -E '^L2:' "$rd_log" 2>/dev/null | sed 's/^/# /'
	echo "# scenario: domain $rd_name ran $(($(date +%s) - rd_start))s"
	check "it powers off and libvirt ends it" \
		'! virsh domstate "$rd_name" > /dev/null 2>&1 &&
		 grep -q "shutting down, reason=shutdown" "$QLOG/$rd_name.log"'
	virsh destroy "$rd_name" > /dev/null 2>&1
	# QEMU's own messages (libvirt's log also holds its command line)
	grep 'qemu-system-x86_64: ' "$QLOG/$rd_name.log" | sed 's/^/# qemu: /'
	check "QEMU printed no VFIO error" \
		'[ -s "$QLOG/$rd_name.log" ] &&
		 ! grep "qemu-system-x86_64: " "$QLOG/$rd_name.log" | grep -qi vfio'
}

echo "TAP version 13"
l2_mount

# What a Debian host has and the guest's initramfs does not: the package's
# user and groups (libvirt's QEMU driver looks them up before it reads
# qemu.conf), /var/run, the /dev/std* links (mdevctl reads /dev/stdin),
# mdevctl's directories. /etc is the initramfs's own, in memory.
mkdir -p "$LV" /etc/libvirt /var/lib/libvirt /var/cache/libvirt "$QLOG" /run/libvirt \
	/etc/mdevctl.d/scripts.d/callouts /etc/mdevctl.d/scripts.d/notifiers
# virsh finds the daemon's /run/libvirt/libvirt-sock as /var/run/libvirt/...:
# /var/run is a link to /run, as on Debian; if something made it a
# directory instead, its libvirt entry is linked
if [ ! -e /var/run ]; then
	ln -s /run /var/run
elif [ ! -L /var/run ]; then
	rm -rf /var/run/libvirt
	ln -s /run/libvirt /var/run/libvirt
fi
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
for i in 0:stdin 1:stdout 2:stderr; do
	[ -e "/dev/${i#*:}" ] || ln -s "/proc/self/fd/${i%:*}" "/dev/${i#*:}"
done
cp /etc/passwd "$LV/passwd.orig"
cp /etc/group "$LV/group.orig"
echo "libvirt-qemu:x:64055:107:Libvirt Qemu:/var/lib/libvirt:/usr/sbin/nologin" >> /etc/passwd
printf 'kvm:x:107:\nlibvirt-qemu:x:64055:libvirt-qemu\n' >> /etc/group

# The daemon: root only, no authentication on its socket, logs in $LV.
cat > "$LV/libvirtd.conf" <<EOF
unix_sock_rw_perms = "0700"
auth_unix_rw = "none"
auth_unix_ro = "none"
log_outputs = "3:file:$LV/libvirtd.log"
EOF
# QEMU as root, without cgroups, namespaces, seccomp, virtlogd or a
# security driver: none of them exists in the guest.
cat > /etc/libvirt/qemu.conf <<EOF
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
seccomp_sandbox = 0
stdio_handler = "file"
EOF

/usr/lib/systemd/systemd-udevd --daemon 2>&1 | sed 's/^/# /'
libvirtd --config "$LV/libvirtd.conf" > "$LV/libvirtd.out" 2>&1 &
LIBVIRTD=$!
i=0
while [ ! -S /run/libvirt/libvirt-sock ] && [ $i -lt 60 ]; do sleep 1; i=$((i + 1)); done
virsh version 2>&1 | sed 's/^/# /'
check "libvirtd 9.0 runs as root and answers qemu:///system" \
	'[ "$(stat -c %u /proc/$LIBVIRTD)" = 0 ] && virsh uri | grep -qx "qemu:///system" &&
	 virsh version | grep -q "Using library: libvirt 9\.0\."'
virsh nodedev-dumpxml mtty_mtty 2>&1 | sed 's/^/# /'
check "its nodedev driver lists the edu and the mtty parent with its types" \
	'virsh nodedev-list --cap pci | grep -qx "$NODEDEV" &&
	 virsh nodedev-list --cap mdev_types | grep -qx mtty_mtty &&
	 virsh nodedev-dumpxml mtty_mtty | grep -q "<type id=.mtty-2.>"'

# The edu as a managed PCI hostdev.
check "nodedev-detach binds the edu to vfio-pci" \
	'[ -n "$EDU" ] && [ -z "$(driver_of "$EDU")" ] &&
	 virsh nodedev-detach "$NODEDEV" && [ "$(driver_of "$EDU")" = vfio-pci ]'
bus=$(echo "$EDU" | cut -d: -f2)
EDU_HOSTDEV="    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source>
        <address domain='0x0000' bus='0x$bus' slot='0x00' function='0x0'/>
      </source>
    </hostdev>"
domain_xml vfio-edu edu "$EDU_LOG" "$EDU_HOSTDEV" > "$LV/edu.xml"
run_domain vfio-edu "$LV/edu.xml" "$EDU_LOG"
check "libvirt passed it as -device vfio-pci,host=$EDU" \
	'grep -q "\"driver\":\"vfio-pci\",\"host\":\"$EDU\"" "$QLOG/vfio-edu.log"'
check "the second-level guest sees 1234:11e8" 'grep -q "^L2: found edu" "$EDU_LOG"'
check "it reads the identification register" 'grep -q "^L2: ident 0x010000ed" "$EDU_LOG"'
check "the liveness register inverts" 'grep -q "^L2: liveness 0xedcba987" "$EDU_LOG"'
check "the factorial unit computes 10!" 'grep -q "^L2: factorial(10) = 3628800" "$EDU_LOG"'
check "the edu interrupt reaches it" 'grep -q "^L2: interrupt received" "$EDU_LOG"'
check "every check of the second-level guest passed" 'grep -q "^L2: edu OK" "$EDU_LOG"'
# virsh destroy, on a domain that does not end by itself: without a
# kernel, SeaBIOS finds nothing to boot and waits
domain_xml vfio-idle none /tmp/libvirt-idle.log "$EDU_HOSTDEV" |
	grep -v -e '<kernel>' -e '<initrd>' -e '<cmdline>' > "$LV/idle.xml"
GROUP=$(basename "$(readlink "$(dev "$EDU")/iommu_group")")
check "virsh create starts domain vfio-idle (no kernel)" 'virsh create "$LV/idle.xml"'
QPID=$(cat /run/libvirt/qemu/vfio-idle.pid 2>/dev/null)
check "its QEMU holds the edu's group /dev/vfio/$GROUP" \
	'[ -n "$QPID" ] && ls -l "/proc/$QPID/fd" | grep -q " /dev/vfio/$GROUP\$"'
check "virsh destroy ends it and QEMU lets the group go" \
	'virsh destroy vfio-idle && ! virsh domstate vfio-idle > /dev/null 2>&1 &&
	 ! ls -l "/proc/$QPID/fd" 2>/dev/null | grep -q " /dev/vfio/$GROUP\$"'
check "QEMU printed no VFIO error" \
	'[ -s "$QLOG/vfio-idle.log" ] &&
	 ! grep "qemu-system-x86_64: " "$QLOG/vfio-idle.log" | grep -qi vfio'
# the same domain made persistent: define, start, destroy, undefine
check "virsh define and start make vfio-idle a persistent running domain" \
	'virsh define "$LV/idle.xml" > /dev/null && virsh start vfio-idle > /dev/null &&
	 virsh dominfo vfio-idle | grep -q "^Persistent: *yes" &&
	 virsh domstate vfio-idle | grep -qx running'
check "virsh destroy stops it and undefine removes it" \
	'virsh destroy vfio-idle > /dev/null && virsh domstate vfio-idle | grep -qx "shut off" &&
	 virsh undefine vfio-idle > /dev/null && ! virsh domstate vfio-idle > /dev/null 2>&1'
# libvirt gives back only what it detached itself for a domain
check "the edu stays with vfio-pci after the domains" '[ "$(driver_of "$EDU")" = vfio-pci ]'
check "nodedev-reattach releases it" \
	'virsh nodedev-reattach "$NODEDEV" && [ -z "$(driver_of "$EDU")" ] &&
	 [ "$(cat "$(dev "$EDU")/driver_override")" = "(null)" ]'

# An mtty-2 instance through libvirt's nodedev API, then an mdev hostdev.
cat > "$LV/mdev.xml" <<EOF
<device>
  <parent>mtty_mtty</parent>
  <capability type='mdev'>
    <type id='mtty-2'/>
    <uuid>$UUID</uuid>
  </capability>
</device>
EOF
# (not quiet: virsh prints the new device's name)
command virsh -c qemu:///system nodedev-create "$LV/mdev.xml" > "$LV/create.out" 2>&1
crc=$?
sed 's/^/# /' "$LV/create.out"
MDEV=$(sed -n 's/^Node device \([^ ]*\) created.*/\1/p' "$LV/create.out")
check "nodedev-create makes the mtty-2 instance" \
	'[ $crc -eq 0 ] && [ -d "/sys/bus/mdev/devices/$UUID" ] &&
	 [ "$(basename "$(readlink "/sys/bus/mdev/devices/$UUID/mdev_type")")" = mtty-2 ]'
virsh nodedev-dumpxml "$MDEV" 2>&1 | sed 's/^/# /'
check "libvirt lists it with its parent, type and IOMMU group" \
	'virsh nodedev-dumpxml "$MDEV" > "$LV/mdev.out" &&
	 grep -q "<parent>mtty_mtty</parent>" "$LV/mdev.out" &&
	 grep -q "<type id=.mtty-2./>" "$LV/mdev.out" &&
	 grep -q "<uuid>$UUID</uuid>" "$LV/mdev.out" &&
	 grep -q "<iommuGroup number=.$(basename "$(readlink "/sys/bus/mdev/devices/$UUID/iommu_group")")./>" "$LV/mdev.out"'
domain_xml vfio-mtty mtty "$MTTY_LOG" "    <hostdev mode='subsystem' type='mdev' model='vfio-pci'>
      <source>
        <address uuid='$UUID'/>
      </source>
    </hostdev>" > "$LV/mtty.xml"
run_domain vfio-mtty "$LV/mtty.xml" "$MTTY_LOG"
check "libvirt passed it as -device vfio-pci,sysfsdev=" \
	'grep -q "\"driver\":\"vfio-pci\",.*\"sysfsdev\":\"/sys/bus/mdev/devices/$UUID\"" "$QLOG/vfio-mtty.log"'
check "the second-level guest sees 4348:3253" 'grep -q "^L2: found mtty" "$MTTY_LOG"'
check "both ports loop bytes back through the tty layer" \
	'[ "$(grep -c "^L2: /dev/ttyS.* read back \"hello ttyS" "$MTTY_LOG")" = 2 ]'
check "two ports, and the card interrupted" 'grep -q "^L2: 2 ports, [1-9][0-9]* interrupts" "$MTTY_LOG"'
check "every check of the second-level guest passed" 'grep -q "^L2: mtty OK" "$MTTY_LOG"'
check "nodedev-destroy removes the instance" \
	'[ -n "$MDEV" ] && virsh nodedev-destroy "$MDEV" && [ ! -e "/sys/bus/mdev/devices/$UUID" ]'

# the same instance defined in mdevctl through libvirt: nodedev-define,
# nodedev-start, nodedev-destroy (stops it), nodedev-undefine
command virsh -c qemu:///system nodedev-define "$LV/mdev.xml" > "$LV/define.out" 2>&1
drc=$?
sed 's/^/# /' "$LV/define.out"
PMDEV=$(sed -n 's/^Node device .\([^ ]*\). defined.*/\1/p; s/^Node device \([^ ]*\) defined.*/\1/p' "$LV/define.out" | head -n 1)
check "nodedev-define keeps it in mdevctl, not yet created" \
	'[ $drc -eq 0 ] && [ -n "$PMDEV" ] && mdevctl list --defined | grep -q "^$UUID " &&
	 [ ! -e "/sys/bus/mdev/devices/$UUID" ]'
check "nodedev-start creates it" \
	'virsh nodedev-start "$PMDEV" > /dev/null && [ -d "/sys/bus/mdev/devices/$UUID" ]'
check "nodedev-destroy stops it and nodedev-undefine forgets it" \
	'virsh nodedev-destroy "$PMDEV" > /dev/null && [ ! -e "/sys/bus/mdev/devices/$UUID" ] &&
	 virsh nodedev-undefine "$PMDEV" > /dev/null && ! mdevctl list --defined | grep -q "^$UUID "'

kill "$LIBVIRTD"
wait "$LIBVIRTD"
udevadm control --exit
i=0
while pidof systemd-udevd > /dev/null && [ $i -lt 20 ]; do sleep 0.5; i=$((i + 1)); done
check "libvirtd and systemd-udevd stop" \
	'! kill -0 "$LIBVIRTD" 2>/dev/null && ! pidof systemd-udevd > /dev/null'
if [ $fails -ne 0 ]; then
	sed 's/^/# libvirtd: /' "$LV/libvirtd.out" "$LV/libvirtd.log" | tail -n 60
	tail -n 40 "$QLOG"/*.log | sed 's/^/# qemu: /'
fi
cp "$LV/passwd.orig" /etc/passwd
cp "$LV/group.orig" /etc/group
rm -rf /etc/libvirt
umount "$L2"
# as qemu_edu.sh leaves it, also after a failure
unbind "$EDU"
echo > "$(dev "$EDU")/driver_override"
tap_end
