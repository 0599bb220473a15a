// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the uAPI helpers vfio.ko gives bus drivers
 * (uapi_helpers.c):
 *
 *  - the capability chain builder: each capability 8-byte aligned, next
 *    offsets linking them in order, everything but id/version/next zeroed
 *    (the padding between capabilities included), the whole chain freed
 *    with -ENOMEM when its size would overflow; vfio_info_cap_shift() and
 *    the copy made by vfio_info_add_capability();
 *  - the argsz rule of the *_INFO ioctls, vfio_info_cap_to_user(): a
 *    buffer too small for the chain gets argsz raised to the size needed,
 *    cap_offset 0 and nothing copied; a large enough one gets the chain
 *    right behind the info structure with cap_offset pointing at it;
 *  - the VFIO_DEVICE_SET_IRQS header checks,
 *    vfio_set_irqs_validate_and_prepare(), with the errno and data size
 *    upstream 6.1 gives for each case.
 *
 * User memory: vfio_info_cap_to_user() copies to userspace, and KUnit
 * cases run in a kthread without an address space. Linux 6.1 exports no
 * way for a module to create one (mm_alloc() is not exported), so the
 * suite borrows the address space of the process loading the module:
 * suite_init runs inside its finit_module() call and takes a reference
 * with get_task_mm(). A case needing user memory enters it with
 * kthread_use_mm(), maps a scratch area with vm_mmap(), and unmaps it and
 * leaves the mm before checking anything: a failed assertion ends the
 * kthread, which must not happen while it is inside a borrowed mm. When
 * the suite is built in there is no loader and those cases are skipped.
 */
#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

/* ---- the loader's address space ---- */

static struct mm_struct *uapi_test_mm;

static int uapi_suite_init(struct kunit_suite *suite)
{
	/* NULL when built in: the suite then runs from a kernel thread */
	uapi_test_mm = get_task_mm(current);
	return 0;
}

static void uapi_suite_exit(struct kunit_suite *suite)
{
	if (uapi_test_mm)
		mmput(uapi_test_mm);
	uapi_test_mm = NULL;
}

/* ---- vfio_info_cap_add() ---- */

static struct vfio_info_cap_header *cap_at(struct vfio_info_cap *caps,
					   size_t offset)
{
	return (void *)caps->buf + offset;
}

static bool bytes_are(const void *p, u8 val, size_t len)
{
	const u8 *b = p;

	while (len--)
		if (*b++ != val)
			return false;
	return true;
}

static void cap_add_first(struct kunit *test)
{
	struct vfio_info_cap caps = { };
	struct vfio_info_cap_header *h;

	h = vfio_info_cap_add(&caps, 12, 5, 2);
	KUNIT_ASSERT_FALSE(test, IS_ERR(h));
	KUNIT_EXPECT_PTR_EQ(test, h, caps.buf);
	KUNIT_EXPECT_EQ(test, caps.size, 12);
	KUNIT_EXPECT_EQ(test, h->id, 5);
	KUNIT_EXPECT_EQ(test, h->version, 2);
	KUNIT_EXPECT_EQ(test, h->next, 0);
	KUNIT_EXPECT_TRUE(test, bytes_are(h + 1, 0, 4));
	kfree(caps.buf);
}

static void cap_add_aligns_and_chains(struct kunit *test)
{
	/* sizes and the offsets they must land at */
	static const struct {
		size_t size;
		size_t offset;
	} c[] = {
		{ 12, 0 }, { 16, 16 }, { 8, 32 }, { 13, 40 }, { 24, 56 },
	};
	struct vfio_info_cap caps = { };
	struct vfio_info_cap_header *h;
	int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		h = vfio_info_cap_add(&caps, c[i].size, i + 1, 1);
		KUNIT_ASSERT_FALSE(test, IS_ERR(h));
		/* buf may have moved: the header must be where it is now */
		KUNIT_EXPECT_EQ(test, (void *)h - (void *)caps.buf,
				c[i].offset);
		KUNIT_EXPECT_EQ(test, caps.size, c[i].offset + c[i].size);
	}

	/* walk the chain: ids in order, each at its aligned offset */
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		h = cap_at(&caps, c[i].offset);
		KUNIT_EXPECT_EQ(test, h->id, i + 1);
		KUNIT_EXPECT_EQ(test, h->version, 1);
		if (i + 1 < ARRAY_SIZE(c))
			KUNIT_EXPECT_EQ(test, h->next, c[i + 1].offset);
		else
			KUNIT_EXPECT_EQ(test, h->next, 0);
		KUNIT_EXPECT_TRUE(test, bytes_are(h + 1, 0, c[i].size - sizeof(*h)));
	}
	kfree(caps.buf);
}

/*
 * The bytes between an unaligned end and the next capability go to the
 * user with the chain: they must be zero whatever the buffer held. The
 * chain left by a 12-byte capability is built by hand in a buffer full of
 * 0xa5, once so that the next add moves it (16-byte slab object) and once
 * so that it grows in place (64).
 */
static void cap_add_zeroes_padding(struct kunit *test)
{
	static const size_t alloc[] = { 16, 64 };
	struct vfio_info_cap_header *h;
	struct vfio_info_cap caps;
	int i;

	for (i = 0; i < ARRAY_SIZE(alloc); i++) {
		caps.buf = kmalloc(alloc[i], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, caps.buf);
		memset(caps.buf, 0xa5, alloc[i]);
		caps.buf->id = 1;
		caps.buf->version = 1;
		caps.buf->next = 0;
		caps.size = 12;

		h = vfio_info_cap_add(&caps, 16, 2, 1);
		KUNIT_ASSERT_FALSE(test, IS_ERR(h));
		KUNIT_EXPECT_EQ(test, caps.size, 32);
		KUNIT_EXPECT_EQ(test, caps.buf->next, 16);
		/* the first body is the caller's, untouched */
		KUNIT_EXPECT_TRUE(test, bytes_are(caps.buf + 1, 0xa5, 4));
		KUNIT_EXPECT_TRUE_MSG(test,
				      bytes_are((void *)caps.buf + 12, 0, 4),
				      "padding not cleared (buffer of %zu)",
				      alloc[i]);
		h = cap_at(&caps, 16);
		KUNIT_EXPECT_EQ(test, h->id, 2);
		KUNIT_EXPECT_EQ(test, h->next, 0);
		KUNIT_EXPECT_TRUE(test, bytes_are(h + 1, 0, 8));
		kfree(caps.buf);
	}
}

static void cap_add_overflow(struct kunit *test)
{
	struct vfio_info_cap caps = { };
	struct vfio_info_cap_header *h;

	h = vfio_info_cap_add(&caps, 12, 1, 1);
	KUNIT_ASSERT_FALSE(test, IS_ERR(h));

	/*
	 * 12 + (SIZE_MAX - 14) does not wrap, but the capability starts
	 * at 16 and 16 + (SIZE_MAX - 14) does: refused before allocating,
	 * and the chain built so far is freed (KASAN sees a double free or
	 * kmemleak a leak if not).
	 */
	h = vfio_info_cap_add(&caps, SIZE_MAX - 14, 2, 1);
	KUNIT_EXPECT_TRUE(test, IS_ERR(h));
	KUNIT_EXPECT_EQ(test, PTR_ERR(h), -ENOMEM);
	KUNIT_EXPECT_NULL(test, caps.buf);
	KUNIT_EXPECT_EQ(test, caps.size, 0);

	/* the chain starts over from empty */
	h = vfio_info_cap_add(&caps, 8, 3, 1);
	KUNIT_ASSERT_FALSE(test, IS_ERR(h));
	KUNIT_EXPECT_PTR_EQ(test, h, caps.buf);
	KUNIT_EXPECT_EQ(test, caps.size, 8);
	h = vfio_info_cap_add(&caps, SIZE_MAX, 4, 1);
	KUNIT_EXPECT_EQ(test, PTR_ERR(h), -ENOMEM);
	KUNIT_EXPECT_NULL(test, caps.buf);
	KUNIT_EXPECT_EQ(test, caps.size, 0);
}

static void cap_shift(struct kunit *test)
{
	struct vfio_info_cap caps = { };
	struct vfio_info_cap_header *h;

	KUNIT_ASSERT_FALSE(test, IS_ERR(vfio_info_cap_add(&caps, 12, 1, 1)));
	/* one capability: nothing to shift, the end stays 0 */
	vfio_info_cap_shift(&caps, 40);
	KUNIT_EXPECT_EQ(test, caps.buf->next, 0);

	KUNIT_ASSERT_FALSE(test, IS_ERR(vfio_info_cap_add(&caps, 16, 2, 1)));
	KUNIT_ASSERT_FALSE(test, IS_ERR(vfio_info_cap_add(&caps, 8, 3, 1)));
	vfio_info_cap_shift(&caps, 40);
	KUNIT_EXPECT_EQ(test, cap_at(&caps, 0)->next, 40 + 16);
	KUNIT_EXPECT_EQ(test, cap_at(&caps, 16)->next, 40 + 32);
	KUNIT_EXPECT_EQ(test, cap_at(&caps, 32)->next, 0);
	/* only the links change */
	h = cap_at(&caps, 32);
	KUNIT_EXPECT_EQ(test, h->id, 3);
	KUNIT_EXPECT_EQ(test, caps.size, 40);
	kfree(caps.buf);
}

struct test_cap {
	struct vfio_info_cap_header header;
	u32 a;
	u32 b;
	u64 c;
};

static void add_capability_copies(struct kunit *test)
{
	struct test_cap in = {
		.header = { .id = 7, .version = 3, .next = 0x1234 },
		.a = 0x11223344, .b = 0x55667788, .c = 0x0102030405060708ULL,
	};
	struct vfio_info_cap_header small = { .id = 9, .version = 1 };
	struct vfio_info_cap caps = { };
	struct test_cap *out;

	KUNIT_ASSERT_EQ(test, vfio_info_add_capability(&caps, &small,
						       sizeof(small)), 0);
	KUNIT_ASSERT_EQ(test, vfio_info_add_capability(&caps, &in.header,
						       sizeof(in)), 0);
	KUNIT_EXPECT_EQ(test, caps.size, 8 + sizeof(in));
	KUNIT_EXPECT_EQ(test, caps.buf->id, 9);
	KUNIT_EXPECT_EQ(test, caps.buf->next, 8);

	out = (struct test_cap *)cap_at(&caps, 8);
	KUNIT_EXPECT_EQ(test, out->header.id, 7);
	KUNIT_EXPECT_EQ(test, out->header.version, 3);
	/* the caller's next is not copied: this is the end of the chain */
	KUNIT_EXPECT_EQ(test, out->header.next, 0);
	KUNIT_EXPECT_EQ(test, out->a, 0x11223344);
	KUNIT_EXPECT_EQ(test, out->b, 0x55667788);
	KUNIT_EXPECT_EQ(test, out->c, 0x0102030405060708ULL);
	kfree(caps.buf);
}

/* ---- vfio_info_cap_to_user(): the argsz rule ---- */

#define INFO_SIZE	sizeof(struct vfio_region_info)
#define USER_LEN	256
#define POISON_OFFSET	0xdeadbeef

/* A 12-byte and a 16-byte capability: 32 bytes, 64 with the info. */
static void build_chain(struct kunit *test, struct vfio_info_cap *caps)
{
	struct vfio_info_cap_header *h;

	caps->buf = NULL;
	caps->size = 0;
	h = vfio_info_cap_add(caps, 12, 1, 1);
	KUNIT_ASSERT_FALSE(test, IS_ERR(h));
	*(u32 *)(h + 1) = 0x11223344;
	h = vfio_info_cap_add(caps, 16, 2, 1);
	KUNIT_ASSERT_FALSE(test, IS_ERR(h));
	*(u64 *)(h + 1) = 0x0102030405060708ULL;
	KUNIT_ASSERT_EQ(test, caps->size, 32);
}

/**
 * struct to_user_call - one vfio_info_cap_to_user() call on user memory
 * @argsz: argsz before and after
 * @cap_offset: cap_offset before and after
 * @ret: what the helper returned
 * @user: the user buffer afterwards; it was 0xa5 before
 */
struct to_user_call {
	u32 argsz;
	u32 cap_offset;
	int ret;
	u8 user[USER_LEN];
};

/*
 * Make the call with @arg at the start of a fresh user mapping, or, with
 * @fault, so that the chain would land on a page that is not mapped. No
 * assertion runs while the borrowed mm is in use.
 */
static int to_user(struct kunit *test, struct vfio_info_cap *caps,
		   struct to_user_call *call, bool fault)
{
	unsigned long addr, len = 2 * PAGE_SIZE;
	void __user *arg;
	int ret = 0;

	if (!uapi_test_mm)
		return -ESRCH;

	kthread_use_mm(uapi_test_mm);
	addr = vm_mmap(NULL, 0, len, PROT_READ | PROT_WRITE,
		       MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (IS_ERR_VALUE(addr)) {
		ret = (int)addr;
		goto out;
	}
	memset(call->user, 0xa5, USER_LEN);
	if (copy_to_user((void __user *)addr, call->user, USER_LEN)) {
		ret = -EFAULT;
		goto unmap;
	}

	if (fault) {
		/* the info fits on the first page, the chain would not */
		if (vm_munmap(addr + PAGE_SIZE, PAGE_SIZE)) {
			ret = -EINVAL;
			goto unmap;
		}
		arg = (void __user *)(addr + PAGE_SIZE - INFO_SIZE);
	} else {
		arg = (void __user *)addr;
	}
	call->ret = vfio_info_cap_to_user(caps, arg, INFO_SIZE, &call->argsz,
					  &call->cap_offset);
	if (!fault && copy_from_user(call->user, arg, USER_LEN))
		ret = -EFAULT;
unmap:
	vm_munmap(addr, len);
out:
	kthread_unuse_mm(uapi_test_mm);
	return ret;
}

static int uapi_user_init(struct kunit *test)
{
	if (!uapi_test_mm)
		kunit_skip(test, "built in: no loader address space to borrow");
	return 0;
}

static void to_user_empty_chain(struct kunit *test)
{
	struct vfio_info_cap caps = { };
	struct to_user_call call = { .argsz = 8, .cap_offset = POISON_OFFSET };

	KUNIT_ASSERT_EQ(test, to_user(test, &caps, &call, false), 0);
	KUNIT_EXPECT_EQ(test, call.ret, 0);
	/* nothing to add: argsz and cap_offset are the caller's business */
	KUNIT_EXPECT_EQ(test, call.argsz, 8);
	KUNIT_EXPECT_EQ(test, call.cap_offset, POISON_OFFSET);
	KUNIT_EXPECT_TRUE(test, bytes_are(call.user, 0xa5, USER_LEN));
}

static void to_user_too_small(struct kunit *test)
{
	static const u32 argsz[] = { 16, INFO_SIZE, INFO_SIZE + 32 - 1 };
	struct vfio_info_cap caps;
	struct to_user_call call;
	int i;

	for (i = 0; i < ARRAY_SIZE(argsz); i++) {
		build_chain(test, &caps);
		call.argsz = argsz[i];
		call.cap_offset = POISON_OFFSET;
		KUNIT_ASSERT_EQ(test, to_user(test, &caps, &call, false), 0);
		KUNIT_EXPECT_EQ(test, call.ret, 0);
		KUNIT_EXPECT_EQ_MSG(test, call.argsz, INFO_SIZE + 32,
				    "argsz %u", argsz[i]);
		KUNIT_EXPECT_EQ(test, call.cap_offset, 0);
		/* nothing written; the chain is gone either way */
		KUNIT_EXPECT_TRUE(test, bytes_are(call.user, 0xa5, USER_LEN));
		KUNIT_EXPECT_NULL(test, caps.buf);
		KUNIT_EXPECT_EQ(test, caps.size, 0);
	}
}

static void to_user_fits(struct kunit *test)
{
	static const u32 argsz[] = { INFO_SIZE + 32, USER_LEN, 65536 };
	struct vfio_info_cap_header *h;
	struct vfio_info_cap caps;
	struct to_user_call call;
	int i;

	for (i = 0; i < ARRAY_SIZE(argsz); i++) {
		build_chain(test, &caps);
		call.argsz = argsz[i];
		call.cap_offset = POISON_OFFSET;
		KUNIT_ASSERT_EQ(test, to_user(test, &caps, &call, false), 0);
		KUNIT_EXPECT_EQ(test, call.ret, 0);
		KUNIT_EXPECT_EQ(test, call.argsz, argsz[i]);
		KUNIT_EXPECT_EQ(test, call.cap_offset, INFO_SIZE);
		KUNIT_EXPECT_NULL(test, caps.buf);
		KUNIT_EXPECT_EQ(test, caps.size, 0);

		/* the info itself is left to the caller */
		KUNIT_EXPECT_TRUE(test, bytes_are(call.user, 0xa5, INFO_SIZE));
		/* the chain, linked by offsets from the info's start */
		h = (void *)call.user + INFO_SIZE;
		KUNIT_EXPECT_EQ(test, h->id, 1);
		KUNIT_EXPECT_EQ(test, h->next, INFO_SIZE + 16);
		KUNIT_EXPECT_EQ(test, *(u32 *)(h + 1), 0x11223344);
		KUNIT_EXPECT_TRUE(test, bytes_are(call.user + INFO_SIZE + 12,
						  0, 4));
		h = (void *)call.user + INFO_SIZE + 16;
		KUNIT_EXPECT_EQ(test, h->id, 2);
		KUNIT_EXPECT_EQ(test, h->next, 0);
		KUNIT_EXPECT_EQ(test, *(u64 *)(h + 1), 0x0102030405060708ULL);
		/* and nothing past it */
		KUNIT_EXPECT_TRUE(test, bytes_are(call.user + INFO_SIZE + 32,
						  0xa5,
						  USER_LEN - INFO_SIZE - 32));
	}
}

static void to_user_fault(struct kunit *test)
{
	struct vfio_info_cap caps;
	struct to_user_call call;

	build_chain(test, &caps);
	call.argsz = 4096;
	call.cap_offset = POISON_OFFSET;
	KUNIT_ASSERT_EQ(test, to_user(test, &caps, &call, true), 0);
	KUNIT_EXPECT_EQ(test, call.ret, -EFAULT);
	KUNIT_EXPECT_EQ(test, call.argsz, 4096);
	KUNIT_EXPECT_EQ(test, call.cap_offset, POISON_OFFSET);
	KUNIT_EXPECT_NULL(test, caps.buf);
	KUNIT_EXPECT_EQ(test, caps.size, 0);
}

/* ---- vfio_set_irqs_validate_and_prepare() ---- */

#define MINSZ		offsetofend(struct vfio_irq_set, count)	/* 20 */
#define NONE_TRIGGER	(VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER)
#define BOOL_TRIGGER	(VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER)
#define EVENTFD_TRIGGER	(VFIO_IRQ_SET_DATA_EVENTFD | \
			 VFIO_IRQ_SET_ACTION_TRIGGER)
#define NO_DATA_SIZE	((size_t)-1)

/**
 * struct irqs_case - one header and what the check must say
 * @what: name for failure messages
 * @argsz: header field
 * @flags: header field
 * @index: header field
 * @start: header field
 * @count: header field
 * @num_irqs: vectors of @index
 * @max_irq_type: indexes of the device
 * @ret: expected return
 * @data_size: expected data size when @ret is 0
 */
struct irqs_case {
	const char *what;
	u32 argsz, flags, index, start, count;
	int num_irqs, max_irq_type;
	int ret;
	size_t data_size;
};

static void check_irqs(struct kunit *test, const struct irqs_case *c, int n)
{
	struct vfio_irq_set hdr;
	size_t data_size;
	int i, ret;

	for (i = 0; i < n; i++) {
		hdr.argsz = c[i].argsz;
		hdr.flags = c[i].flags;
		hdr.index = c[i].index;
		hdr.start = c[i].start;
		hdr.count = c[i].count;
		data_size = NO_DATA_SIZE;
		ret = vfio_set_irqs_validate_and_prepare(&hdr, c[i].num_irqs,
							 c[i].max_irq_type,
							 &data_size);
		KUNIT_EXPECT_EQ_MSG(test, ret, c[i].ret, "%s", c[i].what);
		if (!c[i].ret)
			KUNIT_EXPECT_EQ_MSG(test, data_size, c[i].data_size,
					    "%s", c[i].what);
	}
}

static void irqs_argsz(struct kunit *test)
{
	static const struct irqs_case c[] = {
		{ "argsz 0", 0, NONE_TRIGGER, 0, 0, 1, 1, 5, -EINVAL },
		{ "argsz minsz - 1", MINSZ - 1, NONE_TRIGGER, 0, 0, 1, 1, 5,
		  -EINVAL },
		{ "argsz minsz", MINSZ, NONE_TRIGGER, 0, 0, 1, 1, 5, 0, 0 },
		/* a NONE header may carry slack: it is not data */
		{ "argsz minsz + 8", MINSZ + 8, NONE_TRIGGER, 0, 0, 1, 1, 5,
		  0, 0 },
	};

	check_irqs(test, c, ARRAY_SIZE(c));
}

static void irqs_flags(struct kunit *test)
{
	static const struct irqs_case c[] = {
		{ "unknown flag 1 << 6", MINSZ, NONE_TRIGGER | BIT(6), 0, 0, 1,
		  1, 5, -EINVAL },
		{ "unknown flag 1 << 31", MINSZ, NONE_TRIGGER | BIT(31), 0, 0,
		  1, 1, 5, -EINVAL },
		{ "no data type", MINSZ, VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, 1,
		  1, 5, -EINVAL },
		{ "NONE and BOOL", MINSZ + 1,
		  NONE_TRIGGER | VFIO_IRQ_SET_DATA_BOOL, 0, 0, 1, 1, 5,
		  -EINVAL },
		{ "BOOL and EVENTFD", MINSZ + 4,
		  BOOL_TRIGGER | VFIO_IRQ_SET_DATA_EVENTFD, 0, 0, 1, 1, 5,
		  -EINVAL },
		{ "all data types", MINSZ + 4,
		  VFIO_IRQ_SET_DATA_TYPE_MASK | VFIO_IRQ_SET_ACTION_TRIGGER,
		  0, 0, 1, 1, 5, -EINVAL },
		{ "MASK", MINSZ,
		  VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK, 0, 0, 1,
		  1, 5, 0, 0 },
		/*
		 * As upstream, the action is not checked here: none or
		 * several pass, and the bus driver's dispatch refuses them
		 * (vfio-pci with -ENOTTY).
		 */
		{ "MASK and UNMASK", MINSZ,
		  VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK |
		  VFIO_IRQ_SET_ACTION_UNMASK, 0, 0, 1, 1, 5, 0, 0 },
		{ "no action", MINSZ, VFIO_IRQ_SET_DATA_NONE, 0, 0, 1, 1, 5,
		  0, 0 },
	};

	check_irqs(test, c, ARRAY_SIZE(c));
}

static void irqs_index_and_range(struct kunit *test)
{
	static const struct irqs_case c[] = {
		{ "last index", MINSZ, NONE_TRIGGER, 4, 0, 1, 1, 5, 0, 0 },
		{ "index == max", MINSZ, NONE_TRIGGER, 5, 0, 1, 1, 5, -EINVAL },
		{ "index U32_MAX", MINSZ, NONE_TRIGGER, U32_MAX, 0, 1, 1, 5,
		  -EINVAL },
		{ "last vector", MINSZ, NONE_TRIGGER, 0, 3, 1, 4, 5, 0, 0 },
		{ "all vectors", MINSZ, NONE_TRIGGER, 0, 0, 4, 4, 5, 0, 0 },
		{ "one past the end", MINSZ, NONE_TRIGGER, 0, 3, 2, 4, 5,
		  -EINVAL },
		{ "start at the end", MINSZ, NONE_TRIGGER, 0, 4, 1, 4, 5,
		  -EINVAL },
		/* count 0 (the "disable" form) still needs a vector */
		{ "count 0", MINSZ, NONE_TRIGGER, 0, 0, 0, 4, 5, 0, 0 },
		{ "count 0 at the end", MINSZ, NONE_TRIGGER, 0, 4, 0, 4, 5,
		  -EINVAL },
		{ "count 0, no vectors", MINSZ, NONE_TRIGGER, 0, 0, 0, 0, 5,
		  -EINVAL },
		/* start + count wraps to 0 in 32 bits */
		{ "start + count wraps", MINSZ, NONE_TRIGGER, 0, 2,
		  U32_MAX - 1, 4, 5, -EINVAL },
		{ "count U32_MAX", MINSZ, NONE_TRIGGER, 0, 0, U32_MAX, INT_MAX,
		  5, -EINVAL },
		{ "start + count == U32_MAX", MINSZ, NONE_TRIGGER, 0, 1,
		  U32_MAX - 1, INT_MAX, 5, -EINVAL },
	};

	check_irqs(test, c, ARRAY_SIZE(c));
}

static void irqs_data_size(struct kunit *test)
{
	static const struct irqs_case c[] = {
		{ "BOOL x3", MINSZ + 3, BOOL_TRIGGER, 0, 0, 3, 4, 5, 0, 3 },
		{ "BOOL x3, 1 short", MINSZ + 2, BOOL_TRIGGER, 0, 0, 3, 4, 5,
		  -EINVAL },
		{ "BOOL x3, slack", MINSZ + 64, BOOL_TRIGGER, 0, 0, 3, 4, 5,
		  0, 3 },
		{ "BOOL x0", MINSZ, BOOL_TRIGGER, 0, 0, 0, 4, 5, 0, 0 },
		{ "EVENTFD x3", MINSZ + 12, EVENTFD_TRIGGER, 0, 1, 3, 4, 5,
		  0, 12 },
		{ "EVENTFD x3, 1 short", MINSZ + 11, EVENTFD_TRIGGER, 0, 1, 3,
		  4, 5, -EINVAL },
		{ "EVENTFD x1, header only", MINSZ, EVENTFD_TRIGGER, 0, 0, 1,
		  4, 5, -EINVAL },
		{ "EVENTFD x2048", MINSZ + 8192, EVENTFD_TRIGGER, 1, 0, 2048,
		  2048, 5, 0, 8192 },
		{ "NONE x4", MINSZ, NONE_TRIGGER, 0, 0, 4, 4, 5, 0, 0 },
	};

	check_irqs(test, c, ARRAY_SIZE(c));
}

static void irqs_no_data_size(struct kunit *test)
{
	struct vfio_irq_set hdr = {
		.argsz = MINSZ + 4, .flags = EVENTFD_TRIGGER, .count = 1,
	};

	/* a caller that takes no data may only pass DATA_NONE */
	KUNIT_EXPECT_EQ(test, vfio_set_irqs_validate_and_prepare(&hdr, 1, 1,
								 NULL),
			-EINVAL);
	hdr.flags = BOOL_TRIGGER;
	KUNIT_EXPECT_EQ(test, vfio_set_irqs_validate_and_prepare(&hdr, 1, 1,
								 NULL),
			-EINVAL);
	hdr.flags = NONE_TRIGGER;
	KUNIT_EXPECT_EQ(test, vfio_set_irqs_validate_and_prepare(&hdr, 1, 1,
								 NULL), 0);
}

static struct kunit_case vfio_cap_chain_cases[] = {
	KUNIT_CASE(cap_add_first),
	KUNIT_CASE(cap_add_aligns_and_chains),
	KUNIT_CASE(cap_add_zeroes_padding),
	KUNIT_CASE(cap_add_overflow),
	KUNIT_CASE(cap_shift),
	KUNIT_CASE(add_capability_copies),
	{}
};

static struct kunit_suite vfio_cap_chain_suite = {
	.name = "vfio_cap_chain",
	.test_cases = vfio_cap_chain_cases,
};

static struct kunit_case vfio_info_argsz_cases[] = {
	KUNIT_CASE(to_user_empty_chain),
	KUNIT_CASE(to_user_too_small),
	KUNIT_CASE(to_user_fits),
	KUNIT_CASE(to_user_fault),
	{}
};

static struct kunit_suite vfio_info_argsz_suite = {
	.name = "vfio_info_argsz",
	.suite_init = uapi_suite_init,
	.suite_exit = uapi_suite_exit,
	.init = uapi_user_init,
	.test_cases = vfio_info_argsz_cases,
};

static struct kunit_case vfio_set_irqs_cases[] = {
	KUNIT_CASE(irqs_argsz),
	KUNIT_CASE(irqs_flags),
	KUNIT_CASE(irqs_index_and_range),
	KUNIT_CASE(irqs_data_size),
	KUNIT_CASE(irqs_no_data_size),
	{}
};

static struct kunit_suite vfio_set_irqs_suite = {
	.name = "vfio_set_irqs_validate",
	.test_cases = vfio_set_irqs_cases,
};

kunit_test_suites(&vfio_cap_chain_suite, &vfio_info_argsz_suite,
		  &vfio_set_irqs_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for VFIO capability chains, the *_INFO argsz rule and SET_IRQS checks");
