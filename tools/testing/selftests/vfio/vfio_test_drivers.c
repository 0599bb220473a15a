// SPDX-License-Identifier: GPL-2.0-only
/*
 * Driver ops of the test devices: QEMU's edu (a DMA engine through a 4 KiB
 * internal buffer, MSI), e1000e (MSI-X raised by its interrupt cause set
 * register; no memory to memory DMA) and an instance of the mtty sample
 * (an mdev; MSI on data ready at a 16550 port; no DMA).
 */
#include <time.h>

#include "vfio_test_drivers.h"

/* ---- PCI functions ---- */

static int pci_probe(const struct vfio_test_driver *drv, char *name,
		     size_t len)
{
	int ret;

	if (pci_find(drv->vendor, drv->device, 0, drv->root_bus, name, len))
		return -ENODEV;
	ret = pci_bind(name, "vfio-pci");
	/* there but not bound: a failure, not an absent device */
	return ret == -ENODEV ? -EBUSY : ret;
}

/* it stays bound to vfio-pci for the next test */
static void pci_release(const struct vfio_test_driver *drv, const char *name)
{
}

/* ---- edu ---- */

/*
 * A copy goes RAM -> the edu's buffer -> RAM, two DMAs of at most 4095
 * bytes (QEMU 7.2's edu aborts on 4096), each done after a 100 ms timer.
 * The second starts from memcpy_wait(), once the first is done.
 */
struct edu_copy {
	uint64_t dst, len;
	bool second;
};

static struct edu_copy edu_copy;

static int edu_init(struct vfio_pci *d)
{
	vfio_bus_master(d, true);	/* the edu needs it for DMA and MSI */
	return vfio_read32(d, 0, EDU_ID) == EDU_ID_VALUE ? 0 : -ENODEV;
}

static int edu_memcpy_start(struct vfio_pci *d, uint64_t src, uint64_t dst,
			    uint64_t len)
{
	if (!len || len > vfio_test_edu.max_memcpy ||
	    src + len > vfio_test_edu.dma_limit ||
	    dst + len > vfio_test_edu.dma_limit)
		return -EINVAL;
	edu_copy = (struct edu_copy){ .dst = dst, .len = len };
	edu_dma_start(d, src, EDU_DMA_BUF, len, false);
	return 0;
}

static int edu_memcpy_wait(struct vfio_pci *d, int timeout_ms)
{
	int ret = edu_dma_wait(d, timeout_ms);

	if (ret || edu_copy.second)
		return ret;
	edu_copy.second = true;
	edu_dma_start(d, EDU_DMA_BUF, edu_copy.dst, edu_copy.len, true);
	return edu_dma_wait(d, timeout_ms);
}

static int edu_send_msi(struct vfio_pci *d)
{
	vfio_write32(d, 0, EDU_IRQ_ACK, ~0U);
	vfio_write32(d, 0, EDU_IRQ_RAISE, 0x1);
	return 0;
}

static void edu_remove(struct vfio_pci *d)
{
	edu_dma_wait(d, 3000);
	vfio_write32(d, 0, EDU_IRQ_ACK, ~0U);
	vfio_bus_master(d, false);
}

const struct vfio_test_driver vfio_test_edu = {
	.name = "edu",
	.vendor = EDU_VENDOR,
	.device = EDU_DEVICE,
	.root_bus = false,
	.msi_index = VFIO_PCI_MSI_IRQ_INDEX,
	.max_memcpy = 4095,
	.dma_limit = 1ULL << 28,
	.probe = pci_probe,
	.release = pci_release,
	.init = edu_init,
	.memcpy_start = edu_memcpy_start,
	.memcpy_wait = edu_memcpy_wait,
	.send_msi = edu_send_msi,
	.remove = edu_remove,
};

/* ---- e1000e ---- */

#define E1000_ICR_RXQ0	(1U << 20)

static int e1000e_init(struct vfio_pci *d)
{
	int i;

	vfio_bus_master(d, true);
	/* no throttling: QEMU 7.2 asserts on a throttle timer after MSI-X off */
	for (i = 0; i < 5; i++)
		vfio_write32(d, 0, E1000_EITR(i), 0);
	/*
	 * Opening reset the NIC; QEMU brings the link up by a 500 ms timer,
	 * an "Other" cause. The link bit may still read up from before the
	 * reset: wait for the bit and the timer both, then clear every cause.
	 */
	for (i = 0; i < 300; i++) {
		if (i >= 70 && (vfio_read32(d, 0, E1000_STATUS) & E1000_STATUS_LU))
			break;
		usleep(10000);
	}
	vfio_write32(d, 0, E1000_ICR, ~0U);
	/* RxQ0 -> MSI-X vector 0, valid */
	vfio_write32(d, 0, E1000_IVAR, 0x8 | (1U << 31));
	vfio_write32(d, 0, E1000_IMS, E1000_ICR_RXQ0);
	return 0;
}

static int e1000e_send_msi(struct vfio_pci *d)
{
	vfio_write32(d, 0, E1000_ICR, ~0U);	/* write 1 to clear */
	vfio_write32(d, 0, E1000_ICS, E1000_ICR_RXQ0);
	return 0;
}

static void e1000e_remove(struct vfio_pci *d)
{
	vfio_write32(d, 0, E1000_IMC, ~0U);
	vfio_write32(d, 0, E1000_ICR, ~0U);
	usleep(100000);	/* an interrupt in flight lands before MSI-X goes */
	vfio_bus_master(d, false);
}

const struct vfio_test_driver vfio_test_e1000e = {
	.name = "e1000e",
	.vendor = E1000E_VENDOR,
	.device = E1000E_DEVICE,
	.root_bus = true,
	.msi_index = VFIO_PCI_MSIX_IRQ_INDEX,
	.probe = pci_probe,
	.release = pci_release,
	.init = e1000e_init,
	.send_msi = e1000e_send_msi,
	.remove = e1000e_remove,
};

/* ---- mtty ---- */

/*
 * A 2-port instance; its port 1 raises the MSI: data ready (IER bit 0) on
 * a byte written to THR, which loops back to the RX FIFO. The condition
 * stays up until the FIFO is read empty, and mtty sends MSI on its rising
 * edge only, so send_msi() drains the FIFO before writing.
 */
#define MTTY_UUID	"6a4c5a4e-77d2-4f0b-9a3c-5eedf00d0016"
#define MTTY_PORT	1

static int mtty_probe(const struct vfio_test_driver *drv, char *name,
		      size_t len)
{
	if (!mdev_type_exists(drv->mdev_type))
		return -ENODEV;
	snprintf(name, len, "%s", MTTY_UUID);
	return mdev_create(drv->mdev_type, name);
}

static void mtty_release(const struct vfio_test_driver *drv, const char *name)
{
	mdev_remove(name);
}

/* read the RX FIFO empty: the data ready condition goes down */
static int mtty_drain(struct vfio_pci *d)
{
	int i;

	for (i = 0; i < 64; i++) {
		uint8_t lsr = uart_rd(d, MTTY_PORT, LSR);

		if (lsr == 0xee)
			return -EIO;
		if (!(lsr & LSR_DR))
			return 0;
		(void)uart_rd(d, MTTY_PORT, THR);
	}
	return -EIO;
}

static int mtty_init(struct vfio_pci *d)
{
	uart_wr(d, MTTY_PORT, FCR, 0x07);	/* FIFOs on, both cleared */
	uart_wr(d, MTTY_PORT, IER, 0x01);	/* data ready */
	return uart_rd(d, MTTY_PORT, IER) == 0x01 ? mtty_drain(d) : -EIO;
}

static int mtty_send_msi(struct vfio_pci *d)
{
	int ret = mtty_drain(d);

	if (ret)
		return ret;
	uart_wr(d, MTTY_PORT, THR, 0x5a);
	return 0;
}

static void mtty_remove(struct vfio_pci *d)
{
	uart_wr(d, MTTY_PORT, IER, 0x00);
	mtty_drain(d);
}

const struct vfio_test_driver vfio_test_mtty = {
	.name = "mtty",
	.mdev_type = "mtty-2",
	.msi_index = VFIO_PCI_MSI_IRQ_INDEX,
	.probe = mtty_probe,
	.release = mtty_release,
	.init = mtty_init,
	.send_msi = mtty_send_msi,
	.remove = mtty_remove,
};
