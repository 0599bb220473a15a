// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/debug/vfio/: each file against the state the test built
 * (open counts, memory decode, power state, last reset, MSI fire counts
 * after N interrupts from edu, a container's mappings, totals and run
 * sizes, mtty's migration state), and the files gone with the device fd,
 * the container or the device.
 */
#include <dirent.h>
#include <libgen.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

#include "kselftest_harness.h"
#include "vfio_test.h"
#include <linux/pci_regs.h>

#define DBG		"/sys/kernel/debug/vfio"
#define RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

static char edu_bdf[32];

/* A debugfs file, whole, NUL terminated; "" when absent. */
static const char *dbg(char *buf, size_t len, const char *fmt, ...)
{
	char path[256];
	va_list ap;
	ssize_t n;
	int fd;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	buf[0] = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return buf;
	n = read(fd, buf, len - 1);
	buf[n > 0 ? n : 0] = 0;
	close(fd);
	return buf;
}

static bool exists(const char *path)
{
	return !access(path, F_OK);
}

/* The container directory whose mappings hold a line starting @prefix. */
static int find_container(const char *prefix, char *buf, size_t len)
{
	struct dirent *de;
	int id = -1;
	DIR *dir;

	dir = opendir(DBG "/containers");
	if (!dir)
		return -1;
	while ((de = readdir(dir)) && id < 0) {
		const char *p;

		if (de->d_name[0] == '.')
			continue;
		dbg(buf, len, DBG "/containers/%s/mappings", de->d_name);
		for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
			if (!strncmp(p, prefix, strlen(prefix)))
				id = atoi(de->d_name);
	}
	closedir(dir);
	return id;
}

static void edu_open(struct __test_metadata *_metadata, struct vfio_pci *d)
{
	if (!edu_bdf[0]) {
		PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, edu_bdf, sizeof(edu_bdf));
	}
	ASSERT_EQ(0, pci_bind(edu_bdf, "vfio-pci"));
	ASSERT_EQ(0, vfio_dev_open(d, edu_bdf, VFIO_TYPE1v2_IOMMU));
}

TEST(device_files)
{
	char buf[4096], path[256];
	struct vfio_region_info ri;
	volatile uint32_t *mmio;
	struct vfio_pci d;
	int fd2, efd, i;
	uint16_t cmd;
	struct {
		struct vfio_pci_hot_reset hdr;
		int32_t fd;
	} hot = { .hdr = { .argsz = sizeof(hot), .count = 1 } };

	edu_open(_metadata, &d);
	snprintf(path, sizeof(path), DBG "/%s", edu_bdf);
	ASSERT_TRUE(exists(path));
	EXPECT_STREQ("1\n", dbg(buf, sizeof(buf), "%s/open_count", path));
	fd2 = ioctl(d.group, VFIO_GROUP_GET_DEVICE_FD, edu_bdf);
	ASSERT_LE(0, fd2);
	EXPECT_STREQ("2\n", dbg(buf, sizeof(buf), "%s/open_count", path));
	close(fd2);
	EXPECT_STREQ("1\n", dbg(buf, sizeof(buf), "%s/open_count", path));
	EXPECT_STREQ("D0\n", dbg(buf, sizeof(buf), "%s/power_state", path));
	snprintf(buf, sizeof(buf), "%s/migration", path);
	EXPECT_FALSE(exists(buf));	/* edu does not migrate */

	cmd = vfio_cfg_read16(&d, PCI_COMMAND);
	vfio_cfg_write16(&d, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	EXPECT_STREQ("on\n", dbg(buf, sizeof(buf), "%s/memory_decode", path));
	vfio_cfg_write16(&d, PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY);
	EXPECT_STREQ("off\n", dbg(buf, sizeof(buf), "%s/memory_decode", path));
	vfio_cfg_write16(&d, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);

	/* no interrupts, then MSI and 3 interrupts from edu */
	EXPECT_STREQ("type none\nvectors 0\n",
		     dbg(buf, sizeof(buf), "%s/irqs", path));
	ASSERT_EQ(0, vfio_region_info(d.device, 0, &ri));
	mmio = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		    d.device, ri.offset);
	ASSERT_NE(MAP_FAILED, mmio);
	efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_EQ(0, vfio_irq_set_eventfds(d.device, VFIO_PCI_MSI_IRQ_INDEX,
					   0, 1, &efd));
	EXPECT_STREQ("type msi\nvectors 1\n0 eventfd 1 masked 0 fired 0\n",
		     dbg(buf, sizeof(buf), "%s/irqs", path));
	for (i = 0; i < 3; i++) {
		mmio[EDU_IRQ_RAISE / 4] = 0x10;
		EXPECT_LE(1, eventfd_wait(efd, 2000));
		mmio[EDU_IRQ_ACK / 4] = 0x10;
	}
	EXPECT_STREQ("type msi\nvectors 1\n0 eventfd 1 masked 0 fired 3\n",
		     dbg(buf, sizeof(buf), "%s/irqs", path));
	ASSERT_EQ(0, vfio_irq_disable(d.device, VFIO_PCI_MSI_IRQ_INDEX));
	EXPECT_STREQ("type none\nvectors 0\n",
		     dbg(buf, sizeof(buf), "%s/irqs", path));
	close(efd);
	munmap((void *)mmio, ri.size);

	/* edu is alone behind its root port: a bus reset */
	hot.fd = d.group;
	ASSERT_EQ(0, ioctl(d.device, VFIO_DEVICE_PCI_HOT_RESET, &hot));
	EXPECT_STREQ("bus\n", dbg(buf, sizeof(buf), "%s/last_reset", path));

	vfio_pci_close(&d);
	EXPECT_STREQ("0\n", dbg(buf, sizeof(buf), "%s/open_count", path));
	EXPECT_STREQ("off\n", dbg(buf, sizeof(buf), "%s/memory_decode", path));
	ASSERT_EQ(0, pci_unbind(edu_bdf));
	EXPECT_FALSE(exists(path));
	ASSERT_EQ(0, pci_bind(edu_bdf, "vfio-pci"));
	EXPECT_TRUE(exists(path));
}

TEST(container_files)
{
	char buf[8192], want[128], path[256];
	unsigned long cnt[4] = { 0 }, total = 0;
	unsigned long long bytes[4] = { 0 }, sum = 0;
	unsigned int runs = 0, pinned, locked;
	struct vfio_pci d;
	const char *p;
	uint8_t *mem;
	int id, i;

	edu_open(_metadata, &d);
	mem = mmap(NULL, 16 << 12, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, vfio_map(d.container, mem, 0x7370000, 16 << 12, RW));
	ASSERT_EQ(0, vfio_map(d.container, mem, 0x7380000, 4 << 12, RW));

	id = find_container("0x7370000 ", buf, sizeof(buf));
	ASSERT_LE(0, id);
	snprintf(path, sizeof(path), DBG "/containers/%d", id);
	dbg(buf, sizeof(buf), "%s/mappings", path);
	snprintf(want, sizeof(want), "0x7370000 0x10000 0x%lx 16 16 ",
		 (unsigned long)mem);
	p = strstr(buf, want);
	ASSERT_NE(NULL, p) TH_LOG("%s", buf);
	ASSERT_EQ(2, sscanf(p + strlen(want), "%u %u", &runs, &i));
	EXPECT_EQ(getpid(), i);
	EXPECT_LE(1, runs);
	EXPECT_GE(16, runs);
	snprintf(want, sizeof(want), "0x7380000 0x4000 0x%lx 4 4 ",
		 (unsigned long)mem);
	EXPECT_NE(NULL, strstr(buf, want)) TH_LOG("%s", buf);

	dbg(buf, sizeof(buf), "%s/summary", path);
	EXPECT_NE(NULL, strstr(buf, "mappings 2\nbytes 81920\n")) TH_LOG("%s", buf);
	p = strstr(buf, "pinned_pages ");
	ASSERT_NE(NULL, p);
	ASSERT_EQ(2, sscanf(p, "pinned_pages %u\nlocked_pages %u", &pinned, &locked));
	EXPECT_EQ(20, pinned);
	EXPECT_EQ(20, locked);
	EXPECT_NE(NULL, strstr(buf, "dma_entries 2/")) TH_LOG("%s", buf);
	snprintf(want, sizeof(want), "owner %d locked_vm ", getpid());
	EXPECT_NE(NULL, strstr(buf, want)) TH_LOG("%s", buf);

	dbg(buf, sizeof(buf), "%s/run_sizes", path);
	EXPECT_EQ(8, sscanf(buf, "4K %lu %llu\n64K %lu %llu\n2M %lu %llu\n1G %lu %llu",
			    &cnt[0], &bytes[0], &cnt[1], &bytes[1],
			    &cnt[2], &bytes[2], &cnt[3], &bytes[3])) TH_LOG("%s", buf);
	for (i = 0; i < 4; i++) {
		total += cnt[i];
		sum += bytes[i];
	}
	EXPECT_EQ(20 << 12, sum);
	EXPECT_LE(runs + 1, total);
	EXPECT_EQ(0, cnt[2] + cnt[3]);	/* 64 KiB at most: no 2M run */

	ASSERT_EQ(0, vfio_unmap(d.container, 0x7380000, 4 << 12, 0, NULL));
	dbg(buf, sizeof(buf), "%s/summary", path);
	EXPECT_NE(NULL, strstr(buf, "mappings 1\nbytes 65536\npinned_pages 16\n"))
		TH_LOG("%s", buf);
	vfio_pci_close(&d);
	EXPECT_FALSE(exists(path));
	munmap(mem, 16 << 12);
}

TEST(mdev_migration_state)
{
	const char *uuid = "c0ffee00-7ace-4a7f-9d3b-0000000000d5";
	char buf[256], path[256];
	struct vfio_pci d;

	MDEV_TYPE_OR_SKIP("mtty-2");
	ASSERT_EQ(0, mdev_create("mtty-2", uuid));
	snprintf(path, sizeof(path), DBG "/%s/migration/state", uuid);
	EXPECT_STREQ("0\n", dbg(buf, sizeof(buf), DBG "/%s/open_count", uuid));
	ASSERT_EQ(0, vfio_dev_open(&d, uuid, VFIO_TYPE1v2_IOMMU));
	EXPECT_STREQ("1\n", dbg(buf, sizeof(buf), DBG "/%s/open_count", uuid));
	EXPECT_STREQ("RUNNING\n", dbg(buf, sizeof(buf), "%s", path));
	EXPECT_EQ(0, vfio_mig_set_state(d.device, VFIO_DEVICE_STATE_STOP, NULL));
	EXPECT_STREQ("STOP\n", dbg(buf, sizeof(buf), "%s", path));
	EXPECT_EQ(0, vfio_mig_set_state(d.device, VFIO_DEVICE_STATE_STOP_COPY, NULL));
	EXPECT_STREQ("STOP_COPY\n", dbg(buf, sizeof(buf), "%s", path));
	EXPECT_EQ(0, vfio_mig_set_state(d.device, VFIO_DEVICE_STATE_RUNNING, NULL));
	EXPECT_STREQ("RUNNING\n", dbg(buf, sizeof(buf), "%s", path));
	vfio_pci_close(&d);
	EXPECT_EQ(0, mdev_remove(uuid));
	EXPECT_FALSE(exists(path));
	snprintf(path, sizeof(path), DBG "/%s", uuid);
	EXPECT_FALSE(exists(path));
}

/* ---- every file read in a loop beside a workload ---- */

/* the reader's totals, shared with the parent: files read, errors */
static volatile unsigned long *reader;

static int read_one(const char *path, const struct stat *sb, int type,
		    struct FTW *ftw)
{
	char buf[8192];
	ssize_t n;
	int fd;

	if (type != FTW_F)
		return 0;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		if (errno != ENOENT)	/* gone with its object: fine */
			reader[1]++;
		return 0;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	/* EIO: removed while open */
	if (n < 0 && errno != EIO)
		reader[1]++;
	close(fd);
	reader[0]++;
	return 0;
}

/*
 * A child reads every file under DBG until killed, counting in the shared
 * reader[]. Returns its pid, or -1.
 */
static pid_t start_reader(void)
{
	pid_t pid;

	reader = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (reader == MAP_FAILED)
		return -1;
	pid = fork();
	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);	/* not past a failed test */
	for (;;)
		nftw(DBG, read_one, 16, FTW_PHYS);
}

/* Stop the reader: it read more than 100 files and never saw an error. */
static void stop_reader(struct __test_metadata *_metadata, pid_t pid)
{
	int status;

	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	TH_LOG("%lu files read, %lu errors", reader[0], reader[1]);
	EXPECT_LT(100, reader[0]);
	EXPECT_EQ(0, reader[1]);
	munmap((void *)reader, 4096);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Readers beside the writers: while a child reads every file in a loop,
 * containers are opened, mapped, unmapped and closed, device fds opened
 * and closed, MSI set up and torn down, an mdev created, opened and
 * removed. Nothing fails, the reader never sees an error, and the
 * workload finishes in its deadline (a stall would miss it).
 */
TEST(read_all_while_changing)
{
	const char *uuid = "c0ffee00-7ace-4a7f-9d3b-0000000000d6";
	double start, deadline = 90;
	struct vfio_pci d, m;
	int i, j, efd, fd2;
	uint8_t *mem;
	pid_t pid;

	MDEV_TYPE_OR_SKIP("mtty-2");
	mem = mmap(NULL, 64 << 12, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	pid = start_reader();
	ASSERT_LE(0, pid);

	start = now();
	for (i = 0; i < 20 && now() - start < deadline; i++) {
		edu_open(_metadata, &d);
		for (j = 0; j < 16; j++)
			ASSERT_EQ(0, vfio_map(d.container, mem + j * 4 * 4096,
					      0x100000 + j * 0x10000, 4 << 12, RW));
		fd2 = ioctl(d.group, VFIO_GROUP_GET_DEVICE_FD, edu_bdf);
		EXPECT_LE(0, fd2);
		efd = eventfd(0, EFD_CLOEXEC);
		EXPECT_EQ(0, vfio_irq_set_eventfds(d.device, VFIO_PCI_MSI_IRQ_INDEX,
						   0, 1, &efd));
		for (j = 0; j < 16; j += 2)
			EXPECT_EQ(0, vfio_unmap(d.container, 0x100000 + j * 0x10000,
						4 << 12, 0, NULL));
		EXPECT_EQ(0, vfio_irq_disable(d.device, VFIO_PCI_MSI_IRQ_INDEX));
		close(efd);
		close(fd2);
		vfio_pci_close(&d);	/* the rest go with the container */

		ASSERT_EQ(0, mdev_create("mtty-2", uuid));
		ASSERT_EQ(0, vfio_dev_open(&m, uuid, VFIO_TYPE1v2_IOMMU));
		EXPECT_EQ(0, vfio_map(m.container, mem, 0x100000, 4 << 12, RW));
		vfio_pci_close(&m);
		ASSERT_EQ(0, mdev_remove(uuid));
	}
	EXPECT_LT(now() - start, deadline) TH_LOG("%d rounds in %.0f s", i, now() - start);
	EXPECT_LE(5, i);

	TH_LOG("%d rounds in %.1f s", i, now() - start);
	stop_reader(_metadata, pid);
	munmap(mem, 64 << 12);
}

/*
 * The readers beside the concurrency test itself: while a child reads
 * every file in a loop, vfio_concurrency (next to this program) runs
 * whole, its threads and processes mapping, opening and racing for
 * groups. It passes, and the reader never sees an error.
 */
FIXTURE(whole_test) {};
FIXTURE_SETUP(whole_test) {}
FIXTURE_TEARDOWN(whole_test) {}

TEST_F_TIMEOUT(whole_test, read_all_while_vfio_concurrency_runs, 900)
{
	char exe[512], prog[600];
	int status;
	pid_t pid, test;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ASSERT_LT(0, n);
	exe[n] = 0;
	snprintf(prog, sizeof(prog), "%s/vfio_concurrency", dirname(exe));
	ASSERT_EQ(0, access(prog, X_OK)) TH_LOG("%s: %s", prog, strerror(errno));
	pid = start_reader();
	ASSERT_LE(0, pid);

	test = fork();
	ASSERT_LE(0, test);
	if (!test) {
		/* its TAP goes to our stderr, as diagnostics; a quarter of
		 * its rounds: it also runs whole, alone, in the suite */
		dup2(2, 1);
		setenv("VFIO_CONCURRENCY_LOOPS", "100", 1);
		execl(prog, prog, (char *)NULL);
		_exit(127);
	}
	ASSERT_EQ(test, waitpid(test, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("vfio_concurrency ended with status %#x", status);

	stop_reader(_metadata, pid);
}

TEST_HARNESS_MAIN
