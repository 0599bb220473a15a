// SPDX-License-Identifier: GPL-2.0-only
/*
 * tools/vfio/vfio-stat (copied next to this program by the guest's
 * mkinitramfs) against a state the test built: a container with two
 * mappings owned by this process under a known RLIMIT_MEMLOCK, edu open
 * with MSI and 3 interrupts fired; then the same after the close.
 */
#include <libgen.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "vfio_test.h"
#include <linux/pci_regs.h>

#define DBG		"/sys/kernel/debug/vfio"
#define RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

static char out[65536];

/* vfio-stat's output for @args in out[]; its exit status */
static int vfio_stat(const char *args)
{
	char exe[512], cmd[1024];
	ssize_t n;
	size_t len = 0;
	FILE *f;
	int st;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -1;
	exe[n] = 0;
	snprintf(cmd, sizeof(cmd), "%s/vfio-stat %s 2>&1", dirname(exe), args);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (len < sizeof(out) - 1 &&
	       (n = fread(out + len, 1, sizeof(out) - 1 - len, f)) > 0)
		len += n;
	out[len] = 0;
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* the output line starting with @prefix (copied to @line), or NULL */
static char *find_line(const char *prefix, char *line, size_t len)
{
	const char *p = out;

	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		if (!strncmp(p, prefix, strlen(prefix))) {
			snprintf(line, len, "%.*s", (int)strcspn(p, "\n"), p);
			return line;
		}
	}
	return NULL;
}

static int count_str(const char *needle)
{
	const char *p = out;
	int n = 0;

	while ((p = strstr(p, needle))) {
		n++;
		p++;
	}
	return n;
}

TEST(summary_of_built_state)
{
	struct rlimit rl = { 64 << 20, 64 << 20 };
	char bdf[32], line[512], want[256], *p, *row;
	unsigned long long bytes;
	unsigned int maps, pinned, locked, used, limit, runs, h[4];
	struct vfio_region_info ri;
	volatile uint32_t *mmio;
	struct vfio_pci d;
	char hist[256];
	uint8_t *mem;
	int efd, i, id, n;
	uint16_t cmd;

	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &rl));
	PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, bdf, sizeof(bdf));
	ASSERT_EQ(0, pci_bind(bdf, "vfio-pci"));
	ASSERT_EQ(0, vfio_dev_open(&d, bdf, VFIO_TYPE1v2_IOMMU));
	mem = mmap(NULL, 16 << 12, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, vfio_map(d.container, mem, 0x7370000, 16 << 12, RW));
	ASSERT_EQ(0, vfio_map(d.container, mem, 0x7380000, 4 << 12, RW));

	/* MSI and 3 interrupts from edu */
	cmd = vfio_cfg_read16(&d, PCI_COMMAND);
	vfio_cfg_write16(&d, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	ASSERT_EQ(0, vfio_region_info(d.device, 0, &ri));
	mmio = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		    d.device, ri.offset);
	ASSERT_NE(MAP_FAILED, mmio);
	efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_EQ(0, vfio_irq_set_eventfds(d.device, VFIO_PCI_MSI_IRQ_INDEX,
					   0, 1, &efd));
	for (i = 0; i < 3; i++) {
		mmio[EDU_IRQ_RAISE / 4] = 0x10;
		EXPECT_LE(1, eventfd_wait(efd, 2000));
		mmio[EDU_IRQ_ACK / 4] = 0x10;
	}

	ASSERT_EQ(0, vfio_stat("")) TH_LOG("%s", out);
	/* the owner line, just below its container's row */
	snprintf(want, sizeof(want), "  owner %-8d locked_vm 80 KiB memlock_limit 65536 KiB",
		 getpid());
	p = strstr(out, want);
	ASSERT_NE(NULL, p) TH_LOG("no '%s' in:\n%s", want, out);
	*p = 0;
	row = strrchr(out, '\n');
	ASSERT_NE(NULL, row);
	*row = 0;
	row = strrchr(out, '\n');
	ASSERT_NE(NULL, row);
	n = sscanf(row + 1, "%d %u %llu %u %u %u/%u %u %u %u %u %u", &id, &maps,
		   &bytes, &pinned, &locked, &used, &limit, &runs,
		   &h[0], &h[1], &h[2], &h[3]);
	ASSERT_EQ(12, n) TH_LOG("container row: %s", row + 1);
	EXPECT_EQ(2, maps);
	EXPECT_EQ(81920, bytes);
	EXPECT_EQ(20, pinned);
	EXPECT_EQ(20, locked);
	EXPECT_EQ(2, used);
	EXPECT_LE(2, limit);
	EXPECT_EQ(runs, h[0] + h[1] + h[2] + h[3]);
	EXPECT_LE(2, runs);
	EXPECT_GE(20, runs);
	EXPECT_EQ(0, h[2] + h[3]);	/* 64 KiB at most: no 2M run */
	/* the histogram is debugfs' run_sizes */
	snprintf(want, sizeof(want), DBG "/containers/%d/run_sizes", id);
	{
		FILE *f = fopen(want, "r");
		unsigned long long b;
		unsigned int c[4];

		ASSERT_NE(NULL, f);
		n = fread(hist, 1, sizeof(hist) - 1, f);
		fclose(f);
		hist[n > 0 ? n : 0] = 0;
		ASSERT_EQ(8, sscanf(hist, "4K %u %llu\n64K %u %llu\n2M %u %llu\n1G %u %llu",
				    &c[0], &b, &c[1], &b, &c[2], &b, &c[3], &b));
		for (i = 0; i < 4; i++)
			EXPECT_EQ(c[i], h[i]) TH_LOG("bucket %d", i);
	}

	ASSERT_EQ(0, vfio_stat("-D"));
	EXPECT_EQ(0, count_str("CONTAINER"));
	ASSERT_NE(NULL, find_line(bdf, line, sizeof(line))) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "%-16s %4s %-5s %7s %10s %6s %5s ", bdf, "1",
		 "msi", "1/1", "3", "on", "D0");
	EXPECT_EQ(0, strncmp(line, want, strlen(want)))
		TH_LOG("edu line '%s', want '%s'", line, want);

	/* -c, an interval and a count: two reports of containers only */
	ASSERT_EQ(0, vfio_stat("-c 1 2"));
	EXPECT_EQ(2, count_str("CONTAINER MAPPINGS"));
	EXPECT_EQ(0, count_str("DEVICE"));

	ASSERT_EQ(0, vfio_irq_disable(d.device, VFIO_PCI_MSI_IRQ_INDEX));
	close(efd);
	munmap((void *)mmio, ri.size);
	vfio_pci_close(&d);

	/* closed: the container is gone, edu has no fd and no interrupts */
	ASSERT_EQ(0, vfio_stat(""));
	snprintf(want, sizeof(want), "  owner %-8d ", getpid());
	EXPECT_EQ(0, count_str(want)) TH_LOG("%s", out);
	ASSERT_NE(NULL, find_line(bdf, line, sizeof(line))) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "%-16s %4s %-5s %7s %10s %6s ", bdf, "0",
		 "none", "0/0", "0", "off");
	EXPECT_EQ(0, strncmp(line, want, strlen(want)))
		TH_LOG("edu line '%s', want '%s'", line, want);
	munmap(mem, 16 << 12);
}

TEST(usage_and_missing_dir)
{
	EXPECT_EQ(1, vfio_stat("-d /nonexistent"));
	EXPECT_NE(NULL, strstr(out, "no such directory"));
	EXPECT_EQ(2, vfio_stat("-x"));
	EXPECT_EQ(2, vfio_stat("one"));
}

TEST_HARNESS_MAIN
