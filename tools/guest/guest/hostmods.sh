# shellcheck shell=sh disable=SC1091
# Guest side of the install test (tools/guest/check-install): the modules
# come from the host's own /usr/lib/modules, exactly as its package manager
# left it (init does not cover it for this job). A plain modprobe picks
# them; each loaded module must be the file the host expects (its path as
# modprobe resolves it, and its GNU build ID), and the smoke tests must pass.
# /vfio/hostmods-expect: "name build-id path" per module.
. ./lib.sh

bad=0
# As on a host: the static node of /dev/vfio/vfio exists before any module
# (systemd's kmod-static-nodes makes it from modules.devname); the first
# open makes the kernel load vfio on demand (char-major-10-196), and
# modprobe then loads vfio_iommu_type1 by vfio's softdep.
echo "== open /dev/vfio/vfio: the kernel loads vfio and, by its softdep, vfio_iommu_type1"
mkdir -p /dev/vfio
[ -e /dev/vfio/vfio ] || mknod -m 0666 /dev/vfio/vfio c 10 196
: < /dev/vfio/vfio || { echo "hostmods: FAILED: open /dev/vfio/vfio"; exit 1; }
echo "== modprobe vfio-pci (vfio_virqfd and vfio-pci-core as its dependencies)"
modprobe vfio-pci || { echo "hostmods: FAILED: modprobe vfio-pci"; exit 1; }
if grep -q '^mtty ' /vfio/hostmods-expect; then
	modprobe mtty || { echo "hostmods: FAILED: modprobe mtty"; exit 1; }
fi

while read -r name want path; do
	note=/sys/module/$name/notes/.note.gnu.build-id
	have=$(od -An -tx1 -j16 "$note" 2>/dev/null | tr -d ' \n')
	file=$(modinfo -n "$name" 2>/dev/null)
	if [ "$have" = "$want" ] && [ "$file" = "$path" ]; then
		echo "proof: module $name build ID $have, file $file, taint '$(cat "/sys/module/$name/taint")'"
	else
		echo "proof: module $name build ID '$have' file '$file', expected '$want' '$path' (WRONG MODULE)"
		bad=1
	fi
done < /vfio/hostmods-expect

echo "== vfio_smoke"
if ./tests/vfio_smoke; then
	echo "ok 1 vfio_smoke on these modules"
else
	echo "not ok 1 vfio_smoke on these modules"
	bad=1
fi

if [ $bad -eq 0 ]; then
	echo "hostmods: OK"
else
	echo "hostmods: FAILED"
fi
