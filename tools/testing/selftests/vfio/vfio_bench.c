// SPDX-License-Identifier: GPL-2.0-only
/*
 * Type1 MAP_DMA/UNMAP_DMA speed, for `make bench`: the same program runs
 * once against our modules and once against Debian's stock ones in one
 * guest boot (tools/guest/guest/bench.sh). Not a test: it asserts nothing
 * about time, it prints figures.
 *
 *   vfio_bench LABEL
 *
 * Cases: 1 GiB of 4 KiB pages, 1 GiB in one 1 GiB hugetlb page, 128 MiB of
 * 4 KiB pages and 128 MiB of 2 MiB hugetlb pages, each mapped and unmapped
 * whole (memory populated beforehand, so pinning and IOMMU work is what is
 * timed), and 2000 single 4 KiB mappings (the per-ioctl cost). The median of
 * several rounds is reported. The thread is pinned to CPU 0.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <linux/mman.h>

#include "vfio_test.h"

#define ROUNDS		5
#define PAIRS		2000
#define IOVA		(1ULL << 32)

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static int map(int container, void *va, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)va, .iova = iova, .size = size,
	};

	return ioctl(container, VFIO_IOMMU_MAP_DMA, &m) ? -errno : 0;
}

static int unmap(int container, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u), .iova = iova, .size = size,
	};

	if (ioctl(container, VFIO_IOMMU_UNMAP_DMA, &u))
		return -errno;
	return u.size == size ? 0 : -EIO;
}

static int bench_whole(const char *label, int container, const char *name,
		       uint64_t size, int mflags)
{
	double tmap[ROUNDS], tunmap[ROUNDS], t;
	void *va;
	int i, ret;

	va = mmap(NULL, size, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | mflags, -1, 0);
	if (va == MAP_FAILED) {
		printf("bench: %s %-22s cannot allocate: %s\n", label, name,
		       strerror(errno));
		return -1;
	}
	for (i = 0; i < ROUNDS; i++) {
		t = now_ms();
		ret = map(container, va, IOVA, size);
		tmap[i] = now_ms() - t;
		if (ret) {
			printf("bench: %s %-22s MAP_DMA failed: %s\n", label,
			       name, strerror(-ret));
			munmap(va, size);
			return -1;
		}
		t = now_ms();
		ret = unmap(container, IOVA, size);
		tunmap[i] = now_ms() - t;
		if (ret) {
			printf("bench: %s %-22s UNMAP_DMA failed: %s\n", label,
			       name, strerror(-ret));
			munmap(va, size);
			return -1;
		}
	}
	t = median(tmap, ROUNDS);
	printf("bench: %s %-22s map %9.2f ms (%6.2f GiB/s)  unmap %8.2f ms\n",
	       label, name, t, size / (double)(1 << 30) / (t / 1e3),
	       median(tunmap, ROUNDS));
	munmap(va, size);
	return 0;
}

/* 4 KiB mappings one ioctl each: PAIRS maps, then PAIRS unmaps. */
static int bench_pairs(const char *label, int container)
{
	double tmap[ROUNDS], tunmap[ROUNDS], t;
	void *va;
	int i, j;

	va = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (va == MAP_FAILED)
		return -1;
	for (i = 0; i < ROUNDS; i++) {
		t = now_ms();
		for (j = 0; j < PAIRS; j++)
			if (map(container, va, IOVA + j * 4096ULL, 4096))
				goto fail;
		tmap[i] = (now_ms() - t) * 1e3 / PAIRS;
		t = now_ms();
		for (j = 0; j < PAIRS; j++)
			if (unmap(container, IOVA + j * 4096ULL, 4096))
				goto fail;
		tunmap[i] = (now_ms() - t) * 1e3 / PAIRS;
	}
	printf("bench: %s %-22s map %9.2f us          unmap %8.2f us (per ioctl)\n",
	       label, "4 KiB, one per ioctl", median(tmap, ROUNDS),
	       median(tunmap, ROUNDS));
	munmap(va, 4096);
	return 0;
fail:
	printf("bench: %s 4 KiB mappings failed: %s\n", label, strerror(errno));
	munmap(va, 4096);
	return -1;
}

int main(int argc, char **argv)
{
	const char *label = argc > 1 ? argv[1] : "?";
	struct vfio_pci d;
	cpu_set_t cpus;
	char bdf[32];
	int bad = 0;

	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);

	if (pci_find(EDU_VENDOR, EDU_DEVICE, 0, false, bdf, sizeof(bdf)) ||
	    pci_bind(bdf, "vfio-pci") ||
	    vfio_pci_open(&d, bdf, VFIO_TYPE1v2_IOMMU)) {
		printf("bench: %s cannot open the edu through vfio-pci\n", label);
		return 1;
	}

	bad |= bench_whole(label, d.container, "1 GiB, 4 KiB pages", 1ULL << 30, 0);
	bad |= bench_whole(label, d.container, "1 GiB, 1 GiB hugetlb", 1ULL << 30,
			   MAP_HUGETLB | MAP_HUGE_1GB);
	bad |= bench_whole(label, d.container, "128 MiB, 4 KiB pages", 128ULL << 20, 0);
	bad |= bench_whole(label, d.container, "128 MiB, 2 MiB hugetlb", 128ULL << 20,
			   MAP_HUGETLB | MAP_HUGE_2MB);
	bad |= bench_pairs(label, d.container);

	vfio_pci_close(&d);
	return bad ? 1 : 0;
}
