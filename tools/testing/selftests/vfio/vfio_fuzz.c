// SPDX-License-Identifier: GPL-2.0-only
/*
 * A sequence fuzzer over container, group and device fds, in the spirit of
 * syzkaller's dev_vfio descriptions: each step is one random call, valid or
 * not, on the fds of the moment. Containers, groups (the edu's and the
 * e1000e's) and device fds are opened, attached, closed and re-created;
 * MAP/UNMAP use real buffers, SET_IRQS real eventfds (which ioeventfds and
 * unmask eventfds share), regions are read and written, BAR0 is mmapped,
 * touched and unmapped; argument structures are also filled at random.
 * Every call must succeed or fail with an errno of the expected set; the
 * runner fails the run on any kernel report. At the end the device works,
 * and no pin and no locked memory is left.
 *
 * Reproducible: the seed is fixed (VFIO_FUZZ_SEED overrides it) and
 * printed; VFIO_FUZZ_CALLS sets the number of calls (default 20000).
 * Device resets (first open, last close, DEVICE_RESET) cost about a
 * second each in the guest and are rare: about 20 per 100000 calls.
 * Never touched: edu's DMA registers (QEMU 7.2 aborts on some counts) and
 * e1000e's registers (its interrupt throttling timer asserts).
 */
#include <setjmp.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>

#include "kselftest_harness.h"
#include "vfio_test.h"

#define DEFAULT_CALLS	20000
#define HEAVY_RATE	250
#define ARG_SIZE	8192
#define MEM_PAGES	64
#define NCONT		3
#define NGRP		2	/* per target */
#define NDEV		4
#define NBAR		3
#define NEFD		4
#define PCI_COMMAND_OFF	0x04

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

/* Mostly boundary values, sometimes anything. */
static uint64_t pick(uint64_t small_max)
{
	static const uint64_t edges[] = {
		0, 1, 2, 3, 4, 7, 8, 12, 15, 16, 19, 20, 23, 24, 31, 32, 39, 40,
		47, 48, 63, 64, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0x1001,
		0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x100000000ULL,
		0xfee00000ULL, 1ULL << 39, 1ULL << 40, 1ULL << 63,
		0xfffffffffffff000ULL, ~0ULL,
	};

	switch (rnd() % 4) {
	case 0:
		return edges[rnd() % ARRAY_SIZE(edges)];
	case 1:
		return rnd() % (small_max + 1);
	case 2:
		return 1ULL << (rnd() % 64);
	default:
		return rnd();
	}
}

static bool errno_expected(int e)
{
	switch (e) {
	case EINVAL: case EFAULT: case ENOTTY: case EBADF: case ENODEV:
	case EPERM: case EBUSY: case ENOSPC: case EEXIST: case ENOENT:
	case EACCES: case ENOMEM: case E2BIG: case EIO: case EAGAIN:
	case ESPIPE: case ENXIO: case EOVERFLOW: case ERANGE:
		return true;
	}
	return false;
}

/* a device the fuzzer opens: the edu (index 0) and the e1000e */
struct target {
	char bdf[32];
	int gid;
	bool touch;		/* its BARs may be written and its mmaps touched */
};

struct dev_slot {
	int fd;
	int t;
};

struct bar_slot {
	volatile uint32_t *p;
	size_t len;
	uint64_t pgoff;		/* in the BAR */
	int t;
};

struct fuzz_ctx {
	struct target tg[2];
	int cont[NCONT];
	int grp[2][NGRP];
	struct dev_slot dev[NDEV];
	struct bar_slot bar[NBAR];
	int efd[NEFD];
	/* the container slot each target's group is attached to (as far as
	 * known): -1 none, -2 one whose fd is closed, or unknown */
	int attach[2];
	uint8_t *mem;		/* mappable memory */
	uint8_t *arg;		/* ioctl argument buffer, a guard page after */
	uint64_t calls, heavy, ok, failed, sigbus;
	uint64_t step_calls[32], step_ok[32];	/* per kind of step */
	uint64_t step_errno[32][136];
	int cur;
	int bad_errno;
	long bad_what;
};

/* one system call done: count it and check its errno */
static void done(struct fuzz_ctx *f, long ret, long what)
{
	f->calls++;
	if (ret >= 0) {
		f->ok++;
		return;
	}
	f->failed++;
	if (errno > 0 && errno < 136)
		f->step_errno[f->cur][errno]++;
	if (!errno_expected(errno) && !f->bad_errno) {
		f->bad_errno = errno;
		f->bad_what = what;
	}
}

/* the expensive steps (a device reset, about a second) are rare */
static bool heavy_ok(struct fuzz_ctx *f)
{
	if (rnd() % HEAVY_RATE)
		return false;
	f->heavy++;
	return true;
}

static int any_fd(const int *fds, int n)
{
	int i, s = rnd() % n;

	for (i = 0; i < n; i++)
		if (fds[(s + i) % n] >= 0)
			return fds[(s + i) % n];
	return -1;
}

static int free_slot(const int *fds, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (fds[i] < 0)
			return i;
	return -1;
}

/* mostly the container a group is attached to: valid calls succeed */
static int pick_container(struct fuzz_ctx *f)
{
	int t = rnd() % 4 ? 0 : 1;

	if (rnd() % 4 && f->attach[t] >= 0 && f->cont[f->attach[t]] >= 0)
		return f->cont[f->attach[t]];
	return any_fd(f->cont, NCONT);
}

static int slot_of(const int *fds, int n, int fd)
{
	int i;

	for (i = 0; fd >= 0 && i < n; i++)
		if (fds[i] == fd)
			return i;
	return -1;
}

static int pick_group(struct fuzz_ctx *f, int *t)
{
	int fd;

	*t = rnd() % 4 ? 0 : 1;
	fd = any_fd(f->grp[*t], NGRP);
	if (fd < 0) {
		*t = !*t;
		fd = any_fd(f->grp[*t], NGRP);
	}
	return fd;
}

static struct dev_slot *pick_dev(struct fuzz_ctx *f)
{
	int i, s = rnd() % NDEV;

	for (i = 0; i < NDEV; i++)
		if (f->dev[(s + i) % NDEV].fd >= 0)
			return &f->dev[(s + i) % NDEV];
	return NULL;
}

static int dev_fds(struct fuzz_ctx *f, int t)
{
	int i, n = 0;

	for (i = 0; i < NDEV; i++)
		n += f->dev[i].fd >= 0 && f->dev[i].t == t;
	return n;
}

/* fds and mappings still holding target t's device open */
static int dev_users(struct fuzz_ctx *f, int t)
{
	int i, n = 0;

	for (i = 0; i < NDEV; i++)
		n += f->dev[i].fd >= 0 && f->dev[i].t == t;
	for (i = 0; i < NBAR; i++)
		n += f->bar[i].p && f->bar[i].t == t;
	return n;
}

/*
 * Device fds (and so BAR mmaps) hold their group's file: the group is
 * released, and leaves its container, with the last of them all.
 */
static void group_maybe_released(struct fuzz_ctx *f, int t)
{
	if (any_fd(f->grp[t], NGRP) < 0 && !dev_users(f, t))
		f->attach[t] = -1;
}

/* after a call that may have changed it behind our back */
static void resync_attach(struct fuzz_ctx *f, int t, int g)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };

	if (ioctl(g, VFIO_GROUP_GET_STATUS, &st))
		return;
	if (!(st.flags & VFIO_GROUP_FLAGS_CONTAINER_SET))
		f->attach[t] = -1;
	else if (f->attach[t] == -1)
		f->attach[t] = -2;
}

static bool is_ours(struct fuzz_ctx *f, long fd)
{
	int i, t;

	for (i = 0; i < NCONT; i++)
		if (f->cont[i] == fd)
			return true;
	for (t = 0; t < 2; t++)
		for (i = 0; i < NGRP; i++)
			if (f->grp[t][i] == fd)
				return true;
	for (i = 0; i < NDEV; i++)
		if (f->dev[i].fd == fd)
			return true;
	for (i = 0; i < NEFD; i++)
		if (f->efd[i] == fd)
			return true;
	return fd <= 2;
}

static int pick_efd(struct fuzz_ctx *f)
{
	switch (rnd() % 8) {
	case 0:
		return -1;
	case 1:
		return (int)pick(64);	/* not an eventfd, or no fd at all */
	default:
		return f->efd[rnd() % NEFD];
	}
}

/* ---- fd life cycle ---- */

static void open_container(struct fuzz_ctx *f)
{
	int s = free_slot(f->cont, NCONT);
	int fd;

	if (s < 0)
		return;
	fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	done(f, fd, 1000);
	f->cont[s] = fd;
}

static void close_container(struct fuzz_ctx *f)
{
	int s = rnd() % NCONT;

	if (f->cont[s] < 0)
		return;
	/*
	 * The container of an open device is rarely closed: its group stays
	 * attached to it (without an fd) until the device is closed.
	 */
	if (((f->attach[0] == s && dev_users(f, 0)) || (f->attach[1] == s && dev_users(f, 1))) &&
	    rnd() % 64)
		return;
	done(f, close(f->cont[s]), 1001);
	f->cont[s] = -1;
	if (f->attach[0] == s)
		f->attach[0] = -2;
	if (f->attach[1] == s)
		f->attach[1] = -2;
}

static void open_group(struct fuzz_ctx *f)
{
	int t = rnd() % 4 ? 0 : 1, s = free_slot(f->grp[t], NGRP);
	char path[64];
	int fd;

	if (s < 0)
		return;
	snprintf(path, sizeof(path), "/dev/vfio/%d", f->tg[t].gid);
	fd = open(path, O_RDWR | O_CLOEXEC);	/* a second one is EBUSY */
	done(f, fd, 1002);
	f->grp[t][s] = fd;
}

static void close_group(struct fuzz_ctx *f)
{
	int t = rnd() % 2, s = rnd() % NGRP;

	if (f->grp[t][s] < 0)
		return;
	done(f, close(f->grp[t][s]), 1003);
	f->grp[t][s] = -1;
	group_maybe_released(f, t);
}

static void set_container(struct fuzz_ctx *f)
{
	int t, g = pick_group(f, &t), c = rnd() % 8 ? pick_container(f) : (int)pick(64);

	long ret;

	if (g < 0)
		return;
	ret = ioctl(g, VFIO_GROUP_SET_CONTAINER, &c);
	done(f, ret, VFIO_GROUP_SET_CONTAINER);
	if (!ret)
		f->attach[t] = slot_of(f->cont, NCONT, c);
}

static void unset_container(struct fuzz_ctx *f)
{
	int t, g = pick_group(f, &t);

	long ret;

	if (g < 0)
		return;
	ret = ioctl(g, VFIO_GROUP_UNSET_CONTAINER);
	done(f, ret, VFIO_GROUP_UNSET_CONTAINER);
	if (!ret)
		f->attach[t] = -1;
}

static void set_iommu(struct fuzz_ctx *f)
{
	static const unsigned long types[] = {
		VFIO_TYPE1v2_IOMMU, VFIO_TYPE1v2_IOMMU, VFIO_TYPE1_IOMMU,
		VFIO_NOIOMMU_IOMMU, 0, 2, 4, 5, 6, 7, 9,
	};
	int c = pick_container(f);
	unsigned long type = rnd() % 8 ? types[rnd() % ARRAY_SIZE(types)] : pick(16);

	if (c < 0)
		return;
	done(f, ioctl(c, VFIO_SET_IOMMU, type), VFIO_SET_IOMMU);
}

static void container_info(struct fuzz_ctx *f)
{
	int c = pick_container(f);
	struct {
		struct vfio_iommu_type1_info info;
		uint8_t caps[256];
	} b;

	if (c < 0)
		return;
	switch (rnd() % 3) {
	case 0:
		done(f, ioctl(c, VFIO_GET_API_VERSION), VFIO_GET_API_VERSION);
		break;
	case 1:
		done(f, ioctl(c, VFIO_CHECK_EXTENSION, pick(16)), VFIO_CHECK_EXTENSION);
		break;
	default:
		memset(&b, 0, sizeof(b));
		b.info.argsz = rnd() % 2 ? sizeof(b) : pick(64);
		done(f, ioctl(c, VFIO_IOMMU_GET_INFO, &b), VFIO_IOMMU_GET_INFO);
	}
}

static void group_status(struct fuzz_ctx *f)
{
	struct vfio_group_status st = { .argsz = rnd() % 4 ? sizeof(st) : pick(16) };
	int t, g = pick_group(f, &t);

	if (g < 0)
		return;
	done(f, ioctl(g, VFIO_GROUP_GET_STATUS, &st), VFIO_GROUP_GET_STATUS);
}

static void get_device(struct fuzz_ctx *f)
{
	int i, t, g = pick_group(f, &t);
	char name[64];
	int fd;

	/* a first open resets the device, but so does the last close, which is rare */
	if (g < 0)
		return;
	switch (rnd() % 8) {
	case 0:
		snprintf(name, sizeof(name), "%s", f->tg[!t].bdf);	/* not in this group */
		break;
	case 1:
		snprintf(name, sizeof(name), "%s vf_token=%016llx", f->tg[t].bdf,
			 (unsigned long long)rnd());
		break;
	case 2:
		snprintf(name, sizeof(name), "%.*s", (int)(rnd() % 12), f->tg[t].bdf);
		break;
	default:
		snprintf(name, sizeof(name), "%s", f->tg[t].bdf);
	}
	fd = ioctl(g, VFIO_GROUP_GET_DEVICE_FD, name);
	done(f, fd, VFIO_GROUP_GET_DEVICE_FD);
	if (fd < 0)
		return;
	for (i = 0; i < NDEV; i++) {
		if (f->dev[i].fd < 0) {
			f->dev[i].fd = fd;
			f->dev[i].t = t;
			return;
		}
	}
	done(f, close(fd), 1004);
}

static void close_device(struct fuzz_ctx *f)
{
	struct dev_slot *d = pick_dev(f);

	/* the last fd (with no mmap, the last user: a reset) is rare */
	if (!d || (dev_fds(f, d->t) == 1 && !heavy_ok(f)))
		return;
	done(f, close(d->fd), 1005);
	d->fd = -1;
	group_maybe_released(f, d->t);
}

/* ---- the IOMMU ---- */

static uint64_t pick_iova(void)
{
	switch (rnd() % 8) {
	case 0:
		return pick(0xfffff);
	case 1:
		return (rnd() % 4) << 32 | (rnd() % 16) << 12;
	default:
		return (rnd() % 32) << 12;	/* overlaps, exact matches */
	}
}

static uint64_t pick_size(void)
{
	return rnd() % 8 ? ((rnd() % 8) + 1) << 12 : pick(0x10000);
}

static void map_dma(struct fuzz_ctx *f)
{
	struct vfio_iommu_type1_dma_map m = { .argsz = sizeof(m) };
	uint64_t off = (rnd() % MEM_PAGES) << 12;
	int c = pick_container(f);

	if (c < 0)
		return;
	m.iova = pick_iova();
	m.size = pick_size();
	switch (rnd() % 8) {
	case 0:
		m.vaddr = pick(0xfffff);
		break;
	case 1:
		m.vaddr = (uintptr_t)f->arg + ARG_SIZE;	/* PROT_NONE */
		break;
	default:
		if (off + m.size > MEM_PAGES * 4096UL)
			m.size = 4096;
		m.vaddr = (uintptr_t)f->mem + off;
	}
	switch (rnd() % 8) {
	case 0:
		m.flags = pick(0xf);
		break;
	case 1:
		m.flags = VFIO_DMA_MAP_FLAG_VADDR;
		break;
	case 2:
		m.flags = VFIO_DMA_MAP_FLAG_READ;
		break;
	default:
		m.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	}
	if (rnd() % 16 == 0)
		m.argsz = pick(64);
	done(f, ioctl(c, VFIO_IOMMU_MAP_DMA, &m), VFIO_IOMMU_MAP_DMA);
}

static void unmap_dma(struct fuzz_ctx *f)
{
	struct {
		struct vfio_iommu_type1_dma_unmap u;
		struct vfio_bitmap bm;
	} b = { .u.argsz = sizeof(b.u) };
	int c = pick_container(f);

	if (c < 0)
		return;
	b.u.iova = pick_iova();
	b.u.size = pick_size();
	switch (rnd() % 8) {
	case 0:
		b.u.flags = VFIO_DMA_UNMAP_FLAG_ALL;
		if (rnd() % 2)
			b.u.iova = b.u.size = 0;
		break;
	case 1:
		b.u.flags = VFIO_DMA_UNMAP_FLAG_VADDR;
		break;
	case 2:
		b.u.flags = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP;
		b.u.argsz = sizeof(b);
		b.bm.pgsize = rnd() % 2 ? 4096 : pick(0x2000);
		/* the kernel writes what the range needs: up to the guard page */
		b.bm.size = rnd() % 2 ? 64 : pick(64);
		b.bm.data = (void *)(f->arg + ARG_SIZE - 64);
		break;
	case 3:
		b.u.flags = pick(0xf);
		break;
	default:
		break;
	}
	done(f, ioctl(c, VFIO_IOMMU_UNMAP_DMA, &b), VFIO_IOMMU_UNMAP_DMA);
}

static void dirty_pages(struct fuzz_ctx *f)
{
	struct {
		struct vfio_iommu_type1_dirty_bitmap d;
		struct vfio_iommu_type1_dirty_bitmap_get g;
	} b = { .d.argsz = sizeof(b.d) };
	int c = pick_container(f);

	if (c < 0)
		return;
	switch (rnd() % 4) {
	case 0:
		b.d.flags = VFIO_IOMMU_DIRTY_PAGES_FLAG_START;
		break;
	case 1:
		b.d.flags = VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP;
		break;
	case 2:
		b.d.argsz = sizeof(b);
		b.d.flags = VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP;
		b.g.iova = pick_iova();
		b.g.size = pick_size();
		b.g.bitmap.pgsize = rnd() % 2 ? 4096 : pick(0x2000);
		b.g.bitmap.size = rnd() % 2 ? 64 : pick(64);
		b.g.bitmap.data = (void *)(f->arg + ARG_SIZE - 64);
		break;
	default:
		b.d.flags = pick(0xf);
	}
	done(f, ioctl(c, VFIO_IOMMU_DIRTY_PAGES, &b), VFIO_IOMMU_DIRTY_PAGES);
}

/* ---- device ioctls ---- */

static void device_info(struct fuzz_ctx *f)
{
	struct dev_slot *d = pick_dev(f);
	union {
		struct vfio_device_info di;
		struct vfio_region_info ri;
		struct vfio_irq_info ii;
		uint8_t raw[512];
	} b;

	if (!d)
		return;
	memset(&b, 0, sizeof(b));
	switch (rnd() % 3) {
	case 0:
		b.di.argsz = rnd() % 4 ? sizeof(b) : pick(64);
		done(f, ioctl(d->fd, VFIO_DEVICE_GET_INFO, &b), VFIO_DEVICE_GET_INFO);
		break;
	case 1:
		b.ri.argsz = rnd() % 4 ? sizeof(b) : pick(64);
		b.ri.index = rnd() % 4 ? rnd() % 10 : pick(16);
		done(f, ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, &b),
		     VFIO_DEVICE_GET_REGION_INFO);
		break;
	default:
		b.ii.argsz = rnd() % 4 ? sizeof(b.ii) : pick(64);
		b.ii.index = rnd() % 4 ? rnd() % 6 : pick(16);
		done(f, ioctl(d->fd, VFIO_DEVICE_GET_IRQ_INFO, &b), VFIO_DEVICE_GET_IRQ_INFO);
	}
}

static void set_irqs(struct fuzz_ctx *f)
{
	static const uint32_t data[] = {
		VFIO_IRQ_SET_DATA_EVENTFD, VFIO_IRQ_SET_DATA_EVENTFD, VFIO_IRQ_SET_DATA_EVENTFD,
		VFIO_IRQ_SET_DATA_NONE, VFIO_IRQ_SET_DATA_NONE, VFIO_IRQ_SET_DATA_BOOL,
	};
	static const uint32_t action[] = {
		VFIO_IRQ_SET_ACTION_TRIGGER, VFIO_IRQ_SET_ACTION_TRIGGER,
		VFIO_IRQ_SET_ACTION_TRIGGER, VFIO_IRQ_SET_ACTION_MASK,
		VFIO_IRQ_SET_ACTION_UNMASK, VFIO_IRQ_SET_ACTION_UNMASK,
	};
	struct {
		struct vfio_irq_set s;
		int32_t fds[8];
	} b;
	struct dev_slot *d = pick_dev(f);
	unsigned int i;

	if (!d)
		return;
	memset(&b, 0, sizeof(b));
	if (d->t == 1)	/* e1000e: MSI-X, five vectors */
		b.s.index = rnd() % 2 ? VFIO_PCI_MSIX_IRQ_INDEX : rnd() % 6;
	else
		b.s.index = rnd() % 3 ? rnd() % 2 : rnd() % 6;
	b.s.flags = rnd() % 8 ? data[rnd() % ARRAY_SIZE(data)] | action[rnd() % ARRAY_SIZE(action)] :
				(uint32_t)pick(0xff);
	b.s.start = rnd() % 4 ? 0 : rnd() % 6;
	b.s.count = rnd() % 8 ? rnd() % 6 : (uint32_t)pick(16);
	for (i = 0; i < ARRAY_SIZE(b.fds); i++)
		b.fds[i] = (b.s.flags & VFIO_IRQ_SET_DATA_BOOL) ? (int32_t)(rnd() % 2) : pick_efd(f);
	b.s.argsz = sizeof(b.s) + (b.s.count < 8 ? b.s.count : 8) * sizeof(int32_t);
	if (rnd() % 16 == 0)
		b.s.argsz = pick(64);
	done(f, ioctl(d->fd, VFIO_DEVICE_SET_IRQS, &b), VFIO_DEVICE_SET_IRQS);
}

static bool edu_dma_reg(uint64_t off, uint64_t len)
{
	return off < 0xa0 && off + len > 0x80;
}

/*
 * Registers an eventfd may not write: the DMA ones, and those that raise
 * an interrupt (0x60 directly, 0x08 and 0x20 through the factorial unit).
 * An ioeventfd there fed by the device's own MSI eventfd is an interrupt
 * feedback loop that any kernel runs forever, in interrupt context (a
 * soft lockup), not a bug.
 */
static bool edu_ioeventfd_bad(uint64_t off, uint64_t len)
{
	off &= 0xfffff;
	return edu_dma_reg(off, len) || (off < 0x68 && off + len > 0x60) ||
	       (off < 0x0c && off + len > 0x08) || (off < 0x24 && off + len > 0x20);
}

static void ioeventfd(struct fuzz_ctx *f)
{
	static const uint32_t sizes[] = { 1, 2, 4, 8 };
	struct vfio_device_ioeventfd e = { .argsz = sizeof(e) };
	struct vfio_region_info ri;
	struct dev_slot *d = pick_dev(f);
	uint32_t len = sizes[rnd() % 4];
	uint64_t off = (rnd() % 0x40) * len;

	if (!d || !f->tg[d->t].touch)
		return;
	if (vfio_region_info(d->fd, rnd() % 8 ? 0 : rnd() % 8, &ri))
		return;
	e.flags = rnd() % 8 ? len : (uint32_t)pick(0x1f);
	e.offset = ri.offset + (rnd() % 16 ? off : pick(0x100000));
	if (edu_ioeventfd_bad(e.offset, 8))
		return;
	e.data = rnd() % 2 ? 0x11223344 : pick(0xff);
	e.fd = rnd() % 3 ? pick_efd(f) : -1;
	if (rnd() % 16 == 0)
		e.argsz = pick(64);
	done(f, ioctl(d->fd, VFIO_DEVICE_IOEVENTFD, &e), VFIO_DEVICE_IOEVENTFD);
}

static void reset(struct fuzz_ctx *f)
{
	struct {
		struct vfio_pci_hot_reset_info i;
		struct vfio_pci_dependent_device dev[4];
	} info = { .i.argsz = sizeof(info) };
	struct dev_slot *d = pick_dev(f);

	if (!d)
		return;
	if (rnd() % 2) {
		if (rnd() % 4 == 0)
			info.i.argsz = pick(64);
		done(f, ioctl(d->fd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info),
		     VFIO_DEVICE_GET_PCI_HOT_RESET_INFO);
	} else if (heavy_ok(f)) {
		done(f, ioctl(d->fd, VFIO_DEVICE_RESET), VFIO_DEVICE_RESET);
	}
}

static void signal_eventfd(struct fuzz_ctx *f)
{
	int e = f->efd[rnd() % NEFD];
	uint64_t v = rnd() % 4 ? 1 : pick(0xff) | 1;

	if (rnd() % 2)
		done(f, write(e, &v, 8), 1006);	/* ioeventfds, unmask eventfds */
	else
		done(f, read(e, &v, 8) < 0 && errno == EAGAIN ? 0 : 8, 1007);	/* drain */
}

/* ---- regions ---- */

static void region_rw(struct fuzz_ctx *f)
{
	static const size_t lens[] = { 1, 2, 4, 8, 3, 16, 64, 256 };
	struct dev_slot *d = pick_dev(f);
	unsigned int index;
	uint64_t off;
	uint8_t buf[256];
	size_t len = lens[rnd() % ARRAY_SIZE(lens)];
	bool write = rnd() % 2;
	ssize_t n;

	if (!d)
		return;
	index = rnd() % 3 ? (rnd() % 2 ? VFIO_PCI_CONFIG_REGION_INDEX : 0) : rnd() % 10;
	off = rnd() % 4 ? (rnd() % 0x100) & ~(uint64_t)(len > 4 ? 3 : len - 1) : pick(0x1000);
	if (index == 0 && (!f->tg[d->t].touch || edu_dma_reg(off, len)) && write)
		return;
	if (index != VFIO_PCI_CONFIG_REGION_INDEX && write && !f->tg[d->t].touch)
		return;
	off |= (uint64_t)index << 40;
	memcpy(buf, f->arg, sizeof(buf));
	if (write)
		n = pwrite(d->fd, buf, len, off);
	else
		n = pread(d->fd, buf, len, off);
	done(f, n, write ? -2 : -1);
}

/* the old style: anything at any offset of any region, edu only */
static void region_rw_random(struct fuzz_ctx *f)
{
	struct dev_slot *d = pick_dev(f);
	unsigned int index = rnd() % 12;
	uint64_t off, region = (uint64_t)index << 40;
	size_t len = pick(16) % 4096;
	uint8_t buf[4096];
	ssize_t n;

	if (!d || !f->tg[d->t].touch)
		return;
	off = region + pick(0x1000);
	/* edu's DMA engine aborts QEMU on some counts: never program it */
	if (index == 0 && (off & 0xfffff) >= 0x80 && (off & 0xfffff) < 0xa0)
		return;
	if (index == 0 && (off & 0xfffff) < 0xa0 && (off & 0xfffff) + len > 0x80)
		len = 0x80 - (off & 0xfffff);
	memcpy(buf, f->arg, sizeof(buf));
	if (rnd() % 2)
		n = pread(d->fd, buf, len, off);
	else
		n = pwrite(d->fd, buf, len, off);
	done(f, n, -3);
}

/* memory decode off revokes the BAR mmaps; on again restores them */
static void toggle_memory(struct fuzz_ctx *f)
{
	struct dev_slot *d = pick_dev(f);
	uint64_t cfg = (uint64_t)VFIO_PCI_CONFIG_REGION_INDEX << 40;
	uint16_t cmd;

	if (!d)
		return;
	if (pread(d->fd, &cmd, 2, cfg + 4) != 2) {
		done(f, -1, -4);
		return;
	}
	f->calls++;
	cmd ^= rnd() % 4 ? 0x2 : 0x6;	/* memory, sometimes bus master */
	done(f, pwrite(d->fd, &cmd, 2, cfg + 4), -4);
}

static void mmap_bar(struct fuzz_ctx *f)
{
	struct dev_slot *d = pick_dev(f);
	struct vfio_region_info ri;
	struct bar_slot *b = &f->bar[rnd() % NBAR];
	void *p;

	if (!d || b->p || vfio_region_info(d->fd, 0, &ri))
		return;
	f->calls++;
	b->len = rnd() % 4 ? ri.size : ((rnd() % 16) + 1) * 4096;
	b->pgoff = rnd() % 8 ? 0 : (rnd() % 16) * 4096;
	p = mmap(NULL, b->len, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd,
		 ri.offset + b->pgoff);
	done(f, p == MAP_FAILED ? -1 : 0, -5);
	if (p != MAP_FAILED) {
		b->p = p;
		b->t = d->t;
	}
}

static void munmap_bar(struct fuzz_ctx *f)
{
	struct bar_slot *b = &f->bar[rnd() % NBAR];

	if (!b->p || (dev_users(f, b->t) == 1 && !heavy_ok(f)))
		return;
	done(f, munmap((void *)b->p, b->len), -6);
	b->p = NULL;
	group_maybe_released(f, b->t);
}

static sigjmp_buf sigbus_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(sigbus_jmp, 1);
}

/*
 * A live mapping of edu's BAR0 reads its ID; a revoked one (memory
 * decode off, reset in progress) raises SIGBUS. Nothing else is right.
 */
static void touch_bar(struct fuzz_ctx *f)
{
	struct bar_slot *b = &f->bar[rnd() % NBAR];
	uint64_t cfg = (uint64_t)VFIO_PCI_CONFIG_REGION_INDEX << 40;
	volatile uint32_t id = 0;
	bool mem_off = false;
	uint16_t cmd;
	uint32_t reg;
	int i;

	if (!b->p || !f->tg[b->t].touch)
		return;
	/* memory decode off (as the device shows it): every access faults */
	for (i = 0; i < NDEV; i++) {
		if (f->dev[i].fd >= 0 && f->dev[i].t == b->t) {
			f->calls++;
			if (pread(f->dev[i].fd, &cmd, 2, cfg + PCI_COMMAND_OFF) == 2)
				mem_off = !(cmd & 0x2);
			break;
		}
	}
	f->calls++;
	if (sigsetjmp(sigbus_jmp, 1)) {
		f->sigbus++;
		return;		/* revoked */
	}
	f->ok++;

	if (b->pgoff) {		/* past the registers */
		id = b->p[rnd() % 1024];
		goto out;
	}
	switch (rnd() % 4) {
	case 0:
		b->p[EDU_LIVENESS / 4] = (uint32_t)rnd();
		break;
	case 1:
		reg = (rnd() % 0x20) * 4;	/* up to 0x7c: never the DMA registers */
		if (reg == EDU_IRQ_RAISE || reg == EDU_IRQ_ACK || reg == EDU_STATUS)
			b->p[reg / 4] = (uint32_t)rnd() & 0xff;
		else
			id = b->p[reg / 4];
		break;
	default:
		id = b->p[EDU_ID / 4];
		if (id != EDU_ID_VALUE && !f->bad_errno) {
			f->bad_errno = -1;
			f->bad_what = id;
		}
	}
out:
	/* the access did not fault: memory decode must be on */
	if (mem_off && !f->bad_errno) {
		f->bad_errno = -2;
		f->bad_what = b->pgoff;
	}
}

static void mmap_random(struct fuzz_ctx *f)
{
	struct dev_slot *d = pick_dev(f);
	uint64_t off = ((uint64_t)(rnd() % 10) << 40) + (pick(0x100) & ~0xfffULL);
	size_t len = (pick(0x200) + 1) * 4096;
	void *p;

	if (!d)
		return;
	p = mmap(NULL, len, PROT_READ | ((rnd() % 2) ? PROT_WRITE : 0),
		 (rnd() % 4) ? MAP_SHARED : MAP_PRIVATE, d->fd, off);
	done(f, p == MAP_FAILED ? -1 : 0, -7);
	/* unmapped at once: this device is open through another fd too */
	if (p != MAP_FAILED)
		munmap(p, len);
}

/* ---- argument structures at random (any fd, any VFIO ioctl) ---- */

static void fill_arg(struct fuzz_ctx *f, unsigned long cmd, int t)
{
	uint32_t *w = (uint32_t *)f->arg;
	size_t i;

	for (i = 0; i < ARG_SIZE / 8; i++)
		((uint64_t *)f->arg)[i] = (rnd() % 3) ? pick(64) : 0;

	/* argsz and flags at the head of every structure */
	w[0] = pick(64);
	w[1] = (rnd() % 2) ? (uint32_t)(1U << (rnd() % 32)) | (uint32_t)pick(7) :
			     (uint32_t)pick(0xff);
	w[2] = pick(16);	/* index (or a low address word) */
	w[3] = pick(16);	/* start / cap_offset */
	w[4] = pick(16);	/* count */

	switch (cmd) {
	case VFIO_IOMMU_MAP_DMA:
		if (rnd() % 2) {
			struct vfio_iommu_type1_dma_map *m = (void *)f->arg;

			m->vaddr = (uintptr_t)f->mem + (rnd() % MEM_PAGES) * 4096;
			m->size = 4096;
			m->iova = pick_iova();
			m->argsz = sizeof(*m);
			m->flags = rnd() % 8;
		}
		break;
	case VFIO_DEVICE_SET_IRQS:
		if (rnd() % 3 == 0) {
			int e = pick_efd(f);

			memcpy(f->arg + 20, &e, 4);
		}
		break;
	case VFIO_GROUP_GET_DEVICE_FD:
		if (rnd() % 3 == 0)
			snprintf((char *)f->arg, 64, "%s%s", f->tg[t].bdf,
				 (rnd() % 2) ? "" : " vf_token=x");
		else
			f->arg[rnd() % 300] = 0;
		break;
	case VFIO_GROUP_SET_CONTAINER:
		w[0] = (rnd() % 2) ? (uint32_t)pick_container(f) : (uint32_t)pick(64);
		break;
	}
}

static void random_ioctl(struct fuzz_ctx *f)
{
	struct dev_slot *d;
	unsigned long cmd;
	int fd, t = 0;
	bool is_group = false;
	void *argp;
	long ret;

	switch (rnd() % 4) {
	case 0:
		fd = pick_container(f);
		break;
	case 1:
		fd = pick_group(f, &t);
		is_group = true;
		break;
	default:
		d = pick_dev(f);
		fd = d ? d->fd : -1;
		t = d ? d->t : 0;
	}
	if (fd < 0)
		return;
	if (rnd() % 10)
		cmd = _IO(VFIO_TYPE, VFIO_BASE + rnd() % 24);
	else
		cmd = (unsigned long)pick(0xffff);
	/* resets and new device fds (a first open resets) are rare */
	if ((cmd == VFIO_DEVICE_RESET || cmd == VFIO_DEVICE_PCI_HOT_RESET ||
	     cmd == VFIO_GROUP_GET_DEVICE_FD) && !heavy_ok(f))
		return;

	fill_arg(f, cmd, t);
	switch (rnd() % 8) {
	case 0:
		argp = NULL;
		break;
	case 1:
		argp = (void *)(uintptr_t)pick(0xfff);	/* bad pointer */
		break;
	case 2:
		argp = f->arg + ARG_SIZE - 8;	/* runs into the guard page */
		break;
	default:
		argp = f->arg;
	}

	ret = ioctl(fd, cmd, argp);
	done(f, ret, cmd);
	if (is_group && !ret)
		resync_attach(f, t, fd);
	/* a new fd (device fd, feature fd) is closed right away */
	if (ret > 2 && (cmd == VFIO_GROUP_GET_DEVICE_FD || cmd == VFIO_DEVICE_FEATURE) &&
	    !is_ours(f, ret))
		close(ret);
}

/*
 * The QEMU sequence for target t, from whatever is open: group, container,
 * SET_CONTAINER, SET_IOMMU, GET_DEVICE_FD. Keeps a device open most of the
 * time, so that the calls on it get past the first checks.
 */
static void setup(struct fuzz_ctx *f, int t)
{
	int g = any_fd(f->grp[t], NGRP), s, i, fd;
	char path[64];
	long ret;

	if (g < 0) {
		s = free_slot(f->grp[t], NGRP);
		snprintf(path, sizeof(path), "/dev/vfio/%d", f->tg[t].gid);
		g = open(path, O_RDWR | O_CLOEXEC);
		done(f, g, 1002);
		if (g < 0) {
			/* BAR mmaps alone hold the device, and so the group */
			for (i = 0; i < NBAR; i++) {
				if (f->bar[i].p && f->bar[i].t == t) {
					done(f, munmap((void *)f->bar[i].p, f->bar[i].len), -6);
					f->bar[i].p = NULL;
				}
			}
			group_maybe_released(f, t);
			return;
		}
		f->grp[t][s] = g;
	}
	if (f->attach[t] == -2 || (f->attach[t] >= 0 && f->cont[f->attach[t]] < 0)) {
		ret = ioctl(g, VFIO_GROUP_UNSET_CONTAINER);
		done(f, ret, VFIO_GROUP_UNSET_CONTAINER);
		if (ret)
			return;
		f->attach[t] = -1;
	}
	if (f->attach[t] < 0) {
		s = f->attach[!t] >= 0 && rnd() % 2 ? f->attach[!t] : free_slot(f->cont, NCONT);
		if (s < 0)
			s = rnd() % NCONT;
		if (f->cont[s] < 0) {
			f->cont[s] = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
			done(f, f->cont[s], 1000);
			if (f->cont[s] < 0)
				return;
		}
		ret = ioctl(g, VFIO_GROUP_SET_CONTAINER, &f->cont[s]);
		done(f, ret, VFIO_GROUP_SET_CONTAINER);
		if (ret)
			return;
		f->attach[t] = s;
		/* EBUSY when the other group's IOMMU model is set already */
		done(f, ioctl(f->cont[s], VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), VFIO_SET_IOMMU);
	}
	for (i = 0; i < NDEV && f->dev[i].fd >= 0; i++)
		;
	if (i == NDEV)
		return;
	fd = ioctl(g, VFIO_GROUP_GET_DEVICE_FD, f->tg[t].bdf);
	done(f, fd, VFIO_GROUP_GET_DEVICE_FD);
	if (fd >= 0) {
		f->dev[i].fd = fd;
		f->dev[i].t = t;
	}
}

struct step {
	unsigned int weight;
	void (*fn)(struct fuzz_ctx *f);
	const char *name;
};

static const struct step steps[] = {
	{ 2, open_container, "open container" },
	{ 1, close_container, "close container" },
	{ 2, open_group, "open group" },
	{ 1, close_group, "close group" },
	{ 3, set_container, "SET_CONTAINER" },
	{ 1, unset_container, "UNSET_CONTAINER" },
	{ 3, set_iommu, "SET_IOMMU" },
	{ 3, container_info, "container info" },
	{ 2, group_status, "GROUP_GET_STATUS" },
	{ 4, get_device, "GET_DEVICE_FD" },
	{ 2, close_device, "close device" },
	{ 10, map_dma, "MAP_DMA" },
	{ 8, unmap_dma, "UNMAP_DMA" },
	{ 2, dirty_pages, "DIRTY_PAGES" },
	{ 5, device_info, "device info" },
	{ 8, set_irqs, "SET_IRQS" },
	{ 3, ioeventfd, "IOEVENTFD" },
	{ 2, reset, "reset" },
	{ 4, signal_eventfd, "eventfd" },
	{ 10, region_rw, "region rw" },
	{ 4, region_rw_random, "region rw (random)" },
	{ 2, toggle_memory, "memory/bus master toggle" },
	{ 4, mmap_bar, "mmap BAR0" },
	{ 3, munmap_bar, "munmap BAR0" },
	{ 8, touch_bar, "touch BAR0" },
	{ 2, mmap_random, "mmap (random)" },
	{ 14, random_ioctl, "ioctl (random)" },
};

static void close_all(struct fuzz_ctx *f)
{
	int i, t;

	for (i = 0; i < NBAR; i++) {
		if (f->bar[i].p)
			munmap((void *)f->bar[i].p, f->bar[i].len);
		f->bar[i].p = NULL;
	}
	for (i = 0; i < NDEV; i++) {
		if (f->dev[i].fd >= 0)
			close(f->dev[i].fd);
		f->dev[i].fd = -1;
	}
	for (t = 0; t < 2; t++) {
		for (i = 0; i < NGRP; i++) {
			if (f->grp[t][i] >= 0)
				close(f->grp[t][i]);
			f->grp[t][i] = -1;
		}
	}
	for (i = 0; i < NCONT; i++) {
		if (f->cont[i] >= 0)
			close(f->cont[i]);
		f->cont[i] = -1;
	}
}

static long pins_held(void)
{
	char name[64];
	long v, acq = -1, rel = -1;
	FILE *fp;

	if (sysfs_write("/proc/sys/vm/stat_refresh", "1"))
		return -1;
	fp = fopen("/proc/vmstat", "r");
	if (!fp)
		return -1;
	while (fscanf(fp, "%63s %ld", name, &v) == 2) {
		if (!strcmp(name, "nr_foll_pin_acquired"))
			acq = v;
		else if (!strcmp(name, "nr_foll_pin_released"))
			rel = v;
	}
	fclose(fp);
	return acq < 0 || rel < 0 ? -1 : acq - rel;
}

static long vmlck_kb(void)
{
	char line[256];
	long v = -1;
	FILE *fp = fopen("/proc/self/status", "r");

	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "VmLck: %ld", &v) == 1)
			break;
	fclose(fp);
	return v;
}

FIXTURE(fuzz) {
	struct fuzz_ctx *f;
};

FIXTURE_SETUP(fuzz)
{
	self->f = calloc(1, sizeof(*self->f));
	ASSERT_NE(NULL, self->f);
}

FIXTURE_TEARDOWN(fuzz)
{
	close_all(self->f);
	free(self->f);
}

/* the runner kills a program after 600 s */
TEST_F_TIMEOUT(fuzz, sequences, 590)
{
	struct fuzz_ctx *f = self->f;
	const char *seed = getenv("VFIO_FUZZ_SEED"), *calls = getenv("VFIO_FUZZ_CALLS");
	uint64_t ncalls = calls ? strtoull(calls, NULL, 0) : DEFAULT_CALLS;
	struct sigaction sa = { .sa_handler = on_sigbus };
	unsigned int i, total = 0, w;
	struct timespec t0, t1;
	long vmlck0, pins0;
	uint64_t steps_run = 0;
	struct vfio_pci d;

	rng_state = seed ? strtoull(seed, NULL, 0) : 0x5eed1234abcdULL;
	TH_LOG("seed %#llx, %llu calls", (unsigned long long)rng_state,
	       (unsigned long long)ncalls);
	ASSERT_NE(0, rng_state);

	for (i = 0; i < NCONT; i++)
		f->cont[i] = -1;
	for (i = 0; i < NGRP; i++)
		f->grp[0][i] = f->grp[1][i] = -1;
	for (i = 0; i < NDEV; i++)
		f->dev[i].fd = -1;
	f->attach[0] = f->attach[1] = -1;
	PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, f->tg[0].bdf, sizeof(f->tg[0].bdf));
	PCI_FIND_OR_SKIP(E1000E_VENDOR, E1000E_DEVICE, 0, true, f->tg[1].bdf, sizeof(f->tg[1].bdf));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, pci_bind(f->tg[i].bdf, "vfio-pci"));
		f->tg[i].gid = pci_iommu_group(f->tg[i].bdf);
		ASSERT_LE(0, f->tg[i].gid);
	}
	f->tg[0].touch = true;
	f->mem = mmap(NULL, MEM_PAGES * 4096UL, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, f->mem);
	f->arg = mmap(NULL, ARG_SIZE + 4096, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, f->arg);
	ASSERT_EQ(0, mprotect(f->arg + ARG_SIZE, 4096, PROT_NONE));
	for (i = 0; i < NEFD; i++) {
		f->efd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		ASSERT_LE(0, f->efd[i]);
	}
	ASSERT_EQ(0, sigaction(SIGBUS, &sa, NULL));
	vmlck0 = vmlck_kb();
	pins0 = pins_held();
	ASSERT_LE(0, vmlck0);
	ASSERT_LE(0, pins0);

	for (i = 0; i < ARRAY_SIZE(steps); i++)
		total += steps[i].weight;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (f->calls < ncalls) {
		uint64_t c0 = f->calls, ok0 = f->ok;

		w = rnd() % total;
		for (i = 0; w >= steps[i].weight; i++)
			w -= steps[i].weight;
		if (!dev_fds(f, 0) && rnd() % 4 == 0) {
			i = ARRAY_SIZE(steps);
			f->cur = i;
			setup(f, 0);
		} else if (!dev_fds(f, 1) && rnd() % 64 == 0) {
			i = ARRAY_SIZE(steps);
			f->cur = i;
			setup(f, 1);
		} else {
			f->cur = i;
			steps[i].fn(f);
		}
		steps_run++;
		f->step_calls[i] += f->calls - c0;
		f->step_ok[i] += f->ok - ok0;
		ASSERT_EQ(0, f->bad_errno)
			TH_LOG("call %llu (%s): errno %d (%s), what %#lx (ioctl cmd; -1/-2 read/write, -5 mmap; or the ID read through an mmap)",
			       (unsigned long long)f->calls,
			       i < ARRAY_SIZE(steps) ? steps[i].name : "setup", f->bad_errno,
			       f->bad_errno > 0 ? strerror(f->bad_errno) :
			       f->bad_errno == -1 ? "wrong ID through the BAR0 mmap" :
			       "a BAR0 mmap access did not fault with memory decode off",
			       f->bad_what);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close_all(f);

	/* nothing is left pinned or locked, and the device still works */
	EXPECT_EQ(vmlck0, vmlck_kb()) TH_LOG("VmLck (kB) after closing everything");
	EXPECT_EQ(pins0, pins_held()) TH_LOG("FOLL_PIN pins after closing everything");
	ASSERT_EQ(0, vfio_dev_open(&d, f->tg[0].bdf, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(EDU_ID_VALUE, vfio_read32(&d, 0, EDU_ID));
	vfio_pci_close(&d);
	for (i = 0; i < NEFD; i++)
		close(f->efd[i]);
	printf("# fuzz: %llu calls (%llu succeeded, %llu failed as expected, %llu SIGBUS) in %llu steps, %llu device resets allowed, %.1f s\n",
	       (unsigned long long)f->calls, (unsigned long long)f->ok,
	       (unsigned long long)f->failed, (unsigned long long)f->sigbus,
	       (unsigned long long)steps_run,
	       (unsigned long long)f->heavy,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (i = 0; i <= ARRAY_SIZE(steps); i++) {
		unsigned int e, top = 0;

		for (e = 1; e < 136; e++)
			if (f->step_errno[i][e] > f->step_errno[i][top])
				top = e;
		printf("# fuzz: %-26s %7llu calls, %7llu succeeded, most failed with %s (%llu)\n",
		       i < ARRAY_SIZE(steps) ? steps[i].name : "setup (QEMU sequence)",
		       (unsigned long long)f->step_calls[i],
		       (unsigned long long)f->step_ok[i], top ? strerrorname_np(top) : "-",
		       (unsigned long long)f->step_errno[i][top]);
	}
	fflush(stdout);
}

TEST_HARNESS_MAIN
