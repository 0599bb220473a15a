# Guest side of `make demo`: load our modules, prove them, run the edu demo.
. ./lib.sh

echo "== loading the vfio modules built from this tree"
load_vfio_modules || { echo "demo: FAILED: module load"; exit 1; }
prove_vfio_modules || { echo "demo: FAILED: modules are not ours"; exit 1; }
echo "== /dev/vfio:"
ls -l /dev/vfio
echo "== running the edu demo"
./tests/edu_demo
