# SPDX-License-Identifier: GPL-2.0-only
# Shared by the shell tests of this folder (sourced; they run from it):
# TAP output and the PCI sysfs helpers.

n=0
fails=0

# check NAME SHELL-TEST: one TAP result
check()
{
	n=$((n + 1))
	if (eval "$2"); then
		echo "ok $n $1"
	else
		echo "not ok $n $1"
		fails=$((fails + 1))
	fi
}

# tap_end: the plan and totals; the exit status of the test
tap_end()
{
	echo "1..$n"
	echo "# Totals: pass:$((n - fails)) fail:$fails xfail:0 xpass:0 skip:0 error:0"
	[ $fails -eq 0 ]
}

# require WHAT VALUE: skip the whole test (kselftest's exit 4) on a
# machine without WHAT, which a lookup gave back as an empty VALUE; the
# guest runner fails a run in which a test skipped, since its guest has
# every device
require()
{
	[ -n "$2" ] && return 0
	echo "1..0 # SKIP no $1 on this machine"
	exit 4
}

dev() { echo "/sys/bus/pci/devices/$1"; }
driver_of() { basename "$(readlink "$(dev "$1")/driver" 2>/dev/null)" 2>/dev/null; }

# find_dev VENDOR DEVICE: the first BDF with these IDs (hex, no 0x)
find_dev()
{
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = "0x$1" ] && [ "$(cat "$d/device")" = "0x$2" ] &&
			{ basename "$d"; return; }
	done
}

unbind() { [ -e "$(dev "$1")/driver" ] && echo "$1" > "$(dev "$1")/driver/unbind"; true; }

# release BDF: unbind and forget any override
release()
{
	unbind "$1"
	echo > "$(dev "$1")/driver_override"
}
