#!/bin/sh
# Runner self-test: the guest goes silent. Stopping init's heartbeat looks,
# from the host, like a wedged guest; the runner must name this test, save
# the CPUs' registers, stop the guest with an NMI (and so a panic) long
# before the run's timeout, resume in a new boot (no CPU was in our code,
# which it takes for the emulator's fault), and fail the run when the
# third boot stops the same way.
sleep 6		# one heartbeat names this test
kill -STOP "$(cat /run/vfio-heartbeat.pid)" || exit 1
sleep 100
echo "the heartbeat went on: the runner did not stop this guest"
exit 1
