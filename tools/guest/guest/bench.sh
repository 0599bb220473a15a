# Guest side of `make bench`: three module sets in turns (A,B,C,A,B,C,...,
# the order rotated by a random seed) in this one boot, one round of every
# shape of tests/vfio_bench each, then a table of medians and minima:
#  ours     our modules, loaded and proven as in every job;
#  stock    Debian's own (and upstream's mtty sample);
#  notrace  ours built with every tracepoint compiled out (make notrace):
#           against ours, what the disabled tracepoints cost.
# stock and notrace travel in /vfio/<set> (outside every modules directory,
# so nothing else can load them) and are inserted here by path, each module
# proven by its build ID at every round; ours must show the vfio trace
# events, all disabled, and notrace must show none.
#
# Kernel argument VFIO_BENCH_ROUNDS=N: rounds per module set (default 5);
# VFIO_BENCH_PROFILE=SHAPE[,SHAPE]: then a perf profile of those (below);
# VFIO_BENCH_PROFILE_UNDER=FUNC[,FUNC]: and what those kernel functions
# spent their samples in.
. ./lib.sh

SET_ORDER="vfio vfio_iommu_type1 vfio_virqfd vfio-pci-core vfio-pci mdev mtty"
ROUNDS=${VFIO_BENCH_ROUNDS:-5}
ROWS=/tmp/bench-rows
OUT=/tmp/bench-out

fail()
{
	echo "bench: FAILED: $*"
	exit 1
}

# the first device with these ids; root bus (yes) or behind a bridge (no)
pci_dev()
{
	for d in /sys/bus/pci/devices/*; do
		if [ "$(cat "$d/vendor")" != "$1" ] || [ "$(cat "$d/device")" != "$2" ]; then
			continue
		fi
		case "$d" in
		*/0000:00:*) [ "$3" = yes ] && basename "$d" ;;
		*) [ "$3" = no ] && basename "$d" ;;
		esac
	done | head -n 1
}

unbind_all()
{
	for d in /sys/bus/pci/drivers/vfio-pci/0000:*; do
		[ -e "$d" ] || continue
		echo "${d##*/}" > /sys/bus/pci/drivers/vfio-pci/unbind
	done
}

# the vfio trace events of the loaded modules: present or absent
TRACE_EVENTS=/sys/kernel/debug/tracing/events/vfio

load_ours()
{
	load_vfio_modules || fail "round $1: loading our modules"
	prove_vfio_modules || fail "round $1: modules are not ours"
	[ -d "$TRACE_EVENTS" ] || fail "round $1: ours show no vfio trace events"
	if [ "$(cat "$TRACE_EVENTS/enable")" != 0 ]; then
		fail "round $1: a vfio trace event is enabled"
	fi
	echo "proof: ours: $(ls "$TRACE_EVENTS" | grep -c '^vfio_') vfio trace events, all disabled"
}

unload_ours()
{
	unbind_all
	unload_vfio_modules || fail "round $1: cannot unload ours"
}

# insert_set SET ROUND: the modules of /vfio/SET by path, each proven by
# its build ID
insert_set()
{
	modprobe irqbypass
	for m in $SET_ORDER; do
		insmod "/vfio/$1/$m.ko" || fail "round $2: insmod $1 $m"
	done
	while read -r name want; do
		# the loaded module's build ID note: 16 bytes of header, then the ID
		note=/sys/module/$name/notes/.note.gnu.build-id
		have=$(od -An -tx1 -j16 "$note" 2>/dev/null | tr -d ' \n')
		taint=$(cat "/sys/module/$name/taint" 2>/dev/null)
		if [ -z "$want" ] || [ "$have" != "$want" ]; then
			fail "$name build ID '$have' is not $1's '$want'"
		fi
		echo "proof: $1 module $name build ID $have, taint '$taint'"
	done < "/vfio/$1/build-ids"
}

remove_set()
{
	unbind_all
	for m in $(echo "$SET_ORDER" | tr ' ' '\n' | tac); do
		rmmod "$m" || fail "round $2: rmmod $1 $m"
	done
}

load_stock()
{
	insert_set stock "$1"
}

unload_stock()
{
	remove_set stock "$1"
}

load_notrace()
{
	insert_set notrace "$1"
	[ ! -e "$TRACE_EVENTS" ] || fail "round $1: notrace shows vfio trace events"
	echo "proof: notrace: no vfio trace events"
}

unload_notrace()
{
	remove_set notrace "$1"
}

# one round of every shape against the loaded modules
run_round()
{
	start=$(date +%s)
	./tests/vfio_bench "$1" > "$OUT" 2>&1
	rc=$?
	cat "$OUT"
	[ $rc -eq 0 ] || fail "round $2: vfio_bench $1 exited with $rc"
	n=$(grep -c '^benchrow ' "$OUT")
	[ "$n" -eq "$NMETRICS" ] || fail "round $2: $n metrics from vfio_bench $1, not $NMETRICS"
	grep '^benchrow ' "$OUT" >> "$ROWS"
	echo "== round $2 ($1) took $(($(date +%s) - start)) s"
}

# --- the setup ---------------------------------------------------------------

edu=$(pci_dev 0x1234 0x11e8 no)
ivshmem=$(pci_dev 0x1af4 0x1110 yes)
[ -n "$edu" ] || fail "no edu behind a root port"
[ -n "$ivshmem" ] || fail "no ivshmem-plain on the root bus"
# BAR2 of the ivshmem: the third line of resource (start end flags)
# shellcheck disable=SC2046 # three fields
set -- $(sed -n 3p "/sys/bus/pci/devices/$ivshmem/resource")
size=$(($2 - $1 + 1))
echo "bench: ivshmem $ivshmem BAR2 $1-$2, $((size >> 20)) MiB, flags $3 ($([ $(($3 & 0x100000)) -ne 0 ] && echo 64-bit || echo 32-bit))"
if [ "$size" -ne $((1 << 30)) ] || [ $(($3 & 0x100000)) -eq 0 ]; then
	fail "ivshmem BAR2 is not 1 GiB and 64-bit"
fi
echo "bench: edu $edu"

thp=/sys/kernel/mm/transparent_hugepage/enabled
case "$(cat "$thp")" in
*"[never]"*) echo madvise > "$thp" || fail "cannot enable THP" ;;
esac
echo "bench: THP enabled: $(cat "$thp"), defrag: $(cat /sys/kernel/mm/transparent_hugepage/defrag)"
h2=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)
h1=$(cat /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages)
echo "bench: hugetlb pages: $h2 of 2 MiB, $h1 of 1 GiB; $(grep MemTotal /proc/meminfo)"
if [ "$h2" -lt 512 ] || [ "$h1" -lt 1 ]; then
	fail "too few hugetlb pages"
fi

# the devices' interrupts (and any allocated later) go to CPU 0, like the
# benchmark thread
echo 1 > /proc/irq/default_smp_affinity
for dev in "$edu" "$ivshmem"; do
	for irq in $(cat "/sys/bus/pci/devices/$dev/irq") \
		   $(ls "/sys/bus/pci/devices/$dev/msi_irqs" 2>/dev/null); do
		if [ "$irq" -eq 0 ] || [ ! -e "/proc/irq/$irq/smp_affinity" ]; then
			continue
		fi
		echo 1 > "/proc/irq/$irq/smp_affinity" &&
			echo "bench: $dev IRQ $irq pinned to CPU 0"
	done
done

# edu and ivshmem open and close, seven edu operations (ioctl, region
# info, config and BAR read and write, MSI round trip), five of mtty
# (create, config read, port read and write, remove), thp, frag4k,
# huge2m, huge1g, bar and small map and unmap, and the faults that map
# the BAR for the CPU (bar_touch)
NMETRICS=29
seed=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
# shellcheck disable=SC2046 # the three set names
set -- $(echo "ours stock notrace ours stock" | cut -d' ' -f$((seed % 3 + 1))-$((seed % 3 + 3)))
sets="$*"
echo "bench: seed $seed: sets in the order $sets; $ROUNDS rounds of each, in turns"
: > "$ROWS"

# --- the rounds ----------------------------------------------------------------

r=1
while [ "$r" -le $((3 * ROUNDS)) ]; do
	# shellcheck disable=SC2086 # the three set names
	set -- $sets
	shift $(((r - 1) % 3))
	mods=$1
	echo "== round $r: $mods"
	"load_$mods" "$r"
	run_round "$mods" "$r"
	"unload_$mods" "$r"
	r=$((r + 1))
done

# --- the table -------------------------------------------------------------------

echo "== summary: $ROUNDS rounds each; stock/ours and notrace/ours are ratios of medians"
echo "   (stock/ours > 1: ours faster than stock; notrace/ours near 1: the disabled"
echo "   tracepoints cost nothing, < 1 by more than the noise: they cost that much)"
awk '
function sort(a, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
}
function stat(k,    n, i, v) {
	n = cnt[k]
	for (i = 1; i <= n; i++)
		v[i] = val[k, i] + 0
	sort(v, n)
	med[k] = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	lo[k] = v[1]
}
$1 == "benchrow" {
	if (!($3 in unit)) { order[++nm] = $3; unit[$3] = $5 }
	k = $2 SUBSEP $3
	val[k, ++cnt[k]] = $4
}
END {
	printf "%-16s %-4s %11s %11s %12s %11s %10s %11s %9s\n", "metric", "unit",
	       "ours median", "ours min", "stock median", "stock min",
	       "stock/ours", "notrace med", "notr/ours"
	for (i = 1; i <= nm; i++) {
		m = order[i]
		o = "ours" SUBSEP m; s = "stock" SUBSEP m; n = "notrace" SUBSEP m
		stat(o); stat(s); stat(n)
		ratio = med[o] > 0 ? med[s] / med[o] : 0
		nratio = med[o] > 0 ? med[n] / med[o] : 0
		printf "%-16s %-4s %11.3f %11.3f %12.3f %11.3f %10.2f %11.3f %9.2f\n",
		       m, unit[m], med[o], lo[o], med[s], lo[s], ratio, med[n], nratio
	}
}' "$ROWS" || fail "cannot summarise"

# --- a profile, on request ---------------------------------------------------
# VFIO_BENCH_PROFILE=SHAPE[,SHAPE]: one more round of those shapes (and the
# device opens) for each module set under the host's perf (sampling the
# cpu-clock: TCG has no PMU), and the kernel symbols that took the most.
profile()
{
	echo "== profile ($1): $VFIO_BENCH_PROFILE"
	VFIO_BENCH_OPS=${VFIO_BENCH_OPS:-50000} \
	VFIO_BENCH_SHAPES=$VFIO_BENCH_PROFILE perf record -q -e cpu-clock -F 2000 -a -g \
		-o "/tmp/perf.$1" -- ./tests/vfio_bench "$1" > /tmp/perf-run.log 2>&1 ||
		fail "profile: vfio_bench $1 under perf"
	grep '^benchrow' /tmp/perf-run.log
	# inclusive time (children) of the benchmark process's kernel symbols:
	# the map and unmap calls and what they spend it in (the setup, such
	# as faulting the memory in, shows too, under its own entry points)
	perf report -q -i "/tmp/perf.$1" --stdio --children --comm vfio_bench \
		--sort sym -g none --percent-limit 1 2>/dev/null | head -n 45
	[ -n "${VFIO_BENCH_PROFILE_UNDER:-}" ] && profile_under "$1"
}

# VFIO_BENCH_PROFILE_UNDER=FUNC[,FUNC]: the samples of the benchmark
# process whose stack holds FUNC, and how they split over what FUNC
# called (the frame right below it; "(self)" when it is the leaf).
profile_under()
{
	perf script -i "/tmp/perf.$1" --comm vfio_bench -F ip,sym 2>/dev/null |
	awk -v funcs="$VFIO_BENCH_PROFILE_UNDER" '
	BEGIN { nf = split(funcs, f, ",") }
	function sample(   i, j) {
		for (j = 1; j <= nf; j++)
			for (i = 1; i <= n; i++)
				if (fr[i] == f[j]) {
					total[j]++
					callee[j, i > 1 ? fr[i - 1] : "(self)"]++
					break
				}
		n = 0
	}
	NF == 0 { sample(); next }
	NF >= 2 && $1 ~ /^[0-9a-f]+$/ { fr[++n] = $2 }
	END {
		sample()
		for (j = 1; j <= nf; j++) {
			printf "== under %s: %d samples\n", f[j], total[j]
			for (k in callee) {
				split(k, kk, SUBSEP)
				if (kk[1] == j)
					printf "%8d  %5.1f%%  %s\n", callee[k],
						100 * callee[k] / total[j], kk[2]
			}
		}
	}' | awk '/^==/ { if (n) flush(); print; next } { l[++n] = $0 }
		function flush() { cmd = "sort -rn | head -n 12"
			for (i = 1; i <= n; i++) print l[i] | cmd
			close(cmd); n = 0 }
		END { if (n) flush() }'
}
if [ -n "${VFIO_BENCH_PROFILE:-}" ]; then
	command -v perf > /dev/null || fail "profile: no perf (Debian's linux-perf) on the host"
	echo 0 > /proc/sys/kernel/kptr_restrict
	echo -1 > /proc/sys/kernel/perf_event_paranoid
	load_ours profile
	profile ours
	unload_ours profile
	load_stock profile
	profile stock
	unload_stock profile
fi
echo "bench: OK"
