// SPDX-License-Identifier: GPL-2.0-only
/*
 * Teardown under load. Worker threads fault on a BAR mmap, map and unmap
 * DMA, write COMMAND and switch interrupts on and off, while the
 * main thread closes the device, group and container fds in every order,
 * forks with the fds live, or while the device is unbound, the mdev
 * removed, or the module asked to unload. Each scenario runs in a child
 * process with a deadline: a hang fails the test instead of stalling the
 * suite. Delays come from a fixed seed (VFIO_RACES_SEED overrides it).
 * The runner then checks the pin balance, unloads every module and (in
 * the debug tier) asks kmemleak, so whatever a race leaked is caught.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <linux/pci_regs.h>

#include "kselftest_harness.h"
#include "vfio_test.h"

#define PG		4096ULL
#define RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)
#define DEADLINE_S	60
#define ROUNDS		6
#define HAS_FAILURE(m)	((m)->passed == 0)

static char edu_bdf[32];
static uint64_t seed = 1;

static unsigned int rnd(unsigned int n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed % n;
}

struct load {
	struct vfio_pci d;
	bool mdev;		/* no BAR mmap, no DMA mapping of its own */
	volatile bool stop;
	uint8_t *mem;
	int efd;
	unsigned long ops;
	pthread_t t[4];
	unsigned int nworkers;
};

/* Stop and join the workers (again: a no-op). */
static void stop_workers(struct load *l)
{
	l->stop = true;
	while (l->nworkers)
		pthread_join(l->t[--l->nworkers], NULL);
}

static __thread sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(bus_jmp, 1);
}

static void *bar_worker(void *arg)
{
	struct load *l = arg;
	struct vfio_region_info ri;
	volatile uint32_t *m;

	if (vfio_region_info(l->d.device, VFIO_PCI_BAR0_REGION_INDEX, &ri))
		return NULL;
	m = mmap(NULL, ri.size, PROT_READ, MAP_SHARED, l->d.device, ri.offset);
	if (m == MAP_FAILED)
		return NULL;
	while (!l->stop) {
		if (!sigsetjmp(bus_jmp, 1))
			(void)m[rnd(ri.size / PG) * PG / 4];
		__atomic_add_fetch(&l->ops, 1, __ATOMIC_RELAXED);
	}
	munmap((void *)m, ri.size);
	return NULL;
}

static void *dma_worker(void *arg)
{
	struct load *l = arg;
	unsigned int i = 0;

	while (!l->stop) {
		uint64_t iova = 0x10000000ULL + (i++ % 8) * 0x10000;

		vfio_map(l->d.container, l->mem, iova, 4 * PG, RW);
		vfio_unmap(l->d.container, iova, 4 * PG, 0, NULL);
		__atomic_add_fetch(&l->ops, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *config_worker(void *arg)
{
	struct load *l = arg;
	uint64_t cfg = vfio_region_offset(l->d.device,
					  VFIO_PCI_CONFIG_REGION_INDEX);
	/*
	 * The INTx disable bit (virtualized: it masks what we deliver).
	 * Not memory decode: toggling it while the DMA worker maps, under
	 * QEMU's TCG with its VT-d model, stalls the guest in the IOMMU's
	 * invalidation wait (qi_submit_sync); vfio_hostile races decode
	 * toggles against BAR faults and resets instead.
	 */
	uint64_t off = cfg + PCI_COMMAND + 1;
	uint8_t bit = PCI_COMMAND_INTX_DISABLE >> 8;

	while (!l->stop) {
		uint8_t cmd;
		uint16_t id;

		if (pread(l->d.device, &cmd, 1, off) == 1) {
			cmd ^= bit;
			pwrite(l->d.device, &cmd, 1, off);
		}
		pread(l->d.device, &id, 2, cfg + PCI_VENDOR_ID);
		__atomic_add_fetch(&l->ops, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *irq_worker(void *arg)
{
	struct load *l = arg;

	while (!l->stop) {
		/*
		 * Not INTx on the edu: INTx switched on and off while another
		 * thread writes COMMAND hangs the guest (an open defect, see
		 * Documentation/dev-tools/testing.rst).
		 */
		unsigned int index = l->mdev && rnd(2) ? VFIO_PCI_INTX_IRQ_INDEX :
							 VFIO_PCI_MSI_IRQ_INDEX;

		vfio_irq_set_eventfds(l->d.device, index, 0, 1, &l->efd);
		vfio_irq_set_action(l->d.device, index,
				    VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1);
		vfio_irq_disable(l->d.device, index);
		__atomic_add_fetch(&l->ops, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* What the main thread of a scenario does while the workers run. */
enum teardown {
	CLOSE_DEVICE_GROUP_CONTAINER,
	CLOSE_CONTAINER_GROUP_DEVICE,
	CLOSE_GROUP_DEVICE_CONTAINER,
	FORK_THEN_CLOSE,
	UNBIND,
	MDEV_REMOVE,
	RMMOD_IN_USE,
};

static void close_fds(struct load *l, const char *order)
{
	for (; *order; order++) {
		int *fd = *order == 'd' ? &l->d.device :
			  *order == 'g' ? &l->d.group : &l->d.container;

		usleep(rnd(20) * 1000);
		close(*fd);
		*fd = -1;
	}
}

/*
 * Unbind edu from vfio-pci while it is in use (the parent writes unbind,
 * from a process that holds no fd of ours); answer its request like QEMU:
 * stop using the device (the BAR mmap holds it too) and close.
 */
static int unbind_in_use(struct load *l, int ready)
{
	int req = eventfd(0, EFD_CLOEXEC);

	if (req < 0 || vfio_irq_set_eventfds(l->d.device,
					     VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &req))
		return -1;
	if (write(ready, "u", 1) != 1)
		return -2;
	if (!eventfd_wait(req, 20000))
		return -3;
	stop_workers(l);
	close_fds(l, "dgc");
	close(req);
	return 0;
}

static int scenario(struct load *l, enum teardown how, int ready)
{
	void *(*workers[4])(void *) = {
		config_worker, irq_worker, bar_worker, dma_worker,
	};
	unsigned int n = l->mdev ? 2 : 4;
	int ret = 0;

	for (l->nworkers = 0; l->nworkers < n; l->nworkers++)
		if (pthread_create(&l->t[l->nworkers], NULL,
				   workers[l->nworkers], l))
			break;
	if (l->nworkers < n) {
		stop_workers(l);
		return -1;
	}
	usleep((50 + rnd(200)) * 1000);

	switch (how) {
	case CLOSE_DEVICE_GROUP_CONTAINER:
		close_fds(l, "dgc");
		break;
	case CLOSE_CONTAINER_GROUP_DEVICE:
		close_fds(l, "cgd");
		break;
	case CLOSE_GROUP_DEVICE_CONTAINER:
		close_fds(l, "gdc");
		break;
	case FORK_THEN_CLOSE: {
		pid_t pid = fork();

		if (!pid) {
			/* the child holds the fds a moment, then exits */
			usleep(rnd(100) * 1000);
			_exit(0);
		}
		close_fds(l, "cdg");
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			ret = -1;
		break;
	}
	case UNBIND:
		ret = unbind_in_use(l, ready);
		break;
	case MDEV_REMOVE:
		/* the parent removes it; removal waits for the fds: close */
		if (write(ready, "r", 1) != 1)
			ret = -1;
		usleep(rnd(200) * 1000);
		close_fds(l, "dgc");
		break;
	case RMMOD_IN_USE:
		/* modules in use refuse at once and change nothing */
		if (!syscall(__NR_delete_module, l->mdev ? "mtty" : "vfio_pci",
			     O_NONBLOCK) || errno != EWOULDBLOCK)
			ret = -1;
		if (!syscall(__NR_delete_module, "vfio", O_NONBLOCK) ||
		    errno != EWOULDBLOCK)
			ret = -1;
		close_fds(l, "gcd");
		break;
	}

	stop_workers(l);
	return ret;
}

/* Wait for @pid until @end; 0 when it exited 0. */
static int reap(pid_t pid, time_t end)
{
	int status = -1;

	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (time(NULL) > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -ETIMEDOUT;
		}
		usleep(20 * 1000);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * Run @how ROUNDS times, each in a child with a deadline. An unbind or
 * mdev removal is done by a helper process of the parent's, which holds
 * no fd of the child's (a fork of the child would, and wait for itself).
 */
static void run(struct __test_metadata *_metadata, enum teardown how,
		bool mdev)
{
	int round;

	if (mdev)
		MDEV_TYPE_OR_SKIP("mtty-2");
	for (round = 0; round < ROUNDS; round++) {
		time_t end = time(NULL) + DEADLINE_S;
		long pins = pin_balance();
		pid_t pid, helper = 0;
		char uuid[37] = "";
		int ready[2];
		char c;

		if (mdev) {
			snprintf(uuid, sizeof(uuid),
				 "7c1e5a90-%04x-4d2b-9e61-%012x", how, round);
			ASSERT_EQ(0, mdev_create("mtty-2", uuid));
		}
		ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			struct sigaction sa = { .sa_handler = on_sigbus };
			struct load l = { .mdev = mdev };
			int ret;

			close(ready[0]);
			seed += how * 1000 + round;
			sigaction(SIGBUS, &sa, NULL);
			l.efd = eventfd(0, EFD_CLOEXEC);
			l.mem = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
				     -1, 0);
			ret = vfio_dev_open(&l.d, mdev ? uuid : edu_bdf,
					    VFIO_TYPE1v2_IOMMU);
			if (ret || l.efd < 0 || l.mem == MAP_FAILED)
				_exit(10);
			ret = scenario(&l, how, ready[1]);
			vfio_pci_close(&l.d);
			_exit(ret ? 20 - ret : 0);
		}
		close(ready[1]);
		if ((how == UNBIND || how == MDEV_REMOVE) &&
		    read(ready[0], &c, 1) == 1) {
			helper = fork();
			ASSERT_LE(0, helper);
			if (!helper) {
				char path[128];

				if (how == MDEV_REMOVE)
					_exit(mdev_remove(uuid) ? 1 : 0);
				snprintf(path, sizeof(path),
					 "/sys/bus/pci/devices/%s/driver/unbind",
					 edu_bdf);
				_exit(sysfs_write(path, edu_bdf) ? 1 : 0);
			}
		}
		close(ready[0]);

		EXPECT_EQ(0, reap(pid, end)) TH_LOG("scenario %d round %d", how,
						    round);
		if (helper)
			EXPECT_EQ(0, reap(helper, end));
		if (how == UNBIND)
			ASSERT_EQ(0, pci_bind(edu_bdf, "vfio-pci"));
		EXPECT_EQ(pins, pin_balance());
		if (mdev && how != MDEV_REMOVE)
			EXPECT_EQ(0, mdev_remove(uuid));
		if (HAS_FAILURE(_metadata))
			return;
	}
}

static void find_edu(struct __test_metadata *_metadata)
{
	const char *s = getenv("VFIO_RACES_SEED");

	if (s)
		seed = strtoull(s, NULL, 0) ? : 1;
	if (edu_bdf[0])
		return;
	PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, edu_bdf, sizeof(edu_bdf));
	ASSERT_EQ(0, pci_bind(edu_bdf, "vfio-pci"));
}

TEST(close_device_group_container_under_load)
{
	find_edu(_metadata);
	run(_metadata, CLOSE_DEVICE_GROUP_CONTAINER, false);
}

TEST(close_container_group_device_under_load)
{
	find_edu(_metadata);
	run(_metadata, CLOSE_CONTAINER_GROUP_DEVICE, false);
}

TEST(close_group_device_container_under_load)
{
	find_edu(_metadata);
	run(_metadata, CLOSE_GROUP_DEVICE_CONTAINER, false);
}

TEST(fork_with_live_fds_under_load)
{
	find_edu(_metadata);
	run(_metadata, FORK_THEN_CLOSE, false);
}

TEST(unbind_under_load)
{
	find_edu(_metadata);
	run(_metadata, UNBIND, false);
}

TEST(rmmod_in_use_under_load)
{
	find_edu(_metadata);
	run(_metadata, RMMOD_IN_USE, false);
}

TEST(mdev_close_under_load)
{
	run(_metadata, CLOSE_CONTAINER_GROUP_DEVICE, true);
}

TEST(mdev_remove_under_load)
{
	run(_metadata, MDEV_REMOVE, true);
}

TEST(mdev_rmmod_in_use_under_load)
{
	run(_metadata, RMMOD_IN_USE, true);
}

TEST_HARNESS_MAIN
