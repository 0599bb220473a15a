#!/bin/sh
# Runner self-test: the guest goes silent. Stopping init's heartbeat looks,
# from the host, like a wedged guest; the runner must name this test, save
# the CPUs' registers, stop the guest with an NMI (and so a panic) long
# before the run's timeout, boot once more (no CPU was in our code) and
# then fail the run.
sleep 6		# one heartbeat names this test
kill -STOP "$(cat /run/vfio-heartbeat.pid)" || exit 1
sleep 100
echo "the heartbeat went on: the runner did not stop this guest"
exit 1
