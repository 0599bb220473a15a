/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared helpers of the VFIO selftests: finding the guest's test devices,
 * binding them to vfio-pci and opening them through /dev/vfio.
 */
#ifndef VFIO_TEST_H
#define VFIO_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

/*
 * The kselftest harness kills a test after 30 s unless told otherwise.
 * The debug tier's kernel (KASAN, lockdep, kmemleak) under TCG takes
 * several times longer for a module reload or a device reset, and a test
 * killed half way leaves vfio-pci unloaded or a device unbound for every
 * later one; so our default is 120 s, still a bound on any hang. (The
 * harness's TEST() macros expand it where they are used, after this.)
 */
#ifdef TEST_TIMEOUT_DEFAULT
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	120
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(arr)	(sizeof(arr) / sizeof((arr)[0]))
#endif

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8
#define E1000E_VENDOR	0x8086
#define E1000E_DEVICE	0x10d3
/* e1000e registers (BAR0) that raise and route its MSI-X vectors */
#define E1000_STATUS	0x08
#define E1000_STATUS_LU	0x2
#define E1000_ICR	0xc0
#define E1000_ICS	0xc8
#define E1000_IMS	0xd0
#define E1000_IMC	0xd8
#define E1000_IVAR	0xe4
#define E1000_EITR(n)	(0xe8 + 4 * (n))

/* edu registers (QEMU hw/misc/edu.c) */
#define EDU_ID		0x00
#define EDU_LIVENESS	0x04
#define EDU_FACTORIAL	0x08
#define EDU_STATUS	0x20
#define EDU_IRQ_STATUS	0x24
#define EDU_IRQ_RAISE	0x60
#define EDU_IRQ_ACK	0x64
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_COUNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_DMA_BUF	0x40000
#define EDU_DMA_START	0x1
#define EDU_DMA_TO_RAM	0x2
#define EDU_DMA_IRQ	0x4
#define EDU_ID_VALUE	0x010000ed

/* An ioctl's errno, or 0 when it succeeded. */
static inline int ioctl_errno(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

static inline int ioctl_errno_val(int fd, unsigned long cmd, unsigned long arg)
{
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

/**
 * struct vfio_pci - a device opened through VFIO (by vfio_dev_open())
 * @bdf: its name: a PCI BDF, an mdev UUID or a platform device's name
 */
struct vfio_pci {
	char bdf[64];
	int group_id;
	int container;
	int group;
	int device;
	struct vfio_device_info info;
};

/* sysfs */
int sysfs_write(const char *path, const char *val);
int sysfs_read(const char *path, char *buf, size_t len);
int pci_find(unsigned int vendor, unsigned int device, int nth, bool root_bus,
	     char *bdf, size_t len);
/*
 * pci_find() for the device a test needs: on a machine without it the test
 * is skipped ("ok N ... # SKIP"), not failed. For kselftest_harness tests,
 * fixture setups and helpers given _metadata alike: it leaves through the
 * harness's jump, as a failed ASSERT does. The guest runner fails a run in
 * which any test skipped, since its guest has every device.
 */
#define PCI_FIND_OR_SKIP(vendor, device, nth, root_bus, bdf, len) do {	\
	if (pci_find(vendor, device, nth, root_bus, bdf, len))		\
		SKIP(longjmp(_metadata->env, 1),				\
		     "no PCI device %04x:%04x (#%d) on this machine",	\
		     (unsigned int)(vendor), (unsigned int)(device), nth);	\
} while (0)
int pci_driver_of(const char *bdf, char *drv, size_t len);
int pci_bind(const char *bdf, const char *driver);
int pci_unbind(const char *bdf);
int pci_iommu_group(const char *bdf);

/*
 * Opening: @name is a PCI BDF, an mdev UUID or a platform device's name
 * (whichever /sys/bus/{pci,mdev,platform}/devices/@name exists); its group
 * opens as /dev/vfio/N, or /dev/vfio/noiommu-N when it is vfio's noiommu
 * group. The QEMU sequence: container, group, viability, SET_CONTAINER,
 * SET_IOMMU @iommu, then vfio_dev_get(). With @iommu 0 it stops after
 * SET_CONTAINER, for the caller to set an IOMMU model and then call
 * vfio_dev_get() (GET_DEVICE_FD of d->bdf, GET_INFO). Both return 0 or
 * -errno, with everything closed.
 */
int vfio_dev_open(struct vfio_pci *d, const char *name, unsigned long iommu);
int vfio_dev_get(struct vfio_pci *d);
void vfio_pci_close(struct vfio_pci *d);

/* mdevs: the sample's parent (mtty) */
#define MDEV_TYPES	"/sys/devices/virtual/mtty/mtty/mdev_supported_types"
#define MDEV_DEVICES	"/sys/bus/mdev/devices"
int mdev_create(const char *type, const char *uuid);
int mdev_remove(const char *uuid);
bool mdev_type_exists(const char *type);
/* PCI_FIND_OR_SKIP() for an mdev type: without it (no mtty) the test skips */
#define MDEV_TYPE_OR_SKIP(type) do {					\
	if (!mdev_type_exists(type))					\
		SKIP(longjmp(_metadata->env, 1),			\
		     "no mdev type %s on this machine", type);		\
} while (0)

/*
 * The 16550 ports of an mtty instance: port n is BAR n, at region offset
 * n << 40. uart_rd() gives 0xee when the read fails.
 */
#define THR	0	/* RBR when read; DLL with LCR.DLAB */
#define IER	1
#define IIR	2
#define FCR	2
#define LCR	3
#define MCR	4
#define LSR	5
#define MSR	6
#define SCR	7
#define LSR_DR	0x01	/* data ready: the RX FIFO is not empty */
uint8_t uart_rd(struct vfio_pci *d, int port, int reg);
void uart_wr(struct vfio_pci *d, int port, int reg, uint8_t v);

/* leak checks: pins held system wide (nr_foll_pin_acquired - released,
 * LONG_MIN if unknown) and this process's locked memory (VmLck, kB) */
long pin_balance(void);
long vm_locked_kb(void);

/* regions */
/* Read *@p into @val; true when that raised SIGBUS (a revoked mmap). */
bool mmio_read_faults(volatile uint32_t *p, uint32_t *val);
int vfio_region_info(int device, unsigned int index, struct vfio_region_info *ri);
uint64_t vfio_region_offset(int device, unsigned int index);
uint32_t vfio_read32(struct vfio_pci *d, unsigned int index, uint64_t off);
void vfio_write32(struct vfio_pci *d, unsigned int index, uint64_t off, uint32_t val);
uint64_t vfio_read64(struct vfio_pci *d, unsigned int index, uint64_t off);
void vfio_write64(struct vfio_pci *d, unsigned int index, uint64_t off, uint64_t val);
uint16_t vfio_cfg_read16(struct vfio_pci *d, unsigned int off);
void vfio_cfg_write16(struct vfio_pci *d, unsigned int off, uint16_t val);
void vfio_bus_master(struct vfio_pci *d, bool on);

/* interrupts */
int vfio_irq_set_eventfds(int device, unsigned int index, unsigned int start,
			  unsigned int count, const int *fds);
int vfio_irq_set_action(int device, unsigned int index, uint32_t action,
			unsigned int start, unsigned int count);
int vfio_irq_disable(int device, unsigned int index);
/* waits up to ms milliseconds; returns the counter or 0 on timeout */
uint64_t eventfd_wait(int efd, int ms);

/* migration: VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE; the data fd of the new
 * state goes to @data_fd, or is closed when @data_fd is NULL */
int vfio_mig_set_state(int device, uint32_t state, int *data_fd);

/* DMA */
int vfio_map(int container, void *vaddr, uint64_t iova, uint64_t size,
	     uint32_t flags);
int vfio_unmap(int container, uint64_t iova, uint64_t size, uint32_t flags,
	       uint64_t *unmapped);

/* edu: one DMA, started, then waited for (or both) */
void edu_dma_start(struct vfio_pci *d, uint64_t src, uint64_t dst,
		   uint32_t count, bool to_ram);
int edu_dma_wait(struct vfio_pci *d, int timeout_ms);
int edu_dma(struct vfio_pci *d, uint64_t src, uint64_t dst, uint32_t count,
	    bool to_ram, int timeout_ms);

#endif
