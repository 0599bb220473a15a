// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci on QEMU's e1000e (a PCIe NIC with MSI-X): device, region and
 * irq info with the capability protocol, BAR and ROM access rules, config
 * space virtualization, MSI-X with several vectors, SET_IRQS validation,
 * and mmap revocation when memory decode is turned off.
 */
#include <sys/eventfd.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "vfio_test.h"

#define CFG_OFF(d)	vfio_region_offset((d)->device, VFIO_PCI_CONFIG_REGION_INDEX)

FIXTURE(nic) {
	struct vfio_pci d;
	char bdf[32];
};

FIXTURE_SETUP(nic)
{
	PCI_FIND_OR_SKIP(E1000E_VENDOR, E1000E_DEVICE, 0, true, self->bdf, sizeof(self->bdf));
	ASSERT_EQ(0, pci_bind(self->bdf, "vfio-pci"));
	ASSERT_EQ(0, vfio_dev_open(&self->d, self->bdf, VFIO_TYPE1v2_IOMMU));
}

FIXTURE_TEARDOWN(nic)
{
	vfio_pci_close(&self->d);
}

static uint32_t cfg_read(struct vfio_pci *d, unsigned int off, int len)
{
	uint32_t v = 0;

	if (pread(d->device, &v, len, CFG_OFF(d) + off) != len)
		return 0xdeadbeef;
	return v;
}

static int cfg_write(struct vfio_pci *d, unsigned int off, uint32_t v, int len)
{
	return pwrite(d->device, &v, len, CFG_OFF(d) + off) == len ? 0 : -errno;
}

/* The hardware's config space, as the host sees it. */
static uint32_t hw_read(const char *bdf, unsigned int off, int len)
{
	char path[128];
	uint32_t v = 0;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDONLY);
	if (fd < 0 || pread(fd, &v, len, off) != len)
		v = 0xdeadbeef;
	close(fd);
	return v;
}

TEST_F(nic, device_and_irq_info)
{
	struct vfio_device_info info = { .argsz = 15 };
	struct vfio_irq_info ii = { .argsz = sizeof(ii) };
	static const uint32_t counts[] = { 1, 1, 5, 1, 1 };
	unsigned int i;

	EXPECT_EQ(EINVAL, ioctl_errno(self->d.device, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_TRUE(self->d.info.flags & VFIO_DEVICE_FLAGS_PCI);
	EXPECT_EQ(0, self->d.info.flags & VFIO_DEVICE_FLAGS_CAPS);
	EXPECT_EQ(VFIO_PCI_NUM_REGIONS, self->d.info.num_regions);
	EXPECT_EQ(VFIO_PCI_NUM_IRQS, self->d.info.num_irqs);

	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++) {
		ii.index = i;
		ASSERT_EQ(0, ioctl(self->d.device, VFIO_DEVICE_GET_IRQ_INFO, &ii));
		EXPECT_EQ(counts[i], ii.count) TH_LOG("irq index %u", i);
		EXPECT_TRUE(ii.flags & VFIO_IRQ_INFO_EVENTFD);
		if (i)
			EXPECT_TRUE(ii.flags & VFIO_IRQ_INFO_NORESIZE);
	}
	ii.index = VFIO_PCI_NUM_IRQS;
	EXPECT_EQ(EINVAL, ioctl_errno(self->d.device, VFIO_DEVICE_GET_IRQ_INFO, &ii));
	ii.index = 0;
	ii.argsz = 15;
	EXPECT_EQ(EINVAL, ioctl_errno(self->d.device, VFIO_DEVICE_GET_IRQ_INFO, &ii));
}

TEST_F(nic, region_info_and_msix_mappable_cap)
{
	struct {
		struct vfio_region_info ri;
		struct vfio_info_cap_header cap;
	} b;
	struct vfio_region_info ri;
	unsigned int i, msix_bar = 3;

	for (i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
		int ret = vfio_region_info(self->d.device, i, &ri);

		if (i == VFIO_PCI_VGA_REGION_INDEX) {
			EXPECT_EQ(-EINVAL, ret);	/* not a VGA device */
			continue;
		}
		ASSERT_EQ(0, ret) TH_LOG("region %u", i);
		EXPECT_EQ((uint64_t)i << 40, ri.offset);
	}
	EXPECT_EQ(-EINVAL, vfio_region_info(self->d.device, 9, &ri));
	EXPECT_EQ(-EINVAL, vfio_region_info(self->d.device, ~0U, &ri));

	ASSERT_EQ(0, vfio_region_info(self->d.device, VFIO_PCI_CONFIG_REGION_INDEX, &ri));
	EXPECT_EQ(4096, ri.size);
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE, ri.flags);

	ASSERT_EQ(0, vfio_region_info(self->d.device, 0, &ri));
	EXPECT_EQ(128 << 10, ri.size);
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
		  VFIO_REGION_INFO_FLAG_MMAP, ri.flags);

	/* the I/O BAR: no mmap */
	ASSERT_EQ(0, vfio_region_info(self->d.device, 2, &ri));
	EXPECT_EQ(32, ri.size);
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE, ri.flags);

	/* the MSI-X BAR: too small a buffer gets the size it needs */
	memset(&b, 0, sizeof(b));
	b.ri.argsz = sizeof(b.ri);
	b.ri.index = msix_bar;
	ASSERT_EQ(0, ioctl(self->d.device, VFIO_DEVICE_GET_REGION_INFO, &b));
	EXPECT_TRUE(b.ri.flags & VFIO_REGION_INFO_FLAG_CAPS);
	EXPECT_TRUE(b.ri.flags & VFIO_REGION_INFO_FLAG_MMAP);
	EXPECT_EQ(sizeof(b), b.ri.argsz);
	EXPECT_EQ(0, b.ri.cap_offset);
	ASSERT_EQ(0, ioctl(self->d.device, VFIO_DEVICE_GET_REGION_INFO, &b));
	EXPECT_EQ(sizeof(b.ri), b.ri.cap_offset);
	EXPECT_EQ(VFIO_REGION_INFO_CAP_MSIX_MAPPABLE, b.cap.id);
	EXPECT_EQ(1, b.cap.version);
	EXPECT_EQ(0, b.cap.next);

	b.ri.argsz = 31;
	EXPECT_EQ(EINVAL, ioctl_errno(self->d.device, VFIO_DEVICE_GET_REGION_INFO, &b));
}

TEST_F(nic, bar_and_rom_access_rules)
{
	struct vfio_region_info ri;
	uint8_t buf[64];
	uint32_t v;

	ASSERT_EQ(0, vfio_region_info(self->d.device, 0, &ri));
	/* past the end: EINVAL; across the end: clipped */
	EXPECT_EQ(-1, pread(self->d.device, buf, 4, ri.offset + ri.size));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(4, pread(self->d.device, buf, 16, ri.offset + ri.size - 4));
	/* beyond every region */
	EXPECT_EQ(-1, pread(self->d.device, buf, 4, 12ULL << 40));
	EXPECT_EQ(EINVAL, errno);
	/* the config region ends at 4096 */
	EXPECT_EQ(-1, pread(self->d.device, buf, 4, CFG_OFF(&self->d) + 4096));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, pread(self->d.device, buf, 8, CFG_OFF(&self->d) + 4092));
	EXPECT_EQ(EFAULT, errno);

	/* the MSI-X table reads as 0xff and ignores writes */
	ASSERT_EQ(0, vfio_region_info(self->d.device, 3, &ri));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(16, pread(self->d.device, buf, 16, ri.offset));
	EXPECT_EQ(0xffffffffU, *(uint32_t *)buf);
	v = 0x12345678;
	EXPECT_EQ(4, pwrite(self->d.device, &v, 4, ri.offset));

	/* the ROM is read only */
	ASSERT_EQ(0, vfio_region_info(self->d.device, VFIO_PCI_ROM_REGION_INDEX, &ri));
	if (ri.size) {
		EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ, ri.flags);
		EXPECT_EQ(2, pread(self->d.device, buf, 2, ri.offset));
		EXPECT_EQ(0x55, buf[0]);
		EXPECT_EQ(0xaa, buf[1]);
	}
	EXPECT_EQ(-1, pwrite(self->d.device, buf, 2, ri.offset));
	EXPECT_EQ(EINVAL, errno);
	/* mmap only where MMAP is reported */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->d.device,
				   VFIO_PCI_ROM_REGION_INDEX * (1ULL << 40)));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->d.device,
				   VFIO_PCI_CONFIG_REGION_INDEX * (1ULL << 40)));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->d.device,
				   2ULL << 40));
	/* no private mappings, nothing past the BAR */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, self->d.device, 0));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 256 << 10, PROT_READ, MAP_SHARED,
				   self->d.device, 0));
}

TEST_F(nic, config_read_only_fields)
{
	uint32_t id = cfg_read(&self->d, 0, 4), class = cfg_read(&self->d, 8, 4);

	EXPECT_EQ(0x10d38086, id);
	EXPECT_EQ(0, cfg_write(&self->d, 0, 0x12345678, 4));
	EXPECT_EQ(id, cfg_read(&self->d, 0, 4));
	EXPECT_EQ(0, cfg_write(&self->d, 8, 0xffffffff, 4));
	EXPECT_EQ(class, cfg_read(&self->d, 8, 4));
	/* header type, capability pointer, interrupt pin */
	EXPECT_EQ(0, cfg_write(&self->d, 0xe, 0xff, 1));
	EXPECT_EQ(0, cfg_read(&self->d, 0xe, 1));
	EXPECT_EQ(0, cfg_write(&self->d, 0x34, 0x00, 1));
	EXPECT_NE(0, cfg_read(&self->d, 0x34, 1));
	EXPECT_EQ(0, cfg_write(&self->d, 0x3d, 0x00, 1));
	EXPECT_EQ(1, cfg_read(&self->d, 0x3d, 1));
	/* interrupt line is the user's; a 2-byte write across line and pin */
	EXPECT_EQ(0, cfg_write(&self->d, 0x3c, 0x0042, 2));
	EXPECT_EQ(0x42, cfg_read(&self->d, 0x3c, 1));
	EXPECT_EQ(1, cfg_read(&self->d, 0x3d, 1));
	/* an unaligned 3-byte write is split and stays inside its fields */
	EXPECT_EQ(0, cfg_write(&self->d, 0x3d, 0xffffff, 3));
	EXPECT_EQ(1, cfg_read(&self->d, 0x3d, 1));
}

TEST_F(nic, bar_sizing_is_emulated)
{
	uint32_t hw0 = hw_read(self->bdf, 0x10, 4);
	uint32_t bar0 = cfg_read(&self->d, 0x10, 4);

	/* MMIO 128 KiB, 32-bit, not prefetchable */
	EXPECT_EQ(0, cfg_write(&self->d, 0x10, 0xffffffff, 4));
	EXPECT_EQ(0xfffe0000, cfg_read(&self->d, 0x10, 4));
	/* I/O 32 bytes */
	EXPECT_EQ(0, cfg_write(&self->d, 0x18, 0xffffffff, 4));
	EXPECT_EQ(0xffffffe1, cfg_read(&self->d, 0x18, 4));
	/* an unimplemented BAR */
	EXPECT_EQ(0, cfg_write(&self->d, 0x20, 0xffffffff, 4));
	EXPECT_EQ(0, cfg_read(&self->d, 0x20, 4));
	/* the real BARs never change */
	EXPECT_EQ(hw0, hw_read(self->bdf, 0x10, 4));
	EXPECT_EQ(0, cfg_write(&self->d, 0x10, bar0, 4));
	EXPECT_EQ(bar0, cfg_read(&self->d, 0x10, 4));
}

static const uint8_t hidden_std[] = { 0x00, 0x04, 0x06, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };

static bool is_hidden(uint8_t id)
{
	unsigned int i;

	for (i = 0; i < sizeof(hidden_std); i++)
		if (hidden_std[i] == id)
			return true;
	return id > 0x15;
}

/* The user's chain is the hardware chain without the hidden capabilities. */
TEST_F(nic, capability_chain)
{
	uint8_t want[48], got[48];
	int nwant = 0, ngot = 0;
	uint8_t pos;

	for (pos = hw_read(self->bdf, 0x34, 1); pos && nwant < 48;
	     pos = hw_read(self->bdf, pos + 1, 1)) {
		uint8_t id = hw_read(self->bdf, pos, 1);

		if (!is_hidden(id))
			want[nwant++] = id;
	}
	for (pos = cfg_read(&self->d, 0x34, 1); pos && ngot < 48;
	     pos = cfg_read(&self->d, pos + 1, 1)) {
		EXPECT_LE(0x40, pos);
		got[ngot++] = cfg_read(&self->d, pos, 1);
	}
	ASSERT_EQ(nwant, ngot);
	EXPECT_EQ(0, memcmp(want, got, nwant));
	/* PM, MSI, PCIe and MSI-X on this device */
	EXPECT_TRUE(memchr(got, 0x01, ngot) && memchr(got, 0x05, ngot) &&
		    memchr(got, 0x10, ngot) && memchr(got, 0x11, ngot));
}

static int find_cap(struct vfio_pci *d, uint8_t id)
{
	uint8_t pos;

	for (pos = cfg_read(d, 0x34, 1); pos; pos = cfg_read(d, pos + 1, 1))
		if (cfg_read(d, pos, 1) == id)
			return pos;
	return -1;
}

TEST_F(nic, pcie_capability_virtualization)
{
	int exp = find_cap(&self->d, 0x10);
	uint16_t ctl, hw_ctl, lnk;

	ASSERT_LT(0, exp);
	ctl = cfg_read(&self->d, exp + 8, 2);
	hw_ctl = hw_read(self->bdf, exp + 8, 2);

	/* Max Payload Size is virtual: the user sees it, the device does not */
	EXPECT_EQ(0, cfg_write(&self->d, exp + 8, (ctl & ~0x00e0) | 0x0020, 2));
	EXPECT_EQ(0x0020, cfg_read(&self->d, exp + 8, 2) & 0x00e0);
	EXPECT_EQ(hw_ctl & 0x00e0, hw_read(self->bdf, exp + 8, 2) & 0x00e0);
	/* phantom functions may not be enabled */
	EXPECT_EQ(0, cfg_write(&self->d, exp + 8, ctl | 0x0200, 2));
	EXPECT_EQ(0, cfg_read(&self->d, exp + 8, 2) & 0x0200);
	EXPECT_EQ(0, hw_read(self->bdf, exp + 8, 2) & 0x0200);
	/* link control is read-only */
	lnk = cfg_read(&self->d, exp + 0x10, 2);
	EXPECT_EQ(0, cfg_write(&self->d, exp + 0x10, lnk ^ 0x0003, 2));
	EXPECT_EQ(lnk, cfg_read(&self->d, exp + 0x10, 2));
	EXPECT_EQ(0, cfg_write(&self->d, exp + 8, ctl, 2));
}

TEST_F(nic, msi_capability_rules)
{
	int msi = find_cap(&self->d, 0x05);
	uint16_t flags;

	ASSERT_LT(0, msi);
	/* Multiple Message Capable shows what the user enabled: nothing yet */
	flags = cfg_read(&self->d, msi + 2, 2);
	EXPECT_EQ(0, flags & 0x000e);
	/* the enable bit only follows SET_IRQS */
	EXPECT_EQ(0, cfg_write(&self->d, msi + 2, flags | 0x0001, 2));
	EXPECT_EQ(0, cfg_read(&self->d, msi + 2, 2) & 0x0001);
	EXPECT_EQ(0, hw_read(self->bdf, msi + 2, 2) & 0x0001);
}

/* Turning memory decode off revokes mappings; they come back after. */
TEST_F(nic, mmap_zapped_while_memory_disabled)
{
	volatile uint32_t *bar;
	uint16_t cmd = cfg_read(&self->d, 4, 2);
	uint32_t v;

	bar = mmap(NULL, 128 << 10, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->d.device, 0);
	ASSERT_NE(MAP_FAILED, bar);
	EXPECT_EQ(0, cfg_write(&self->d, 4, cmd | 0x2, 2));
	EXPECT_FALSE(mmio_read_faults(&bar[0x8 / 4], &v));	/* STATUS */

	EXPECT_EQ(0, cfg_write(&self->d, 4, cmd & ~0x2, 2));
	EXPECT_TRUE(mmio_read_faults(&bar[0x8 / 4], &v));
	/* read() refuses too */
	EXPECT_EQ(-1, pread(self->d.device, &v, 4, 8));
	EXPECT_EQ(EIO, errno);

	EXPECT_EQ(0, cfg_write(&self->d, 4, cmd | 0x2, 2));
	EXPECT_FALSE(mmio_read_faults(&bar[0x8 / 4], &v));

	/* and in D3hot */
	{
		int pm = find_cap(&self->d, 0x01);
		uint16_t pmcsr = cfg_read(&self->d, pm + 4, 2);

		ASSERT_LT(0, pm);
		EXPECT_EQ(0, cfg_write(&self->d, pm + 4, (pmcsr & ~3) | 3, 2));
		EXPECT_EQ(3, hw_read(self->bdf, pm + 4, 2) & 3);
		EXPECT_TRUE(mmio_read_faults(&bar[0x8 / 4], &v));
		EXPECT_EQ(0, cfg_write(&self->d, pm + 4, pmcsr & ~3, 2));
		EXPECT_EQ(0, hw_read(self->bdf, pm + 4, 2) & 3);
		EXPECT_FALSE(mmio_read_faults(&bar[0x8 / 4], &v));
	}
	munmap((void *)bar, 128 << 10);
}

/*
 * read() into a fresh mmap of the same device's BAR: the copy faults in
 * that mapping, whose handler takes the device's memory_lock, so no lock
 * may be held across the copy (the ROM path once held it for writing).
 */
TEST_F(nic, read_into_own_bar_mapping)
{
	uint16_t cmd = cfg_read(&self->d, 4, 2);
	uint64_t rom = vfio_region_offset(self->d.device, VFIO_PCI_ROM_REGION_INDEX);
	uint8_t *bar, first[2] = { 0 };

	EXPECT_EQ(0, cfg_write(&self->d, 4, cmd | 0x2, 2));
	bar = mmap(NULL, 128 << 10, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->d.device, 0);
	ASSERT_NE(MAP_FAILED, bar);
	/* an unimplemented register range at the end of BAR0: writes ignored */
	EXPECT_EQ(64, pread(self->d.device, bar + 0x1f000, 64, rom));
	EXPECT_EQ(2, pread(self->d.device, first, 2, rom));
	EXPECT_EQ(0x55, first[0]);
	EXPECT_EQ(0xaa, first[1]);
	/* a BAR read into a new mapping of itself */
	munmap(bar, 128 << 10);
	bar = mmap(NULL, 128 << 10, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->d.device, 0);
	ASSERT_NE(MAP_FAILED, bar);
	EXPECT_EQ(4, pread(self->d.device, bar + 0x1f000, 4, 0x8));
	munmap(bar, 128 << 10);
}

TEST_F(nic, msix_vectors)
{
	int efd[5], i;
	struct vfio_region_info ri;
	volatile uint32_t *bar;

	for (i = 0; i < 5; i++)
		efd[i] = eventfd(0, EFD_CLOEXEC);
	vfio_bus_master(&self->d, true);
	ASSERT_EQ(0, vfio_region_info(self->d.device, 0, &ri));
	bar = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->d.device, ri.offset);
	ASSERT_NE(MAP_FAILED, bar);

	ASSERT_EQ(0, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_MSIX_IRQ_INDEX,
					   0, 5, efd));
	/*
	 * No interrupt throttling: QEMU 7.2's e1000e asserts if a throttling
	 * timer fires after MSI-X was disabled.
	 */
	for (i = 0; i < 5; i++)
		bar[E1000_EITR(i) / 4] = 0;
	/*
	 * Opening the device reset it, and QEMU brings the link up again by
	 * a 500 ms autonegotiation timer. The link change is an "Other"
	 * cause: on a slow (debug) kernel it would fire vector 4 in the
	 * middle of the loop below. Let it happen first, then clear it. The
	 * link bit may still read up from before the reset (a NIC opened
	 * before in this boot): wait for the timer too.
	 */
	for (i = 0; i < 300; i++) {
		if (i >= 70 && (bar[E1000_STATUS / 4] & E1000_STATUS_LU))
			break;
		usleep(10000);
	}
	bar[E1000_ICR / 4] = ~0U;
	/* RxQ0, RxQ1, TxQ0, TxQ1, Other -> vectors 0..4 */
	bar[E1000_IVAR / 4] = 0x8 | (0x9 << 4) | (0xa << 8) | (0xb << 12) |
			      (0xc << 16) | (1U << 31);
	bar[E1000_IMS / 4] = (0x1f << 20);
	for (i = 0; i < 5; i++) {
		int j;

		bar[E1000_ICS / 4] = 1U << (20 + i);
		EXPECT_LE(1, eventfd_wait(efd[i], 2000)) TH_LOG("vector %d", i);
		for (j = 0; j < 5; j++)
			if (j != i)
				EXPECT_EQ(0, eventfd_wait(efd[j], 10))
					TH_LOG("vector %d fired for cause %d", j, i);
		bar[E1000_ICR / 4] = ~0U;	/* write 1 to clear */
	}

	/* growing an enabled index is refused (NORESIZE) */
	EXPECT_NE(0, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_MSIX_IRQ_INDEX,
					   5, 1, efd));
	/* loopback of vectors 1..2 only */
	EXPECT_EQ(0, vfio_irq_set_action(self->d.device, VFIO_PCI_MSIX_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_TRIGGER, 1, 2));
	EXPECT_EQ(0, eventfd_wait(efd[0], 10));
	EXPECT_LE(1, eventfd_wait(efd[1], 1000));
	EXPECT_LE(1, eventfd_wait(efd[2], 1000));

	/* disable, then enable again with just vector 0 (QEMU's way) */
	bar[E1000_IMC / 4] = ~0U;
	usleep(100000);
	bar[E1000_IMS / 4] = 1U << 20;
	EXPECT_EQ(0, vfio_irq_disable(self->d.device, VFIO_PCI_MSIX_IRQ_INDEX));
	ASSERT_EQ(0, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_MSIX_IRQ_INDEX,
					   0, 1, efd));
	bar[E1000_ICS / 4] = 1U << 20;
	EXPECT_LE(1, eventfd_wait(efd[0], 2000));
	bar[E1000_ICR / 4] = ~0U;
	bar[E1000_IMC / 4] = ~0U;
	usleep(100000);
	EXPECT_EQ(0, vfio_irq_disable(self->d.device, VFIO_PCI_MSIX_IRQ_INDEX));
	munmap((void *)bar, ri.size);
	for (i = 0; i < 5; i++)
		close(efd[i]);
}

struct irqset_case {
	const char *name;
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t start;
	uint32_t count;
	int err;
};

#define EVT	VFIO_IRQ_SET_DATA_EVENTFD
#define NONE	VFIO_IRQ_SET_DATA_NONE
#define BOOL	VFIO_IRQ_SET_DATA_BOOL
#define TRIG	VFIO_IRQ_SET_ACTION_TRIGGER
#define MASK	VFIO_IRQ_SET_ACTION_MASK
#define UNMASK	VFIO_IRQ_SET_ACTION_UNMASK

static const struct irqset_case irqset_cases[] = {
	{ "argsz below 20", 19, NONE | TRIG, 2, 0, 0, EINVAL },
	{ "index 5", 20, NONE | TRIG, 5, 0, 0, EINVAL },
	{ "index huge", 20, NONE | TRIG, ~0U, 0, 0, EINVAL },
	{ "unknown flag", 20, NONE | TRIG | (1 << 6), 2, 0, 1, EINVAL },
	{ "two data types", 28, NONE | EVT | TRIG, 2, 0, 1, EINVAL },
	{ "no data type", 20, TRIG, 2, 0, 1, EINVAL },
	{ "start past the vectors", 24, EVT | TRIG, 2, 5, 1, EINVAL },
	{ "start + count past", 40, EVT | TRIG, 2, 3, 3, EINVAL },
	{ "count overflows", 20, NONE | TRIG, 2, 1, ~0U, EINVAL },
	{ "eventfds beyond argsz", 24, EVT | TRIG, 2, 0, 2, EINVAL },
	{ "bools beyond argsz", 20, BOOL | TRIG, 2, 0, 1, EINVAL },
	{ "two actions", 20, NONE | TRIG | MASK, 0, 0, 1, ENOTTY },
	{ "no action", 20, NONE, 0, 0, 1, ENOTTY },
	{ "MSI-X mask", 20, NONE | MASK, 2, 0, 1, ENOTTY },
	{ "MSI-X unmask", 20, NONE | UNMASK, 2, 0, 1, ENOTTY },
	{ "ERR mask", 20, NONE | MASK, 3, 0, 1, ENOTTY },
	{ "REQ two vectors", 20, NONE | TRIG, 4, 0, 2, EINVAL },
	{ "INTx unmask when off", 20, NONE | UNMASK, 0, 0, 1, EINVAL },
	{ "MSI-X trigger when off", 20, NONE | TRIG, 2, 0, 1, EINVAL },
	{ "ERR loopback with no eventfd", 20, NONE | TRIG, 3, 0, 1, EINVAL },
};

TEST_F(nic, set_irqs_validation)
{
	struct {
		struct vfio_irq_set set;
		int32_t fds[8];
	} arg;
	unsigned int i;
	int null = open("/dev/null", O_RDONLY), efd = eventfd(0, 0);

	for (i = 0; i < ARRAY_SIZE(irqset_cases); i++) {
		const struct irqset_case *c = &irqset_cases[i];

		memset(&arg, 0, sizeof(arg));
		arg.set.argsz = c->argsz;
		arg.set.flags = c->flags;
		arg.set.index = c->index;
		arg.set.start = c->start;
		arg.set.count = c->count;
		EXPECT_EQ(c->err, ioctl_errno(self->d.device, VFIO_DEVICE_SET_IRQS, &arg))
			TH_LOG("case '%s'", c->name);
	}
	/* a file that is not an eventfd */
	EXPECT_EQ(-EINVAL, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_MSIX_IRQ_INDEX,
						 0, 1, &null));
	EXPECT_EQ(-EBADF, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_ERR_IRQ_INDEX,
						0, 1, &(int){ 999 }));
	/* -1 skips a vector: MSI-X comes up with vector 1 only */
	{
		int fds[2] = { -1, efd };

		EXPECT_EQ(0, vfio_irq_set_eventfds(self->d.device,
						   VFIO_PCI_MSIX_IRQ_INDEX, 0, 2, fds));
	}
	EXPECT_EQ(0, vfio_irq_set_action(self->d.device, VFIO_PCI_MSIX_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_TRIGGER, 0, 2));
	EXPECT_EQ(1, eventfd_wait(efd, 1000));
	EXPECT_EQ(0, vfio_irq_disable(self->d.device, VFIO_PCI_MSIX_IRQ_INDEX));
	/* disabling what is off is refused */
	EXPECT_EQ(-EINVAL, vfio_irq_disable(self->d.device, VFIO_PCI_MSIX_IRQ_INDEX));

	/* ERR and REQ: eventfd, loopback, clear */
	EXPECT_EQ(0, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_ERR_IRQ_INDEX, 0, 1, &efd));
	EXPECT_EQ(0, vfio_irq_set_action(self->d.device, VFIO_PCI_ERR_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1));
	EXPECT_EQ(1, eventfd_wait(efd, 1000));
	EXPECT_EQ(0, vfio_irq_set_action(self->d.device, VFIO_PCI_ERR_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0));
	EXPECT_EQ(0, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &efd));
	EXPECT_EQ(0, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_REQ_IRQ_INDEX, 0, 1,
					   &(int){ -1 }));
	close(null);
	close(efd);
}

TEST_HARNESS_MAIN
