#!/bin/sh
# Debug tier self-test: the test passes, but a test-only module leaks memory
# and is unloaded. The kmemleak check after the tests must report it.
insmod "/lib/modules/$(uname -r)/testmods/leak_on_load.ko"
rmmod leak_on_load
# kmemleak reports only objects older than 5 s
sleep 6
