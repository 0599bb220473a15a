#!/bin/sh
# Runner self-test: a CPU stops taking interrupts in a module. The
# test-only module keeps interrupts off on its CPU for 90 s; the runner
# must see that CPU's timer interrupts stop, stop the guest with an NMI,
# find the CPU in a module and fail the run at once: a deaf CPU is blamed
# on the emulator only when it sits halted with interrupts enabled.
sleep 6		# one heartbeat names this test
insmod "/lib/modules/$(uname -r)/testmods/irqs_off_on_load.ko"
rmmod irqs_off_on_load 2>/dev/null
echo "the guest went on: the runner did not stop it"
exit 1
