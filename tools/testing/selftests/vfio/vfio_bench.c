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
 *            (per ioctl, the median of SLICES slices as in TIME_N)
 *   ops      the edu's trapped paths: GET_INFO, REGION_INFO, config and
 *            BAR0 read and write through the device fd (nr_ops calls each),
 *            an MSI round trip (MSIS), microseconds per call (TIME_N)
 *   mtty     mtty-2 instances created and removed (nr_ops / 100 of them,
 *            15 to 500, median), and
 *            on one its config space and a UART register read and
 *            written (nr_ops each); against stock, upstream's own mtty sample
 * The whole shapes must hold no pin once unmapped (nr_foll_pin_* of
 * /proc/vmstat). Also timed: the VFIO_GROUP_GET_DEVICE_FD that opens the
 * ivshmem and the edu behind root port 1 (enable, config save, reset)
 * and the close that disables it, median of OPENS. The thread is pinned
 * to CPU 0. VFIO_BENCH_SHAPES limits the shapes (see wanted()).
 */
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <linux/mman.h>
#include <linux/pci_regs.h>

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

static int nr_ops = 5000;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median_of(double *v, int n)
{
	qsort(v, n, sizeof(double), cmp_double);
	return v[n / 2];
}

#define SLICES	15	/* a timed loop is timed in this many slices */

/*
 * Microseconds per call of @op: @calls calls in SLICES slices, each timed
 * on its own, and the median slice, so that a slice in which the host
 * preempted the guest's CPU does not move the figure; NAN if one failed.
 */
#define TIME_N(op, calls) ({					\
	int __i, __s, __n = (calls) / SLICES, __bad = 0;	\
	double __v[SLICES];					\
								\
	for (__s = 0; __s < SLICES && !__bad; __s++) {		\
		double __t = now_ms();				\
								\
		for (__i = 0; __i < __n && !__bad; __i++)	\
			__bad = !(op);				\
		__v[__s] = (now_ms() - __t) * 1e3 / __n;	\
	}							\
	__bad ? NAN : median_of(__v, SLICES);			\
})
#define TIME_OPS(op)	TIME_N(op, nr_ops)

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
	row("bar_touch", now_ms() - t, "ms");
	ret = map_unmap(d->container, "bar", (void *)va, GIB);
	munmap((void *)va, GIB);
	return ret;
}

static int bench_small(int container)
{
	double t, tmap;
	uint8_t *va;
	int i, n, ret;

	va = mmap(NULL, SMALL_MAPS * PAGE, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (va == MAP_FAILED)
		return fail("small mmap", errno);
	madvise(va, SMALL_MAPS * PAGE, MADV_NOHUGEPAGE);
	for (i = 0; i < SMALL_MAPS; i++)
		va[i * PAGE] = 1;
	/* the i-th map, then the i-th unmap, in order (see TIME_N) */
	i = 0;
	tmap = TIME_N(!vfio_map(container, va + i * PAGE, IOVA + i * PAGE,
				PAGE, RW) && ++i, SMALL_MAPS);
	if (isnan(tmap)) {
		ret = fail("small MAP_DMA", errno);
		while (i-- > 0)
			vfio_unmap(container, IOVA + i * PAGE, PAGE, 0, NULL);
		goto out;
	}
	n = i;
	i = 0;
	t = TIME_N(!vfio_unmap(container, IOVA + i * PAGE, PAGE, 0, NULL) &&
		   ++i, n);
	if (isnan(t) || i != n) {
		ret = fail("small UNMAP_DMA", errno);
		goto out;
	}
	ret = 0;
	row("small_map", tmap, "us");
	row("small_unmap", t, "us");
out:
	munmap(va, SMALL_MAPS * PAGE);
	return ret;
}

#define OPENS	9	/* device opens (and closes) timed per round */


/*
 * Bind @bdf to vfio-pci and open it the QEMU way, then time OPENS times a
 * VFIO_GROUP_GET_DEVICE_FD that opens the device (open count 0 to 1:
 * enable, reset, config save and virtualization) and the close that
 * disables it again, and print the median of each (one open alone is
 * a few milliseconds, too few for TCG's jitter); @d keeps the container
 * and group.
 */
static int open_timed(struct vfio_pci *d, const char *bdf, const char *name)
{
	double topen[OPENS], tclose[OPENS], t;
	char metric[64];
	int i, ret;

	ret = pci_bind(bdf, "vfio-pci");
	if (!ret)
		ret = vfio_dev_open(d, bdf, 0);
	if (!ret && ioctl(d->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		ret = -errno;
	if (ret) {
		snprintf(metric, sizeof(metric), "%s %s open", name, bdf);
		vfio_pci_close(d);
		return fail(metric, ret);
	}
	for (i = 0; i < OPENS; i++) {
		t = now_ms();
		d->device = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, bdf);
		topen[i] = now_ms() - t;
		if (d->device < 0) {
			ret = -errno;
			snprintf(metric, sizeof(metric), "%s %s GET_DEVICE_FD",
				 name, bdf);
			vfio_pci_close(d);
			return fail(metric, ret);
		}
		t = now_ms();
		close(d->device);
		tclose[i] = now_ms() - t;
		d->device = -1;
	}
	qsort(topen, OPENS, sizeof(double), cmp_double);
	qsort(tclose, OPENS, sizeof(double), cmp_double);
	snprintf(metric, sizeof(metric), "%s_open", name);
	row(metric, topen[OPENS / 2], "ms");
	snprintf(metric, sizeof(metric), "%s_close", name);
	row(metric, tclose[OPENS / 2], "ms");
	return 0;
}

/* calls timed per device operation; VFIO_BENCH_OPS=N for a profile */
#define MSIS	300	/* MSI round trips timed */


/* The edu raises its MSI, the eventfd wakes us, we acknowledge it. */
static bool msi_round_trip(struct vfio_pci *e, int efd)
{
	vfio_write32(e, 0, EDU_IRQ_RAISE, 1);
	if (!eventfd_wait(efd, 2000))
		return false;
	vfio_write32(e, 0, EDU_IRQ_ACK, 1);
	return true;
}

/*
 * The paths a VMM takes for every trapped access, on the open edu: ioctl
 * dispatch (GET_INFO), REGION_INFO, config space and BAR0 read and write
 * through the device fd, and an MSI round trip (the edu raises it, the
 * eventfd wakes us, we acknowledge it).
 */
static int bench_device_ops(struct vfio_pci *e)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_region_info ri = { .argsz = sizeof(ri) };
	uint64_t cfg = vfio_region_offset(e->device, VFIO_PCI_CONFIG_REGION_INDEX);
	uint64_t bar = vfio_region_offset(e->device, VFIO_PCI_BAR0_REGION_INDEX);
	uint8_t cls = 0;
	uint32_t v = 0;
	double t;
	int efd;

	t = TIME_OPS(!ioctl(e->device, VFIO_DEVICE_GET_INFO, &info));
	row("ioctl_get_info", t, "us");
	t = TIME_OPS(!ioctl(e->device, VFIO_DEVICE_GET_REGION_INFO, &ri));
	row("region_info", t, "us");
	t = TIME_OPS(pread(e->device, &v, 4, cfg) == 4);
	row("config_read", t, "us");
	if (pread(e->device, &cls, 1, cfg + PCI_CACHE_LINE_SIZE) != 1)
		return fail("config read", errno);
	t = TIME_OPS(pwrite(e->device, &cls, 1, cfg + PCI_CACHE_LINE_SIZE) == 1);
	row("config_write", t, "us");
	t = TIME_OPS(pread(e->device, &v, 4, bar + EDU_ID) == 4);
	row("bar_read", t, "us");
	v = 0x12345678;
	t = TIME_OPS(pwrite(e->device, &v, 4, bar + EDU_LIVENESS) == 4);
	row("bar_write", t, "us");
	if (isnan(t))
		return fail("a device operation", errno);

	efd = eventfd(0, 0);
	if (efd < 0 || vfio_irq_set_eventfds(e->device, VFIO_PCI_MSI_IRQ_INDEX,
					     0, 1, &efd))
		return fail("MSI set up", errno);
	vfio_bus_master(e, true);
	t = TIME_N(msi_round_trip(e, efd), MSIS);
	vfio_irq_disable(e->device, VFIO_PCI_MSI_IRQ_INDEX);
	vfio_bus_master(e, false);
	close(efd);
	if (isnan(t))
		return fail("an MSI did not arrive", ETIMEDOUT);
	row("msi_round_trip", t, "us");
	return 0;
}

/* bounds of the number of mtty creates and removes timed */
#define MDEVS		15
#define MDEVS_MAX	500
#define MTTY_UUID	"7b1e0f52-6c1d-4a8e-9f3a-2d4c5b6a7e80"
#define UART_LSR	5	/* line status: read, no side effect */
#define UART_SCR	7	/* scratch: written, no side effect */

/*
 * The mediated side: creating and removing an mtty instance (mtty-2, one
 * port), and on an open one the config space read and a UART register
 * read and write through the I/O port region (all emulated by the
 * vendor driver, so this is mdev and vfio overhead).
 */
static int bench_mtty(void)
{
	int n = nr_ops / 100 > MDEVS_MAX ? MDEVS_MAX : nr_ops / 100;
	double tcreate[MDEVS_MAX], tremove[MDEVS_MAX], t;
	uint64_t cfg, bar;
	struct vfio_pci m;
	uint8_t b = 0x5a;
	uint32_t v;
	int i;

	if (n < MDEVS)
		n = MDEVS;
	for (i = 0; i < n; i++) {
		t = now_ms();
		if (mdev_create("mtty-2", MTTY_UUID))
			return fail("mtty create", errno);
		tcreate[i] = now_ms() - t;
		t = now_ms();
		if (mdev_remove(MTTY_UUID))
			return fail("mtty remove", errno);
		tremove[i] = now_ms() - t;
	}
	row("mtty_create", median_of(tcreate, n), "ms");
	row("mtty_remove", median_of(tremove, n), "ms");

	if (mdev_create("mtty-2", MTTY_UUID))
		return fail("mtty create", errno);
	if (vfio_dev_open(&m, MTTY_UUID, VFIO_TYPE1v2_IOMMU)) {
		mdev_remove(MTTY_UUID);
		return fail("mtty open", errno);
	}
	cfg = vfio_region_offset(m.device, VFIO_PCI_CONFIG_REGION_INDEX);
	bar = vfio_region_offset(m.device, VFIO_PCI_BAR0_REGION_INDEX);
	t = TIME_OPS(pread(m.device, &v, 4, cfg) == 4);
	row("mtty_config_read", t, "us");
	t = TIME_OPS(pread(m.device, &b, 1, bar + UART_LSR) == 1);
	row("mtty_port_read", t, "us");
	t = TIME_OPS(pwrite(m.device, &b, 1, bar + UART_SCR) == 1);
	row("mtty_port_write", t, "us");
	vfio_pci_close(&m);
	if (mdev_remove(MTTY_UUID))
		return fail("mtty remove", errno);
	return isnan(t) ? fail("an mtty access", errno) : 0;
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
	int bad = 0, ret;

	if (argc > 1)
		label = argv[1];
	if (getenv("VFIO_BENCH_OPS") && atoi(getenv("VFIO_BENCH_OPS")) > 0)
		nr_ops = atoi(getenv("VFIO_BENCH_OPS"));
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
	if (wanted("ops")) {
		ret = vfio_dev_get(&e);
		if (ret) {
			fail("edu GET_DEVICE_FD", ret);
			return 1;
		}
		bad |= bench_device_ops(&e);
	}
	vfio_pci_close(&e);
	if (wanted("mtty"))
		bad |= bench_mtty();
	if (open_timed(&d, ivshmem, "ivshmem"))
		return 1;
	ret = vfio_dev_get(&d);
	if (ret) {
		fail("ivshmem second GET_DEVICE_FD", ret);
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
