# Guest side of the test runner: load and prove our modules, run the selected
# tests, print kselftest TAP. The host counts the results.
#   run-tests.sh all|name[,name...] [SKIP]
# SKIP: the first SKIP tests of the list ran in an earlier boot of this run,
# which the emulator's fault ended (run-guest); start after them.
. ./lib.sh

# The debug kernel: KUnit and fault injection are built in.
debug_kernel=0
if [ -d /sys/kernel/debug/kunit ] || [ -e /proc/self/fail-nth ]; then
	debug_kernel=1
fi

sel=$1
if [ "$sel" = all ]; then
	# run_order: "name" runs in both tiers, "name stock" on Debian's
	# kernel only (the second-level guests: QEMU's own paths, which the
	# sanitizers of the debug tier would spend minutes on to no gain)
	list=$(awk -v debug=$debug_kernel '
		/^#/ || NF == 0 { next }
		$2 == "stock" && debug { next }
		{ print $1 }' tests/run_order)
	# a kernel with KUnit (the debug tier) also runs our KUnit suites
	[ -d /sys/kernel/debug/kunit ] && list="$list kunit.sh"
	# and, with per-task fault injection, the allocation failure sweep
	[ -e /proc/self/fail-nth ] && list="$list vfio_fault_sweep"
else
	list=$(echo "$sel" | tr , ' ')
fi
skip=${2:-0}
if [ "$skip" -gt 0 ]; then
	echo "# resuming: the first $skip tests of the list ran in the boot before"
	list=$(echo $list | tr ' ' '\n' | sed "1,${skip}d")
fi
# the debug kernel fuzzes five times longer
if [ $debug_kernel = 1 ]; then
	export VFIO_FUZZ_CALLS=${VFIO_FUZZ_CALLS:-100000}
fi
n=0
for t in $list; do n=$((n + 1)); done
# kmemleak (debug tier) is checked after the tests; what the kernel leaked
# before them is not ours and is told apart by its backtrace (a scan of a
# 4 GiB guest takes about 40 s under TCG, so there is only one, at the end)
leaks=/sys/kernel/debug/kmemleak
[ -w $leaks ] && n=$((n + 1))

grep -i huge /proc/meminfo | sed 's/^/# meminfo: /'
echo "TAP version 13"
echo "1..$((n + 2))"

echo "# selftests: vfio: load_and_prove_modules"
load_vfio_modules > /tmp/load.out 2>&1
lrc=$?
prove_vfio_modules >> /tmp/load.out 2>&1
prc=$?
sed 's/^/# /' /tmp/load.out
if [ $lrc -eq 0 ] && [ $prc -eq 0 ]; then
	echo "ok 1 selftests: vfio: load_and_prove_modules"
else
	echo "not ok 1 selftests: vfio: load_and_prove_modules"
fi

# Pins held system wide (FOLL_PIN acquired - released): every test must
# leave the balance where it found it, or it leaked or over-released pins.
pin_balance()
{
	echo 1 > /proc/sys/vm/stat_refresh
	awk '/^nr_foll_pin_acquired / { a = $2 } /^nr_foll_pin_released / { r = $2 }
	     END { print a - r }' /proc/vmstat
}

# A test's time limit: it is killed then. Ten seconds before, the kernel
# log gets the blocked tasks and every CPU's backtrace (sysrq w and l), so
# that a hang says where it hangs; the heartbeat (init) tells the host
# which test runs since when, for a test that even SIGKILL cannot end.
watchdog()
{
	sleep $(($2 - 10))
	echo "# $1: 10 s before its $2 s limit; blocked tasks and CPU backtraces follow in the kernel log"
	echo w > /proc/sysrq-trigger
	echo l > /proc/sysrq-trigger
}

i=1
for t in $list; do
	i=$((i + 1))
	echo "# selftests: vfio: $t"
	pins_before=$(pin_balance)
	dir=tests
	limit=${VFIO_TEST_TIMEOUT:-600}
	if [ -x "runner-tests/$t" ]; then
		dir=runner-tests
		limit=120
	fi
	read -r up _ < /proc/uptime
	echo "$t ${up%.*} $limit" > /run/vfio-test
	watchdog "$t" "$limit" &
	wd=$!
	# the output as it comes, so that a guest that dies mid-test still
	# shows how far the test got
	{
		if [ -x "$dir/$t" ]; then
			(cd "$dir" && timeout -s KILL "$limit" stdbuf -oL "./$t" 2>&1)
			echo $? > /tmp/test.rc
		else
			echo "no such test: $t"
			echo 1 > /tmp/test.rc
		fi
	} 2>&1 | sed 's/^/# /'
	kill $wd 2>/dev/null
	rc=$(cat /tmp/test.rc)
	echo > /run/vfio-test
	pins_after=$(pin_balance)
	if [ "$pins_after" != "$pins_before" ]; then
		echo "# pin balance: $pins_before before, $pins_after after"
		case $rc in 0|4) rc=1 ;; esac
	fi
	case $rc in
	0) echo "ok $i selftests: vfio: $t" ;;
	4) echo "ok $i selftests: vfio: $t # SKIP" ;;
	*) echo "not ok $i selftests: vfio: $t # exit=$rc" ;;
	esac
done

i=$((i + 1))
echo "# selftests: vfio: unload_modules"
unload_vfio_modules > /tmp/unload.out 2>&1
urc=$?
sed 's/^/# /' /tmp/unload.out
if [ $urc -eq 0 ]; then
	left=""
	for m in $VFIO_MODULES; do
		[ -d "/sys/module/$m" ] && left="$left $m"
	done
	if [ -z "$left" ]; then
		echo "ok $i selftests: vfio: unload_modules"
	else
		echo "# still loaded:$left"
		echo "not ok $i selftests: vfio: unload_modules"
	fi
else
	echo "not ok $i selftests: vfio: unload_modules"
fi

# kmemleak: after every test and the unload, no leaked object may have been
# allocated from our code. An allocation backtrace names our module, or,
# once the module is gone, shows a bare address in the module area.
if [ -w $leaks ]; then
	i=$((i + 1))
	echo "# selftests: vfio: kmemleak_after_unload"
	sleep 6	# kmemleak reports only objects older than 5 s
	echo scan > $leaks
	cat $leaks > /tmp/kmemleak.out
	ours=$(awk '
		/^unreferenced object/ { if (obj != "" && hit) print obj; obj = $0; hit = 0; next }
		/\[(vfio[a-z_0-9]*|mdev[a-z_0-9]*|mtty[a-z_0-9]*|[a-z_0-9]*_test)\]/ { hit = 1 }
		/^ +\[<[0-9a-f]+>\] 0x[0-9a-f]+$/ { hit = 1 }
		END { if (obj != "" && hit) print obj }
	' /tmp/kmemleak.out)
	total=$(grep -c '^unreferenced object' /tmp/kmemleak.out)
	echo "# kmemleak: $total suspected leak(s) in all, $(echo "$ours" | grep -c .) from our code"
	sed 's/^/# /' /tmp/kmemleak.out | head -n 200
	if [ -z "$ours" ]; then
		echo "ok $i selftests: vfio: kmemleak_after_unload"
	else
		echo "not ok $i selftests: vfio: kmemleak_after_unload"
	fi
fi
