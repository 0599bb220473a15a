// SPDX-License-Identifier: GPL-2.0-only
/*
 * Errors that say what to do: a failure the user can fix leaves one kernel
 * log line naming the process, the container or group, the request and
 * the fix (memlock limit with the amount needed, the usable IOVA ranges,
 * dma_entry_limit with its value, the device keeping a group from being
 * viable, a device fd asked for too early or by a wrong name), and a
 * burst of the same failure is rate limited.
 *
 * Each case waits out the default ratelimit interval (5 s) first, so the
 * failures of earlier tests cannot have used up its burst (10).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "vfio_test.h"

#define PG		4096ULL
#define RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)
#define LIMIT_PARAM	"/sys/module/vfio_iommu_type1/parameters/dma_entry_limit"
#define BURST		50
/* DEFAULT_RATELIMIT_BURST, with room for an interval ending mid-burst */
#define MAX_LINES	20
/* the request and fix parts of two messages, the same in any process */
#define IOVA_LINE	"VFIO_IOMMU_MAP_DMA iova 0xfee00000 size 0x1000 is outside the usable IOVA ranges 0x0-0xfedfffff,0xfef00000-0x"
#define LIMIT_LINE	"VFIO_IOMMU_MAP_DMA iova 0x200000: dma_entry_limit (8 mappings) reached:"

static char logbuf[1 << 21];

/* lines of the kernel log holding @needle (each holds it once) */
static int log_count(const char *needle)
{
	const char *p = logbuf;
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, logbuf, sizeof(logbuf) - 1);

	if (n < 0)
		return -1;
	logbuf[n] = 0;
	for (n = 0; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* the first log line holding @needle, for diagnostics */
static const char *log_line(const char *needle, char *out, size_t len)
{
	const char *p;

	log_count(needle);
	p = strstr(logbuf, needle);
	if (!p)
		return "(none)";
	while (p > logbuf && p[-1] != '\n')
		p--;
	snprintf(out, len, "%.*s", (int)strcspn(p, "\n"), p);
	return out;
}

static void fresh_ratelimit_window(void)
{
	sleep(6);
}

static void edu_container(struct __test_metadata *_metadata, struct vfio_pci *d)
{
	char bdf[32];

	PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, bdf, sizeof(bdf));
	ASSERT_EQ(0, pci_bind(bdf, "vfio-pci"));
	ASSERT_EQ(0, vfio_dev_open(d, bdf, VFIO_TYPE1v2_IOMMU));
}

/*
 * MAP_DMA over RLIMIT_MEMLOCK (an unprivileged child with 64 KiB mapping
 * 1 MiB): the line says how much the mapping needs and what the limit is.
 */
TEST(memlock_says_limit_and_need)
{
	char bdf[32], group_path[64], needle[160], line[512];
	int go[2], done[2], status, i, before;
	pid_t pid;
	char c;

	PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, bdf, sizeof(bdf));
	ASSERT_EQ(0, pci_bind(bdf, "vfio-pci"));
	snprintf(group_path, sizeof(group_path), "/dev/vfio/%d", pci_iommu_group(bdf));
	ASSERT_EQ(0, chown(group_path, 1000, 1000));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	fresh_ratelimit_window();
	/* earlier tests may have failed the same way: count from here */
	before = log_count("size 0x100000 needs 1024 KiB of locked memory, RLIMIT_MEMLOCK is 64 KiB: raise the memlock limit");

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct rlimit rl = { 64 << 10, 64 << 10 };
		uint8_t *buf;
		int ct, g;

		if (setgid(1000) || setuid(1000) || setrlimit(RLIMIT_MEMLOCK, &rl))
			_exit(10);
		buf = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		ct = open("/dev/vfio/vfio", O_RDWR);
		g = open(group_path, O_RDWR);
		if (buf == MAP_FAILED || ct < 0 || g < 0 ||
		    ioctl(g, VFIO_GROUP_SET_CONTAINER, &ct) ||
		    ioctl(ct, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
			_exit(11);
		/* one failure, then a burst once the parent has looked */
		if (vfio_map(ct, buf, 0x100000, 1 << 20, RW) != -ENOMEM)
			_exit(12);
		if (write(done[1], "x", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(13);
		for (i = 0; i < BURST; i++)
			if (vfio_map(ct, buf, 0x100000, 1 << 20, RW) != -ENOMEM)
				_exit(14);
		_exit(0);
	}
	ASSERT_EQ(1, read(done[0], &c, 1));
	snprintf(needle, sizeof(needle), "vfio_messages[%d] container ", (int)pid);
	EXPECT_EQ(1, log_count(needle)) TH_LOG("%s", log_line(needle, line, sizeof(line)));
	snprintf(needle, sizeof(needle),
		 "size 0x100000 needs 1024 KiB of locked memory, RLIMIT_MEMLOCK is 64 KiB: raise the memlock limit");
	EXPECT_EQ(before + 1, log_count(needle))
		TH_LOG("no memlock line with the need and limit; got: %s",
		       log_line("RLIMIT_MEMLOCK is", line, sizeof(line)));

	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, chown(group_path, 0, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status)) TH_LOG("child set-up/errno check %d failed",
						 WEXITSTATUS(status));
	snprintf(needle, sizeof(needle), "vfio_messages[%d] container ", (int)pid);
	i = log_count(needle);
	EXPECT_LT(1, i);
	EXPECT_GE(MAX_LINES, i) TH_LOG("%d lines for %d failures: not rate limited",
				       i, BURST + 1);
}

/* an IOVA in the MSI window: the line lists the usable ranges */
TEST(iova_outside_ranges_lists_them)
{
	char needle[160], line[512];
	struct vfio_pci d;
	uint8_t *buf;
	int i, n, before;

	buf = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	edu_container(_metadata, &d);
	fresh_ratelimit_window();

	snprintf(needle, sizeof(needle), "vfio_messages[%d] container ", getpid());
	ASSERT_EQ(0, log_count(needle));
	before = log_count(IOVA_LINE);
	EXPECT_EQ(-EINVAL, vfio_map(d.container, buf, 0xfee00000ULL, PG, RW));
	EXPECT_EQ(1, log_count(needle)) TH_LOG("%s", log_line(needle, line, sizeof(line)));
	EXPECT_EQ(before + 1, log_count(IOVA_LINE))
		TH_LOG("got: %s", log_line(needle, line, sizeof(line)));

	for (i = 0; i < BURST; i++)
		EXPECT_EQ(-EINVAL, vfio_map(d.container, buf, 0xfee00000ULL, PG, RW));
	n = log_count(needle);
	EXPECT_LT(1, n);
	EXPECT_GE(MAX_LINES, n) TH_LOG("%d lines for %d failures: not rate limited",
				       n, BURST + 1);
	/* a usable IOVA still maps, and says nothing */
	EXPECT_EQ(0, vfio_map(d.container, buf, 0x100000, PG, RW));
	EXPECT_EQ(n, log_count(needle));
	vfio_pci_close(&d);
}

/* ENOSPC: the line gives dma_entry_limit's value */
TEST(dma_entry_limit_gives_value)
{
	char needle[160], line[512], old[32];
	struct vfio_pci d;
	uint8_t *buf;
	int i, n, before;

	buf = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, sysfs_read(LIMIT_PARAM, old, sizeof(old)));
	old[strcspn(old, "\n")] = 0;
	ASSERT_EQ(0, sysfs_write(LIMIT_PARAM, "8"));
	/* the limit is read when the container gets its IOMMU */
	edu_container(_metadata, &d);
	ASSERT_EQ(0, sysfs_write(LIMIT_PARAM, old));
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, vfio_map(d.container, buf + i * PG,
				      0x100000 + i * 2 * PG, PG, RW));
	fresh_ratelimit_window();

	snprintf(needle, sizeof(needle), "vfio_messages[%d] container ", getpid());
	ASSERT_EQ(0, log_count(needle));
	before = log_count(LIMIT_LINE);
	EXPECT_EQ(-ENOSPC, vfio_map(d.container, buf + 8 * PG, 0x200000, PG, RW));
	EXPECT_EQ(1, log_count(needle)) TH_LOG("%s", log_line(needle, line, sizeof(line)));
	EXPECT_EQ(before + 1, log_count(LIMIT_LINE))
		TH_LOG("got: %s", log_line(needle, line, sizeof(line)));

	for (i = 0; i < BURST; i++)
		EXPECT_EQ(-ENOSPC, vfio_map(d.container, buf + 8 * PG, 0x200000, PG, RW));
	n = log_count(needle);
	EXPECT_LT(1, n);
	EXPECT_GE(MAX_LINES, n) TH_LOG("%d lines for %d failures: not rate limited",
				       n, BURST + 1);
	vfio_pci_close(&d);
}

/*
 * The edu at 00:03.0 shares its IOMMU group with a virtio-rng driven by
 * virtio-pci (see vfio_core): SET_CONTAINER fails with EPERM and the line
 * names the virtio-rng.
 */
TEST(non_viable_group_names_holder)
{
	char edu[32], rng[32], path[64], needle[160], line[512];
	int container, group, gid, i, n;

	PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, true, edu, sizeof(edu));
	snprintf(rng, sizeof(rng), "%.*s1", (int)strlen(edu) - 1, edu);
	gid = pci_iommu_group(edu);
	ASSERT_EQ(gid, pci_iommu_group(rng));
	ASSERT_EQ(0, pci_bind(rng, "virtio-pci"));
	ASSERT_EQ(0, pci_bind(edu, "vfio-pci"));
	container = open("/dev/vfio/vfio", O_RDWR);
	ASSERT_LE(0, container);
	snprintf(path, sizeof(path), "/dev/vfio/%d", gid);
	group = open(path, O_RDWR);
	ASSERT_LE(0, group);
	fresh_ratelimit_window();

	snprintf(needle, sizeof(needle), "vfio_messages[%d] group %d: ", getpid(), gid);
	ASSERT_EQ(0, log_count(needle));
	EXPECT_EQ(EPERM, ioctl_errno(group, VFIO_GROUP_SET_CONTAINER, &container));
	EXPECT_EQ(1, log_count(needle)) TH_LOG("%s", log_line(needle, line, sizeof(line)));
	snprintf(needle, sizeof(needle),
		 "group %d: VFIO_GROUP_SET_CONTAINER: the group is not viable: %s is bound to a kernel driver",
		 gid, rng);
	EXPECT_LE(1, log_count(needle)) TH_LOG("got: %s", log_line("not viable", line, sizeof(line)));

	for (i = 0; i < BURST; i++)
		EXPECT_EQ(EPERM, ioctl_errno(group, VFIO_GROUP_SET_CONTAINER, &container));
	snprintf(needle, sizeof(needle), "vfio_messages[%d] group %d: ", getpid(), gid);
	n = log_count(needle);
	EXPECT_LT(1, n);
	EXPECT_GE(MAX_LINES, n) TH_LOG("%d lines for %d failures: not rate limited",
				       n, BURST + 1);
	close(group);
	close(container);
}

/*
 * VFIO_GROUP_GET_DEVICE_FD on the edu behind root port 1: before the group
 * has a container with an IOMMU the line says to set them; with a name
 * that is no device of the group (control characters in it come out
 * escaped) it says where the group's devices are listed.
 */
TEST(get_device_fd_says_what_is_missing)
{
	static const char bogus[] = "0000:ff:1f.7\n\033[1mfake";
	char edu[32], path[64], needle[200], line[512];
	int group, gid, i, n, before;
	struct vfio_pci d;

	PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, edu, sizeof(edu));
	ASSERT_EQ(0, pci_bind(edu, "vfio-pci"));
	gid = pci_iommu_group(edu);
	ASSERT_LE(0, gid);
	snprintf(path, sizeof(path), "/dev/vfio/%d", gid);
	group = open(path, O_RDWR);
	ASSERT_LE(0, group);
	fresh_ratelimit_window();

	snprintf(needle, sizeof(needle), "vfio_messages[%d] group %d: VFIO_GROUP_GET_DEVICE_FD: ",
		 getpid(), gid);
	ASSERT_EQ(0, log_count(needle));
	EXPECT_EQ(EINVAL, ioctl_errno(group, VFIO_GROUP_GET_DEVICE_FD, edu));
	EXPECT_EQ(1, log_count(needle)) TH_LOG("%s", log_line(needle, line, sizeof(line)));
	before = log_count("VFIO_GROUP_GET_DEVICE_FD: the group is in no container with an IOMMU model: VFIO_GROUP_SET_CONTAINER, then VFIO_SET_IOMMU, first");
	EXPECT_LE(1, before) TH_LOG("got: %s", log_line(needle, line, sizeof(line)));
	for (i = 0; i < BURST; i++)
		EXPECT_EQ(EINVAL, ioctl_errno(group, VFIO_GROUP_GET_DEVICE_FD, edu));
	n = log_count(needle);
	EXPECT_LT(1, n);
	EXPECT_GE(MAX_LINES, n) TH_LOG("%d lines for %d failures: not rate limited",
				       n, BURST + 1);
	close(group);

	/* the name: escaped, with the group's device list */
	ASSERT_EQ(0, vfio_dev_open(&d, edu, VFIO_TYPE1v2_IOMMU));
	fresh_ratelimit_window();
	snprintf(needle, sizeof(needle),
		 "group %d: VFIO_GROUP_GET_DEVICE_FD: no device \"0000:ff:1f.7\\n\\e[1mfake\" in the group: its devices are in /sys/kernel/iommu_groups/%d/devices",
		 gid, gid);
	before = log_count(needle);
	EXPECT_EQ(ENODEV, ioctl_errno(d.group, VFIO_GROUP_GET_DEVICE_FD, (void *)bogus));
	EXPECT_EQ(before + 1, log_count(needle))
		TH_LOG("got: %s", log_line("no device", line, sizeof(line)));
	/* a long name is cut at 64 bytes; one of PAGE_SIZE bytes, unterminated, is EINVAL */
	{
		static char longname[100], page[4096];
		char cut[128];

		memset(longname, 'x', sizeof(longname) - 1);
		memset(page, 'y', sizeof(page));
		snprintf(cut, sizeof(cut), "no device \"%.64s\" in the group", longname);
		before = log_count(cut);
		EXPECT_EQ(ENODEV, ioctl_errno(d.group, VFIO_GROUP_GET_DEVICE_FD, longname));
		EXPECT_EQ(before + 1, log_count(cut))
			TH_LOG("got: %s", log_line("no device", line, sizeof(line)));
		EXPECT_EQ(EINVAL, ioctl_errno(d.group, VFIO_GROUP_GET_DEVICE_FD, page));
	}
	/* the real name still opens, and says nothing */
	n = log_count("VFIO_GROUP_GET_DEVICE_FD");
	i = ioctl(d.group, VFIO_GROUP_GET_DEVICE_FD, edu);
	EXPECT_LE(0, i);
	if (i >= 0)
		close(i);
	EXPECT_EQ(n, log_count("VFIO_GROUP_GET_DEVICE_FD"));
	vfio_pci_close(&d);
}

TEST_HARNESS_MAIN
