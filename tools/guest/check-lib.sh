# shellcheck shell=bash disable=SC2154
# ($repo and $out come from the sourcing script)
# Sourced by the host-side check scripts (tools/guest/check-all,
# tools/debug/check-debug): the totals, and the ways a guest run is counted.
# The caller sets $out (the build directory) and $n (the last TAP number
# it printed) before calling expect_fail.

pass=0
fail=0
skip=0

# guest_run NAME RUN-GUEST-ARGS...: one guest, logs in $out/NAME/ and
# $out/NAME.log; its "N passed, N failed, N skipped" line is added to the
# totals, and a run that failed with no failed test counts one failure.
guest_run()
{
	local name=$1 grc gp gf gs
	shift
	flock /tmp/vfio-guest.lock "$repo/tools/guest/run-guest" "$@" \
		--logdir "$out/$name" | tee "$out/$name.log"
	grc=${PIPESTATUS[0]}
	read -r gp _ gf _ gs _ <<< "$(tail -n 1 "$out/$name.log" | tr -d ',\r')"
	pass=$((pass + ${gp:-0}))
	fail=$((fail + ${gf:-0}))
	skip=$((skip + ${gs:-0}))
	if [ "$grc" -ne 0 ] && [ "${gf:-0}" -eq 0 ]; then
		echo "# the $name run failed outside the tests (see above)"
		fail=$((fail + 1))
	fi
}

# require_ok NAME TEST: the run of guest_run NAME has a passing TEST, so a
# part that must run cannot pass by being absent.
require_ok()
{
	if ! tr -d '\r' < "$out/$1.log" |
	     grep -E "^ok [0-9]+ selftests: vfio: $2\$" > /dev/null; then
		echo "# the $1 run has no passing $2"
		fail=$((fail + 1))
	fi
}

# expect_fail KIND NAME TEST NEEDLE RUN-GUEST-ARGS...: a self-test of the
# runner. The guest runs TEST (which plants a failure) and must end non-zero
# with NEEDLE in its output; logs in $out/KIND-NAME.log, $out/guest-KIND-NAME/.
expect_fail()
{
	local kind=$1 name=$2 test=$3 needle=$4 log=$out/$1-$2.log rc
	shift 4
	n=$((n + 1))
	flock /tmp/vfio-guest.lock "$repo/tools/guest/run-guest" --tests "$test" "$@" \
		--logdir "$out/guest-$kind-$name" > "$log" 2>&1
	rc=$?
	if [ $rc -ne 0 ] && grep -q -- "$needle" "$log"; then
		echo "ok $n $kind: $name is caught (rc=$rc): $(grep -m1 -o -- "$needle.*" "$log")"
		pass=$((pass + 1))
	else
		echo "not ok $n $kind: $name (rc=$rc, expected non-zero and '$needle')"
		sed 's/^/# /' "$log" | tail -n 30
		fail=$((fail + 1))
	fi
}
