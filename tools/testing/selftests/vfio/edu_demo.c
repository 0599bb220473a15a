// SPDX-License-Identifier: GPL-2.0-only
/*
 * A short userspace driver for QEMU's edu device through /dev/vfio: what
 * `make demo` runs in the guest. It binds the edu behind the PCIe root
 * port to vfio-pci, reads its registers through an mmap of BAR0, has it
 * compute a factorial, copies a buffer through its DMA engine (which goes
 * through our IOMMU mappings) and receives its MSI on an eventfd.
 */
#include <sys/eventfd.h>
#include <sys/mman.h>

#include "vfio_test.h"

#define DMA_IOVA	0x1000000ULL	/* edu only drives 28 address bits */
#define DMA_LEN		2048

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		printf("demo: FAILED: " __VA_ARGS__);			\
		printf("\n");						\
		exit(1);						\
	}								\
} while (0)

int main(void)
{
	struct vfio_region_info bar0;
	struct vfio_pci d;
	volatile uint32_t *mmio;
	uint8_t *buf;
	char bdf[32];
	uint32_t val;
	int efd, i;

	CHECK(!pci_find(EDU_VENDOR, EDU_DEVICE, 0, false, bdf, sizeof(bdf)),
	      "no edu device behind a root port");
	printf("demo: edu at %s, binding to vfio-pci\n", bdf);
	CHECK(!pci_bind(bdf, "vfio-pci"), "bind %s to vfio-pci", bdf);

	CHECK(!vfio_dev_open(&d, bdf, VFIO_TYPE1v2_IOMMU),
	      "open %s through /dev/vfio: %s", bdf, strerror(errno));
	printf("demo: /dev/vfio/%d opened, device fd %d: flags %#x, %u regions, %u irqs\n",
	       d.group_id, d.device, d.info.flags, d.info.num_regions,
	       d.info.num_irqs);

	CHECK(!vfio_region_info(d.device, VFIO_PCI_BAR0_REGION_INDEX, &bar0),
	      "BAR0 info");
	CHECK(bar0.flags & VFIO_REGION_INFO_FLAG_MMAP, "BAR0 not mmappable");
	mmio = mmap(NULL, bar0.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		    d.device, bar0.offset);
	CHECK(mmio != MAP_FAILED, "mmap BAR0: %s", strerror(errno));
	printf("demo: BAR0 is %llu KiB, mapped\n",
	       (unsigned long long)bar0.size >> 10);

	val = mmio[EDU_ID / 4];
	printf("demo: identification register: %#010x\n", val);
	CHECK(val == EDU_ID_VALUE, "identification %#x", val);

	mmio[EDU_LIVENESS / 4] = 0x12345678;
	val = mmio[EDU_LIVENESS / 4];
	printf("demo: liveness: wrote 0x12345678, read back %#010x\n", val);
	CHECK(val == ~0x12345678U, "liveness");

	mmio[EDU_FACTORIAL / 4] = 10;
	for (i = 0; i < 100 && (mmio[EDU_STATUS / 4] & 1); i++)
		usleep(1000);
	val = mmio[EDU_FACTORIAL / 4];
	printf("demo: 10! computed by the device = %u\n", val);
	CHECK(val == 3628800, "factorial");

	/* DMA: RAM -> edu buffer -> RAM, through the IOMMU */
	vfio_bus_master(&d, true);
	buf = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(buf != MAP_FAILED, "buffer");
	for (i = 0; i < DMA_LEN; i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	memset(buf + 4096, 0, 4096);
	CHECK(!vfio_map(d.container, buf, DMA_IOVA, 8192,
			VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE),
	      "MAP_DMA: %s", strerror(errno));
	CHECK(!edu_dma(&d, DMA_IOVA, EDU_DMA_BUF, DMA_LEN, false, 3000),
	      "DMA to device");
	CHECK(!edu_dma(&d, EDU_DMA_BUF, DMA_IOVA + 4096, DMA_LEN, true, 3000),
	      "DMA to RAM");
	CHECK(!memcmp(buf, buf + 4096, DMA_LEN), "DMA data differs");
	printf("demo: %d bytes went RAM -> edu -> RAM through IOVA %#llx, identical\n",
	       DMA_LEN, DMA_IOVA);

	/* MSI on an eventfd */
	efd = eventfd(0, EFD_CLOEXEC);
	CHECK(!vfio_irq_set_eventfds(d.device, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &efd),
	      "enable MSI: %s", strerror(errno));
	mmio[EDU_IRQ_RAISE / 4] = 0x1;
	CHECK(eventfd_wait(efd, 2000) >= 1, "no MSI");
	mmio[EDU_IRQ_ACK / 4] = 0x1;
	printf("demo: MSI received on eventfd\n");

	vfio_irq_disable(d.device, VFIO_PCI_MSI_IRQ_INDEX);
	CHECK(!vfio_unmap(d.container, DMA_IOVA, 8192, 0, NULL), "UNMAP_DMA");
	munmap((void *)mmio, bar0.size);
	vfio_pci_close(&d);
	printf("demo: OK\n");
	return 0;
}
