// SPDX-License-Identifier: GPL-2.0-only
/*
 * An ioctl and region access fuzzer over container, group and device fds:
 * random and boundary argsz, flags, indexes, IOVAs, sizes and offsets.
 * Every call must fail cleanly (an errno from the expected set) or
 * succeed; the runner fails the run on any kernel splat, and the device
 * must still work afterwards. The sequence is reproducible (fixed seed,
 * overridable with VFIO_FUZZ_SEED).
 */
#include <sys/eventfd.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "vfio_test.h"

#define ITERATIONS	20000
#define ARG_SIZE	8192

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

struct fuzz_ctx {
	struct vfio_pci d;
	char bdf[32];
	uint8_t *mem;		/* mappable memory */
	size_t mem_size;
	uint8_t *arg;		/* ioctl argument buffer, a guard page after */
	int efd;
	int bad_errno;
	int last_bad_cmd;
};

static void fill_arg(struct fuzz_ctx *f, unsigned long cmd)
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
		/* often a real buffer, so that success paths run too */
		if (rnd() % 2) {
			uint64_t off = (rnd() % (f->mem_size / 4096)) * 4096;
			struct vfio_iommu_type1_dma_map *m = (void *)f->arg;

			m->vaddr = (uintptr_t)f->mem + off;
			m->size = ((rnd() % 4) + 1) * 4096;
			if (off + m->size > f->mem_size)
				m->size = 4096;
			m->iova = (rnd() % 64) * 4096 + ((rnd() % 2) ? 0 : 0x100000000ULL);
			m->argsz = sizeof(*m);
			m->flags = rnd() % 8;
		}
		break;
	case VFIO_DEVICE_SET_IRQS:
		/* sometimes a real eventfd in the data */
		if (rnd() % 3 == 0)
			memcpy(f->arg + 20, &f->efd, 4);
		break;
	case VFIO_GROUP_GET_DEVICE_FD:
		if (rnd() % 3 == 0)
			snprintf((char *)f->arg, 64, "%s%s", f->bdf,
				 (rnd() % 2) ? "" : " vf_token=x");
		else
			f->arg[rnd() % 300] = 0;
		break;
	case VFIO_GROUP_SET_CONTAINER:
		w[0] = (rnd() % 2) ? (uint32_t)f->d.container : (uint32_t)pick(64);
		break;
	}
}

static void one_ioctl(struct __test_metadata *_metadata, struct fuzz_ctx *f,
		      int fd)
{
	unsigned long cmd;
	void *argp;
	long ret;

	if (rnd() % 10)
		cmd = _IO(VFIO_TYPE, VFIO_BASE + rnd() % 24);
	else
		cmd = (unsigned long)pick(0xffff);

	/* these would only tear down what is being fuzzed */
	if (cmd == VFIO_GROUP_UNSET_CONTAINER && rnd() % 8)
		return;

	fill_arg(f, cmd);
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
	if (ret >= 0) {
		/* a new fd (device fd) is closed right away */
		if (cmd == VFIO_GROUP_GET_DEVICE_FD ||
		    (cmd == VFIO_DEVICE_FEATURE && ret > 2 && ret != fd &&
		     ret != f->d.container && ret != f->d.group && ret != f->d.device &&
		     ret != f->efd))
			close(ret);
		return;
	}
	if (!errno_expected(errno)) {
		f->bad_errno = errno;
		f->last_bad_cmd = cmd;
	}
}

static void one_rw(struct fuzz_ctx *f)
{
	unsigned int index = rnd() % 12;
	uint64_t off, region = (uint64_t)index << 40;
	size_t len = pick(16) % 4096;
	uint8_t buf[4096];
	ssize_t n;

	off = region + pick(0x1000);
	/* edu's DMA engine aborts QEMU on some counts: never program it */
	if (index == 0 && (off & 0xfffff) >= 0x80 && (off & 0xfffff) < 0xa0)
		return;
	if (index == 0 && (off & 0xfffff) < 0xa0 && (off & 0xfffff) + len > 0x80)
		len = 0x80 - (off & 0xfffff);

	memcpy(buf, f->arg, sizeof(buf));
	if (rnd() % 2) {
		n = pread(f->d.device, buf, len, off);
	} else {
		/* keep config writes away from BARs' DMA side effects */
		n = pwrite(f->d.device, buf, len, off);
	}
	if (n < 0 && !errno_expected(errno)) {
		f->bad_errno = errno;
		f->last_bad_cmd = -1;
	}
}

static void one_mmap(struct fuzz_ctx *f)
{
	uint64_t off = ((uint64_t)(rnd() % 10) << 40) + (pick(0x100) & ~0xfffULL);
	size_t len = (pick(0x200) + 1) * 4096;
	void *p;

	p = mmap(NULL, len, PROT_READ | ((rnd() % 2) ? PROT_WRITE : 0),
		 (rnd() % 4) ? MAP_SHARED : MAP_PRIVATE, f->d.device, off);
	if (p != MAP_FAILED) {
		munmap(p, len);
	} else if (!errno_expected(errno)) {
		f->bad_errno = errno;
		f->last_bad_cmd = -2;
	}
}

static int reopen(struct __test_metadata *_metadata, struct fuzz_ctx *f)
{
	vfio_pci_close(&f->d);
	return vfio_pci_open(&f->d, f->bdf, (rnd() % 2) ? VFIO_TYPE1v2_IOMMU :
							    VFIO_TYPE1_IOMMU);
}

TEST(fuzz_container_group_device)
{
	struct fuzz_ctx *f = calloc(1, sizeof(*f));
	const char *seed = getenv("VFIO_FUZZ_SEED");
	int i, c;

	ASSERT_NE(NULL, f);
	rng_state = seed ? strtoull(seed, NULL, 0) : 0x5eed1234abcdULL;
	TH_LOG("seed %#llx, %d iterations", (unsigned long long)rng_state, ITERATIONS);

	ASSERT_EQ(0, pci_find(EDU_VENDOR, EDU_DEVICE, 0, false, f->bdf, sizeof(f->bdf)));
	ASSERT_EQ(0, pci_bind(f->bdf, "vfio-pci"));
	f->mem_size = 64 * 4096;
	f->mem = mmap(NULL, f->mem_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, f->mem);
	f->arg = mmap(NULL, ARG_SIZE + 4096, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, f->arg);
	ASSERT_EQ(0, mprotect(f->arg + ARG_SIZE, 4096, PROT_NONE));
	f->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_EQ(0, reopen(_metadata, f));

	/* a container of its own, never given a group */
	c = open("/dev/vfio/vfio", O_RDWR);
	ASSERT_LE(0, c);

	for (i = 0; i < ITERATIONS; i++) {
		switch (rnd() % 10) {
		case 0:
			one_ioctl(_metadata, f, c);
			break;
		case 1:
		case 2:
			one_ioctl(_metadata, f, f->d.container);
			break;
		case 3:
			one_ioctl(_metadata, f, f->d.group);
			break;
		case 4:
		case 5:
		case 6:
			one_ioctl(_metadata, f, f->d.device);
			break;
		case 7:
		case 8:
			one_rw(f);
			break;
		default:
			one_mmap(f);
			break;
		}
		EXPECT_EQ(0, f->bad_errno)
			TH_LOG("iteration %d: unexpected errno %d (%s), cmd %#x (-1 rw, -2 mmap)",
			       i, f->bad_errno, strerror(f->bad_errno), f->last_bad_cmd);
		f->bad_errno = 0;
		if (i % 1000 == 999)
			ASSERT_EQ(0, reopen(_metadata, f)) TH_LOG("reopen after %d", i);
	}
	close(c);

	/* the device is still fine */
	ASSERT_EQ(0, reopen(_metadata, f));
	EXPECT_EQ(EDU_ID_VALUE, vfio_read32(&f->d, 0, EDU_ID));
	vfio_pci_close(&f->d);
	close(f->efd);
	free(f);
}

TEST_HARNESS_MAIN
