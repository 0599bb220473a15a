// SPDX-License-Identifier: GPL-2.0-only
/*
 * Type1 MAP_DMA/UNMAP_DMA and device open speed, for `make bench`: one
 * round of every shape against whichever VFIO modules are loaded.
 * tools/guest/guest/bench.sh alternates our modules and Debian's stock ones
 * in one guest boot, runs this once per round and summarises. Not a test:
 * it asserts nothing about time, it prints figures.
 *
 *   vfio_bench LABEL
 *
 * prints one "benchrow LABEL METRIC VALUE UNIT" line per metric, "info"
 * lines about the memory it measured (THP backing, physical contiguity)
 * and exits non-zero if anything could not be set up or failed.
 *
 * Shapes, each mapped whole with one MAP_DMA and unmapped whole with one
 * UNMAP_DMA, memory populated beforehand so that pinning and IOMMU work is
 * what is timed:
 *   thp      1 GiB anonymous, MADV_HUGEPAGE, populated by touching
 *   frag4k   1 GiB anonymous, MADV_NOHUGEPAGE, faulted in a shuffled order
 *            so that neighbouring pages are not physically contiguous
 *   huge2m   1 GiB of 2 MiB hugetlb pages
 *   huge1g   1 GiB in one 1 GiB hugetlb page
 *   bar      the 1 GiB BAR2 of an ivshmem-plain device, mmapped through its
 *            vfio device fd (VM_PFNMAP, peer to peer)
 *   small    SMALL_MAPS maps of one 4 KiB page each, then as many unmaps
 *            (per ioctl)
 * The whole shapes must hold no pin once unmapped (nr_foll_pin_* of
 * /proc/vmstat). Also timed: the first VFIO_GROUP_GET_DEVICE_FD of the
 * ivshmem and of the edu behind root port 1 (enable, config save, reset)
 * and its close. The thread is pinned to CPU 0. VFIO_BENCH_SHAPES limits
 * the shapes (see wanted()).
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <linux/mman.h>

#include "vfio_test.h"

#define IVSHMEM_VENDOR	0x1af4
#define IVSHMEM_DEVICE	0x1110
#define GIB		(1ULL << 30)
#define PAGE		4096ULL
#define HPAGE		(2ULL << 20)
#define SMALL_MAPS	2000
#define IOVA		(1ULL << 32)
#define RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

static const char *label = "?";

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void row(const char *metric, double value, const char *unit)
{
	printf("benchrow %s %s %.3f %s\n", label, metric, value, unit);
}

static int fail(const char *what, int err)
{
	printf("bench: %s %s: %s\n", label, what, strerror(err < 0 ? -err : err));
	return -1;
}

/*
 * Map [va, va + size) at IOVA whole, unmap it whole, report both times.
 * Every pin must be released when UNMAP_DMA returns, or its time would
 * leave work out.
 */
static int map_unmap(int container, const char *name, void *va, uint64_t size)
{
	long pins = pin_balance(), left;
	char metric[64];
	uint64_t done = 0;
	double t, tmap;
	int ret;

	t = now_ms();
	ret = vfio_map(container, va, IOVA, size, RW);
	tmap = now_ms() - t;
	if (ret) {
		snprintf(metric, sizeof(metric), "%s MAP_DMA", name);
		return fail(metric, ret);
	}
	t = now_ms();
	ret = vfio_unmap(container, IOVA, size, 0, &done);
	t = now_ms() - t;
	if (ret || done != size) {
		snprintf(metric, sizeof(metric), "%s UNMAP_DMA (%llu of %llu)",
			 name, (unsigned long long)done,
			 (unsigned long long)size);
		return fail(metric, ret ? ret : -EIO);
	}
	left = pins == LONG_MIN ? 0 : pin_balance() - pins;
	if (left) {
		printf("bench: %s %s: %ld pins still held after UNMAP_DMA returned\n",
		       label, name, left);
		return -1;
	}
	snprintf(metric, sizeof(metric), "%s_map", name);
	row(metric, tmap, "ms");
	snprintf(metric, sizeof(metric), "%s_unmap", name);
	row(metric, t, "ms");
	return 0;
}

/* A line "Key: N kB" of a /proc file, or -1. */
static long proc_kb(const char *path, const char *key)
{
	size_t klen = strlen(key);
	char line[256];
	long kb = -1;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			kb = strtol(line + klen + 1, NULL, 10);
			break;
		}
	fclose(f);
	return kb;
}

/* Anonymous memory aligned to 2 MiB (so THP can back all of it). */
static void *anon_aligned(uint64_t size)
{
	uint8_t *p;
	uintptr_t a;

	p = mmap(NULL, size + HPAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	a = ((uintptr_t)p + HPAGE - 1) & ~(HPAGE - 1);
	if (a > (uintptr_t)p)
		munmap(p, a - (uintptr_t)p);
	munmap((void *)(a + size), (uintptr_t)p + HPAGE - a);
	return (void *)a;
}

static int bench_thp(int container)
{
	uint8_t *va = anon_aligned(GIB);
	uint64_t off;
	int ret;

	if (!va)
		return fail("thp mmap", errno);
	if (madvise(va, GIB, MADV_HUGEPAGE)) {
		ret = fail("thp MADV_HUGEPAGE", errno);
		goto out;
	}
	for (off = 0; off < GIB; off += PAGE)
		va[off] = 1;
	printf("info %s thp AnonHugePages %ld kB of %llu kB (smaps_rollup)\n",
	       label, proc_kb("/proc/self/smaps_rollup", "AnonHugePages"),
	       GIB >> 10);
	ret = map_unmap(container, "thp", va, GIB);
out:
	munmap(va, GIB);
	return ret;
}

static uint64_t xorshift64(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Neighbouring virtual pages of [va, va + size) whose physical pages are
 * neighbours too, from /proc/self/pagemap (pfns need CAP_SYS_ADMIN); -1 if
 * unknown.
 */
static long contiguous_pairs(void *va, uint64_t size, long *present)
{
	uint64_t n = size / PAGE, i, *pm;
	long pairs = 0;
	ssize_t len;
	int fd;

	*present = 0;
	pm = malloc(n * sizeof(*pm));
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (!pm || fd < 0)
		goto unknown;
	len = pread(fd, pm, n * sizeof(*pm), (uintptr_t)va / PAGE * sizeof(*pm));
	close(fd);
	fd = -1;
	if (len != (ssize_t)(n * sizeof(*pm)))
		goto unknown;
	for (i = 0; i < n; i++) {
		/* bit 63 present, bits 0-54 the pfn */
		if (!(pm[i] >> 63) || !(pm[i] & ((1ULL << 55) - 1)))
			continue;
		(*present)++;
		if (i + 1 < n && (pm[i + 1] >> 63) &&
		    (pm[i + 1] & ((1ULL << 55) - 1)) ==
		    (pm[i] & ((1ULL << 55) - 1)) + 1)
			pairs++;
	}
	free(pm);
	return pairs;
unknown:
	if (fd >= 0)
		close(fd);
	free(pm);
	return -1;
}

static int bench_frag4k(int container)
{
	uint64_t n = GIB / PAGE, i, j, seed = 0x9e3779b97f4a7c15ULL;
	uint32_t *order, tmp;
	long pairs, present;
	uint8_t *va;
	int ret;

	va = anon_aligned(GIB);
	order = malloc(n * sizeof(*order));
	if (!va || !order) {
		ret = fail("frag4k allocation", ENOMEM);
		goto out;
	}
	if (madvise(va, GIB, MADV_NOHUGEPAGE)) {
		ret = fail("frag4k MADV_NOHUGEPAGE", errno);
		goto out;
	}
	/* fault the pages in a shuffled order (Fisher-Yates) */
	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		j = xorshift64(&seed) % (i + 1);
		tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	for (i = 0; i < n; i++)
		va[order[i] * PAGE] = 1;
	pairs = contiguous_pairs(va, GIB, &present);
	printf("info %s frag4k %ld of %llu neighbouring page pairs physically contiguous (%ld pages present, pagemap)\n",
	       label, pairs, (unsigned long long)(n - 1), present);
	ret = map_unmap(container, "frag4k", va, GIB);
out:
	free(order);
	if (va)
		munmap(va, GIB);
	return ret;
}

static int bench_hugetlb(int container, const char *name, int flags)
{
	void *va;
	int ret;

	va = mmap(NULL, GIB, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		  MAP_ANONYMOUS | MAP_POPULATE | MAP_HUGETLB | flags, -1, 0);
	if (va == MAP_FAILED) {
		char what[64];

		snprintf(what, sizeof(what), "%s hugetlb mmap", name);
		return fail(what, errno);
	}
	ret = map_unmap(container, name, va, GIB);
	munmap(va, GIB);
	return ret;
}

/* BAR2 of the ivshmem, mmapped through its vfio device fd: VM_PFNMAP. */
static int bench_bar(struct vfio_pci *d)
{
	struct vfio_region_info ri;
	volatile uint8_t *va;
	uint64_t off;
	double t;
	int ret;

	ret = vfio_region_info(d->device, VFIO_PCI_BAR2_REGION_INDEX, &ri);
	if (ret)
		return fail("bar region info", ret);
	printf("info %s bar ivshmem %s BAR2 size %llu MiB, flags %#x\n", label,
	       d->bdf, (unsigned long long)ri.size >> 20, ri.flags);
	if (ri.size != GIB || !(ri.flags & VFIO_REGION_INFO_FLAG_MMAP))
		return fail("bar is not a 1 GiB mmappable region", EINVAL);
	va = mmap(NULL, GIB, PROT_READ | PROT_WRITE, MAP_SHARED, d->device,
		  ri.offset);
	if (va == MAP_FAILED)
		return fail("bar mmap", errno);
	/* fault it in, one read per page, so the map times only the walk */
	t = now_ms();
	for (off = 0; off < GIB; off += PAGE)
		(void)va[off];
	printf("info %s bar touching every page took %.1f ms\n", label,
	       now_ms() - t);
	ret = map_unmap(d->container, "bar", (void *)va, GIB);
	munmap((void *)va, GIB);
	return ret;
}

static int bench_small(int container)
{
	double t, tmap;
	uint8_t *va;
	int i, ret;

	va = mmap(NULL, SMALL_MAPS * PAGE, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (va == MAP_FAILED)
		return fail("small mmap", errno);
	madvise(va, SMALL_MAPS * PAGE, MADV_NOHUGEPAGE);
	for (i = 0; i < SMALL_MAPS; i++)
		va[i * PAGE] = 1;
	t = now_ms();
	for (i = 0; i < SMALL_MAPS; i++) {
		ret = vfio_map(container, va + i * PAGE, IOVA + i * PAGE,
			       PAGE, RW);
		if (ret)
			break;
	}
	tmap = now_ms() - t;
	if (ret) {
		while (i-- > 0)
			vfio_unmap(container, IOVA + i * PAGE, PAGE, 0, NULL);
		ret = fail("small MAP_DMA", ret);
		goto out;
	}
	t = now_ms();
	for (i = 0; i < SMALL_MAPS; i++) {
		ret = vfio_unmap(container, IOVA + i * PAGE, PAGE, 0, NULL);
		if (ret)
			break;
	}
	t = now_ms() - t;
	if (ret) {
		ret = fail("small UNMAP_DMA", ret);
		goto out;
	}
	row("small_map", tmap * 1e3 / SMALL_MAPS, "us");
	row("small_unmap", t * 1e3 / SMALL_MAPS, "us");
out:
	munmap(va, SMALL_MAPS * PAGE);
	return ret;
}

/*
 * Bind @bdf to vfio-pci and open it the QEMU way, timing the first
 * VFIO_GROUP_GET_DEVICE_FD (enable, config save, reset) and its close;
 * @d keeps the container and group.
 */
static int open_timed(struct vfio_pci *d, const char *bdf, const char *name)
{
	char metric[64];
	double t;
	int ret;

	ret = pci_bind(bdf, "vfio-pci");
	if (!ret)
		ret = vfio_pci_open(d, bdf, 0);
	if (!ret && ioctl(d->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		ret = -errno;
	if (ret) {
		snprintf(metric, sizeof(metric), "%s %s open", name, bdf);
		vfio_pci_close(d);
		return fail(metric, ret);
	}
	t = now_ms();
	d->device = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	t = now_ms() - t;
	if (d->device < 0) {
		ret = -errno;
		snprintf(metric, sizeof(metric), "%s %s GET_DEVICE_FD", name, bdf);
		vfio_pci_close(d);
		return fail(metric, ret);
	}
	snprintf(metric, sizeof(metric), "%s_open", name);
	row(metric, t, "ms");
	t = now_ms();
	close(d->device);
	t = now_ms() - t;
	d->device = -1;
	snprintf(metric, sizeof(metric), "%s_close", name);
	row(metric, t, "ms");
	return 0;
}

/*
 * VFIO_BENCH_SHAPES=a,b,... runs only those shapes (for a profile of one,
 * bench.sh's VFIO_BENCH_PROFILE); the device opens always run.
 */
static bool wanted(const char *shape)
{
	const char *list = getenv("VFIO_BENCH_SHAPES");
	size_t n = strlen(shape);
	const char *p;

	if (!list || !*list)
		return true;
	for (p = list; (p = strstr(p, shape)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	char edu[32], ivshmem[32];
	struct vfio_pci e, d;
	cpu_set_t cpus;
	int bad = 0;

	if (argc > 1)
		label = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus)) {
		fail("pinning to CPU 0", errno);
		return 1;
	}
	if (pci_find(EDU_VENDOR, EDU_DEVICE, 0, false, edu, sizeof(edu))) {
		fail("no edu behind a root port", ENODEV);
		return 1;
	}
	if (pci_find(IVSHMEM_VENDOR, IVSHMEM_DEVICE, 0, true, ivshmem,
		     sizeof(ivshmem))) {
		fail("no ivshmem on the root bus", ENODEV);
		return 1;
	}

	/* the open path first: this is the first open since the modules loaded */
	if (open_timed(&e, edu, "edu"))
		return 1;
	vfio_pci_close(&e);
	if (open_timed(&d, ivshmem, "ivshmem"))
		return 1;
	d.device = ioctl(d.group, VFIO_GROUP_GET_DEVICE_FD, ivshmem);
	if (d.device < 0) {
		fail("ivshmem second GET_DEVICE_FD", errno);
		vfio_pci_close(&d);
		return 1;
	}

	if (wanted("thp"))
		bad |= bench_thp(d.container);
	if (wanted("frag4k"))
		bad |= bench_frag4k(d.container);
	if (wanted("huge2m"))
		bad |= bench_hugetlb(d.container, "huge2m", MAP_HUGE_2MB);
	if (wanted("huge1g"))
		bad |= bench_hugetlb(d.container, "huge1g", MAP_HUGE_1GB);
	if (wanted("bar"))
		bad |= bench_bar(&d);
	if (wanted("small"))
		bad |= bench_small(d.container);

	vfio_pci_close(&d);
	return bad ? 1 : 0;
}
