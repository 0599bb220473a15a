#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The KUnit suites of our modules (built only in the debug kernel, which has
# KUnit built in): load each suite module, read every new suite's KTAP from
# debugfs and report one TAP result per test case, then unload them.
#
# The suites run when their module loads; a module that fails to load, a
# suite with no case and a failed case are failures.
cd "$(dirname "$0")" || exit 1

kunit=/sys/kernel/debug/kunit
mods=$(cat /vfio/kunit-modules 2>/dev/null)
if [ ! -d "$kunit" ] || [ -z "$mods" ]; then
	echo "# this kernel has no KUnit or no KUnit module of ours was built"
	exit 1
fi

n=0
pass=0
fail=0
skip=0
result() # ok|not_ok|skip NAME [DETAIL]
{
	n=$((n + 1))
	case $1 in
	ok) echo "ok $n $2"; pass=$((pass + 1)) ;;
	skip) echo "ok $n $2 # SKIP $3"; skip=$((skip + 1)) ;;
	*) echo "not ok $n $2 $3"; fail=$((fail + 1)) ;;
	esac
}

ls "$kunit" > /tmp/kunit.before
for m in $mods; do
	if modprobe "$m" > /tmp/kunit.load 2>&1; then
		result ok "load $m"
	else
		result not_ok "load $m" "($(cat /tmp/kunit.load))"
	fi
done

for suite in $(ls "$kunit" | grep -vxF -f /tmp/kunit.before); do
	file=$kunit/$suite/results
	echo "# suite $suite:"
	sed 's/^/# | /' "$file"
	cases=0
	# a case is a result line indented by one level (4 spaces)
	while IFS= read -r line; do
		case "$line" in
		"    ok "*|"    not ok "*) ;;
		*) continue ;;
		esac
		cases=$((cases + 1))
		name=$(echo "$line" | sed -E 's/^ +(not )?ok [0-9]+ (- )?//; s/ #.*//')
		case "$line" in
		*"# SKIP"*) result skip "$suite.$name" "${line#*# SKIP}" ;;
		"    ok "*) result ok "$suite.$name" ;;
		*) result not_ok "$suite.$name" ;;
		esac
	done < "$file"
	[ $cases -gt 0 ] || result not_ok "$suite has test cases"
	tail -n 1 "$file" | grep -q '^ok ' || result not_ok "$suite as a whole"
done

for m in $(echo "$mods" | tac); do
	rmmod "$m" || result not_ok "unload $m"
done

echo "1..$n"
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
[ $fail -eq 0 ] && [ $n -gt 0 ]
