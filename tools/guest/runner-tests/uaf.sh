#!/bin/sh
# Debug tier self-test: the test passes, but a test-only module reads freed
# memory. KASAN reports it and the run must end non-zero.
insmod "/lib/modules/$(uname -r)/testmods/uaf_on_load.ko"
rmmod uaf_on_load 2>/dev/null
exit 0
