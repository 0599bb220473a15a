// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VFIO tracepoints (include/trace/events/vfio.h), through tracefs:
 * each case enables the vfio events, runs a scripted sequence against
 * edu or an mtty instance and finds every event it caused in the trace
 * buffer, with the field values of the request and of its outcome.
 */
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "vfio_test.h"
#include <linux/pci_regs.h>

#define TYPE1_PARAM	"/sys/module/vfio_iommu_type1/parameters/dma_entry_limit"
#define RW		(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

static char tracefs[64];
static char edu_bdf[32];

/* O_TRUNC: an empty write clears "trace" and "set_event" */
static int trace_write(const char *file, const char *val)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tracefs, file);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -errno;
	n = *val ? write(fd, val, strlen(val)) : 0;
	close(fd);
	return n < 0 ? -EIO : 0;
}

/* tracefs where it is mounted, else mounted at /sys/kernel/tracing */
static int trace_find(void)
{
	static const char * const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char path[128];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/events/vfio", dirs[i]);
		if (!access(path, F_OK)) {
			snprintf(tracefs, sizeof(tracefs), "%s", dirs[i]);
			return 0;
		}
	}
	if (mount("tracefs", dirs[0], "tracefs", 0, NULL))
		return -errno;
	snprintf(tracefs, sizeof(tracefs), "%s", dirs[0]);
	snprintf(path, sizeof(path), "%s/events/vfio", tracefs);
	return access(path, F_OK) ? -ENOENT : 0;
}

/*
 * An empty buffer recording only the vfio events. The events are turned
 * on once, not per case: each switch patches kernel text (static keys and
 * calls, text_poke_bp()), and QEMU 7.2 under TCG has wedged a guest there
 * (see testing.rst, "Open defects"). A case starts and stops the
 * recording with tracing_on instead, which patches nothing.
 */
static int trace_start(void)
{
	char path[128], on[4] = "";
	int ret = trace_find(), fd;

	if (ret)
		return ret;
	if (trace_write("tracing_on", "0"))
		return -EIO;
	snprintf(path, sizeof(path), "%s/events/vfio/enable", tracefs);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, on, sizeof(on) - 1) < 0)
		on[0] = 0;
	if (fd >= 0)
		close(fd);
	if (strcmp(on, "1\n") &&
	    (trace_write("set_event", "") ||
	     trace_write("events/vfio/enable", "1")))
		return -EIO;
	if (trace_write("trace", "") || trace_write("tracing_on", "1"))
		return -EIO;
	return 0;
}

static void trace_stop(void)
{
	trace_write("tracing_on", "0");
}

/*
 * The events off again when the program ends: in the harness's parent
 * (a case runs in a child, which ends with _exit()).
 */
static void __attribute__((destructor)) trace_off(void)
{
	if (!trace_find()) {
		trace_write("events/vfio/enable", "0");
		trace_write("tracing_on", "1");
	}
}

/* The whole trace buffer, NUL terminated; the caller frees it. */
static char *trace_read(void)
{
	size_t len = 0, cap = 1 << 16;
	char path[128], *buf = malloc(cap);
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/trace", tracefs);
	fd = open(path, O_RDONLY);
	if (fd < 0 || !buf) {
		free(buf);
		return NULL;
	}
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (cap - len < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				break;
		}
	}
	close(fd);
	if (buf)
		buf[len] = 0;
	return buf;
}

/*
 * The @nth (from 0) line of event @event whose fields include every
 * "key=value" of the NULL-terminated @want, copied to @line.
 */
static bool trace_find_event(const char *trace, const char *event, int nth,
			     char *line, size_t len, const char * const *want)
{
	char tag[64];
	const char *p;

	snprintf(tag, sizeof(tag), " %s: ", event);
	for (p = strstr(trace, tag); p; p = strstr(p + 1, tag)) {
		const char *end = strchrnul(p, '\n');
		const char * const *w;
		bool all = true;
		size_t n;

		for (w = want; *w && all; w++) {
			const char *f = p;
			size_t wl = strlen(*w);

			all = false;
			while ((f = strstr(f, *w)) && f < end) {
				if (f[-1] == ' ' && (f[wl] == ' ' || f[wl] == '\n' ||
						     !f[wl])) {
					all = true;
					break;
				}
				f++;
			}
		}
		if (!all || nth--)
			continue;
		n = end - p < (long)len - 1 ? end - p : len - 1;
		memcpy(line, p, n);
		line[n] = 0;
		return true;
	}
	return false;
}

#define FIND(trace, event, line, ...)					\
	trace_find_event(trace, event, 0, line, sizeof(line),		\
			 (const char * const []){ __VA_ARGS__, NULL })

/* The number in "key=value" of @line, or ~0 when it is absent. */
static uint64_t field(const char *line, const char *key)
{
	char tag[32];
	const char *p;

	snprintf(tag, sizeof(tag), " %s=", key);
	p = strstr(line, tag);
	return p ? strtoull(p + strlen(tag), NULL, 0) : ~0ULL;
}

static const char *kv(char *buf, const char *key, unsigned long long v,
		      bool hex)
{
	sprintf(buf, hex ? "%s=0x%llx" : "%s=%llu", key, v);
	return buf;
}

static void edu_open(struct __test_metadata *_metadata, struct vfio_pci *d)
{
	if (!edu_bdf[0]) {
		PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, edu_bdf, sizeof(edu_bdf));
		ASSERT_EQ(0, pci_bind(edu_bdf, "vfio-pci"));
	}
	ASSERT_EQ(0, vfio_dev_open(d, edu_bdf, VFIO_TYPE1v2_IOMMU));
}

/* map and unmap: the request, the pages pinned and the runs recorded */
TEST(dma_map_unmap)
{
	char line[512], a[64], b[64], c[64], e[64];
	uint64_t runs, max_run, unmapped = 0;
	struct vfio_pci d;
	char *trace;
	void *buf;

	ASSERT_EQ(0, trace_start());
	edu_open(_metadata, &d);
	buf = mmap(NULL, 16 << 12, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);

	ASSERT_EQ(0, vfio_map(d.container, buf, 0x200000, 16 << 12, RW));
	ASSERT_EQ(-EEXIST, vfio_map(d.container, buf, 0x200000, 4096, RW));
	ASSERT_EQ(0, vfio_unmap(d.container, 0x200000, 16 << 12, 0, &unmapped));
	ASSERT_EQ(16 << 12, unmapped);
	trace_stop();
	trace = trace_read();
	ASSERT_NE(NULL, trace);

	ASSERT_TRUE(FIND(trace, "vfio_dma_map", line,
			 kv(a, "pid", getpid(), false), "iova=0x200000",
			 "size=0x10000", kv(b, "vaddr", (uintptr_t)buf, true),
			 "flags=0x3", "ret=0", "pinned=16"));
	runs = field(line, "runs");
	max_run = field(line, "max_run");
	EXPECT_LE(1, runs);
	EXPECT_GE(16, runs);
	EXPECT_LE(4096, max_run);
	EXPECT_GE(16 << 12, max_run);
	EXPECT_EQ(0, max_run % 4096);
	/* 16 pages in runs: the largest holds at least its share */
	EXPECT_LE((16 << 12) / runs, max_run);

	EXPECT_TRUE(FIND(trace, "vfio_dma_map", line, "iova=0x200000",
			 "size=0x1000", "ret=-17", "pinned=0", "runs=0"));

	EXPECT_TRUE(FIND(trace, "vfio_dma_unmap", line,
			 kv(a, "pid", getpid(), false), "iova=0x200000",
			 "size=0x10000", kv(b, "vaddr", (uintptr_t)buf, true),
			 "flags=0x0", "ret=0", "unmapped=0x10000",
			 "unpinned=16", kv(c, "runs", runs, false),
			 kv(e, "max_run", max_run, true)));
	free(trace);
	munmap(buf, 16 << 12);
	vfio_pci_close(&d);
}

/* dma_entry_limit reached: the limit and the mapping count asked for */
TEST(pin_fail_entry_limit)
{
	char line[512], old[32] = "", a[64];
	struct vfio_pci d;
	char *trace;
	void *buf;
	int i;

	ASSERT_EQ(0, trace_start());
	ASSERT_EQ(0, sysfs_read(TYPE1_PARAM, old, sizeof(old)));
	ASSERT_EQ(0, sysfs_write(TYPE1_PARAM, "2"));
	edu_open(_metadata, &d);	/* the container takes the limit now */
	sysfs_write(TYPE1_PARAM, old);
	buf = mmap(NULL, 3 << 12, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, vfio_map(d.container, (char *)buf + (i << 12),
				      0x100000 + (i << 12), 4096, RW));
	ASSERT_EQ(-ENOSPC, vfio_map(d.container, (char *)buf + (2 << 12),
				    0x102000, 4096, RW));
	trace_stop();
	trace = trace_read();
	ASSERT_NE(NULL, trace);
	EXPECT_TRUE(FIND(trace, "vfio_dma_pin_fail", line,
			 kv(a, "pid", getpid(), false), "reason=dma_entry_limit",
			 "iova=0x102000", "err=-28", "limit=2", "need=3"));
	EXPECT_TRUE(FIND(trace, "vfio_dma_map", line, "iova=0x102000",
			 "ret=-28"));
	free(trace);
	vfio_unmap(d.container, 0, 0, VFIO_DMA_UNMAP_FLAG_ALL, NULL);
	munmap(buf, 3 << 12);
	vfio_pci_close(&d);
}

/* memory that cannot be pinned: fault; a BAR with decode off: pfnmap */
TEST(pin_fail_fault_and_pfnmap)
{
	char line[512], a[64];
	struct vfio_region_info ri;
	struct vfio_pci d;
	uint16_t cmd;
	char *trace;
	void *none, *bar;

	ASSERT_EQ(0, trace_start());
	edu_open(_metadata, &d);
	none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, none);
	EXPECT_EQ(-EFAULT, vfio_map(d.container, none, 0x300000, 4096, RW));

	ASSERT_EQ(0, vfio_region_info(d.device, 0, &ri));
	bar = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   d.device, ri.offset);
	ASSERT_NE(MAP_FAILED, bar);
	cmd = vfio_cfg_read16(&d, PCI_COMMAND);
	vfio_cfg_write16(&d, PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY);
	EXPECT_NE(0, vfio_map(d.container, bar, 0x400000, 4096, RW));
	vfio_cfg_write16(&d, PCI_COMMAND, cmd);
	trace_stop();
	trace = trace_read();
	ASSERT_NE(NULL, trace);
	EXPECT_TRUE(FIND(trace, "vfio_dma_pin_fail", line,
			 kv(a, "pid", getpid(), false), "reason=fault",
			 "iova=0x300000", "err=-14"));
	EXPECT_TRUE(FIND(trace, "vfio_dma_pin_fail", line, "reason=pfnmap",
			 "iova=0x400000"));
	EXPECT_TRUE(FIND(trace, "vfio_dma_map", line, "iova=0x300000",
			 "ret=-14", "pinned=0"));
	free(trace);
	munmap(bar, ri.size);
	munmap(none, 4096);
	vfio_pci_close(&d);
}

/* over RLIMIT_MEMLOCK without CAP_IPC_LOCK: the limit and the need */
TEST(pin_fail_memlock)
{
	char line[512], a[64], group_path[64];
	int status, gid;
	char *trace;
	pid_t pid;

	ASSERT_EQ(0, trace_start());
	if (!edu_bdf[0]) {
		PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, edu_bdf, sizeof(edu_bdf));
		ASSERT_EQ(0, pci_bind(edu_bdf, "vfio-pci"));
	}
	gid = pci_iommu_group(edu_bdf);
	snprintf(group_path, sizeof(group_path), "/dev/vfio/%d", gid);
	ASSERT_EQ(0, chown(group_path, 1000, 1000));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct rlimit rl = { 64 << 10, 64 << 10 };
		struct vfio_pci d;
		uint8_t *buf;

		if (setgid(1000) || setuid(1000) || setrlimit(RLIMIT_MEMLOCK, &rl))
			_exit(10);
		buf = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		/* container and group only: the device itself is not needed */
		if (buf == MAP_FAILED || vfio_dev_open(&d, edu_bdf, 0) ||
		    ioctl(d.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
			_exit(11);
		_exit(vfio_map(d.container, buf, 0x100000, 1 << 20, RW) == -ENOMEM ? 0 : 12);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, chown(group_path, 0, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	trace_stop();
	trace = trace_read();
	ASSERT_NE(NULL, trace);
	ASSERT_TRUE(FIND(trace, "vfio_dma_pin_fail", line,
			 kv(a, "pid", pid, false), "reason=memlock", "err=-12",
			 "limit=65536"));
	EXPECT_LT(64 << 10, field(line, "need"));
	EXPECT_GE((1 << 20) + (64 << 10), field(line, "need"));
	EXPECT_LE(0x100000, field(line, "iova"));
	EXPECT_GT(0x200000, field(line, "iova"));
	EXPECT_TRUE(FIND(trace, "vfio_dma_map", line, kv(a, "pid", pid, false),
			 "iova=0x100000", "size=0x100000", "ret=-12"));
	free(trace);
}

/*
 * The device: open and close with their counts, config writes with what
 * reached the hardware, SET_IRQS, INTx masking, BAR faults and resets.
 */
TEST(device_sequence)
{
	char line[512], name[64], a[64], b[64];
	volatile uint32_t *bar;
	struct vfio_region_info ri;
	struct vfio_pci d;
	uint32_t v, bar0 = 0xffffffff;
	int efd, fd2, reset_ret;
	uint16_t cmd;
	char *trace;
	struct {
		struct vfio_pci_hot_reset hdr;
		int32_t fd;
	} hot = { .hdr = { .argsz = sizeof(hot), .count = 1 } };

	ASSERT_EQ(0, trace_start());
	edu_open(_metadata, &d);
	snprintf(name, sizeof(name), "device=%s", edu_bdf);
	fd2 = ioctl(d.group, VFIO_GROUP_GET_DEVICE_FD, edu_bdf);
	ASSERT_LE(0, fd2);
	close(fd2);

	/* config: COMMAND reaches the device, BAR0 stays virtual */
	cmd = vfio_cfg_read16(&d, PCI_COMMAND);
	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	vfio_cfg_write16(&d, PCI_COMMAND, cmd);
	ASSERT_EQ(4, pwrite(d.device, &bar0, 4,
			    vfio_region_offset(d.device, VFIO_PCI_CONFIG_REGION_INDEX) +
			    PCI_BASE_ADDRESS_0));

	/* a BAR fault, then one refused with decode off */
	ASSERT_EQ(0, vfio_region_info(d.device, 0, &ri));
	bar = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   d.device, ri.offset);
	ASSERT_NE(MAP_FAILED, bar);
	EXPECT_FALSE(mmio_read_faults(bar + 1, &v));	/* page 0 */
	munmap((void *)bar, ri.size);
	bar = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   d.device, ri.offset);
	ASSERT_NE(MAP_FAILED, bar);
	vfio_cfg_write16(&d, PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY);
	EXPECT_TRUE(mmio_read_faults(bar + 1024, &v));	/* page 1 */
	vfio_cfg_write16(&d, PCI_COMMAND, cmd);
	munmap((void *)bar, ri.size);

	/* interrupts: INTx on, masked and unmasked, off; MSI on and off */
	efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, vfio_irq_set_eventfds(d.device, VFIO_PCI_INTX_IRQ_INDEX,
					   0, 1, &efd));
	ASSERT_EQ(0, vfio_irq_set_action(d.device, VFIO_PCI_INTX_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_MASK, 0, 1));
	ASSERT_EQ(0, vfio_irq_set_action(d.device, VFIO_PCI_INTX_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_UNMASK, 0, 1));
	ASSERT_EQ(0, vfio_irq_disable(d.device, VFIO_PCI_INTX_IRQ_INDEX));
	ASSERT_EQ(0, vfio_irq_set_eventfds(d.device, VFIO_PCI_MSI_IRQ_INDEX,
					   0, 1, &efd));
	ASSERT_EQ(0, vfio_irq_disable(d.device, VFIO_PCI_MSI_IRQ_INDEX));
	/* MSI cannot be masked: refused by the driver, not the core */
	EXPECT_EQ(-ENOTTY, vfio_irq_set_action(d.device, VFIO_PCI_MSI_IRQ_INDEX,
					       VFIO_IRQ_SET_ACTION_MASK, 0, 1));
	close(efd);

	/* resets: the function if it has one, the bus (edu is alone on it) */
	reset_ret = ioctl(d.device, VFIO_DEVICE_RESET) ? -errno : 0;
	hot.fd = d.group;
	EXPECT_EQ(0, ioctl(d.device, VFIO_DEVICE_PCI_HOT_RESET, &hot));
	vfio_pci_close(&d);
	trace_stop();

	trace = trace_read();
	ASSERT_NE(NULL, trace);
	EXPECT_TRUE(FIND(trace, "vfio_device_open", line, name,
			 kv(a, "pid", getpid(), false), "open_count=1", "ret=0"));
	EXPECT_TRUE(FIND(trace, "vfio_device_open", line, name,
			 "open_count=2", "ret=0"));
	EXPECT_TRUE(FIND(trace, "vfio_device_close", line, name,
			 "open_count=1"));
	EXPECT_TRUE(FIND(trace, "vfio_device_close", line, name,
			 "open_count=0"));
	EXPECT_TRUE(FIND(trace, "vfio_pci_reset", line, name, "method=open"));

	EXPECT_TRUE(FIND(trace, "vfio_pci_config_write", line, name,
			 "offset=0x4", "size=2", kv(a, "val", cmd, true), "hw=1",
			 "ret=2"));
	EXPECT_EQ(PCI_COMMAND_MASTER, field(line, "hw_val") & PCI_COMMAND_MASTER);
	EXPECT_TRUE(FIND(trace, "vfio_pci_config_write", line, name,
			 "offset=0x10", "size=4", "val=0xffffffff", "hw=0",
			 "ret=4"));

	EXPECT_TRUE(FIND(trace, "vfio_pci_mmap_fault", line, name, "bar=0",
			 "offset=0x0", "result=0x100"));
	EXPECT_TRUE(FIND(trace, "vfio_pci_mmap_fault", line, name, "bar=0",
			 "offset=0x1000", "result=0x2"));

	EXPECT_TRUE(FIND(trace, "vfio_pci_set_irqs", line, name, "index=0",
			 "start=0", "count=1",
			 kv(a, "flags", VFIO_IRQ_SET_DATA_EVENTFD |
				VFIO_IRQ_SET_ACTION_TRIGGER, true), "ret=0"));
	EXPECT_TRUE(FIND(trace, "vfio_pci_set_irqs", line, name, "index=0",
			 "count=1", kv(a, "flags", VFIO_IRQ_SET_DATA_NONE |
				       VFIO_IRQ_SET_ACTION_MASK, true), "ret=0"));
	EXPECT_TRUE(FIND(trace, "vfio_pci_intx", line, name, "mask",
			 "changed=1"));
	EXPECT_TRUE(FIND(trace, "vfio_pci_intx", line, name, "unmask",
			 "changed=1"));
	EXPECT_TRUE(FIND(trace, "vfio_pci_set_irqs", line, name, "index=1",
			 "start=0", "count=1", kv(b, "flags",
			 VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
			 true), "ret=0"));
	EXPECT_TRUE(FIND(trace, "vfio_pci_set_irqs", line, name, "index=1",
			 "count=0", "ret=0"));
	EXPECT_TRUE(FIND(trace, "vfio_pci_set_irqs", line, name, "index=1",
			 "count=1", kv(a, "flags", VFIO_IRQ_SET_DATA_NONE |
				       VFIO_IRQ_SET_ACTION_MASK, true), "ret=-25"));

	if (d.info.flags & VFIO_DEVICE_FLAGS_RESET) {
		EXPECT_EQ(0, reset_ret);
		EXPECT_TRUE(FIND(trace, "vfio_pci_reset", line, name,
				 "method=function", "ret=0"));
	} else {
		EXPECT_EQ(-EINVAL, reset_ret);
		EXPECT_FALSE(FIND(trace, "vfio_pci_reset", line, name,
				  "method=function"));
	}
	EXPECT_TRUE(FIND(trace, "vfio_pci_reset", line, name, "method=bus",
			 "ret=0"));
	free(trace);
}

/* mdev create and remove, and mtty's migration states */
TEST(mdev_and_migration)
{
	const char *uuid = "c0ffee00-7ace-4a7f-9d3b-000000000015";
	char line[512], name[64];
	struct vfio_pci d;
	char *trace;

	MDEV_TYPE_OR_SKIP("mtty-2");
	ASSERT_EQ(0, trace_start());
	ASSERT_EQ(0, mdev_create("mtty-2", uuid));
	EXPECT_EQ(-EEXIST, mdev_create("mtty-2", uuid));
	ASSERT_EQ(0, vfio_dev_open(&d, uuid, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(0, vfio_mig_set_state(d.device, VFIO_DEVICE_STATE_STOP, NULL));
	EXPECT_EQ(0, vfio_mig_set_state(d.device, VFIO_DEVICE_STATE_STOP_COPY, NULL));
	EXPECT_EQ(0, vfio_mig_set_state(d.device, VFIO_DEVICE_STATE_RUNNING, NULL));
	EXPECT_NE(0, vfio_mig_set_state(d.device, 99, NULL));
	vfio_pci_close(&d);
	EXPECT_EQ(0, mdev_remove(uuid));
	trace_stop();

	trace = trace_read();
	ASSERT_NE(NULL, trace);
	snprintf(name, sizeof(name), "device=%s", uuid);
	EXPECT_TRUE(FIND(trace, "vfio_mdev_create", line, "parent=mtty",
			 "type=mtty-2", name, "ret=0"));
	EXPECT_TRUE(FIND(trace, "vfio_mdev_create", line, name, "ret=-17"));
	EXPECT_TRUE(FIND(trace, "vfio_device_open", line, name,
			 "open_count=1", "ret=0"));
	EXPECT_TRUE(FIND(trace, "vfio_mig_state", line, name, "from=2", "to=1",
			 "ret=0"));
	EXPECT_TRUE(FIND(trace, "vfio_mig_state", line, name, "from=1", "to=3",
			 "ret=0"));
	/* STOP_COPY to RUNNING: walked through STOP, one request */
	EXPECT_TRUE(FIND(trace, "vfio_mig_state", line, name, "from=3", "to=2",
			 "ret=0"));
	EXPECT_TRUE(FIND(trace, "vfio_device_close", line, name,
			 "open_count=0"));
	EXPECT_TRUE(FIND(trace, "vfio_mdev_remove", line, name, "ret=0"));
	free(trace);
}

/* disabled: nothing reaches the buffer */
TEST(disabled_events_are_silent)
{
	struct vfio_pci d;
	char *trace, line[512];
	void *buf;

	ASSERT_EQ(0, trace_start());
	ASSERT_EQ(0, trace_write("events/vfio/enable", "0"));
	ASSERT_EQ(0, trace_write("trace", ""));
	edu_open(_metadata, &d);
	buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, vfio_map(d.container, buf, 0x500000, 4096, RW));
	ASSERT_EQ(0, vfio_unmap(d.container, 0x500000, 4096, 0, NULL));
	vfio_pci_close(&d);
	trace = trace_read();
	ASSERT_NE(NULL, trace);
	EXPECT_FALSE(FIND(trace, "vfio_dma_map", line, "iova=0x500000"));
	EXPECT_FALSE(FIND(trace, "vfio_device_open", line, "ret=0"));
	free(trace);
	munmap(buf, 4096);
}

TEST_HARNESS_MAIN
