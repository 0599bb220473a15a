# The one place that counts TAP results: run-guest counts a guest's TAP
# with it, tools/guest/check-all the host checks' TAP; every layer above
# (check-lib.sh, check-all, tools/check) reads the "N passed, N failed, N
# skipped" lines made from its output, never the TAP again.
# In the runner's TAP, a program that prints kselftest harness totals
# counts its test cases, any other counts as one test by its ok / not ok
# line. A program that failed although its totals show no failure (crash
# after the report) adds one failure. A top-level ok / not ok line of plain
# TAP (no "selftests: vfio:") is one result.
# Output: "passed failed skipped".
function flush() {
	if (!intest)
		return
	if (have_totals) {
		pass += tp; fail += tf; skip += ts
		if (result != "pass" && result != "skip" && tf == 0)
			fail++
	} else if (result == "none") {
		fail++		# no result line: the program or the guest died
	} else if (result == "skip") {
		skip++
	} else if (ok) {
		pass++
	} else {
		fail++
	}
	intest = 0
}
/^# selftests: vfio: / {
	flush(); intest = 1; have_totals = 0; tp = tf = ts = 0
	ok = 0; result = "none"
	next
}
/Totals: pass:/ {
	for (i = 1; i <= NF; i++) {
		split($i, kv, ":")
		if (kv[1] == "pass") tp += kv[2]
		if (kv[1] == "fail" || kv[1] == "error" || kv[1] == "xpass") tf += kv[2]
		if (kv[1] == "skip") ts += kv[2]
	}
	have_totals = 1
	next
}
/^ok [0-9]+ selftests: vfio: / { ok = 1; result = ($0 ~ /# SKIP/) ? "skip" : "pass"; next }
/^not ok [0-9]+ selftests: vfio: / { ok = 0; result = "fail"; next }
/^(ok|not ok) [0-9]+ selftests:/ { next }
# plain TAP (the host's checks): each top-level line is one result
/^ok [0-9]+/ { if ($0 ~ /# SKIP/) skip++; else pass++; next }
/^not ok [0-9]+/ { fail++; next }
END { flush(); printf "%d %d %d\n", pass, fail, skip }
