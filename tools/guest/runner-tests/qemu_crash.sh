#!/bin/sh
# Runner self-test: QEMU itself crashes. The edu (left unbound) is told
# through /dev/mem to DMA 8 KiB out of its 4 KiB buffer, which QEMU's edu
# model answers with hw_error(), an abort of the whole emulator. The
# runner must take that for the emulator's fault, boot again and resume
# with this test, and fail the run when the third boot crashes the same
# way.
sleep 6		# one heartbeat names this test
edu=""
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = 0x1234 ] && [ "$(cat "$d/device")" = 0x11e8 ] &&
		[ ! -e "$d/driver" ] && { edu=$d; break; }
done
[ -n "$edu" ] || { echo "no unbound edu"; exit 1; }
bar0=$(head -n 1 "$edu/resource" | cut -d' ' -f1)
# memory decode and bus master on (COMMAND, config offset 4)
printf '\006\000' | dd of="$edu/config" bs=1 seek=4 conv=notrunc 2> /dev/null
reg() { printf '0x%x' $((bar0 + $1)); }
devmem "$(reg 0x80)" 32 0x40000	|| exit 1	# source: the edu's buffer
devmem "$(reg 0x84)" 32 0
devmem "$(reg 0x88)" 32 0x100000		# destination: RAM
devmem "$(reg 0x8c)" 32 0
devmem "$(reg 0x90)" 32 0x2000			# 8 KiB: past the buffer
devmem "$(reg 0x94)" 32 0
devmem "$(reg 0x98)" 32 0x3			# start, to RAM
sleep 30
echo "QEMU is still running: the edu did not abort it"
exit 1
