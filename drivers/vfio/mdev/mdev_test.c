// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: what the mdev sysfs interface parses (mdev_sysfs.c).
 *
 * Covers the UUID written to a type's "create" (accepted with or
 * without a trailing newline, in either case; -EINVAL for another
 * length, a non-hex digit or a misplaced dash, as upstream Linux 6.1),
 * the device name made from it, the number written to a device's
 * "remove", and the name of a type's directory: the parent's driver
 * name (or bus, or class name), a dash and the type's sysfs_name.
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uuid.h>

#include "mdev_private.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define UUID_LOWER	"c0ffee00-1234-5678-9abc-def012345678"
#define UUID_UPPER	"C0FFEE00-1234-5678-9ABC-DEF012345678"

static const guid_t uuid_value =
	GUID_INIT(0xc0ffee00, 0x1234, 0x5678,
		  0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78);

/* as sysfs hands it over: the bytes written, NUL terminated */
static int create(const char *buf, guid_t *uuid)
{
	return mdev_parse_create(buf, strlen(buf), uuid);
}

static void create_uuid(struct kunit *test)
{
	guid_t uuid;

	memset(&uuid, 0xff, sizeof(uuid));
	KUNIT_EXPECT_EQ(test, create(UUID_LOWER, &uuid), 0);
	KUNIT_EXPECT_TRUE(test, guid_equal(&uuid, &uuid_value));

	/* echo's newline */
	memset(&uuid, 0xff, sizeof(uuid));
	KUNIT_EXPECT_EQ(test, create(UUID_LOWER "\n", &uuid), 0);
	KUNIT_EXPECT_TRUE(test, guid_equal(&uuid, &uuid_value));

	memset(&uuid, 0xff, sizeof(uuid));
	KUNIT_EXPECT_EQ(test, create(UUID_UPPER "\n", &uuid), 0);
	KUNIT_EXPECT_TRUE(test, guid_equal(&uuid, &uuid_value));
}

/* Upstream ignores the 37th character, whatever it is. */
static void create_any_37th_char(struct kunit *test)
{
	guid_t uuid;

	KUNIT_EXPECT_EQ(test, create(UUID_LOWER "x", &uuid), 0);
	KUNIT_EXPECT_TRUE(test, guid_equal(&uuid, &uuid_value));
	KUNIT_EXPECT_EQ(test, create(UUID_LOWER " ", &uuid), 0);
	/* only @count bytes are looked at: no NUL is needed at 36 */
	KUNIT_EXPECT_EQ(test, mdev_parse_create(UUID_LOWER "\n\n", 37, &uuid),
			0);
	KUNIT_EXPECT_TRUE(test, guid_equal(&uuid, &uuid_value));
}

static void create_bad_length(struct kunit *test)
{
	guid_t uuid;

	KUNIT_EXPECT_EQ(test, create("", &uuid), -EINVAL);
	KUNIT_EXPECT_EQ(test, create("\n", &uuid), -EINVAL);
	/* one hex digit short, with and without newline */
	KUNIT_EXPECT_EQ(test, create("c0ffee00-1234-5678-9abc-def01234567",
				     &uuid), -EINVAL);
	KUNIT_EXPECT_EQ(test, create("c0ffee00-1234-5678-9abc-def01234567\n",
				     &uuid), -EINVAL);
	KUNIT_EXPECT_EQ(test, create(UUID_LOWER "\n\n", &uuid), -EINVAL);
	KUNIT_EXPECT_EQ(test, create(UUID_LOWER "0", &uuid), 0);
	KUNIT_EXPECT_EQ(test, create(UUID_LOWER "00", &uuid), -EINVAL);
	/* without dashes: 32 digits */
	KUNIT_EXPECT_EQ(test, create("c0ffee00123456789abcdef012345678",
				     &uuid), -EINVAL);
	/* braces */
	KUNIT_EXPECT_EQ(test, create("{" UUID_LOWER "}", &uuid), -EINVAL);
}

static void create_bad_chars(struct kunit *test)
{
	static const char * const bad[] = {
		"g0ffee00-1234-5678-9abc-def012345678",	/* non-hex, group 1 */
		"c0ffee00-123z-5678-9abc-def012345678",	/* group 2 */
		"c0ffee00-1234-56 8-9abc-def012345678",	/* group 3 */
		"c0ffee00-1234-5678-9abc-def01234567g",	/* group 5 */
		"c0ffee00_1234_5678_9abc_def012345678",	/* not dashes */
		"c0ffee0012-34-5678-9abc-def012345678",	/* dash moved */
		"c0ffee00-1234-5678-9abcdef0-12345678",	/* dash moved */
		"c0ffee00-1234-5678-9abc-def0123456-8",	/* dash for digit */
		"-c0ffee00-1234-5678-9abc-def01234567",	/* leading dash */
		"0xffee00-1234-5678-9abc-def012345678",	/* a 0x prefix */
	};
	char buf[UUID_STRING_LEN + 1];
	guid_t uuid;
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_ASSERT_EQ(test, strlen(bad[i]), UUID_STRING_LEN);
		KUNIT_EXPECT_EQ_MSG(test, create(bad[i], &uuid), -EINVAL,
				    "%s", bad[i]);
	}
	/* a NUL inside the 36 characters, in place of a dash */
	strscpy(buf, UUID_LOWER, sizeof(buf));
	buf[13] = '\0';
	KUNIT_EXPECT_EQ(test, mdev_parse_create(buf, UUID_STRING_LEN, &uuid),
			-EINVAL);
}

/*
 * The device is named "%pUl" of the parsed UUID: the string written, in
 * lower case. A big-endian (uuid_t) parse would swap the first groups.
 */
static void create_device_name(struct kunit *test)
{
	char name[UUID_STRING_LEN + 1];
	guid_t uuid;

	KUNIT_ASSERT_EQ(test, create(UUID_UPPER "\n", &uuid), 0);
	snprintf(name, sizeof(name), "%pUl", &uuid);
	KUNIT_EXPECT_STREQ(test, name, UUID_LOWER);
}

static void remove_number(struct kunit *test)
{
	static const struct {
		const char *buf;
		int ret;
		bool remove;
	} c[] = {
		{ "1", 0, true },
		{ "1\n", 0, true },
		{ "0", 0, false },
		{ "0\n", 0, false },
		{ "2", 0, true },
		{ "0x10", 0, true },
		{ "010", 0, true },
		{ "00", 0, false },
		{ "", -EINVAL, false },
		{ "\n", -EINVAL, false },
		{ "yes", -EINVAL, false },
		{ "-1", -EINVAL, false },
		{ "1 ", -EINVAL, false },
		{ " 1", -EINVAL, false },
		{ "1\n\n", -EINVAL, false },
		{ "08", -EINVAL, false },	/* not octal */
		{ "99999999999999999999999", -EINVAL, false },	/* overflow */
	};
	bool remove;
	int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		remove = !c[i].remove;
		KUNIT_EXPECT_EQ_MSG(test, mdev_parse_remove(c[i].buf, &remove),
				    c[i].ret, "\"%s\"", c[i].buf);
		if (!c[i].ret)
			KUNIT_EXPECT_EQ_MSG(test, remove, c[i].remove,
					    "\"%s\"", c[i].buf);
	}
}

static void expect_dirname(struct kunit *test, struct device *dev,
			   const char *sysfs_name, const char *expected)
{
	struct mdev_parent parent = { .dev = dev };
	struct mdev_type type = { .sysfs_name = sysfs_name };
	char *name;

	name = mdev_type_dirname(&parent, &type);
	KUNIT_ASSERT_NOT_NULL(test, name);
	KUNIT_EXPECT_STREQ(test, name, expected);
	kfree(name);
}

/* never registered: only their names are read */
static struct device_driver test_drv = { .name = "mtty" };
static struct bus_type test_bus = { .name = "platform" };
static struct class test_class = { .name = "mbochs" };

/* "<driver>-<sysfs_name>", as mtty's "mtty-1" and "mtty-2". */
static void type_dirname(struct kunit *test)
{
	struct device *dev;

	dev = kunit_kzalloc(test, sizeof(*dev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dev);

	dev->driver = &test_drv;
	dev->bus = &test_bus;
	expect_dirname(test, dev, "1", "mtty-1");
	expect_dirname(test, dev, "2", "mtty-2");
	expect_dirname(test, dev, "i915-GVTg_V5_4", "mtty-i915-GVTg_V5_4");

	/* no driver: the bus name, then the class name */
	dev->driver = NULL;
	expect_dirname(test, dev, "1", "platform-1");
	dev->bus = NULL;
	dev->class = &test_class;
	expect_dirname(test, dev, "1", "mbochs-1");
	dev->class = NULL;
	expect_dirname(test, dev, "1", "-1");
}

static struct kunit_case mdev_cases[] = {
	KUNIT_CASE(create_uuid),
	KUNIT_CASE(create_any_37th_char),
	KUNIT_CASE(create_bad_length),
	KUNIT_CASE(create_bad_chars),
	KUNIT_CASE(create_device_name),
	KUNIT_CASE(remove_number),
	KUNIT_CASE(type_dirname),
	{}
};

static struct kunit_suite mdev_suite = {
	.name = "mdev_sysfs",
	.test_cases = mdev_cases,
};

kunit_test_suites(&mdev_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of the mdev sysfs parsing");
