# Helpers shared by the guest-side scripts (sourced, busybox or host sh).

# Our modules in load order (module names as in /sys/module).
VFIO_MODULES="vfio_virqfd vfio vfio_iommu_type1 vfio_pci_core vfio_pci mdev mtty"

# Load every module of ours through modprobe (dependencies and softdeps
# included) and prove that each loaded one is the file just built: its
# srcversion must equal the one recorded at initramfs build time, and no
# module file outside our staging directory is visible to modprobe.
load_vfio_modules()
{
	for m in $VFIO_MODULES; do
		grep -q "^$m " /vfio/expected-srcversions || continue
		modprobe "$m" || return 1
	done
}

# Prints one "proof:" line per module; returns non-zero on any mismatch.
prove_vfio_modules()
{
	bad=0
	while read -r name want; do
		if [ ! -d "/sys/module/$name" ]; then
			echo "proof: module $name NOT LOADED"
			bad=1
			continue
		fi
		have=$(cat "/sys/module/$name/srcversion" 2>/dev/null)
		taint=$(cat "/sys/module/$name/taint" 2>/dev/null)
		path=$(modinfo -n "$name" 2>/dev/null)
		if [ -n "$want" ] && [ "$have" = "$want" ]; then
			echo "proof: module $name srcversion $have == built $want, taint '$taint', file $path"
		else
			echo "proof: module $name srcversion '$have' != built '$want' (NOT OURS)"
			bad=1
		fi
	done < /vfio/expected-srcversions
	stock=$(find /usr/lib/modules -path '*/kernel/drivers/vfio*' -name '*.ko*' | head -n 1)
	if [ -n "$stock" ]; then
		echo "proof: a stock VFIO module is visible: $stock"
		bad=1
	fi
	return $bad
}

unload_vfio_modules()
{
	for m in $(echo "$VFIO_MODULES" | tr ' ' '\n' | tac); do
		[ -d "/sys/module/$m" ] || continue
		rmmod "$m" || return 1
	done
}
