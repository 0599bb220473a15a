// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-only module for the debug tier's self-test: it reads a buffer after
 * freeing it when loaded, so KASAN must report a use-after-free and the run
 * must fail. Never part of the product; built against the debug kernel into
 * build/testmods-debug only.
 */
#include <linux/compiler.h>
#include <linux/module.h>
#include <linux/slab.h>

static int __init uaf_on_load_init(void)
{
	u8 *buf = kmalloc(64, GFP_KERNEL);
	u8 val;

	if (!buf)
		return -ENOMEM;
	buf[0] = 0x5a;
	kfree(buf);
	OPTIMIZER_HIDE_VAR(buf);
	val = READ_ONCE(buf[0]);
	pr_info("uaf_on_load: read %#x from freed memory\n", val);
	return 0;
}

static void __exit uaf_on_load_exit(void)
{
}

module_init(uaf_on_load_init);
module_exit(uaf_on_load_exit);
MODULE_VERSION("1");
MODULE_LICENSE("GPL v2");
MODULE_DESCRIPTION("Debug tier self-test: use after free on load");
