// SPDX-License-Identifier: GPL-2.0-only
/*
 * An adversarial sweep of the uAPI that asserts the exact Linux 6.1
 * result of every call (reference §1.2-§1.7, §4.4-§4.9, §6):
 *
 * - every ioctl number VFIO_BASE+0..24 and a few unknown ones on every
 *   fd kind (container before and after SET_IOMMU, group, vfio-pci
 *   device, mtty group and device) with argsz 0, 1, minsz-1, minsz,
 *   minsz+1 and 0xffffffff; each unknown flag bit; indexes, starts and
 *   counts at 0, the limit, past it, the maximum and overflowing u32;
 *   bad eventfds (-2, /dev/null, a closed number); NULL arguments;
 * - the edu's config space at every offset with 1, 2, 3, 4 and 8 byte
 *   accesses, writes to read-only fields, virtualized BARs, a COMMAND
 *   memory-disable by every access size, accesses past the end;
 * - region read/write and mmap at and past every region's end, regions
 *   that do not exist, offsets with bit 63 set;
 * - the same on an mtty-2 instance;
 * - no pin leaked (nr_foll_pin_acquired - nr_foll_pin_released is back
 *   where it started) and the edu still answers through an mmap of BAR0.
 *
 * Where the expected value is that of 6.1 code rather than of the
 * reference text, the comment names the 6.1 function it comes from.
 */
#include <sys/eventfd.h>
#include <sys/mman.h>

#include <linux/pci_regs.h>

#include "kselftest_harness.h"
#include "vfio_test.h"

#define MTTY_TYPE	"/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-2"
#define MDEVS		"/sys/bus/mdev/devices"
#define ADV_UUID	"ad7e5a11-0000-4a7f-9d3b-0000000000a1"
#define PIN_FILE	"/tmp/vfio_adversarial.pins"
#define REG(i)		((uint64_t)(i) << 40)
#define CFG		VFIO_PCI_CONFIG_REGION_INDEX
#define ARGBUF		4096

/* ioctl(2) result: 0 for success (the value must then be 0), else errno */
static int ioc(int fd, unsigned long cmd, void *arg)
{
	long ret = ioctl(fd, cmd, arg);

	if (ret < 0)
		return errno;
	return ret ? -1000 - (int)ret : 0;	/* an unexpected positive value */
}

/* pread/pwrite result: the byte count, or -errno */
static long prd(int fd, void *buf, size_t n, uint64_t off)
{
	ssize_t r = pread(fd, buf, n, (off_t)off);

	return r < 0 ? -errno : r;
}

static long pwr(int fd, const void *buf, size_t n, uint64_t off)
{
	ssize_t r = pwrite(fd, buf, n, (off_t)off);

	return r < 0 ? -errno : r;
}

static int mmap_errno(int fd, size_t len, int flags, uint64_t off)
{
	void *p = mmap(NULL, len, PROT_READ, flags, fd, (off_t)off);

	if (p == MAP_FAILED)
		return errno;
	munmap(p, len);
	return 0;
}

/* An fd number that is not open in this process. */
static int closed_fd(void)
{
	int fd = dup(0);

	close(fd);
	return fd;
}

static void mtty_remove(void)
{
	char path[256];

	snprintf(path, sizeof(path), MDEVS "/%s/remove", ADV_UUID);
	if (!access(path, F_OK))
		sysfs_write(path, "1");
}

FIXTURE(adv) {
	char bdf[32];
	struct vfio_pci d;	/* the edu, type1v2 */
	struct vfio_pci m;	/* the mtty-2 instance */
	int fresh;		/* a container never given a group */
	uint8_t *arg;
	uint64_t cfg_size;
	uint64_t bar0_size;
};

FIXTURE_SETUP(adv)
{
	struct vfio_region_info ri;

	self->d.device = self->m.device = -1;
	self->d.group = self->m.group = -1;
	self->d.container = self->m.container = self->fresh = -1;
	PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, self->bdf, sizeof(self->bdf));
	MDEV_TYPE_OR_SKIP("mtty-2");
	ASSERT_EQ(0, pci_bind(self->bdf, "vfio-pci"));
	ASSERT_EQ(0, vfio_dev_open(&self->d, self->bdf, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, vfio_region_info(self->d.device, CFG, &ri));
	self->cfg_size = ri.size;
	ASSERT_EQ(0, vfio_region_info(self->d.device, 0, &ri));
	self->bar0_size = ri.size;

	mtty_remove();
	ASSERT_EQ(0, sysfs_write(MTTY_TYPE "/create", ADV_UUID));
	ASSERT_EQ(0, vfio_dev_open(&self->m, ADV_UUID, VFIO_TYPE1v2_IOMMU));

	self->fresh = open("/dev/vfio/vfio", O_RDWR);
	ASSERT_LE(0, self->fresh);
	self->arg = mmap(NULL, ARGBUF, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->arg);
}

FIXTURE_TEARDOWN(adv)
{
	if (self->fresh >= 0)
		close(self->fresh);
	vfio_pci_close(&self->m);
	vfio_pci_close(&self->d);
	mtty_remove();
	if (self->arg && self->arg != MAP_FAILED)
		munmap(self->arg, ARGBUF);
}

/* Runs first: the pin balance before anything of this program maps. */
TEST_F(adv, a_baseline)
{
	long pins = pin_balance();
	char buf[32];
	FILE *f;

	ASSERT_NE(LONG_MIN, pins);
	snprintf(buf, sizeof(buf), "%ld", pins);
	f = fopen(PIN_FILE, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "%s\n", buf);
	fclose(f);
	EXPECT_EQ(EDU_ID_VALUE, vfio_read32(&self->d, 0, EDU_ID));
	TH_LOG("edu %s, config %llu bytes, BAR0 %llu bytes, pin balance %ld", self->bdf,
	       (unsigned long long)self->cfg_size, (unsigned long long)self->bar0_size, pins);
}

/* ---- 1. ioctl numbers x fd kinds x argsz ---- */

enum kind { C_FRESH, C_TYPE1, G_PCI, D_PCI, G_MDEV, D_MDEV, NR_KINDS };
static const char * const kind_name[] = {
	"fresh container", "type1 container", "edu group", "edu device",
	"mtty group", "mtty device",
};

/* The size 6.1 checks argsz against (0 where it reads no argsz). */
static uint32_t minsz_of(enum kind k, unsigned int n)
{
	switch (k) {
	case C_FRESH:
	case C_TYPE1:
		switch (n) {
		case 12: return 16;	/* type1 info through iova_pgsizes */
		case 13: return 32;
		case 14: return 24;
		case 17: return 8;
		}
		return 0;
	case G_PCI:
	case G_MDEV:
		switch (n) {
		case 3: return 8;
		case 4: return 4;	/* the argument is an int fd */
		}
		return 0;
	default:
		switch (n) {
		case 7: return 16;	/* device_info through num_irqs */
		case 8: return 32;
		case 9: return 16;
		case 10: return 20;
		case 12: return 12;
		case 13: return 12;
		case 14: return 64;
		case 16: return 28;	/* ioeventfd through fd, not its padding */
		case 17: return 8;
		}
		return 0;
	}
}

static bool fd_open(int fd)
{
	return fd >= 0 && fcntl(fd, F_GETFD) >= 0;
}

/*
 * The 6.1 answer to ioctl VFIO_BASE + n (n < 0: an unknown command) on
 * kind k, argument = a zeroed buffer whose first u32 is argsz.
 */
static int expected(enum kind k, int n, uint32_t argsz)
{
	uint32_t min = n >= 0 ? minsz_of(k, n) : 0;

	switch (k) {
	case C_FRESH:
		/* vfio_fops_unl_ioctl: ret = -EINVAL without a driver */
		if (n == 0 || n == 1)
			return 0;	/* version 0; extension "pointer" unknown */
		return EINVAL;
	case C_TYPE1:
		if (n == 0 || n == 1)
			return 0;
		if (n == 2)
			return EINVAL;	/* a driver is already set */
		if (n == 12)
			return argsz < min ? EINVAL : 0;
		if (n == 13 || n == 14 || n == 17)
			return EINVAL;	/* zeroed: no READ/WRITE, size 0, no op */
		return ENOTTY;		/* vfio_iommu_type1_ioctl default */
	case G_PCI:
	case G_MDEV:
		switch (n) {
		case 3:
			return argsz < min ? EINVAL : 0;
		case 4:	/* fdget first, then "already has a container" */
			return fd_open((int)argsz) ? EINVAL : EBADF;
		case 5:
			return EBUSY;	/* a device fd is open */
		case 6:
			return ENODEV;	/* the name matches no device */
		}
		return ENOTTY;
	case D_PCI:
		switch (n) {
		case 7: case 8: case 9:
			return argsz < min ? EINVAL : 0;
		case 10:		/* zeroed flags: no data type */
		case 13:		/* count 0 */
		case 16:		/* no width flag */
			return EINVAL;
		case 12:		/* one device on the edu's bus */
			return argsz < min ? EINVAL : argsz < 12 + 8 ? ENOSPC : 0;
		case 17:		/* feature 0: VF token, not a PF */
			return argsz < min ? EINVAL : ENOTTY;
		}
		return ENOTTY;
	case D_MDEV:
		switch (n) {
		case 7: case 8: case 9:
			return argsz < min ? EINVAL : 0;
		case 10:
			return EINVAL;
		case 17:		/* feature 0: no device_feature op */
			return argsz < min ? EINVAL : ENOTTY;
		}
		return ENOTTY;
	default:
		return -1;
	}
}

static int kind_fd(FIXTURE_DATA(adv) *self, enum kind k)
{
	switch (k) {
	case C_FRESH: return self->fresh;
	case C_TYPE1: return self->d.container;
	case G_PCI: return self->d.group;
	case D_PCI: return self->d.device;
	case G_MDEV: return self->m.group;
	case D_MDEV: return self->m.device;
	default: return -1;
	}
}

static const unsigned long unknown_cmds[] = {
	_IO(VFIO_TYPE, VFIO_BASE + 25),
	_IO(VFIO_TYPE, VFIO_BASE + 60),
	_IO(VFIO_TYPE, VFIO_BASE + 155),
	_IO(VFIO_TYPE, 0),
	_IOWR(VFIO_TYPE, VFIO_BASE + 7, struct vfio_device_info),	/* size bits */
	_IO('V', VFIO_BASE + 7),
};

TEST_F_TIMEOUT(adv, ioctl_numbers_by_fd_kind, 120)
{
	int k, n, a, cases = 0;

	for (k = 0; k < NR_KINDS; k++) {
		int fd = kind_fd(self, k);

		ASSERT_LE(0, fd);
		for (n = 0; n < 25 + (int)ARRAY_SIZE(unknown_cmds); n++) {
			unsigned long cmd = n < 25 ? _IO(VFIO_TYPE, VFIO_BASE + n) :
					    unknown_cmds[n - 25];
			int num = n < 25 ? n : -1;
			uint32_t min = num >= 0 ? minsz_of(k, num) : 0;
			uint32_t sizes[] = { 0, 1, min ? min - 1 : 2, min ? min : 3,
					     min ? min + 1 : 4, 0xffffffff };

			/* VFIO_DEVICE_RESET resets: once, in device_reset below */
			if ((k == D_PCI || k == D_MDEV) && num == 11)
				continue;
			for (a = 0; a < (int)ARRAY_SIZE(sizes); a++) {
				int want = expected(k, num, sizes[a]), got;

				memset(self->arg, 0, ARGBUF);
				memcpy(self->arg, &sizes[a], 4);
				got = ioc(fd, cmd, self->arg);
				EXPECT_EQ(want, got)
					TH_LOG("%s: cmd %#lx (n=%d) argsz %#x: want %s, got %s",
					       kind_name[k], cmd, num, sizes[a],
					       strerror(want),
					       got < -999 ? "positive" : strerror(got));
				cases++;
			}
		}
	}
	/* everything still answers */
	EXPECT_EQ(0, ioctl(self->d.device, VFIO_DEVICE_GET_INFO, &self->d.info));
	EXPECT_EQ(0, ioctl(self->m.device, VFIO_DEVICE_GET_INFO, &self->m.info));
	TH_LOG("%d ioctl cases", cases);
}

TEST_F(adv, device_reset)
{
	/* vfio_pci_ioctl_reset: -EINVAL unless reset_works */
	EXPECT_EQ(self->d.info.flags & VFIO_DEVICE_FLAGS_RESET ? 0 : EINVAL,
		  ioc(self->d.device, VFIO_DEVICE_RESET, NULL));
	EXPECT_EQ(EDU_ID_VALUE, vfio_read32(&self->d, 0, EDU_ID));
	EXPECT_EQ(0, ioc(self->m.device, VFIO_DEVICE_RESET, NULL));
	/* reset takes no argument: a bad pointer is never read */
	EXPECT_EQ(0, ioc(self->m.device, VFIO_DEVICE_RESET, (void *)8));
}

/* Every ioctl that reads a structure: a NULL argument is EFAULT. */
TEST_F(adv, null_arguments)
{
	static const struct { int k, n; } c[] = {
		{ C_TYPE1, 12 }, { C_TYPE1, 13 }, { C_TYPE1, 14 }, { C_TYPE1, 17 },
		{ G_PCI, 3 }, { G_PCI, 4 }, { G_PCI, 6 }, { G_MDEV, 3 }, { G_MDEV, 6 },
		{ D_PCI, 7 }, { D_PCI, 8 }, { D_PCI, 9 }, { D_PCI, 10 }, { D_PCI, 12 },
		{ D_PCI, 13 }, { D_PCI, 16 }, { D_PCI, 17 },
		{ D_MDEV, 7 }, { D_MDEV, 8 }, { D_MDEV, 9 }, { D_MDEV, 10 }, { D_MDEV, 17 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++)
		EXPECT_EQ(EFAULT, ioc(kind_fd(self, c[i].k), _IO(VFIO_TYPE, VFIO_BASE + c[i].n),
				      NULL))
			TH_LOG("%s n=%d", kind_name[c[i].k], c[i].n);
	/* the fresh container has no driver to read anything: EINVAL */
	EXPECT_EQ(EINVAL, ioc(self->fresh, VFIO_IOMMU_GET_INFO, NULL));
}

/* ---- flags: each unknown bit ---- */

static int set_irqs(int fd, uint32_t argsz, uint32_t flags, uint32_t index,
		    uint32_t start, uint32_t count, const void *data, size_t dlen)
{
	uint8_t buf[sizeof(struct vfio_irq_set) + 64] = { 0 };
	struct vfio_irq_set *s = (void *)buf;

	s->argsz = argsz;
	s->flags = flags;
	s->index = index;
	s->start = start;
	s->count = count;
	if (dlen)
		memcpy(s->data, data, dlen);
	return ioc(fd, VFIO_DEVICE_SET_IRQS, buf);
}

static int ioeventfd(int fd, uint32_t argsz, uint32_t flags, uint64_t offset,
		     uint64_t data, int32_t efd)
{
	struct vfio_device_ioeventfd io = {
		.argsz = argsz, .flags = flags, .offset = offset, .data = data, .fd = efd,
	};

	return ioc(fd, VFIO_DEVICE_IOEVENTFD, &io);
}

static int feature(int fd, uint32_t argsz, uint32_t flags, void *payload, size_t plen)
{
	uint8_t buf[sizeof(struct vfio_device_feature) + 64] = { 0 };
	struct vfio_device_feature *f = (void *)buf;

	f->argsz = argsz;
	f->flags = flags;
	if (plen)
		memcpy(f->data, payload, plen);
	return ioc(fd, VFIO_DEVICE_FEATURE, buf);
}

TEST_F(adv, unknown_flag_bits)
{
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };
	struct vfio_iommu_type1_dirty_bitmap dirty = { .argsz = sizeof(dirty) };
	struct vfio_pci_hot_reset hr = { .argsz = sizeof(hr), .count = 1 };
	struct vfio_region_info ri = { .argsz = sizeof(ri) };
	struct vfio_irq_info ii = { .argsz = sizeof(ii) };
	uint32_t base = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
	int bit, cases = 0;

	for (bit = 0; bit < 32; bit++) {
		uint32_t b = 1U << bit;

		if (bit >= 6) {
			EXPECT_EQ(EINVAL, set_irqs(self->d.device, 20, base | b,
						   VFIO_PCI_REQ_IRQ_INDEX, 0, 0, NULL, 0))
				TH_LOG("edu SET_IRQS bit %d", bit);
			EXPECT_EQ(EINVAL, set_irqs(self->m.device, 20, base | b,
						   VFIO_PCI_REQ_IRQ_INDEX, 0, 0, NULL, 0))
				TH_LOG("mtty SET_IRQS bit %d", bit);
			cases += 2;
		}
		if (bit >= 4) {
			EXPECT_EQ(EINVAL, ioeventfd(self->d.device, 32, 4 | b, EDU_LIVENESS, 0, -1))
				TH_LOG("IOEVENTFD bit %d", bit);
			cases++;
		}
		if (bit >= 19) {
			uint32_t f = VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_GET |
				     VFIO_DEVICE_FEATURE_MIGRATION | b;

			EXPECT_EQ(EINVAL, feature(self->d.device, 8, f, NULL, 0))
				TH_LOG("edu FEATURE bit %d", bit);
			EXPECT_EQ(EINVAL, feature(self->m.device, 8, f, NULL, 0))
				TH_LOG("mtty FEATURE bit %d", bit);
			cases += 2;
		}
		/* hot reset: any flag */
		hr.flags = b;
		EXPECT_EQ(EINVAL, ioc(self->d.device, VFIO_DEVICE_PCI_HOT_RESET, &hr))
			TH_LOG("HOT_RESET bit %d", bit);
		cases++;
		if (bit >= 3) {
			map.flags = VFIO_DMA_MAP_FLAG_READ | b;
			EXPECT_EQ(EINVAL, ioc(self->d.container, VFIO_IOMMU_MAP_DMA, &map))
				TH_LOG("MAP_DMA bit %d", bit);
			unmap.flags = b;
			EXPECT_EQ(EINVAL, ioc(self->d.container, VFIO_IOMMU_UNMAP_DMA, &unmap))
				TH_LOG("UNMAP_DMA bit %d", bit);
			dirty.flags = b;
			EXPECT_EQ(EINVAL, ioc(self->d.container, VFIO_IOMMU_DIRTY_PAGES, &dirty))
				TH_LOG("DIRTY_PAGES bit %d", bit);
			cases += 3;
		}
		/* info ioctls ignore the flags they are given */
		ri.argsz = sizeof(ri);
		ri.flags = b;
		ri.index = CFG;
		EXPECT_EQ(0, ioc(self->d.device, VFIO_DEVICE_GET_REGION_INFO, &ri));
		ii.argsz = sizeof(ii);
		ii.flags = b;
		ii.index = VFIO_PCI_INTX_IRQ_INDEX;
		EXPECT_EQ(0, ioc(self->d.device, VFIO_DEVICE_GET_IRQ_INFO, &ii));
		cases += 2;
	}
	/* two data types, two actions, no action */
	EXPECT_EQ(EINVAL, set_irqs(self->d.device, 24, VFIO_IRQ_SET_DATA_NONE |
				   VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER,
				   VFIO_PCI_REQ_IRQ_INDEX, 0, 1, "\0", 1));
	EXPECT_EQ(ENOTTY, set_irqs(self->d.device, 20, VFIO_IRQ_SET_DATA_NONE |
				   VFIO_IRQ_SET_ACTION_MASK | VFIO_IRQ_SET_ACTION_UNMASK,
				   VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0));
	EXPECT_EQ(ENOTTY, set_irqs(self->d.device, 20, VFIO_IRQ_SET_DATA_NONE,
				   VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0));
	/* two widths */
	EXPECT_EQ(EINVAL, ioeventfd(self->d.device, 32, 3, EDU_LIVENESS, 0, -1));
	EXPECT_EQ(EINVAL, ioeventfd(self->d.device, 32, 0, EDU_LIVENESS, 0, -1));
	/* GET and SET without PROBE */
	EXPECT_EQ(EINVAL, feature(self->d.device, 8, VFIO_DEVICE_FEATURE_GET |
				  VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY,
				  NULL, 0));
	/* VADDR with READ */
	map.flags = VFIO_DMA_MAP_FLAG_VADDR | VFIO_DMA_MAP_FLAG_READ;
	EXPECT_EQ(EINVAL, ioc(self->d.container, VFIO_IOMMU_MAP_DMA, &map));
	/* two dirty-page operations */
	dirty.flags = VFIO_IOMMU_DIRTY_PAGES_FLAG_START | VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP;
	EXPECT_EQ(EINVAL, ioc(self->d.container, VFIO_IOMMU_DIRTY_PAGES, &dirty));
	TH_LOG("%d flag cases", cases + 8);
}

/* ---- index / start / count ---- */

TEST_F(adv, index_start_count)
{
	struct vfio_region_info ri;
	struct vfio_irq_info ii = { .argsz = sizeof(ii) };
	uint32_t ridx[] = { 0, 6, 7, 8, 9, 10, 0x7fffffff, 0xffffffff };
	uint32_t iidx[] = { 0, 1, 2, 3, 4, 5, 0x7fffffff, 0xffffffff };
	unsigned int i;
	int nr = self->d.info.num_regions;

	ASSERT_EQ(9, nr);
	ASSERT_EQ(5, self->d.info.num_irqs);
	for (i = 0; i < ARRAY_SIZE(ridx); i++) {
		/* edu: BAR0, no ROM (size 0), config; no VGA: index 8 EINVAL */
		int want_pci = ridx[i] <= 7 ? 0 : EINVAL;
		/* mtty answers every fixed index below 9 */
		int want_mtty = ridx[i] <= 8 ? 0 : EINVAL;

		EXPECT_EQ(-want_pci, vfio_region_info(self->d.device, ridx[i], &ri))
			TH_LOG("edu region %#x", ridx[i]);
		EXPECT_EQ(-want_mtty, vfio_region_info(self->m.device, ridx[i], &ri))
			TH_LOG("mtty region %#x", ridx[i]);
	}
	for (i = 0; i < ARRAY_SIZE(iidx); i++) {
		/* edu is conventional PCI: no ERR; no MSI-X capability: count 0 */
		int want_pci = iidx[i] <= 4 && iidx[i] != 3 ? 0 : EINVAL;
		int want_mtty = iidx[i] == 0 || iidx[i] == 1 || iidx[i] == 4 ? 0 : EINVAL;

		ii.argsz = sizeof(ii);
		ii.index = iidx[i];
		EXPECT_EQ(want_pci, ioc(self->d.device, VFIO_DEVICE_GET_IRQ_INFO, &ii))
			TH_LOG("edu irq %#x", iidx[i]);
		if (iidx[i] == 2 && !want_pci)
			EXPECT_EQ(0, ii.count);
		ii.argsz = sizeof(ii);
		ii.index = iidx[i];
		EXPECT_EQ(want_mtty, ioc(self->m.device, VFIO_DEVICE_GET_IRQ_INFO, &ii))
			TH_LOG("mtty irq %#x", iidx[i]);
	}

	/* SET_IRQS on REQ (one vector), loopback BOOL 0: start and count */
	{
		static const struct { uint32_t start, count, argsz; int want; } c[] = {
			{ 0, 1, 21, 0 },
			{ 0, 1, 20, EINVAL },		/* no room for the bool */
			{ 1, 0, 20, EINVAL },		/* start past the one vector */
			{ 0, 2, 22, EINVAL },		/* start + count > 1 */
			{ 1, 1, 21, EINVAL },
			{ 0xffffffff, 1, 21, EINVAL },	/* count >= U32_MAX - start */
			{ 1, 0xffffffff, 21, EINVAL },	/* start + count overflows */
			{ 2, 0xfffffffe, 21, EINVAL },	/* start + count == 0 mod 2^32 */
			{ 0x80000000, 0x80000000, 21, EINVAL },
			{ 0, 0xffffffff, 0xffffffff, EINVAL },
		};
		uint8_t zero[8] = { 0 };
		uint32_t fl = VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER;

		for (i = 0; i < ARRAY_SIZE(c); i++) {
			EXPECT_EQ(c[i].want, set_irqs(self->d.device, c[i].argsz, fl,
						      VFIO_PCI_REQ_IRQ_INDEX, c[i].start,
						      c[i].count, zero, 1))
				TH_LOG("edu REQ start %#x count %#x", c[i].start, c[i].count);
			EXPECT_EQ(c[i].want, set_irqs(self->m.device, c[i].argsz, fl,
						      VFIO_PCI_REQ_IRQ_INDEX, c[i].start,
						      c[i].count, zero, 1))
				TH_LOG("mtty REQ start %#x count %#x", c[i].start, c[i].count);
		}
		/* indexes past the last, and the missing ERR and MSI-X */
		for (i = 0; i < ARRAY_SIZE(iidx); i++) {
			int want = iidx[i] == 2 || iidx[i] == 3 || iidx[i] >= 5 ? EINVAL : -1;

			if (want < 0)
				continue;
			EXPECT_EQ(EINVAL, set_irqs(self->d.device, 21, fl, iidx[i], 0, 1, zero, 1))
				TH_LOG("edu index %#x", iidx[i]);
			EXPECT_EQ(EINVAL, set_irqs(self->m.device, 21, fl, iidx[i], 0, 1, zero, 1))
				TH_LOG("mtty index %#x", iidx[i]);
		}
		/*
		 * vfio_pci_set_ctx_trigger_single: DATA_NONE with no eventfd
		 * set falls through to -EINVAL
		 */
		EXPECT_EQ(EINVAL, set_irqs(self->d.device, 20, VFIO_IRQ_SET_DATA_NONE |
					   VFIO_IRQ_SET_ACTION_TRIGGER, VFIO_PCI_REQ_IRQ_INDEX,
					   0, 1, NULL, 0));
		/* MSI has no mask in 6.1 vfio-pci */
		EXPECT_EQ(ENOTTY, set_irqs(self->d.device, 20, VFIO_IRQ_SET_DATA_NONE |
					   VFIO_IRQ_SET_ACTION_MASK, VFIO_PCI_MSI_IRQ_INDEX,
					   0, 1, NULL, 0));
		/* INTx is not enabled: mask and unmask are EINVAL */
		EXPECT_EQ(EINVAL, set_irqs(self->d.device, 20, VFIO_IRQ_SET_DATA_NONE |
					   VFIO_IRQ_SET_ACTION_MASK, VFIO_PCI_INTX_IRQ_INDEX,
					   0, 1, NULL, 0));
		EXPECT_EQ(EINVAL, set_irqs(self->d.device, 20, VFIO_IRQ_SET_DATA_NONE |
					   VFIO_IRQ_SET_ACTION_UNMASK, VFIO_PCI_INTX_IRQ_INDEX,
					   0, 1, NULL, 0));
	}

	/* GET_PCI_HOT_RESET_INFO: too small reports the count */
	{
		struct vfio_pci_hot_reset_info *hi = (void *)self->arg;

		memset(self->arg, 0, ARGBUF);
		hi->argsz = sizeof(*hi);
		EXPECT_EQ(ENOSPC, ioc(self->d.device, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, hi));
		EXPECT_EQ(1, hi->count);
		hi->argsz = sizeof(*hi) + 8;
		EXPECT_EQ(0, ioc(self->d.device, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, hi));
		EXPECT_EQ(self->d.group_id, hi->devices[0].group_id);
	}
}

/* ---- eventfd kinds ---- */

TEST_F(adv, bad_eventfds)
{
	int efd = eventfd(0, EFD_CLOEXEC), null = open("/dev/null", O_RDWR);
	int gone = closed_fd(), m2 = -2, m1 = -1;
	uint32_t trig = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	uint32_t unmask = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_UNMASK;
	int dev = self->d.device, mdev = self->m.device;
	struct {
		struct vfio_device_feature f;
		struct vfio_device_low_power_entry_with_wakeup w;
	} lp = { .f = { .argsz = sizeof(lp), .flags = VFIO_DEVICE_FEATURE_SET |
			VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP } };

	ASSERT_LE(0, efd);
	ASSERT_LE(0, null);
	ASSERT_FALSE(fd_open(gone));

	/* REQ (vfio_pci_set_ctx_trigger_single): -1 clears, < -1 ignored */
	EXPECT_EQ(EINVAL, set_irqs(dev, 24, trig, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &null, 4));
	EXPECT_EQ(EBADF, set_irqs(dev, 24, trig, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &gone, 4));
	EXPECT_EQ(0, set_irqs(dev, 24, trig, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &m2, 4));
	EXPECT_EQ(0, set_irqs(dev, 24, trig, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &efd, 4));
	EXPECT_EQ(0, set_irqs(dev, 24, trig, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &m1, 4));
	EXPECT_EQ(EINVAL, set_irqs(dev, 23, trig, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &efd, 4));

	/* MSI: the failed fd rolls back to no interrupt mode */
	EXPECT_EQ(EINVAL, set_irqs(dev, 24, trig, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &null, 4));
	EXPECT_EQ(EBADF, set_irqs(dev, 24, trig, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &gone, 4));

	/* INTx trigger: bad fds refused, INTx still off */
	EXPECT_EQ(EINVAL, set_irqs(dev, 24, trig, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &null, 4));
	EXPECT_EQ(EBADF, set_irqs(dev, 24, trig, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &gone, 4));
	EXPECT_EQ(EINVAL, set_irqs(dev, 20, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK,
				   VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0));
	/*
	 * vfio_pci_set_intx_trigger: any fd < 0 enables INTx without a
	 * trigger (no eventfd is looked up)
	 */
	EXPECT_EQ(0, set_irqs(dev, 24, trig, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &m2, 4));
	EXPECT_EQ(0, set_irqs(dev, 20, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK,
			      VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0));
	/* unmask eventfd: bad kinds; fd < 0 only disables */
	EXPECT_EQ(EINVAL, set_irqs(dev, 24, unmask, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &null, 4));
	EXPECT_EQ(EBADF, set_irqs(dev, 24, unmask, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &gone, 4));
	EXPECT_EQ(0, set_irqs(dev, 24, unmask, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &m2, 4));
	EXPECT_EQ(ENOTTY, set_irqs(dev, 24, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_MASK,
				   VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &efd, 4));
	/* a bad replacement trigger is refused, INTx stays enabled */
	EXPECT_EQ(EINVAL, set_irqs(dev, 24, trig, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &null, 4));
	EXPECT_EQ(0, set_irqs(dev, 20, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
			      VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0));
	/* MSI while INTx is on */
	EXPECT_EQ(EINVAL, set_irqs(dev, 24, trig, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &efd, 4));
	EXPECT_EQ(0, vfio_irq_disable(dev, VFIO_PCI_INTX_IRQ_INDEX));
	EXPECT_EQ(EINVAL, set_irqs(dev, 20, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK,
				   VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0));

	/* low power with a bad wakeup eventfd: refused before any change */
	lp.w.wakeup_eventfd = -1;
	EXPECT_EQ(EINVAL, ioc(dev, VFIO_DEVICE_FEATURE, &lp));
	lp.w.wakeup_eventfd = null;
	EXPECT_EQ(EINVAL, ioc(dev, VFIO_DEVICE_FEATURE, &lp));
	lp.w.wakeup_eventfd = gone;
	EXPECT_EQ(EBADF, ioc(dev, VFIO_DEVICE_FEATURE, &lp));
	EXPECT_EQ(EDU_ID_VALUE, vfio_read32(&self->d, 0, EDU_ID));

	/*
	 * mtty: the same kinds (its -2 answer is the project's documented
	 * mtty model, asserted by vfio_mdev, and not repeated here)
	 */
	EXPECT_EQ(EINVAL, set_irqs(mdev, 24, trig, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &null, 4));
	EXPECT_EQ(EBADF, set_irqs(mdev, 24, trig, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &gone, 4));
	EXPECT_EQ(EINVAL, set_irqs(mdev, 24, trig, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &null, 4));
	EXPECT_EQ(EBADF, set_irqs(mdev, 24, trig, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &gone, 4));
	EXPECT_EQ(EINVAL, set_irqs(mdev, 24, trig, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &null, 4));
	EXPECT_EQ(EBADF, set_irqs(mdev, 24, trig, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &gone, 4));
	EXPECT_EQ(0, set_irqs(mdev, 24, trig, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &efd, 4));
	EXPECT_EQ(EINVAL, set_irqs(mdev, 24, unmask, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &null, 4));
	EXPECT_EQ(EBADF, set_irqs(mdev, 24, unmask, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &gone, 4));
	EXPECT_EQ(0, vfio_irq_disable(mdev, VFIO_PCI_INTX_IRQ_INDEX));

	close(null);
	close(efd);
}

/* ---- ioeventfd ---- */

TEST_F(adv, ioeventfd_offsets_and_fds)
{
	int efd = eventfd(0, EFD_CLOEXEC), null = open("/dev/null", O_RDWR);
	int dev = self->d.device, gone = closed_fd();
	uint64_t sz = self->bar0_size;
	static const uint64_t bad_off[] = {
		REG(1), REG(5) + 4, REG(6), REG(7), REG(8), REG(9), REG(0xffffff),
		1ULL << 63, (1ULL << 63) | EDU_LIVENESS, ~0ULL, ~0ULL - 3,
		0x7fffffffffffffffULL, REG(0) | (1ULL << 39),
		/* as a signed loff_t these are BAR -1, -2, -5, -6 */
		0xffffff0000000000ULL, 0xffffff0000000000ULL | EDU_LIVENESS,
		0xfffffe0000000000ULL, 0xfffffb0000000000ULL | 0x10,
		0xfffffa0000000000ULL,
	};
	unsigned int i;

	ASSERT_LE(0, efd);
	ASSERT_EQ(1 << 20, sz);
	EXPECT_EQ(0, ioeventfd(dev, 32, 4, EDU_LIVENESS, 0x1234, efd));
	EXPECT_EQ(EEXIST, ioeventfd(dev, 32, 4, EDU_LIVENESS, 0x1234, efd));
	EXPECT_EQ(0, ioeventfd(dev, 32, 4, EDU_LIVENESS, 0x1234, -1));
	EXPECT_EQ(ENODEV, ioeventfd(dev, 32, 4, EDU_LIVENESS, 0x1234, -1));
	/* minsz is offsetofend(fd) = 28, the padding after it is not needed */
	EXPECT_EQ(EINVAL, ioeventfd(dev, 27, 4, EDU_LIVENESS, 0x1234, efd));
	EXPECT_EQ(0, ioeventfd(dev, 28, 4, EDU_LIVENESS, 0x1234, efd));
	EXPECT_EQ(0, ioeventfd(dev, 0xffffffff, 4, EDU_LIVENESS, 0x1234, -1));
	EXPECT_EQ(ENODEV, ioeventfd(dev, 0xffffffff, 4, EDU_LIVENESS, 0x1234, -1));
	EXPECT_EQ(EINVAL, ioeventfd(dev, 32, 4, EDU_LIVENESS, 0, -2));
	EXPECT_EQ(EINVAL, ioeventfd(dev, 32, 4, EDU_LIVENESS, 0, null));
	EXPECT_EQ(EBADF, ioeventfd(dev, 32, 4, EDU_LIVENESS, 0, gone));
	/* at the end of BAR0: last dword exists (not registered), past it not */
	EXPECT_EQ(ENODEV, ioeventfd(dev, 32, 4, sz - 4, 0, -1));
	EXPECT_EQ(ENODEV, ioeventfd(dev, 32, 8, sz - 8, 0, -1));
	EXPECT_EQ(ENODEV, ioeventfd(dev, 32, 1, sz - 1, 0, -1));
	EXPECT_EQ(EINVAL, ioeventfd(dev, 32, 4, sz - 3, 0, -1));
	EXPECT_EQ(EINVAL, ioeventfd(dev, 32, 8, sz - 4, 0, -1));
	EXPECT_EQ(EINVAL, ioeventfd(dev, 32, 1, sz, 0, -1));
	EXPECT_EQ(EINVAL, ioeventfd(dev, 32, 1, REG(1) - 1, 0, -1));
	for (i = 0; i < ARRAY_SIZE(bad_off); i++) {
		EXPECT_EQ(EINVAL, ioeventfd(dev, 32, 1, bad_off[i], 0, -1))
			TH_LOG("offset %#llx", (unsigned long long)bad_off[i]);
		EXPECT_EQ(EINVAL, ioeventfd(dev, 32, 4, bad_off[i], 0, efd))
			TH_LOG("offset %#llx with an eventfd", (unsigned long long)bad_off[i]);
	}
	/* nothing was registered by any of it */
	EXPECT_EQ(ENODEV, ioeventfd(dev, 32, 4, EDU_LIVENESS, 0x1234, -1));
	/* mtty has no ioeventfd */
	EXPECT_EQ(ENOTTY, ioeventfd(self->m.device, 32, 4, 0, 0, efd));
	close(null);
	close(efd);
}

/* ---- VFIO_DEVICE_FEATURE ---- */

TEST_F(adv, device_features)
{
	uint32_t G = VFIO_DEVICE_FEATURE_GET, S = VFIO_DEVICE_FEATURE_SET;
	uint32_t P = VFIO_DEVICE_FEATURE_PROBE;
	static const uint32_t absent[] = { 0, 1, 2, 6, 7, 8, 9, 10, 11, 0x100, 0xffff };
	static const uint32_t mabsent[] = { 0, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x100, 0xffff };
	struct vfio_device_feature_mig_state ms = { 0 };
	uint64_t mflags = 0;
	unsigned int i;
	int dev = self->d.device, mdev = self->m.device;

	EXPECT_EQ(EINVAL, feature(dev, 7, P | S | 3, NULL, 0));
	EXPECT_EQ(EINVAL, feature(mdev, 7, P | G | 1, NULL, 0));
	EXPECT_EQ(EINVAL, feature(dev, 0, G | 1, NULL, 0));
	/* features the edu does not have: ENOTTY for every op */
	for (i = 0; i < ARRAY_SIZE(absent); i++) {
		EXPECT_EQ(ENOTTY, feature(dev, 8 + 64, G | absent[i], NULL, 0))
			TH_LOG("edu feature %u GET", absent[i]);
		EXPECT_EQ(ENOTTY, feature(dev, 8 + 64, P | S | absent[i], NULL, 0))
			TH_LOG("edu feature %u PROBE SET", absent[i]);
	}
	/* low power: probe only (vfio_check_feature), GET unsupported */
	EXPECT_EQ(0, feature(dev, 8, P | S | VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY, NULL, 0));
	EXPECT_EQ(0, feature(dev, 8, P | S | VFIO_DEVICE_FEATURE_LOW_POWER_EXIT, NULL, 0));
	EXPECT_EQ(0, feature(dev, 8, P | S | VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP,
			     NULL, 0));
	EXPECT_EQ(EINVAL, feature(dev, 8, G | VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY, NULL, 0));
	EXPECT_EQ(EINVAL, feature(dev, 8, P | G | VFIO_DEVICE_FEATURE_LOW_POWER_EXIT, NULL, 0));
	EXPECT_EQ(EINVAL, feature(dev, 8, VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY, NULL, 0));
	EXPECT_EQ(EINVAL, feature(dev, 8 + 7, S | VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP,
				  NULL, 0));

	/*
	 * mtty: migration is there, nothing else; without a device_feature
	 * op 6.1's vfio_ioctl_device_feature returns -ENOTTY, and so do the
	 * DMA logging features without log_ops
	 */
	for (i = 0; i < ARRAY_SIZE(mabsent); i++) {
		EXPECT_EQ(ENOTTY, feature(mdev, 8 + 64, G | mabsent[i], NULL, 0))
			TH_LOG("mtty feature %u GET", mabsent[i]);
		EXPECT_EQ(ENOTTY, feature(mdev, 8 + 64, P | S | mabsent[i], NULL, 0))
			TH_LOG("mtty feature %u PROBE SET", mabsent[i]);
		EXPECT_EQ(ENOTTY, feature(mdev, 8 + 64, S | mabsent[i], NULL, 0))
			TH_LOG("mtty feature %u SET", mabsent[i]);
	}
	EXPECT_EQ(0, feature(mdev, 8, P | G | VFIO_DEVICE_FEATURE_MIGRATION, NULL, 0));
	EXPECT_EQ(EINVAL, feature(mdev, 8, P | S | VFIO_DEVICE_FEATURE_MIGRATION, NULL, 0));
	EXPECT_EQ(EINVAL, feature(mdev, 8 + 8, S | VFIO_DEVICE_FEATURE_MIGRATION, &mflags, 8));
	EXPECT_EQ(EINVAL, feature(mdev, 8 + 8, VFIO_DEVICE_FEATURE_MIGRATION, &mflags, 8));
	EXPECT_EQ(EINVAL, feature(mdev, 8 + 7, G | VFIO_DEVICE_FEATURE_MIGRATION, &mflags, 8));
	EXPECT_EQ(0, feature(mdev, 8 + 8, G | VFIO_DEVICE_FEATURE_MIGRATION, &mflags, 8));
	EXPECT_EQ(0, feature(mdev, 8, P | G | S | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, NULL, 0));
	EXPECT_EQ(EINVAL, feature(mdev, 8 + 7, G | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, &ms, 8));
	EXPECT_EQ(0, feature(mdev, 8 + 8, G | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, &ms, 8));
}

/* ---- 2. config space of the edu ---- */

static void cfg_ref(int dev, uint64_t size, uint8_t *ref)
{
	uint64_t o;

	for (o = 0; o < size; o += 4)
		if (pread(dev, ref + o, 4, REG(CFG) + o) != 4)
			memset(ref + o, 0xee, 4);
}

TEST_F_TIMEOUT(adv, config_read_every_offset_and_size, 300)
{
	static const size_t sizes[] = { 1, 2, 3, 4, 8 };
	uint8_t ref[4096], buf[8];
	uint64_t o, n = self->cfg_size;
	unsigned int s;
	int cases = 0, bad = 0;

	ASSERT_TRUE(n == 256 || n == 4096);
	cfg_ref(self->d.device, n, ref);
	EXPECT_EQ(EDU_VENDOR | EDU_DEVICE << 16, ref[0] | ref[1] << 8 | ref[2] << 16 |
		  ref[3] << 24);
	for (o = 0; o < n; o++) {
		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			long want = o + sizes[s] <= n ? (long)sizes[s] : -EFAULT;
			long got;

			memset(buf, 0xa5, sizeof(buf));
			got = prd(self->d.device, buf, sizes[s], REG(CFG) + o);
			cases++;
			if (got != want) {
				if (bad++ < 10)
					TH_LOG("config read %#llx size %zu: %ld, want %ld",
					       (unsigned long long)o, sizes[s], got, want);
				continue;
			}
			if (got > 0 && memcmp(buf, ref + o, got)) {
				if (bad++ < 10)
					TH_LOG("config read %#llx size %zu: bytes differ",
					       (unsigned long long)o, sizes[s]);
			}
		}
	}
	/* past the end and in the offset's upper bits */
	EXPECT_EQ(-EFAULT, prd(self->d.device, buf, 1, REG(CFG) + n));
	EXPECT_EQ(-EFAULT, prd(self->d.device, buf, 4, REG(CFG) + n + 4));
	EXPECT_EQ(-EFAULT, prd(self->d.device, buf, 1, REG(CFG) + REG(1) - 1));
	EXPECT_EQ(-EFAULT, prd(self->d.device, buf, 8, REG(CFG) + n - 4));
	EXPECT_EQ(0, bad);
	TH_LOG("%d config reads", cases + 4);
}

/* What a write may do to each byte of the edu's config space. */
enum { W_SKIP, W_SAME, W_FLIP };

static void config_write_plan(const uint8_t *ref, uint8_t *what, uint8_t *flip)
{
	unsigned int i, pos, guard = 0;

	memset(what, W_SKIP, 256);
	memset(flip, 0, 256);
	for (i = 0; i < 0x40; i++) {
		what[i] = W_FLIP;
		flip[i] = 0xff;
	}
	/* COMMAND: its own test */
	what[PCI_COMMAND] = what[PCI_COMMAND + 1] = W_SKIP;
	/* writable: cache line, latency, BIST (raw), BARs, ROM, line (virtual) */
	for (i = PCI_CACHE_LINE_SIZE; i <= PCI_LATENCY_TIMER; i++)
		what[i] = W_SAME;
	what[PCI_BIST] = W_SAME;
	for (i = PCI_BASE_ADDRESS_0; i < PCI_CARDBUS_CIS; i++)
		what[i] = W_SAME;
	for (i = PCI_ROM_ADDRESS; i < PCI_ROM_ADDRESS + 4; i++)
		what[i] = W_SAME;
	what[PCI_INTERRUPT_LINE] = W_SAME;
	for (i = 0; i < 0x40; i++)
		if (what[i] == W_SAME)
			flip[i] = 0;

	/* capabilities: ID and next are read only; MSI flags partly */
	pos = ref[PCI_CAPABILITY_LIST] & ~3;
	while (pos >= 0x40 && pos < 0xff && guard++ < 48) {
		what[pos] = what[pos + 1] = W_FLIP;
		flip[pos] = flip[pos + 1] = 0xff;
		if (ref[pos] == PCI_CAP_ID_MSI) {
			/*
			 * init_pci_cap_msi_perm makes the whole low flags byte
			 * virtual and writable (6.1's vfio_msi_config_read
			 * refreshes MMC at the capability's start, not in the
			 * flags), so only the upper byte is read only there
			 */
			what[pos + 2] = W_SAME;
			flip[pos + 2] = 0;
			what[pos + 3] = W_FLIP;
			flip[pos + 3] = 0xff;
		}
		pos = ref[pos + 1] & ~3;
	}
}

TEST_F_TIMEOUT(adv, config_readonly_writes, 300)
{
	static const size_t sizes[] = { 1, 2, 3, 4, 8 };
	uint8_t ref[4096], what[256], flip[256], buf[8], back[8];
	unsigned int o, s, i;
	int cases = 0, bad = 0;

	cfg_ref(self->d.device, self->cfg_size, ref);
	config_write_plan(ref, what, flip);
	for (o = 0; o < 256; o++) {
		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			size_t n = sizes[s];
			bool ok = o + n <= 256, any = false;
			long got;

			for (i = 0; ok && i < n; i++) {
				ok = what[o + i] != W_SKIP;
				any |= what[o + i] == W_FLIP;
			}
			if (!ok || !any)
				continue;
			for (i = 0; i < n; i++)
				buf[i] = ref[o + i] ^ flip[o + i];
			got = pwr(self->d.device, buf, n, REG(CFG) + o);
			cases++;
			if (got != (long)n) {
				if (bad++ < 10)
					TH_LOG("config write %#x size %zu: %ld", o, n, got);
				continue;
			}
			memset(back, 0xa5, sizeof(back));
			if (prd(self->d.device, back, n, REG(CFG) + o) != (long)n ||
			    memcmp(back, ref + o, n)) {
				if (bad++ < 10)
					TH_LOG("config write %#x size %zu changed a read-only byte",
					       o, n);
				/* put back what can be put back */
				pwr(self->d.device, ref + o, n, REG(CFG) + o);
			}
		}
	}
	/* the whole space reads as before */
	{
		uint8_t now[4096];

		cfg_ref(self->d.device, self->cfg_size, now);
		EXPECT_EQ(0, memcmp(now, ref, self->cfg_size));
	}
	/* writes past the end */
	buf[0] = 0;
	EXPECT_EQ(-EFAULT, pwr(self->d.device, buf, 1, REG(CFG) + self->cfg_size));
	EXPECT_EQ(-EFAULT, pwr(self->d.device, buf, 2, REG(CFG) + self->cfg_size - 1));
	EXPECT_EQ(-EFAULT, pwr(self->d.device, buf, 8, REG(CFG) + self->cfg_size - 4));
	EXPECT_EQ(-EFAULT, pwr(self->d.device, buf, 4, REG(CFG) + REG(1) - 4));
	EXPECT_EQ(0, bad);
	EXPECT_EQ(EDU_ID_VALUE, vfio_read32(&self->d, 0, EDU_ID));
	TH_LOG("%d read-only config writes", cases + 4);
}

TEST_F(adv, config_bars_virtualized)
{
	struct vfio_region_info ri;
	uint32_t orig[7], v, ones = 0xffffffff;
	unsigned int i;

	for (i = 0; i < 7; i++) {
		unsigned int off = i < 6 ? PCI_BASE_ADDRESS_0 + 4 * i : PCI_ROM_ADDRESS;
		uint32_t want;

		orig[i] = vfio_read32(&self->d, CFG, off);
		ASSERT_EQ(0, vfio_region_info(self->d.device, i, &ri));
		ASSERT_EQ(4, pwr(self->d.device, &ones, 4, REG(CFG) + off));
		v = vfio_read32(&self->d, CFG, off);
		if (!ri.size)
			want = 0;			/* no BAR, no ROM */
		else if (i == 6)
			want = ~(uint32_t)(ri.size - 1) | PCI_ROM_ADDRESS_ENABLE;
		else if (orig[i] & PCI_BASE_ADDRESS_SPACE_IO)
			want = ~(uint32_t)(ri.size - 1) | (orig[i] & 3);
		else
			want = (uint32_t)~(ri.size - 1) | (orig[i] & 0xf);
		EXPECT_EQ(want, v) TH_LOG("BAR %u sized", i);
		/* a byte write cannot set the flag bits either */
		ASSERT_EQ(4, pwr(self->d.device, &orig[i], 4, REG(CFG) + off));
		EXPECT_EQ(orig[i], vfio_read32(&self->d, CFG, off)) TH_LOG("BAR %u restored", i);
	}
	/* BAR0 is 1 MiB of 32-bit memory */
	EXPECT_EQ(0, orig[0] & 0xf);
	EXPECT_EQ(0, orig[0] & 0xfffff);
	EXPECT_EQ(EDU_ID_VALUE, vfio_read32(&self->d, 0, EDU_ID));
}

/*
 * Clearing Memory Space Enable by any access size revokes BAR access:
 * pread/pwrite EIO, mmap SIGBUS; setting it again restores both.
 */
TEST_F_TIMEOUT(adv, command_memory_disable_every_size, 120)
{
	static const struct { unsigned int off, size; } w[] = {
		{ PCI_COMMAND, 1 }, { PCI_COMMAND, 2 }, { PCI_COMMAND, 4 },
		{ PCI_COMMAND - 1, 3 }, { PCI_VENDOR_ID, 8 },
	};
	uint8_t ref[16], buf[8];
	volatile uint32_t *bar;
	uint32_t v;
	unsigned int i;

	cfg_ref(self->d.device, 16, ref);
	if (!(ref[PCI_COMMAND] & PCI_COMMAND_MEMORY)) {
		ref[PCI_COMMAND] |= PCI_COMMAND_MEMORY;
		ASSERT_EQ(1, pwr(self->d.device, &ref[PCI_COMMAND], 1, REG(CFG) + PCI_COMMAND));
	}
	bar = mmap(NULL, self->bar0_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->d.device, REG(0));
	ASSERT_NE(MAP_FAILED, (void *)bar);
	ASSERT_FALSE(mmio_read_faults(bar, &v));
	EXPECT_EQ(EDU_ID_VALUE, v);

	for (i = 0; i < ARRAY_SIZE(w); i++) {
		memcpy(buf, ref + w[i].off, w[i].size);
		buf[PCI_COMMAND - w[i].off] &= ~PCI_COMMAND_MEMORY;
		ASSERT_EQ(w[i].size, pwr(self->d.device, buf, w[i].size, REG(CFG) + w[i].off));
		EXPECT_EQ(0, vfio_cfg_read16(&self->d, PCI_COMMAND) & PCI_COMMAND_MEMORY);
		EXPECT_EQ(-EIO, prd(self->d.device, &v, 4, REG(0) + EDU_ID))
			TH_LOG("pread after a %u-byte write at %#x", w[i].size, w[i].off);
		v = 0;
		EXPECT_EQ(-EIO, pwr(self->d.device, &v, 4, REG(0) + EDU_LIVENESS))
			TH_LOG("pwrite after a %u-byte write at %#x", w[i].size, w[i].off);
		EXPECT_TRUE(mmio_read_faults(bar, &v))
			TH_LOG("mmap read after a %u-byte write at %#x", w[i].size, w[i].off);

		/* the same size turns it back on */
		memcpy(buf, ref + w[i].off, w[i].size);
		ASSERT_EQ(w[i].size, pwr(self->d.device, buf, w[i].size, REG(CFG) + w[i].off));
		EXPECT_EQ(PCI_COMMAND_MEMORY, vfio_cfg_read16(&self->d, PCI_COMMAND) &
		       PCI_COMMAND_MEMORY);
		EXPECT_EQ(4, prd(self->d.device, &v, 4, REG(0) + EDU_ID));
		EXPECT_EQ(EDU_ID_VALUE, v);
		EXPECT_FALSE(mmio_read_faults(bar, &v));
		EXPECT_EQ(EDU_ID_VALUE, v);
	}
	munmap((void *)bar, self->bar0_size);
}

/* ---- 3. regions: bounds, missing regions, mmap ---- */

TEST_F_TIMEOUT(adv, region_bounds, 120)
{
	static const size_t counts[] = { 1, 2, 4 };
	uint32_t nr = self->d.info.num_regions, idx;
	uint8_t buf[8] = { 0 };
	unsigned int c;
	int cases = 0;

	for (idx = 0; idx < nr; idx++) {
		struct vfio_region_info ri;
		int r = vfio_region_info(self->d.device, idx, &ri);
		uint64_t base = REG(idx), size = r ? 0 : ri.size;
		bool config = idx == CFG;

		if (!size) {
			/* no BAR, no ROM, no VGA: every access EINVAL */
			EXPECT_EQ(-EINVAL, prd(self->d.device, buf, 1, base))
				TH_LOG("region %u", idx);
			EXPECT_EQ(-EINVAL, pwr(self->d.device, buf, 1, base))
				TH_LOG("region %u", idx);
			EXPECT_EQ(-EINVAL, prd(self->d.device, buf, 4, base + 0x1000));
			cases += 3;
			continue;
		}
		for (c = 0; c < ARRAY_SIZE(counts); c++) {
			/* BARs clip at the end; config refuses the whole access */
			long want = config ? (counts[c] == 1 ? 1 : -EFAULT) : 1;

			EXPECT_EQ(want, prd(self->d.device, buf, counts[c], base + size - 1))
				TH_LOG("read region %u end-1 count %zu", idx, counts[c]);
			/* the last config byte is a gap: write back what it holds */
			EXPECT_EQ(want, pwr(self->d.device, buf, counts[c], base + size - 1))
				TH_LOG("write region %u end-1 count %zu", idx, counts[c]);
			cases += 2;
		}
		EXPECT_EQ(config ? -EFAULT : -EINVAL, prd(self->d.device, buf, 1, base + size));
		EXPECT_EQ(config ? -EFAULT : -EINVAL, pwr(self->d.device, buf, 1, base + size));
		EXPECT_EQ(config ? -EFAULT : -EINVAL,
			  prd(self->d.device, buf, 4, base + REG(1) - 4));
		cases += 3;
	}
	/* regions that do not exist, and offsets the VFS refuses */
	{
		/* index 0x7fffff is the last a non-negative offset can name */
		static const uint64_t off[] = {
			REG(9), REG(10), REG(0xffff), REG(0x7fffff),
			0x7fffffffffffffffULL,
		};
		static const uint64_t neg[] = {
			REG(0xffffff), 1ULL << 63, (1ULL << 63) | REG(0), (1ULL << 63) | REG(CFG),
			~0ULL, ~0ULL - 3, 0xfffffffffffff000ULL,
		};
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(off); i++) {
			EXPECT_EQ(-EINVAL, prd(self->d.device, buf, 1, off[i]))
				TH_LOG("read %#llx", (unsigned long long)off[i]);
			EXPECT_EQ(-EINVAL, pwr(self->d.device, buf, 1, off[i]))
				TH_LOG("write %#llx", (unsigned long long)off[i]);
			EXPECT_EQ(-EINVAL, prd(self->m.device, buf, 1, off[i]))
				TH_LOG("mtty read %#llx", (unsigned long long)off[i]);
			cases += 3;
		}
		/* pos + count past LLONG_MAX: rw_verify_area */
		EXPECT_EQ(-EINVAL, prd(self->d.device, buf, 2, 0x7fffffffffffffffULL));
		EXPECT_EQ(-EINVAL, pwr(self->d.device, buf, 4, 0x7ffffffffffffffeULL));
		/* negative offsets: ksys_pread64 / ksys_pwrite64 */
		for (i = 0; i < ARRAY_SIZE(neg); i++) {
			EXPECT_EQ(-EINVAL, prd(self->d.device, buf, 1, neg[i]))
				TH_LOG("read %#llx", (unsigned long long)neg[i]);
			EXPECT_EQ(-EINVAL, pwr(self->d.device, buf, 1, neg[i]))
				TH_LOG("write %#llx", (unsigned long long)neg[i]);
			EXPECT_EQ(-EINVAL, pwr(self->m.device, buf, 1, neg[i]))
				TH_LOG("mtty write %#llx", (unsigned long long)neg[i]);
			cases += 3;
		}
		/* a zero-length access succeeds before any index check */
		EXPECT_EQ(0, prd(self->d.device, buf, 0, REG(9)));
		EXPECT_EQ(0, pwr(self->d.device, buf, 0, REG(0x7fffff)));
		EXPECT_EQ(0, prd(self->m.device, buf, 0, REG(9)));
		cases += 5;
	}
	/* ROM cannot be written even where a ROM exists; VGA is absent */
	EXPECT_EQ(-EINVAL, pwr(self->d.device, buf, 1, REG(VFIO_PCI_ROM_REGION_INDEX)));
	EXPECT_EQ(-EINVAL, prd(self->d.device, buf, 1, REG(VFIO_PCI_VGA_REGION_INDEX) + 0xa0000));
	EXPECT_EQ(EDU_ID_VALUE, vfio_read32(&self->d, 0, EDU_ID));
	TH_LOG("%d region access cases", cases + 2);
}

TEST_F(adv, mmap_bounds)
{
	int dev = self->d.device, mdev = self->m.device;
	uint64_t sz = self->bar0_size;
	static const uint64_t other[] = {
		REG(1), REG(5), REG(6), REG(7), REG(8), REG(9), REG(0xffffff),
		1ULL << 63, (1ULL << 63) | REG(0),
	};
	unsigned int i;

	EXPECT_EQ(0, mmap_errno(dev, sz, MAP_SHARED, REG(0)));
	EXPECT_EQ(0, mmap_errno(dev, 4096, MAP_SHARED, REG(0) + sz - 4096));
	EXPECT_EQ(EINVAL, mmap_errno(dev, sz + 4096, MAP_SHARED, REG(0)));
	EXPECT_EQ(EINVAL, mmap_errno(dev, 4096, MAP_SHARED, REG(0) + sz));
	EXPECT_EQ(EINVAL, mmap_errno(dev, 8192, MAP_SHARED, REG(0) + sz - 4096));
	EXPECT_EQ(EINVAL, mmap_errno(dev, 4096, MAP_SHARED, REG(1) - 4096));
	EXPECT_EQ(EINVAL, mmap_errno(dev, 4096, MAP_PRIVATE, REG(0)));
	/* do_mmap: unaligned offset, no length */
	EXPECT_EQ(EINVAL, mmap_errno(dev, 4096, MAP_SHARED, REG(0) + 4));
	EXPECT_EQ(EINVAL, mmap_errno(dev, 0, MAP_SHARED, REG(0)));
	for (i = 0; i < ARRAY_SIZE(other); i++)
		EXPECT_EQ(EINVAL, mmap_errno(dev, 4096, MAP_SHARED, other[i]))
			TH_LOG("mmap %#llx", (unsigned long long)other[i]);
	/* file_mmap_ok: the last page of the 64-bit offset space */
	EXPECT_EQ(EOVERFLOW, mmap_errno(dev, 4096, MAP_SHARED, 0xfffffffffffff000ULL));
	/* mtty has no mmap op: vfio_device_fops_mmap -EINVAL */
	EXPECT_EQ(EINVAL, mmap_errno(mdev, 4096, MAP_SHARED, REG(0)));
	EXPECT_EQ(EINVAL, mmap_errno(mdev, 4096, MAP_SHARED, REG(CFG)));
	EXPECT_EQ(EINVAL, mmap_errno(mdev, 4096, MAP_PRIVATE, REG(0)));
	/* groups and containers cannot be mapped */
	EXPECT_EQ(ENODEV, mmap_errno(self->d.group, 4096, MAP_SHARED, 0));
	EXPECT_EQ(ENODEV, mmap_errno(self->d.container, 4096, MAP_SHARED, 0));
}

/* ---- 4. mtty ---- */

TEST_F_TIMEOUT(adv, mtty_config_sweep, 300)
{
	static const size_t sizes[] = { 1, 2, 3, 4, 8 };
	uint8_t ref[256], buf[8], back[8];
	int dev = self->m.device, cases = 0, bad = 0;
	struct vfio_region_info ri;
	unsigned int o, s, i;
	uint32_t ones = 0xffffffff, v;

	ASSERT_EQ(0, vfio_region_info(dev, CFG, &ri));
	ASSERT_EQ(256, ri.size);
	cfg_ref(dev, 256, ref);
	EXPECT_EQ(0x4348, ref[0] | ref[1] << 8);
	for (o = 0; o < 256; o++) {
		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			long want = o + sizes[s] <= 256 ? (long)sizes[s] : -EINVAL;
			long got = prd(dev, buf, sizes[s], REG(CFG) + o);

			cases++;
			if (got != want || (got > 0 && memcmp(buf, ref + o, got))) {
				if (bad++ < 10)
					TH_LOG("mtty config read %#x size %zu: %ld", o, sizes[s],
					       got);
			}
		}
	}
	/*
	 * Only COMMAND, the BARs and the interrupt line take writes: every
	 * other byte must read back unchanged after any write
	 */
	for (o = 0; o < 256; o++) {
		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			size_t n = sizes[s];
			bool ok = o + n <= 256;

			for (i = 0; ok && i < n; i++) {
				unsigned int b = o + i;

				ok = !(b == PCI_COMMAND || b == PCI_COMMAND + 1 ||
				       b == PCI_INTERRUPT_LINE ||
				       (b >= PCI_BASE_ADDRESS_0 && b < PCI_CARDBUS_CIS));
			}
			if (!ok)
				continue;
			for (i = 0; i < n; i++)
				buf[i] = ~ref[o + i];
			cases++;
			if (pwr(dev, buf, n, REG(CFG) + o) != (long)n ||
			    prd(dev, back, n, REG(CFG) + o) != (long)n ||
			    memcmp(back, ref + o, n)) {
				if (bad++ < 10)
					TH_LOG("mtty config write %#x size %zu", o, n);
			}
		}
	}
	EXPECT_EQ(-EINVAL, pwr(dev, buf, 1, REG(CFG) + 256));
	EXPECT_EQ(-EINVAL, pwr(dev, buf, 2, REG(CFG) + 255));
	EXPECT_EQ(-EINVAL, prd(dev, buf, 8, REG(CFG) + 252));
	/* BARs: two I/O ports of 8 bytes, the rest absent */
	for (i = 0; i < 6; i++) {
		unsigned int off = PCI_BASE_ADDRESS_0 + 4 * i;
		uint32_t orig = vfio_read32(&self->m, CFG, off);

		ASSERT_EQ(4, pwr(dev, &ones, 4, REG(CFG) + off));
		v = vfio_read32(&self->m, CFG, off);
		EXPECT_EQ(i < 2 ? 0xfffffff9 : 0, v) TH_LOG("mtty BAR %u", i);
		ASSERT_EQ(4, pwr(dev, &orig, 4, REG(CFG) + off));
		EXPECT_EQ(orig, vfio_read32(&self->m, CFG, off));
	}
	EXPECT_EQ(0, bad);
	TH_LOG("%d mtty config cases", cases + 3);
}

TEST_F(adv, mtty_region_bounds)
{
	int dev = self->m.device;
	uint8_t buf[8] = { 0 };
	unsigned int idx, c;
	static const size_t counts[] = { 2, 4 };

	for (idx = 0; idx < 9; idx++) {
		struct vfio_region_info ri;

		ASSERT_EQ(0, vfio_region_info(dev, idx, &ri));
		EXPECT_EQ(REG(idx), ri.offset);
		EXPECT_EQ(0, ri.flags & VFIO_REGION_INFO_FLAG_MMAP);
		if (!ri.size) {
			EXPECT_EQ(-EINVAL, prd(dev, buf, 1, REG(idx))) TH_LOG("region %u", idx);
			EXPECT_EQ(-EINVAL, pwr(dev, buf, 1, REG(idx))) TH_LOG("region %u", idx);
			continue;
		}
		if (idx == CFG)
			continue;	/* swept above */
		/* the UART's scratch register is the last one: harmless */
		EXPECT_EQ(1, prd(dev, buf, 1, REG(idx) + ri.size - 1));
		EXPECT_EQ(1, pwr(dev, buf, 1, REG(idx) + ri.size - 1));
		for (c = 0; c < ARRAY_SIZE(counts); c++) {
			EXPECT_EQ(-EINVAL, prd(dev, buf, counts[c], REG(idx) + ri.size - 1));
			EXPECT_EQ(-EINVAL, pwr(dev, buf, counts[c], REG(idx) + ri.size - 1));
		}
		EXPECT_EQ(-EINVAL, prd(dev, buf, 1, REG(idx) + ri.size));
		EXPECT_EQ(-EINVAL, pwr(dev, buf, 1, REG(idx) + ri.size));
		EXPECT_EQ(-EINVAL, prd(dev, buf, 1, REG(idx) + REG(1) - 1));
	}
	EXPECT_EQ(-EINVAL, vfio_region_info(dev, 9, &(struct vfio_region_info){ 0 }));
}

/* ---- 5. pins ---- */

TEST_F(adv, dma_map_failure_leaks_no_pin)
{
	size_t len = 16 * 4096;
	long before = pin_balance();
	uint64_t unmapped = 1;
	uint8_t *buf;

	ASSERT_NE(LONG_MIN, before);
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
		   MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, vfio_map(self->d.container, buf, 0x100000, len,
			      VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE));
	EXPECT_EQ(-EEXIST, vfio_map(self->d.container, buf, 0x100000 + 4096, 4096,
				    VFIO_DMA_MAP_FLAG_READ));
	EXPECT_EQ(0, vfio_unmap(self->d.container, 0x100000, len, 0, &unmapped));
	EXPECT_EQ(len, unmapped);

	/* page 9 cannot be pinned: the first 9 pinned pages must be released */
	ASSERT_EQ(0, mprotect(buf + 9 * 4096, 4096, PROT_NONE));
	EXPECT_EQ(-EFAULT, vfio_map(self->d.container, buf, 0x100000, len,
				    VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE));
	EXPECT_EQ(0, vfio_unmap(self->d.container, 0x100000, len, 0, &unmapped));
	EXPECT_EQ(0, unmapped);
	/* the mdev container pins nothing at map time */
	EXPECT_EQ(0, vfio_map(self->m.container, buf, 0x100000, 4096, VFIO_DMA_MAP_FLAG_READ));
	munmap(buf, len);
	EXPECT_EQ(before, pin_balance());
}

/* Runs last: nothing leaked, and the edu still works. */
TEST_F(adv, z_no_leak_and_device_works)
{
	volatile uint32_t *bar;
	char buf[32] = "";
	long start, now;
	uint32_t v = 0;

	vfio_pci_close(&self->m);
	vfio_pci_close(&self->d);
	close(self->fresh);
	self->fresh = -1;
	mtty_remove();
	EXPECT_NE(0, access(MDEVS "/" ADV_UUID, F_OK));

	ASSERT_EQ(0, sysfs_read(PIN_FILE, buf, sizeof(buf)));
	start = atol(buf);
	now = pin_balance();
	EXPECT_EQ(start, now);

	ASSERT_EQ(0, vfio_dev_open(&self->d, self->bdf, VFIO_TYPE1v2_IOMMU));
	bar = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->d.device, REG(0));
	ASSERT_NE(MAP_FAILED, (void *)bar);
	EXPECT_FALSE(mmio_read_faults(bar + EDU_ID / 4, &v));
	EXPECT_EQ(EDU_ID_VALUE, v);
	munmap((void *)bar, 4096);
	unlink(PIN_FILE);
}

TEST_HARNESS_MAIN
