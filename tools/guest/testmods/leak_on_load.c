// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-only module for the debug tier's self-test: it allocates memory and
 * forgets the pointer when loaded, so the runner's kmemleak check (after
 * the module is unloaded) must report a leak from module code. Never part of
 * the product; built against the debug kernel into build/testmods-debug only.
 */
#include <linux/compiler.h>
#include <linux/module.h>
#include <linux/slab.h>

static int __init leak_on_load_init(void)
{
	void *lost = kzalloc(256, GFP_KERNEL);

	OPTIMIZER_HIDE_VAR(lost);
	return lost ? 0 : -ENOMEM;
}

static void __exit leak_on_load_exit(void)
{
}

module_init(leak_on_load_init);
module_exit(leak_on_load_exit);
MODULE_VERSION("1");
MODULE_LICENSE("GPL v2");
MODULE_DESCRIPTION("Debug tier self-test: memory leak on load");
