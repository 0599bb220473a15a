// SPDX-License-Identifier: GPL-2.0-only
/*
 * Many users at once: threads mapping and unmapping in one container
 * while others open device fds and read regions, and processes opening
 * containers and racing for groups, all torn down at the end. The runner
 * then unloads every module, which fails if anything was leaked.
 */
#include <pthread.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "vfio_test.h"

#define MAP_THREADS	3

/*
 * Rounds of each thread's loop: 400, or VFIO_CONCURRENCY_LOOPS (at least
 * 1) for a caller that runs this test beside its own (vfio_debugfs); the
 * two processes of two_groups_in_parallel open and close a quarter of it.
 */
static int loops(void)
{
	const char *v = getenv("VFIO_CONCURRENCY_LOOPS");

	return v && atoi(v) > 0 ? atoi(v) : 400;
}

struct shared {
	struct vfio_pci d;
	uint8_t *mem;
	int errors;
};

static void *mapper(void *arg)
{
	struct shared *s = ((void **)arg)[0];
	long id = (long)((void **)arg)[1];
	uint64_t base = 0x10000000ULL * (id + 1);
	int i, n = loops(), bad = 0;

	for (i = 0; i < n; i++) {
		uint64_t iova = base + (i % 16) * 0x10000, done = 0;
		size_t len = ((i % 4) + 1) * 4096;

		if (vfio_map(s->d.container, s->mem + id * 0x10000, iova, len,
			     VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE))
			bad++;
		if (vfio_unmap(s->d.container, iova, len, 0, &done) || done != len)
			bad++;
	}
	__atomic_add_fetch(&s->errors, bad, __ATOMIC_RELAXED);
	return NULL;
}

static void *prober(void *arg)
{
	struct shared *s = arg;
	int i, n = loops(), bad = 0;

	for (i = 0; i < n; i++) {
		struct vfio_iommu_type1_info info = { .argsz = sizeof(info) };
		int dev = ioctl(s->d.group, VFIO_GROUP_GET_DEVICE_FD, s->d.bdf);
		uint32_t id = 0;

		if (dev < 0) {
			bad++;
			continue;
		}
		if (pread(dev, &id, 4, vfio_region_offset(dev, 0)) != 4 ||
		    id != EDU_ID_VALUE)
			bad++;
		if (ioctl(s->d.container, VFIO_IOMMU_GET_INFO, &info))
			bad++;
		close(dev);
	}
	__atomic_add_fetch(&s->errors, bad, __ATOMIC_RELAXED);
	return NULL;
}

/* Other processes: their own containers, and the group is taken. */
static int outsider(const char *bdf)
{
	char path[64];
	int i, n = loops();

	snprintf(path, sizeof(path), "/dev/vfio/%d", pci_iommu_group(bdf));
	for (i = 0; i < n; i++) {
		int c = open("/dev/vfio/vfio", O_RDWR), g;

		if (c < 0 || ioctl(c, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) != 1)
			return 1;
		g = open(path, O_RDWR);
		if (g >= 0 || errno != EBUSY)
			return 2;
		close(c);
	}
	return 0;
}

TEST(threads_and_processes)
{
	pthread_t threads[MAP_THREADS + 1];
	void *args[MAP_THREADS][2];
	struct shared s = { 0 };
	uint64_t done = ~0ULL;
	pid_t pids[2];
	char bdf[32];
	long i;
	int status;

	PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, bdf, sizeof(bdf));
	ASSERT_EQ(0, pci_bind(bdf, "vfio-pci"));
	ASSERT_EQ(0, vfio_dev_open(&s.d, bdf, VFIO_TYPE1v2_IOMMU));
	s.mem = mmap(NULL, 4 * 0x10000, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, s.mem);

	for (i = 0; i < 2; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i])
			_exit(outsider(bdf));
	}
	for (i = 0; i < MAP_THREADS; i++) {
		args[i][0] = &s;
		args[i][1] = (void *)i;
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, mapper, args[i]));
	}
	ASSERT_EQ(0, pthread_create(&threads[MAP_THREADS], NULL, prober, &s));

	for (i = 0; i <= MAP_THREADS; i++)
		pthread_join(threads[i], NULL);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("outsider %ld: status %#x", i, status);
	}
	EXPECT_EQ(0, s.errors);

	/* every mapping is gone: the whole space unmaps to nothing */
	EXPECT_EQ(0, vfio_unmap(s.d.container, 0, 0, VFIO_DMA_UNMAP_FLAG_ALL, &done));
	EXPECT_EQ(0, done);
	vfio_pci_close(&s.d);
}

/* Two devices in two groups, each driven by its own process. */
FIXTURE(parallel) {};
FIXTURE_SETUP(parallel) {}
FIXTURE_TEARDOWN(parallel) {}

/*
 * 200 opens, each with a device reset: seconds on Debian's kernel, more
 * than the harness's default 30 s limit in the debug kernel under TCG.
 */
TEST_F_TIMEOUT(parallel, two_groups_in_parallel, 300)
{
	char edu0[32], edu1[32], rng[32];
	pid_t pids[2];
	int i, status;

	PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, edu0, sizeof(edu0));
	PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, true, edu1, sizeof(edu1));
	/* the root bus edu shares a group with a virtio-rng: free it */
	snprintf(rng, sizeof(rng), "%.*s1", (int)strlen(edu1) - 1, edu1);
	ASSERT_EQ(0, pci_unbind(rng));
	ASSERT_EQ(0, pci_bind(edu0, "vfio-pci"));
	ASSERT_EQ(0, pci_bind(edu1, "vfio-pci"));

	for (i = 0; i < 2; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			const char *bdf = i ? edu1 : edu0;
			static uint8_t page[4096] __attribute__((aligned(4096)));
			int n, rounds = loops() / 4 ? loops() / 4 : 1;

			for (n = 0; n < rounds; n++) {
				struct vfio_pci d;

				if (vfio_dev_open(&d, bdf, VFIO_TYPE1v2_IOMMU))
					_exit(1);
				if (vfio_map(d.container, page, 0x100000, 4096,
					     VFIO_DMA_MAP_FLAG_READ))
					_exit(2);
				if (vfio_read32(&d, 0, EDU_ID) != EDU_ID_VALUE)
					_exit(3);
				vfio_pci_close(&d);
			}
			_exit(0);
		}
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("process %d: status %#x", i, status);
	}
	EXPECT_EQ(0, sysfs_write("/sys/bus/pci/drivers/virtio-pci/bind", rng));
}

TEST_HARNESS_MAIN
