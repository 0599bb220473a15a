// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-only module for the runner's self-test: it WARNs once when loaded,
 * so that a run whose tests all pass must still be judged a failure.
 * Never part of the product; built into build/testmods only.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init warn_on_load_init(void)
{
	WARN(1, "runner self-test: deliberate warning\n");
	return 0;
}

static void __exit warn_on_load_exit(void)
{
}

module_init(warn_on_load_init);
module_exit(warn_on_load_exit);
MODULE_VERSION("1");
MODULE_LICENSE("GPL v2");
MODULE_DESCRIPTION("Runner self-test: WARN on load");
