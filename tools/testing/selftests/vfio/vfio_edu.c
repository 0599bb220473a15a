// SPDX-License-Identifier: GPL-2.0-only
/*
 * QEMU's edu device through vfio-pci: registers through pread/pwrite and
 * mmap, the factorial unit, DMA through our IOMMU mappings in both
 * directions (and a fault once unmapped), DMA through memory of each
 * shape (THP, hugetlb, fragmented 4 KiB pages), MSI and INTx delivery with
 * automasking and both unmask paths, and reset.
 */
#include <sys/eventfd.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <linux/mman.h>

#include "kselftest_harness.h"
#include "vfio_test.h"

#define IOVA	0x1000000ULL
#define RW	(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

FIXTURE(edu) {
	struct vfio_pci d;
	volatile uint32_t *mmio;
	uint64_t bar_size;
	uint8_t *buf;
};

FIXTURE_SETUP(edu)
{
	struct vfio_region_info ri;
	char bdf[32];

	PCI_FIND_OR_SKIP(EDU_VENDOR, EDU_DEVICE, 0, false, bdf, sizeof(bdf));
	ASSERT_EQ(0, pci_bind(bdf, "vfio-pci"));
	ASSERT_EQ(0, vfio_dev_open(&self->d, bdf, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, vfio_region_info(self->d.device, 0, &ri));
	self->bar_size = ri.size;
	self->mmio = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED,
			  self->d.device, ri.offset);
	ASSERT_NE(MAP_FAILED, self->mmio);
	self->buf = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, self->buf);
	vfio_bus_master(&self->d, true);
}

FIXTURE_TEARDOWN(edu)
{
	munmap((void *)self->mmio, self->bar_size);
	vfio_pci_close(&self->d);
}

TEST_F(edu, registers_by_pread_pwrite_and_mmap)
{
	uint32_t v;

	EXPECT_EQ(EDU_ID_VALUE, vfio_read32(&self->d, 0, EDU_ID));
	EXPECT_EQ(EDU_ID_VALUE, self->mmio[EDU_ID / 4]);

	vfio_write32(&self->d, 0, EDU_LIVENESS, 0xa5a5f00d);
	EXPECT_EQ(~0xa5a5f00dU, vfio_read32(&self->d, 0, EDU_LIVENESS));
	EXPECT_EQ(~0xa5a5f00dU, self->mmio[EDU_LIVENESS / 4]);
	self->mmio[EDU_LIVENESS / 4] = 0x0badcafe;
	EXPECT_EQ(~0x0badcafeU, vfio_read32(&self->d, 0, EDU_LIVENESS));

	/* 8 byte read of two registers splits into two 4 byte accesses */
	v = 0;
	EXPECT_EQ(8, pread(self->d.device, &self->buf[0], 8,
			   vfio_region_offset(self->d.device, 0)));
	memcpy(&v, self->buf, 4);
	EXPECT_EQ(EDU_ID_VALUE, v);
}

TEST_F(edu, factorial)
{
	static const uint32_t n[] = { 0, 1, 5, 10, 12 };
	static const uint32_t f[] = { 1, 1, 120, 3628800, 479001600 };
	unsigned int i, t;

	for (i = 0; i < ARRAY_SIZE(n); i++) {
		self->mmio[EDU_FACTORIAL / 4] = n[i];
		for (t = 0; t < 200 && (self->mmio[EDU_STATUS / 4] & 1); t++)
			usleep(1000);
		EXPECT_EQ(f[i], self->mmio[EDU_FACTORIAL / 4]) TH_LOG("%u!", n[i]);
	}
}

TEST_F(edu, dma_both_directions)
{
	static const uint32_t sizes[] = { 1, 100, 2048, 4095 };
	unsigned int i, j;

	ASSERT_EQ(0, vfio_map(self->d.container, self->buf, IOVA, 4 * 4096, RW));
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (j = 0; j < 4096; j++) {
			self->buf[j] = (uint8_t)(j * 13 + i);
			self->buf[8192 + j] = 0;
		}
		ASSERT_EQ(0, edu_dma(&self->d, IOVA, EDU_DMA_BUF, sizes[i], false, 3000));
		ASSERT_EQ(0, edu_dma(&self->d, EDU_DMA_BUF, IOVA + 8192, sizes[i], true, 3000));
		EXPECT_EQ(0, memcmp(self->buf, self->buf + 8192, sizes[i]))
			TH_LOG("%u bytes", sizes[i]);
		/* nothing beyond the count was written */
		EXPECT_EQ(0, self->buf[8192 + sizes[i]]);
	}
	EXPECT_EQ(0, vfio_unmap(self->d.container, IOVA, 4 * 4096, 0, NULL));
}

/*
 * One copy through the IOMMU: a pattern at @src goes to the device and
 * comes back at @dst (offsets into @buf, mapped at @iova). A wrong run
 * (its pfn, its length, a page left out) shows as wrong data.
 */
static void copy_through(struct __test_metadata *_metadata, struct vfio_pci *d,
			 uint8_t *buf, uint64_t iova, uint64_t src, uint64_t dst)
{
	const uint32_t len = 4000;
	uint32_t i;

	for (i = 0; i < len; i++) {
		buf[src + i] = (uint8_t)(i * 7 + src / 4096);
		buf[dst + i] = 0;
	}
	ASSERT_EQ(0, edu_dma(d, iova + src, EDU_DMA_BUF, len, false, 3000));
	ASSERT_EQ(0, edu_dma(d, EDU_DMA_BUF, iova + dst, len, true, 3000));
	for (i = 0; i < len; i++)
		if (buf[dst + i] != (uint8_t)(i * 7 + src / 4096))
			break;
	EXPECT_EQ(len, i) TH_LOG("copy %#llx -> %#llx differs at byte %u",
				 (unsigned long long)src,
				 (unsigned long long)dst, i);
}

static long anon_huge_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/smaps_rollup", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/*
 * DMA through mappings of each memory shape that type1 pins its own way
 * (lockless GUP a folio at a time, runs across batches, recorded runs on
 * unmap): THP, 2 MiB and 1 GiB hugetlb, and 4 KiB pages faulted in
 * reverse so that no two neighbours are physically contiguous. Copies
 * cross the folio and huge page boundaries and reach the last page. The
 * edu masks DMA addresses to 28 bits, so every IOVA used is below 256 MiB.
 */
TEST_F(edu, dma_through_each_memory_shape)
{
	const size_t two_m = 2UL << 20, one_g = 1UL << 30;
	uint8_t *raw, *buf;
	long i;

	/* THP: 4 MiB, 2 MiB aligned */
	raw = mmap(NULL, 3 * two_m, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, raw);
	buf = (uint8_t *)(((uintptr_t)raw + two_m - 1) & ~(two_m - 1));
	ASSERT_EQ(0, madvise(buf, 2 * two_m, MADV_HUGEPAGE));
	memset(buf, 1, 2 * two_m);
	EXPECT_LE(2048, anon_huge_kb()) TH_LOG("no THP backs the buffer");
	ASSERT_EQ(0, vfio_map(self->d.container, buf, IOVA, 2 * two_m, RW));
	copy_through(_metadata, &self->d, buf, IOVA, two_m - 2000, 2 * two_m - 4000);
	copy_through(_metadata, &self->d, buf, IOVA, 4096, two_m + 100);
	EXPECT_EQ(0, vfio_unmap(self->d.container, IOVA, 2 * two_m, 0, NULL));
	munmap(raw, 3 * two_m);

	/* 4 KiB pages, none next to its neighbour */
	buf = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, madvise(buf, 64 * 4096, MADV_NOHUGEPAGE));
	for (i = 63; i >= 0; i--)
		buf[i * 4096] = 1;
	ASSERT_EQ(0, vfio_map(self->d.container, buf, IOVA, 64 * 4096, RW));
	copy_through(_metadata, &self->d, buf, IOVA, 10 * 4096 + 3000, 40 * 4096 + 2000);
	copy_through(_metadata, &self->d, buf, IOVA, 0, 63 * 4096);
	EXPECT_EQ(0, vfio_unmap(self->d.container, IOVA, 64 * 4096, 0, NULL));
	munmap(buf, 64 * 4096);

	/* two 2 MiB hugetlb pages */
	buf = mmap(NULL, 2 * two_m, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB, -1, 0);
	ASSERT_NE(MAP_FAILED, buf) TH_LOG("2 MiB hugetlb: %s", strerror(errno));
	memset(buf, 1, 2 * two_m);
	ASSERT_EQ(0, vfio_map(self->d.container, buf, IOVA, 2 * two_m, RW));
	copy_through(_metadata, &self->d, buf, IOVA, two_m - 2000, 2 * two_m - 4000);
	EXPECT_EQ(0, vfio_unmap(self->d.container, IOVA, 2 * two_m, 0, NULL));
	munmap(buf, 2 * two_m);

	/* one 1 GiB hugetlb page, at IOVA 0 so the edu reaches 256 MiB of it */
	buf = mmap(NULL, one_g, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_1GB, -1, 0);
	ASSERT_NE(MAP_FAILED, buf) TH_LOG("1 GiB hugetlb: %s", strerror(errno));
	buf[0] = 1;
	ASSERT_EQ(0, vfio_map(self->d.container, buf, 0, one_g, RW));
	copy_through(_metadata, &self->d, buf, 0, 128 * two_m - 2000, 4096);
	copy_through(_metadata, &self->d, buf, 0, 200, (255UL << 20) - 4000);
	EXPECT_EQ(0, vfio_unmap(self->d.container, 0, one_g, 0, NULL));
	munmap(buf, one_g);
}

/*
 * Peer-to-peer: the device's own BAR, mmap'ed through vfio-pci, mapped
 * for DMA (VM_PFNMAP memory: resolved from the page tables, neither pinned
 * nor accounted). The edu reads its ID register and its last BAR page
 * through the IOMMU; a read-only mmap cannot be mapped for device writes.
 */
TEST_F(edu, dma_from_its_own_bar)
{
	const uint64_t bar_iova = 0x4000000, last = self->bar_size - 4096;
	uint32_t *word = (uint32_t *)self->buf;
	long locked, pins;
	void *ro;

	ASSERT_EQ(0, vfio_map(self->d.container, self->buf, IOVA, 4 * 4096, RW));
	locked = vm_locked_kb();
	pins = pin_balance();
	ASSERT_EQ(0, vfio_map(self->d.container, (void *)self->mmio, bar_iova,
			      self->bar_size, RW));
	EXPECT_EQ(locked, vm_locked_kb());
	EXPECT_EQ(pins, pin_balance());

	/* the ID register, through the IOMMU and back into RAM */
	word[0] = 0;
	ASSERT_EQ(0, edu_dma(&self->d, bar_iova + EDU_ID, EDU_DMA_BUF, 4, false, 3000));
	ASSERT_EQ(0, edu_dma(&self->d, EDU_DMA_BUF, IOVA, 4, true, 3000));
	EXPECT_EQ(self->mmio[EDU_ID / 4], word[0]);
	EXPECT_EQ(0xed, word[0] & 0xff);

	/* the last page reads as all ones, replacing a pattern */
	memset(self->buf, 0x5a, 64);
	ASSERT_EQ(0, edu_dma(&self->d, IOVA, EDU_DMA_BUF, 64, false, 3000));
	ASSERT_EQ(0, edu_dma(&self->d, bar_iova + last + 0x100, EDU_DMA_BUF, 64, false, 3000));
	memset(self->buf, 0, 64);
	ASSERT_EQ(0, edu_dma(&self->d, EDU_DMA_BUF, IOVA, 64, true, 3000));
	EXPECT_EQ(0xffffffff, word[0]);
	EXPECT_EQ(0xffffffff, word[15]);

	EXPECT_EQ(0, vfio_unmap(self->d.container, bar_iova, self->bar_size, 0, NULL));
	EXPECT_EQ(0, vfio_unmap(self->d.container, IOVA, 4 * 4096, 0, NULL));
	locked -= 16;

	/* a read-only mapping of the BAR: only for device reads */
	ro = mmap(NULL, self->bar_size, PROT_READ, MAP_SHARED, self->d.device,
		  vfio_region_offset(self->d.device, 0));
	ASSERT_NE(MAP_FAILED, ro);
	EXPECT_EQ(-EFAULT, vfio_map(self->d.container, ro, bar_iova, self->bar_size, RW));
	EXPECT_EQ(0, vfio_map(self->d.container, ro, bar_iova, self->bar_size,
			      VFIO_DMA_MAP_FLAG_READ));
	EXPECT_EQ(0, vfio_unmap(self->d.container, bar_iova, self->bar_size, 0, NULL));
	munmap(ro, self->bar_size);
	EXPECT_EQ(locked, vm_locked_kb());
}

static int kernel_log(char *buf, int len)
{
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len - 1);

	if (n >= 0)
		buf[n] = 0;
	return n;
}

static int count_str(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay++;
	}
	return n;
}

/*
 * Once unmapped, the IOVA is gone from the IOMMU: the device's write
 * faults (the Intel IOMMU reports it) and the page that was mapped there
 * is not touched.
 */
TEST_F(edu, dma_after_unmap_faults)
{
	static char log[1 << 20];
	int before, after, i;

	ASSERT_EQ(0, vfio_map(self->d.container, self->buf, IOVA, 2 * 4096, RW));
	for (i = 0; i < 4096; i++)
		self->buf[i] = 0x5a;
	/* the device buffer gets 0x5a everywhere */
	ASSERT_EQ(0, edu_dma(&self->d, IOVA, EDU_DMA_BUF, 4000, false, 3000));
	ASSERT_EQ(0, vfio_unmap(self->d.container, IOVA, 2 * 4096, 0, NULL));

	memset(self->buf + 4096, 0x33, 4096);
	ASSERT_LT(0, kernel_log(log, sizeof(log)));
	before = count_str(log, "DMAR: [DMA Write");

	ASSERT_EQ(0, edu_dma(&self->d, EDU_DMA_BUF, IOVA + 4096, 4000, true, 3000));
	usleep(200000);
	for (i = 0; i < 4096; i++)
		if (self->buf[4096 + i] != 0x33)
			break;
	EXPECT_EQ(4096, i) TH_LOG("old page modified at byte %d", i);

	ASSERT_LT(0, kernel_log(log, sizeof(log)));
	after = count_str(log, "DMAR: [DMA Write");
	EXPECT_LT(before, after) TH_LOG("no DMA remapping fault was reported");
}

TEST_F(edu, msi)
{
	int efd = eventfd(0, EFD_CLOEXEC), efd2 = eventfd(0, EFD_CLOEXEC);
	struct vfio_irq_info ii = { .argsz = sizeof(ii), .index = VFIO_PCI_MSI_IRQ_INDEX };

	ASSERT_EQ(0, ioctl(self->d.device, VFIO_DEVICE_GET_IRQ_INFO, &ii));
	EXPECT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE, ii.flags);
	EXPECT_EQ(1, ii.count);

	ASSERT_EQ(0, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &efd));
	self->mmio[EDU_IRQ_RAISE / 4] = 0x10;
	EXPECT_LE(1, eventfd_wait(efd, 2000));
	EXPECT_EQ(0x10, self->mmio[EDU_IRQ_STATUS / 4]);
	self->mmio[EDU_IRQ_ACK / 4] = 0x10;

	/* swap the eventfd of the enabled vector */
	ASSERT_EQ(0, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &efd2));
	self->mmio[EDU_IRQ_RAISE / 4] = 0x1;
	EXPECT_LE(1, eventfd_wait(efd2, 2000));
	EXPECT_EQ(0, eventfd_wait(efd, 100));
	self->mmio[EDU_IRQ_ACK / 4] = 0x1;

	/* loopback trigger from userspace */
	EXPECT_EQ(0, vfio_irq_set_action(self->d.device, VFIO_PCI_MSI_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1));
	EXPECT_LE(1, eventfd_wait(efd2, 1000));

	/* only one of INTx, MSI, MSI-X at a time; MSI cannot be masked */
	EXPECT_EQ(-EINVAL, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &efd));
	EXPECT_EQ(-ENOTTY, vfio_irq_set_action(self->d.device, VFIO_PCI_MSI_IRQ_INDEX,
					       VFIO_IRQ_SET_ACTION_MASK, 0, 1));
	EXPECT_EQ(0, vfio_irq_disable(self->d.device, VFIO_PCI_MSI_IRQ_INDEX));

	/* the factorial unit can raise the interrupt at completion */
	ASSERT_EQ(0, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &efd));
	self->mmio[EDU_STATUS / 4] = 0x80;
	self->mmio[EDU_FACTORIAL / 4] = 6;
	EXPECT_LE(1, eventfd_wait(efd, 2000));
	EXPECT_EQ(720, self->mmio[EDU_FACTORIAL / 4]);
	EXPECT_EQ(0x1, self->mmio[EDU_IRQ_STATUS / 4]);
	self->mmio[EDU_IRQ_ACK / 4] = 0x1;
	self->mmio[EDU_STATUS / 4] = 0;
	EXPECT_EQ(0, vfio_irq_disable(self->d.device, VFIO_PCI_MSI_IRQ_INDEX));
	close(efd);
	close(efd2);
}

TEST_F(edu, intx_automask_and_unmask)
{
	struct vfio_irq_info ii = { .argsz = sizeof(ii), .index = VFIO_PCI_INTX_IRQ_INDEX };
	int efd = eventfd(0, EFD_CLOEXEC), unmask = eventfd(0, EFD_CLOEXEC);
	struct {
		struct vfio_irq_set set;
		int32_t fd;
	} arg;
	uint64_t one = 1;

	ASSERT_EQ(0, ioctl(self->d.device, VFIO_DEVICE_GET_IRQ_INFO, &ii));
	EXPECT_EQ(VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
		  VFIO_IRQ_INFO_AUTOMASKED, ii.flags);
	ASSERT_EQ(1, ii.count);

	ASSERT_EQ(0, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &efd));

	/* fires, and is masked by the kernel */
	self->mmio[EDU_IRQ_RAISE / 4] = 0x1;
	EXPECT_LE(1, eventfd_wait(efd, 2000));
	self->mmio[EDU_IRQ_ACK / 4] = 0x1;
	self->mmio[EDU_IRQ_RAISE / 4] = 0x2;
	EXPECT_EQ(0, eventfd_wait(efd, 300)) TH_LOG("not automasked");

	/* unmask by ioctl: the pending level is delivered */
	EXPECT_EQ(0, vfio_irq_set_action(self->d.device, VFIO_PCI_INTX_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_UNMASK, 0, 1));
	EXPECT_LE(1, eventfd_wait(efd, 2000));
	self->mmio[EDU_IRQ_ACK / 4] = 0x2;
	/* that delivery automasked again; nothing pending now */
	EXPECT_EQ(0, vfio_irq_set_action(self->d.device, VFIO_PCI_INTX_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_UNMASK, 0, 1));

	/* unmask through an eventfd (what KVM's resample fd does) */
	arg.set.argsz = sizeof(arg);
	arg.set.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_UNMASK;
	arg.set.index = VFIO_PCI_INTX_IRQ_INDEX;
	arg.set.start = 0;
	arg.set.count = 1;
	arg.fd = unmask;
	ASSERT_EQ(0, ioctl(self->d.device, VFIO_DEVICE_SET_IRQS, &arg));
	EXPECT_EQ(0, eventfd_wait(efd, 100));
	self->mmio[EDU_IRQ_RAISE / 4] = 0x4;
	EXPECT_LE(1, eventfd_wait(efd, 2000));
	self->mmio[EDU_IRQ_ACK / 4] = 0x4;
	self->mmio[EDU_IRQ_RAISE / 4] = 0x8;
	EXPECT_EQ(0, eventfd_wait(efd, 300));
	ASSERT_EQ(8, write(unmask, &one, 8));
	EXPECT_LE(1, eventfd_wait(efd, 2000)) TH_LOG("unmask eventfd did not unmask");
	self->mmio[EDU_IRQ_ACK / 4] = 0x8;

	/* masking while an interrupt is pending holds it back */
	EXPECT_EQ(0, vfio_irq_set_action(self->d.device, VFIO_PCI_INTX_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_UNMASK, 0, 1));
	EXPECT_EQ(0, vfio_irq_set_action(self->d.device, VFIO_PCI_INTX_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_MASK, 0, 1));
	self->mmio[EDU_IRQ_RAISE / 4] = 0x10;
	EXPECT_EQ(0, eventfd_wait(efd, 300));
	EXPECT_EQ(0, vfio_irq_set_action(self->d.device, VFIO_PCI_INTX_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_UNMASK, 0, 1));
	EXPECT_LE(1, eventfd_wait(efd, 2000));
	self->mmio[EDU_IRQ_ACK / 4] = 0x10;

	/* the user's DisINTx bit masks too */
	EXPECT_EQ(0, vfio_irq_set_action(self->d.device, VFIO_PCI_INTX_IRQ_INDEX,
					 VFIO_IRQ_SET_ACTION_UNMASK, 0, 1));
	vfio_cfg_write16(&self->d, 0x04, vfio_cfg_read16(&self->d, 0x04) | 0x400);
	self->mmio[EDU_IRQ_RAISE / 4] = 0x20;
	EXPECT_EQ(0, eventfd_wait(efd, 300));
	vfio_cfg_write16(&self->d, 0x04, vfio_cfg_read16(&self->d, 0x04) & ~0x400);
	EXPECT_LE(1, eventfd_wait(efd, 2000));
	self->mmio[EDU_IRQ_ACK / 4] = 0x20;

	/* unsupported: mask eventfd; MSI while INTx is on */
	arg.set.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_MASK;
	EXPECT_EQ(ENOTTY, ioctl_errno(self->d.device, VFIO_DEVICE_SET_IRQS, &arg));
	EXPECT_EQ(-EINVAL, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &efd));

	/* off and on again */
	EXPECT_EQ(0, vfio_irq_disable(self->d.device, VFIO_PCI_INTX_IRQ_INDEX));
	EXPECT_EQ(-EINVAL, vfio_irq_set_action(self->d.device, VFIO_PCI_INTX_IRQ_INDEX,
					       VFIO_IRQ_SET_ACTION_UNMASK, 0, 1));
	ASSERT_EQ(0, vfio_irq_set_eventfds(self->d.device, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &efd));
	self->mmio[EDU_IRQ_RAISE / 4] = 0x40;
	EXPECT_LE(1, eventfd_wait(efd, 2000));
	self->mmio[EDU_IRQ_ACK / 4] = 0x40;
	EXPECT_EQ(0, vfio_irq_disable(self->d.device, VFIO_PCI_INTX_IRQ_INDEX));
	close(efd);
	close(unmask);
}

static int ioeventfd(int device, uint32_t argsz, uint32_t flags,
		     uint64_t offset, uint64_t data, int32_t fd)
{
	struct vfio_device_ioeventfd arg = {
		.argsz = argsz, .flags = flags, .offset = offset,
		.data = data, .fd = fd,
	};

	return ioctl(device, VFIO_DEVICE_IOEVENTFD, &arg) ? errno : 0;
}

TEST_F(edu, ioeventfd)
{
	const uint32_t sz = sizeof(struct vfio_device_ioeventfd);
	uint64_t bar0 = vfio_region_offset(self->d.device, 0), one = 1;
	uint64_t cfg = vfio_region_offset(self->d.device, VFIO_PCI_CONFIG_REGION_INDEX);
	int efd = eventfd(0, EFD_CLOEXEC), efd2 = eventfd(0, EFD_CLOEXEC);
	int i, t, ret = 0;

	EXPECT_EQ(EINVAL, ioeventfd(self->d.device, 27, 4, bar0 + 4, 1, efd));
	EXPECT_EQ(EINVAL, ioeventfd(self->d.device, sz, 0, bar0 + 4, 1, efd));
	EXPECT_EQ(EINVAL, ioeventfd(self->d.device, sz, 4 | 2, bar0 + 4, 1, efd));
	EXPECT_EQ(EINVAL, ioeventfd(self->d.device, sz, 1 << 4, bar0 + 4, 1, efd));
	EXPECT_EQ(EINVAL, ioeventfd(self->d.device, sz, 4, bar0 + 4, 1, -2));
	EXPECT_EQ(EINVAL, ioeventfd(self->d.device, sz, 4, cfg + 4, 1, efd));
	EXPECT_EQ(EINVAL, ioeventfd(self->d.device, sz, 4, bar0 + self->bar_size - 2, 1, efd));
	EXPECT_EQ(EINVAL, ioeventfd(self->d.device, sz, 4, 12ULL << 40, 1, efd));
	EXPECT_EQ(ENODEV, ioeventfd(self->d.device, sz, 4, bar0 + 4, 1, -1));

	/* a signalled eventfd writes the register */
	ASSERT_EQ(0, ioeventfd(self->d.device, sz, 4, bar0 + EDU_LIVENESS, 0x12345678, efd));
	EXPECT_EQ(EEXIST, ioeventfd(self->d.device, sz, 4, bar0 + EDU_LIVENESS, 0x12345678, efd2));
	ASSERT_EQ(8, write(efd, &one, 8));
	for (t = 0; t < 100 && self->mmio[EDU_LIVENESS / 4] != ~0x12345678U; t++)
		usleep(10000);
	EXPECT_EQ(~0x12345678U, self->mmio[EDU_LIVENESS / 4]);

	/*
	 * 8 bytes: a single 64-bit write, which edu only accepts from 0x80
	 * on. The DMA source address register takes it (no DMA starts).
	 */
	ASSERT_EQ(0, ioeventfd(self->d.device, sz, 8, bar0 + EDU_DMA_SRC,
			       0x3456789aULL, efd2));
	ASSERT_EQ(8, write(efd2, &one, 8));
	for (t = 0; t < 100 && self->mmio[EDU_DMA_SRC / 4] != 0x3456789a; t++)
		usleep(10000);
	EXPECT_EQ(0x3456789a, self->mmio[EDU_DMA_SRC / 4]);

	EXPECT_EQ(0, ioeventfd(self->d.device, sz, 4, bar0 + EDU_LIVENESS, 0x12345678, -1));
	EXPECT_EQ(ENODEV, ioeventfd(self->d.device, sz, 4, bar0 + EDU_LIVENESS, 0x12345678, -1));
	self->mmio[EDU_LIVENESS / 4] = 0;
	ASSERT_EQ(8, write(efd, &one, 8));
	usleep(100000);
	EXPECT_EQ(~0U, self->mmio[EDU_LIVENESS / 4]) TH_LOG("removed ioeventfd still wrote");

	/* at most 1000 per device (one is in use: the factorial one) */
	for (i = 0; i < 999 && !ret; i++)
		ret = ioeventfd(self->d.device, sz, 4, bar0 + 0x30, i, efd);
	EXPECT_EQ(0, ret) TH_LOG("ioeventfd %d", i);
	EXPECT_EQ(ENOSPC, ioeventfd(self->d.device, sz, 4, bar0 + 0x30, 5000, efd));
	close(efd);
	close(efd2);
	/* closing the device frees them all (the runner's unload checks) */
}

TEST_F(edu, reset)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	uint16_t cmd;

	ASSERT_EQ(0, ioctl(self->d.device, VFIO_DEVICE_GET_INFO, &info));
	/* alone behind its root port: a bus reset is possible */
	ASSERT_TRUE(info.flags & VFIO_DEVICE_FLAGS_RESET);
	cmd = vfio_cfg_read16(&self->d, 0x04);
	EXPECT_EQ(0, ioctl(self->d.device, VFIO_DEVICE_RESET));
	/*
	 * QEMU's edu has no reset handler of its own (its registers survive
	 * a bus reset; nvme shows register reset in vfio_pci_devices). The
	 * config state the user set is restored and the device works
	 * through the same mmap, which was zapped and faults back in.
	 */
	EXPECT_EQ(cmd, vfio_cfg_read16(&self->d, 0x04));
	EXPECT_EQ(EDU_ID_VALUE, self->mmio[EDU_ID / 4]);
	self->mmio[EDU_LIVENESS / 4] = 0x11111111;
	EXPECT_EQ(~0x11111111U, self->mmio[EDU_LIVENESS / 4]);
}

TEST_HARNESS_MAIN
