#!/bin/sh
# Runner self-test: the test itself passes, but the kernel log gets a WARN
# from a test-only module. The run must still end non-zero.
insmod "/lib/modules/$(uname -r)/testmods/warn_on_load.ko"
rmmod warn_on_load 2>/dev/null
exit 0
