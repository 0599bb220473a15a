// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-only module for the runner's self-test: its init keeps interrupts
 * off on its CPU for 90 s, so that CPU's timer interrupts stop while the
 * rest of the guest may go on. The runner must stop the guest, find the
 * CPU in a module (ours to answer for, not the emulator's) and fail the
 * run without booting again. Never part of the product; built into
 * build/testmods only.
 */
#include <linux/delay.h>
#include <linux/irqflags.h>
#include <linux/module.h>

static int __init irqs_off_on_load_init(void)
{
	unsigned long flags;
	int ms;

	local_irq_save(flags);
	for (ms = 0; ms < 90 * MSEC_PER_SEC; ms++)
		udelay(USEC_PER_MSEC);
	local_irq_restore(flags);
	return 0;
}

static void __exit irqs_off_on_load_exit(void)
{
}

module_init(irqs_off_on_load_init);
module_exit(irqs_off_on_load_exit);
MODULE_VERSION("1");
MODULE_LICENSE("GPL v2");
MODULE_DESCRIPTION("Runner self-test: interrupts off for 90 s on load");
