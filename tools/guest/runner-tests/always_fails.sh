#!/bin/sh
# Runner self-test: a test that fails. The run must end non-zero.
echo "this test fails on purpose"
exit 1
