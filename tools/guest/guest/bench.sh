# Guest side of `make bench`: the same type1 benchmark against our modules
# and then against Debian's stock ones, in this one boot. The stock modules
# travel in /vfio/stock (outside every modules directory, so nothing else
# can load them) and are inserted here by path, each proven by its build ID.
. ./lib.sh

STOCK_ORDER="vfio vfio_iommu_type1 vfio_virqfd vfio-pci-core vfio-pci"

edu=$(for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = 0x1234 ] && [ "$(cat "$d/device")" = 0x11e8 ] &&
		case "$d" in */0000:00:*) ;; *) basename "$d" ;; esac
done | head -n 1)

echo "== our modules"
load_vfio_modules || { echo "bench: FAILED: module load"; exit 1; }
prove_vfio_modules || { echo "bench: FAILED: modules are not ours"; exit 1; }
./tests/vfio_bench ours || { echo "bench: FAILED: ours"; exit 1; }

echo "== stock Debian modules"
echo "$edu" > "/sys/bus/pci/devices/$edu/driver/unbind"
unload_vfio_modules || { echo "bench: FAILED: cannot unload ours"; exit 1; }
modprobe irqbypass
for m in $STOCK_ORDER; do
	insmod "/vfio/stock/$m.ko" || { echo "bench: FAILED: insmod stock $m"; exit 1; }
done
while read -r name want; do
	# the loaded module's build ID note: 16 bytes of header, then the ID
	note=/sys/module/$name/notes/.note.gnu.build-id
	have=$(od -An -tx1 -j16 "$note" 2>/dev/null | tr -d ' \n')
	taint=$(cat "/sys/module/$name/taint" 2>/dev/null)
	if [ -z "$want" ] || [ "$have" != "$want" ]; then
		echo "bench: FAILED: $name build ID '$have' is not stock '$want'"
		exit 1
	fi
	echo "proof: stock module $name build ID $have, taint '$taint'"
done < /vfio/stock/build-ids
./tests/vfio_bench stock || { echo "bench: FAILED: stock"; exit 1; }
echo "$edu" > "/sys/bus/pci/devices/$edu/driver/unbind"
for m in $(echo "$STOCK_ORDER" | tr ' ' '\n' | tac); do
	rmmod "$m"
done
echo "bench: OK"
