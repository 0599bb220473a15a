/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * VFIO user API, binary compatible with Linux 6.1.
 *
 * Every ioctl is _IO(';', 100 + n): there are no size or direction bits, so
 * each argument structure starts with @argsz (the number of bytes userspace
 * made available) and @flags. The kernel accepts any argsz at least as large
 * as the fixed part it needs, which is what lets a structure grow.
 *
 * Ioctl numbers 12 to 21 mean different things on a device fd and on a
 * container fd; the fd type selects the meaning.
 */
#ifndef _UAPIVFIO_H
#define _UAPIVFIO_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define VFIO_API_VERSION	0

/* Extension and IOMMU model identifiers (VFIO_CHECK_EXTENSION, VFIO_SET_IOMMU) */
#define VFIO_TYPE1_IOMMU		1
#define VFIO_SPAPR_TCE_IOMMU		2
#define VFIO_TYPE1v2_IOMMU		3
#define VFIO_DMA_CC_IOMMU		4	/* DMA is cache coherent */
#define VFIO_EEH			5
#define VFIO_TYPE1_NESTING_IOMMU	6	/* type1 v2 plus nesting */
#define VFIO_SPAPR_TCE_v2_IOMMU		7
#define VFIO_NOIOMMU_IOMMU		8	/* no translation, unsafe */
#define VFIO_UNMAP_ALL			9	/* VFIO_DMA_UNMAP_FLAG_ALL works */
#define VFIO_UPDATE_VADDR		10	/* the VADDR flags work */

#define VFIO_TYPE	(';')
#define VFIO_BASE	100

/**
 * struct vfio_info_cap_header - head of each capability in an info chain
 * @id: capability identifier, in the id space of the ioctl that returns it
 * @version: layout version of that capability
 * @next: offset of the next header from the start of the info structure,
 *	or 0 at the end of the chain
 */
struct vfio_info_cap_header {
	__u16	id;
	__u16	version;
	__u32	next;
};

/* ---- Container fd (/dev/vfio/vfio) ---- */

/* VFIO_GET_API_VERSION: returns VFIO_API_VERSION. */
#define VFIO_GET_API_VERSION		_IO(VFIO_TYPE, VFIO_BASE + 0)

/* VFIO_CHECK_EXTENSION(__u32 id): 0 when unsupported, >0 when supported. */
#define VFIO_CHECK_EXTENSION		_IO(VFIO_TYPE, VFIO_BASE + 1)

/* VFIO_SET_IOMMU(__u32 type): choose the IOMMU model; needs a group attached. */
#define VFIO_SET_IOMMU			_IO(VFIO_TYPE, VFIO_BASE + 2)

/* ---- Group fd (/dev/vfio/$GROUP) ---- */

/**
 * struct vfio_group_status - VFIO_GROUP_GET_STATUS argument
 * @argsz: bytes provided by the caller
 * @flags: VFIO_GROUP_FLAGS_* returned by the kernel
 */
struct vfio_group_status {
	__u32	argsz;
	__u32	flags;
#define VFIO_GROUP_FLAGS_VIABLE		(1 << 0)
#define VFIO_GROUP_FLAGS_CONTAINER_SET	(1 << 1)
};

#define VFIO_GROUP_GET_STATUS		_IO(VFIO_TYPE, VFIO_BASE + 3)

/* VFIO_GROUP_SET_CONTAINER(__s32 *container_fd) */
#define VFIO_GROUP_SET_CONTAINER	_IO(VFIO_TYPE, VFIO_BASE + 4)

/* VFIO_GROUP_UNSET_CONTAINER: fails with EBUSY while device fds are open. */
#define VFIO_GROUP_UNSET_CONTAINER	_IO(VFIO_TYPE, VFIO_BASE + 5)

/* VFIO_GROUP_GET_DEVICE_FD(char *name): returns a new device fd. */
#define VFIO_GROUP_GET_DEVICE_FD	_IO(VFIO_TYPE, VFIO_BASE + 6)

/* ---- Device fd ---- */

/**
 * struct vfio_device_info - VFIO_DEVICE_GET_INFO argument
 * @argsz: bytes provided by the caller (16 is the minimum)
 * @flags: VFIO_DEVICE_FLAGS_*
 * @num_regions: highest region index plus one
 * @num_irqs: highest irq index plus one
 * @cap_offset: offset of the first capability, valid with FLAGS_CAPS
 */
struct vfio_device_info {
	__u32	argsz;
	__u32	flags;
#define VFIO_DEVICE_FLAGS_RESET		(1 << 0)
#define VFIO_DEVICE_FLAGS_PCI		(1 << 1)
#define VFIO_DEVICE_FLAGS_PLATFORM	(1 << 2)
#define VFIO_DEVICE_FLAGS_AMBA		(1 << 3)
#define VFIO_DEVICE_FLAGS_CCW		(1 << 4)
#define VFIO_DEVICE_FLAGS_AP		(1 << 5)
#define VFIO_DEVICE_FLAGS_FSL_MC	(1 << 6)
#define VFIO_DEVICE_FLAGS_CAPS		(1 << 7)
	__u32	num_regions;
	__u32	num_irqs;
	__u32	cap_offset;
};

#define VFIO_DEVICE_GET_INFO		_IO(VFIO_TYPE, VFIO_BASE + 7)

/* Values of the mdev "device_api" sysfs attribute */
#define VFIO_DEVICE_API_PCI_STRING		"vfio-pci"
#define VFIO_DEVICE_API_PLATFORM_STRING		"vfio-platform"
#define VFIO_DEVICE_API_AMBA_STRING		"vfio-amba"
#define VFIO_DEVICE_API_CCW_STRING		"vfio-ccw"
#define VFIO_DEVICE_API_AP_STRING		"vfio-ap"

/* Device info capability ids (s390 zPCI) */
#define VFIO_DEVICE_INFO_CAP_ZPCI_BASE		1
#define VFIO_DEVICE_INFO_CAP_ZPCI_GROUP		2
#define VFIO_DEVICE_INFO_CAP_ZPCI_UTIL		3
#define VFIO_DEVICE_INFO_CAP_ZPCI_PFIP		4

/**
 * struct vfio_region_info - VFIO_DEVICE_GET_REGION_INFO argument
 * @argsz: bytes provided; raised by the kernel when the caps do not fit
 * @flags: VFIO_REGION_INFO_FLAG_*
 * @index: region index, set by the caller
 * @cap_offset: offset of the first capability, 0 when none were copied
 * @size: size of the region in bytes
 * @offset: where the region starts in the device fd
 */
struct vfio_region_info {
	__u32	argsz;
	__u32	flags;
#define VFIO_REGION_INFO_FLAG_READ	(1 << 0)
#define VFIO_REGION_INFO_FLAG_WRITE	(1 << 1)
#define VFIO_REGION_INFO_FLAG_MMAP	(1 << 2)
#define VFIO_REGION_INFO_FLAG_CAPS	(1 << 3)
	__u32	index;
	__u32	cap_offset;
	__u64	size;
	__u64	offset;
};

#define VFIO_DEVICE_GET_REGION_INFO	_IO(VFIO_TYPE, VFIO_BASE + 8)

/* Only the listed areas of the region may be mmapped. */
#define VFIO_REGION_INFO_CAP_SPARSE_MMAP	1

/**
 * struct vfio_region_sparse_mmap_area - one mmappable window of a region
 * @offset: start of the window inside the region
 * @size: length of the window
 */
struct vfio_region_sparse_mmap_area {
	__u64	offset;
	__u64	size;
};

/**
 * struct vfio_region_info_cap_sparse_mmap - VFIO_REGION_INFO_CAP_SPARSE_MMAP
 * @header: capability header
 * @nr_areas: number of entries in @areas
 * @reserved: zero
 * @areas: the mmappable windows
 */
struct vfio_region_info_cap_sparse_mmap {
	struct vfio_info_cap_header header;
	__u32	nr_areas;
	__u32	reserved;
	struct vfio_region_sparse_mmap_area areas[];
};

/* Type and subtype of a device specific region (index >= 9 on vfio-pci). */
#define VFIO_REGION_INFO_CAP_TYPE	2

/**
 * struct vfio_region_info_cap_type - VFIO_REGION_INFO_CAP_TYPE
 * @header: capability header
 * @type: region type, global to the bus driver
 * @subtype: meaning depends on @type
 */
struct vfio_region_info_cap_type {
	struct vfio_info_cap_header header;
	__u32 type;
	__u32 subtype;
};

#define VFIO_REGION_TYPE_PCI_VENDOR_TYPE	(1 << 31)
#define VFIO_REGION_TYPE_PCI_VENDOR_MASK	(0xffff)
#define VFIO_REGION_TYPE_GFX			(1)
#define VFIO_REGION_TYPE_CCW			(2)
#define VFIO_REGION_TYPE_MIGRATION_DEPRECATED	(3)

/* Subtypes of VFIO_REGION_TYPE_PCI_VENDOR_TYPE | 0x8086 (Intel) */
#define VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION	(1)
#define VFIO_REGION_SUBTYPE_INTEL_IGD_HOST_CFG	(2)
#define VFIO_REGION_SUBTYPE_INTEL_IGD_LPC_CFG	(3)

/* Subtype of VFIO_REGION_TYPE_PCI_VENDOR_TYPE | 0x10de (NVIDIA), unused */
#define VFIO_REGION_SUBTYPE_NVIDIA_NVLINK2_RAM	(1)

/* Subtype of VFIO_REGION_TYPE_PCI_VENDOR_TYPE | 0x1014 (IBM), unused */
#define VFIO_REGION_SUBTYPE_IBM_NVLINK2_ATSD	(1)

/* Subtype of VFIO_REGION_TYPE_GFX */
#define VFIO_REGION_SUBTYPE_GFX_EDID		(1)

/**
 * struct vfio_region_gfx_edid - layout of a GFX EDID region
 * @edid_offset: where the EDID blob starts in the region
 * @edid_max_size: room for the blob
 * @edid_size: current blob size
 * @max_xres: largest horizontal resolution the device supports
 * @max_yres: largest vertical resolution the device supports
 * @link_state: VFIO_DEVICE_GFX_LINK_STATE_*
 */
struct vfio_region_gfx_edid {
	__u32 edid_offset;
	__u32 edid_max_size;
	__u32 edid_size;
	__u32 max_xres;
	__u32 max_yres;
	__u32 link_state;
#define VFIO_DEVICE_GFX_LINK_STATE_UP		1
#define VFIO_DEVICE_GFX_LINK_STATE_DOWN		2
};

/* Subtypes of VFIO_REGION_TYPE_CCW */
#define VFIO_REGION_SUBTYPE_CCW_ASYNC_CMD	(1)
#define VFIO_REGION_SUBTYPE_CCW_SCHIB		(2)
#define VFIO_REGION_SUBTYPE_CCW_CRW		(3)

/* Subtype of VFIO_REGION_TYPE_MIGRATION_DEPRECATED (v1 protocol, no driver) */
#define VFIO_REGION_SUBTYPE_MIGRATION_DEPRECATED (1)

/**
 * struct vfio_device_migration_info - v1 migration region header (obsolete)
 * @device_state: VFIO_DEVICE_STATE_V1_* bits
 * @reserved: zero
 * @pending_bytes: bytes still to be saved
 * @data_offset: where the data window starts in the region
 * @data_size: bytes valid in the data window
 */
struct vfio_device_migration_info {
	__u32 device_state;
#define VFIO_DEVICE_STATE_V1_STOP	(0)
#define VFIO_DEVICE_STATE_V1_RUNNING	(1 << 0)
#define VFIO_DEVICE_STATE_V1_SAVING	(1 << 1)
#define VFIO_DEVICE_STATE_V1_RESUMING	(1 << 2)
#define VFIO_DEVICE_STATE_MASK		(VFIO_DEVICE_STATE_V1_RUNNING | \
					 VFIO_DEVICE_STATE_V1_SAVING | \
					 VFIO_DEVICE_STATE_V1_RESUMING)
/* RESUMING is the top bit of the mask: it may only be set alone */
#define VFIO_DEVICE_STATE_VALID(state) \
	(((state) & VFIO_DEVICE_STATE_MASK) <= VFIO_DEVICE_STATE_V1_RESUMING)
#define VFIO_DEVICE_STATE_IS_ERROR(state) \
	(((state) & VFIO_DEVICE_STATE_MASK) == (VFIO_DEVICE_STATE_V1_SAVING | \
						VFIO_DEVICE_STATE_V1_RESUMING))
#define VFIO_DEVICE_STATE_SET_ERROR(state) \
	(((state) & ~VFIO_DEVICE_STATE_MASK) | VFIO_DEVICE_STATE_V1_SAVING | \
					       VFIO_DEVICE_STATE_V1_RESUMING)
	__u32 reserved;
	__u64 pending_bytes;
	__u64 data_offset;
	__u64 data_size;
};

/* The BAR holding the MSI-X table may be mmapped as a whole (no payload). */
#define VFIO_REGION_INFO_CAP_MSIX_MAPPABLE	3

/* Deprecated NVLink2 capabilities, never returned. */
#define VFIO_REGION_INFO_CAP_NVLINK2_SSATGT	4

/**
 * struct vfio_region_info_cap_nvlink2_ssatgt - deprecated
 * @header: capability header
 * @tgt: target address
 */
struct vfio_region_info_cap_nvlink2_ssatgt {
	struct vfio_info_cap_header header;
	__u64 tgt;
};

#define VFIO_REGION_INFO_CAP_NVLINK2_LNKSPD	5

/**
 * struct vfio_region_info_cap_nvlink2_lnkspd - deprecated
 * @header: capability header
 * @link_speed: link speed
 * @__pad: zero
 */
struct vfio_region_info_cap_nvlink2_lnkspd {
	struct vfio_info_cap_header header;
	__u32 link_speed;
	__u32 __pad;
};

/**
 * struct vfio_irq_info - VFIO_DEVICE_GET_IRQ_INFO argument
 * @argsz: bytes provided
 * @flags: VFIO_IRQ_INFO_*
 * @index: irq index, set by the caller
 * @count: number of vectors in that index
 */
struct vfio_irq_info {
	__u32	argsz;
	__u32	flags;
#define VFIO_IRQ_INFO_EVENTFD		(1 << 0)
#define VFIO_IRQ_INFO_MASKABLE		(1 << 1)
#define VFIO_IRQ_INFO_AUTOMASKED	(1 << 2)
#define VFIO_IRQ_INFO_NORESIZE		(1 << 3)
	__u32	index;
	__u32	count;
};

#define VFIO_DEVICE_GET_IRQ_INFO	_IO(VFIO_TYPE, VFIO_BASE + 9)

/**
 * struct vfio_irq_set - VFIO_DEVICE_SET_IRQS argument
 * @argsz: bytes provided, header plus @data
 * @flags: exactly one DATA type and one ACTION
 * @index: irq index
 * @start: first vector
 * @count: number of vectors; 0 with DATA_NONE|ACTION_TRIGGER disables
 * @data: @count bools (u8) or eventfds (s32), by the DATA type
 */
struct vfio_irq_set {
	__u32	argsz;
	__u32	flags;
#define VFIO_IRQ_SET_DATA_NONE		(1 << 0)
#define VFIO_IRQ_SET_DATA_BOOL		(1 << 1)
#define VFIO_IRQ_SET_DATA_EVENTFD	(1 << 2)
#define VFIO_IRQ_SET_ACTION_MASK	(1 << 3)
#define VFIO_IRQ_SET_ACTION_UNMASK	(1 << 4)
#define VFIO_IRQ_SET_ACTION_TRIGGER	(1 << 5)
	__u32	index;
	__u32	start;
	__u32	count;
	__u8	data[];
};

#define VFIO_DEVICE_SET_IRQS		_IO(VFIO_TYPE, VFIO_BASE + 10)

#define VFIO_IRQ_SET_DATA_TYPE_MASK	(VFIO_IRQ_SET_DATA_NONE | \
					 VFIO_IRQ_SET_DATA_BOOL | \
					 VFIO_IRQ_SET_DATA_EVENTFD)
#define VFIO_IRQ_SET_ACTION_TYPE_MASK	(VFIO_IRQ_SET_ACTION_MASK | \
					 VFIO_IRQ_SET_ACTION_UNMASK | \
					 VFIO_IRQ_SET_ACTION_TRIGGER)

/* VFIO_DEVICE_RESET: reset the device if it advertises FLAGS_RESET. */
#define VFIO_DEVICE_RESET		_IO(VFIO_TYPE, VFIO_BASE + 11)

/* Fixed vfio-pci region indexes; 9 and above carry a CAP_TYPE. */
enum {
	VFIO_PCI_BAR0_REGION_INDEX,
	VFIO_PCI_BAR1_REGION_INDEX,
	VFIO_PCI_BAR2_REGION_INDEX,
	VFIO_PCI_BAR3_REGION_INDEX,
	VFIO_PCI_BAR4_REGION_INDEX,
	VFIO_PCI_BAR5_REGION_INDEX,
	VFIO_PCI_ROM_REGION_INDEX,
	VFIO_PCI_CONFIG_REGION_INDEX,
	/* legacy VGA: MMIO 0xa0000-0xbffff, I/O 0x3b0-0x3bb and 0x3c0-0x3df */
	VFIO_PCI_VGA_REGION_INDEX,
	VFIO_PCI_NUM_REGIONS = 9
};

/* Fixed vfio-pci irq indexes */
enum {
	VFIO_PCI_INTX_IRQ_INDEX,
	VFIO_PCI_MSI_IRQ_INDEX,
	VFIO_PCI_MSIX_IRQ_INDEX,
	VFIO_PCI_ERR_IRQ_INDEX,
	VFIO_PCI_REQ_IRQ_INDEX,
	VFIO_PCI_NUM_IRQS
};

/* Fixed vfio-ccw indexes */
enum {
	VFIO_CCW_CONFIG_REGION_INDEX,
	VFIO_CCW_NUM_REGIONS
};

enum {
	VFIO_CCW_IO_IRQ_INDEX,
	VFIO_CCW_CRW_IRQ_INDEX,
	VFIO_CCW_REQ_IRQ_INDEX,
	VFIO_CCW_NUM_IRQS
};

/**
 * struct vfio_pci_dependent_device - a device affected by a hot reset
 * @group_id: IOMMU group of the device
 * @segment: PCI domain
 * @bus: PCI bus number
 * @devfn: PCI device and function (PCI_SLOT/PCI_FUNC)
 */
struct vfio_pci_dependent_device {
	__u32	group_id;
	__u16	segment;
	__u8	bus;
	__u8	devfn;
};

/**
 * struct vfio_pci_hot_reset_info - VFIO_DEVICE_GET_PCI_HOT_RESET_INFO
 * @argsz: bytes provided
 * @flags: zero
 * @count: entries in @devices (needed count when ENOSPC is returned)
 * @devices: the devices a hot reset would affect
 */
struct vfio_pci_hot_reset_info {
	__u32	argsz;
	__u32	flags;
	__u32	count;
	struct vfio_pci_dependent_device	devices[];
};

#define VFIO_DEVICE_GET_PCI_HOT_RESET_INFO	_IO(VFIO_TYPE, VFIO_BASE + 12)

/**
 * struct vfio_pci_hot_reset - VFIO_DEVICE_PCI_HOT_RESET argument
 * @argsz: bytes provided
 * @flags: zero
 * @count: entries in @group_fds
 * @group_fds: group fds proving ownership of every affected device
 */
struct vfio_pci_hot_reset {
	__u32	argsz;
	__u32	flags;
	__u32	count;
	__s32	group_fds[];
};

#define VFIO_DEVICE_PCI_HOT_RESET	_IO(VFIO_TYPE, VFIO_BASE + 13)

/**
 * struct vfio_device_gfx_plane_info - VFIO_DEVICE_QUERY_GFX_PLANE argument
 * @argsz: bytes provided
 * @flags: VFIO_GFX_PLANE_TYPE_*
 * @drm_plane_type: DRM_PLANE_TYPE_*
 * @drm_format: DRM fourcc
 * @drm_format_mod: tiling modifier
 * @width: width in pixels
 * @height: height in pixels
 * @stride: bytes per line
 * @size: bytes of the plane, page aligned
 * @x_pos: cursor x position
 * @y_pos: cursor y position
 * @x_hot: cursor hotspot x
 * @y_hot: cursor hotspot y
 * @region_index: region holding the plane (TYPE_REGION)
 * @dmabuf_id: dma-buf id of the plane (TYPE_DMABUF)
 */
struct vfio_device_gfx_plane_info {
	__u32 argsz;
	__u32 flags;
#define VFIO_GFX_PLANE_TYPE_PROBE	(1 << 0)
#define VFIO_GFX_PLANE_TYPE_DMABUF	(1 << 1)
#define VFIO_GFX_PLANE_TYPE_REGION	(1 << 2)
	__u32 drm_plane_type;
	__u32 drm_format;
	__u64 drm_format_mod;
	__u32 width;
	__u32 height;
	__u32 stride;
	__u32 size;
	__u32 x_pos;
	__u32 y_pos;
	__u32 x_hot;
	__u32 y_hot;
	union {
		__u32 region_index;
		__u32 dmabuf_id;
	};
};

#define VFIO_DEVICE_QUERY_GFX_PLANE	_IO(VFIO_TYPE, VFIO_BASE + 14)

/* VFIO_DEVICE_GET_GFX_DMABUF(__u32 dmabuf_id): returns a dma-buf fd. */
#define VFIO_DEVICE_GET_GFX_DMABUF	_IO(VFIO_TYPE, VFIO_BASE + 15)

/**
 * struct vfio_device_ioeventfd - VFIO_DEVICE_IOEVENTFD argument
 * @argsz: bytes provided
 * @flags: exactly one access width VFIO_DEVICE_IOEVENTFD_{8,16,32,64}
 * @offset: device fd offset the kernel writes to
 * @data: value written when the eventfd fires
 * @fd: eventfd, or -1 to remove the matching ioeventfd
 */
struct vfio_device_ioeventfd {
	__u32	argsz;
	__u32	flags;
#define VFIO_DEVICE_IOEVENTFD_8		(1 << 0)
#define VFIO_DEVICE_IOEVENTFD_16	(1 << 1)
#define VFIO_DEVICE_IOEVENTFD_32	(1 << 2)
#define VFIO_DEVICE_IOEVENTFD_64	(1 << 3)
#define VFIO_DEVICE_IOEVENTFD_SIZE_MASK	(0xf)
	__u64	offset;
	__u64	data;
	__s32	fd;
};

#define VFIO_DEVICE_IOEVENTFD		_IO(VFIO_TYPE, VFIO_BASE + 16)

/**
 * struct vfio_device_feature - VFIO_DEVICE_FEATURE argument
 * @argsz: bytes provided, header plus @data
 * @flags: feature index in the low 16 bits, plus GET, SET or PROBE
 * @data: feature payload
 */
struct vfio_device_feature {
	__u32	argsz;
	__u32	flags;
#define VFIO_DEVICE_FEATURE_MASK	(0xffff)
#define VFIO_DEVICE_FEATURE_GET		(1 << 16)
#define VFIO_DEVICE_FEATURE_SET		(1 << 17)
#define VFIO_DEVICE_FEATURE_PROBE	(1 << 18)
	__u8	data[];
};

#define VFIO_DEVICE_FEATURE		_IO(VFIO_TYPE, VFIO_BASE + 17)

/* SET a 16-byte UUID shared between a PF and its VFs' users. */
#define VFIO_DEVICE_FEATURE_PCI_VF_TOKEN	(0)

/**
 * struct vfio_device_feature_migration - VFIO_DEVICE_FEATURE_MIGRATION (GET)
 * @flags: VFIO_MIGRATION_*
 */
struct vfio_device_feature_migration {
	__aligned_u64 flags;
#define VFIO_MIGRATION_STOP_COPY	(1 << 0)
#define VFIO_MIGRATION_P2P		(1 << 1)
};

#define VFIO_DEVICE_FEATURE_MIGRATION	1

/**
 * struct vfio_device_feature_mig_state - VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE
 * @device_state: enum vfio_device_mig_state
 * @data_fd: stream fd returned by SET for STOP_COPY and RESUMING, else -1
 */
struct vfio_device_feature_mig_state {
	__u32 device_state;
	__s32 data_fd;
};

#define VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE	2

enum vfio_device_mig_state {
	VFIO_DEVICE_STATE_ERROR = 0,
	VFIO_DEVICE_STATE_STOP = 1,
	VFIO_DEVICE_STATE_RUNNING = 2,
	VFIO_DEVICE_STATE_STOP_COPY = 3,
	VFIO_DEVICE_STATE_RESUMING = 4,
	VFIO_DEVICE_STATE_RUNNING_P2P = 5,
};

/* Enter a low power state (SET, no payload). */
#define VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY	3

/**
 * struct vfio_device_low_power_entry_with_wakeup - low power with wakeup
 * @wakeup_eventfd: signalled when the device asks to wake up
 * @reserved: zero
 */
struct vfio_device_low_power_entry_with_wakeup {
	__s32 wakeup_eventfd;
	__u32 reserved;
};

#define VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP	4

/* Leave the low power state (SET, no payload). */
#define VFIO_DEVICE_FEATURE_LOW_POWER_EXIT	5

/**
 * struct vfio_device_feature_dma_logging_control - DMA_LOGGING_START payload
 * @page_size: tracking granularity, may be raised by the device
 * @num_ranges: entries at @ranges
 * @__reserved: zero
 * @ranges: user pointer to struct vfio_device_feature_dma_logging_range[]
 */
struct vfio_device_feature_dma_logging_control {
	__aligned_u64 page_size;
	__u32 num_ranges;
	__u32 __reserved;
	__aligned_u64 ranges;
};

/**
 * struct vfio_device_feature_dma_logging_range - one tracked IOVA range
 * @iova: start
 * @length: length in bytes
 */
struct vfio_device_feature_dma_logging_range {
	__aligned_u64 iova;
	__aligned_u64 length;
};

#define VFIO_DEVICE_FEATURE_DMA_LOGGING_START	6

/* Stop device DMA logging (SET, no payload). */
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP	7

/**
 * struct vfio_device_feature_dma_logging_report - DMA_LOGGING_REPORT payload
 * @iova: start of the reported range
 * @length: length of the range
 * @page_size: one bit of @bitmap per this many bytes
 * @bitmap: user pointer to the dirty bitmap
 */
struct vfio_device_feature_dma_logging_report {
	__aligned_u64 iova;
	__aligned_u64 length;
	__aligned_u64 page_size;
	__aligned_u64 bitmap;
};

#define VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT	8

/* ---- Type1 IOMMU (container fd after VFIO_SET_IOMMU) ---- */

/**
 * struct vfio_iommu_type1_info - VFIO_IOMMU_GET_INFO argument
 * @argsz: bytes provided (16 minimum; caps need more)
 * @flags: VFIO_IOMMU_INFO_*
 * @iova_pgsizes: bitmap of supported IOMMU page sizes
 * @cap_offset: offset of the first capability
 */
struct vfio_iommu_type1_info {
	__u32	argsz;
	__u32	flags;
#define VFIO_IOMMU_INFO_PGSIZES	(1 << 0)
#define VFIO_IOMMU_INFO_CAPS	(1 << 1)
	__u64	iova_pgsizes;
	__u32	cap_offset;
};

/* Usable IOVA ranges: the aperture minus reserved regions. */
#define VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE	1

/**
 * struct vfio_iova_range - an inclusive IOVA range
 * @start: first usable address
 * @end: last usable address
 */
struct vfio_iova_range {
	__u64	start;
	__u64	end;
};

/**
 * struct vfio_iommu_type1_info_cap_iova_range - CAP_IOVA_RANGE
 * @header: capability header
 * @nr_iovas: entries in @iova_ranges
 * @reserved: zero
 * @iova_ranges: usable ranges in ascending order
 */
struct vfio_iommu_type1_info_cap_iova_range {
	struct	vfio_info_cap_header header;
	__u32	nr_iovas;
	__u32	reserved;
	struct	vfio_iova_range iova_ranges[];
};

/* Dirty page tracking parameters. */
#define VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION	2

/**
 * struct vfio_iommu_type1_info_cap_migration - CAP_MIGRATION
 * @header: capability header
 * @flags: zero
 * @pgsize_bitmap: page sizes the dirty bitmap may use
 * @max_dirty_bitmap_size: largest bitmap in bytes
 */
struct vfio_iommu_type1_info_cap_migration {
	struct	vfio_info_cap_header header;
	__u32	flags;
	__u64	pgsize_bitmap;
	__u64	max_dirty_bitmap_size;
};

/* How many more DMA mappings the container accepts. */
#define VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL		3

/**
 * struct vfio_iommu_type1_info_dma_avail - DMA_AVAIL
 * @header: capability header
 * @avail: mappings left under dma_entry_limit
 */
struct vfio_iommu_type1_info_dma_avail {
	struct	vfio_info_cap_header header;
	__u32	avail;
};

#define VFIO_IOMMU_GET_INFO		_IO(VFIO_TYPE, VFIO_BASE + 12)

/**
 * struct vfio_iommu_type1_dma_map - VFIO_IOMMU_MAP_DMA argument
 * @argsz: bytes provided
 * @flags: READ and/or WRITE (device's view), or VADDR alone
 * @vaddr: process virtual address
 * @iova: IO virtual address
 * @size: bytes to map
 */
struct vfio_iommu_type1_dma_map {
	__u32	argsz;
	__u32	flags;
#define VFIO_DMA_MAP_FLAG_READ	(1 << 0)
#define VFIO_DMA_MAP_FLAG_WRITE	(1 << 1)
#define VFIO_DMA_MAP_FLAG_VADDR	(1 << 2)
	__u64	vaddr;
	__u64	iova;
	__u64	size;
};

#define VFIO_IOMMU_MAP_DMA		_IO(VFIO_TYPE, VFIO_BASE + 13)

/**
 * struct vfio_bitmap - a user dirty bitmap
 * @pgsize: bytes per bit
 * @size: bitmap size in bytes
 * @data: user pointer to the bits
 */
struct vfio_bitmap {
	__u64	pgsize;
	__u64	size;
	__u64	*data;
};

/**
 * struct vfio_iommu_type1_dma_unmap - VFIO_IOMMU_UNMAP_DMA argument
 * @argsz: bytes provided
 * @flags: VFIO_DMA_UNMAP_FLAG_*
 * @iova: start of the range
 * @size: length of the range; the kernel writes back the bytes unmapped
 * @data: a struct vfio_bitmap with GET_DIRTY_BITMAP
 */
struct vfio_iommu_type1_dma_unmap {
	__u32	argsz;
	__u32	flags;
#define VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP	(1 << 0)
#define VFIO_DMA_UNMAP_FLAG_ALL			(1 << 1)
#define VFIO_DMA_UNMAP_FLAG_VADDR		(1 << 2)
	__u64	iova;
	__u64	size;
	__u8	data[];
};

#define VFIO_IOMMU_UNMAP_DMA		_IO(VFIO_TYPE, VFIO_BASE + 14)

/* SPAPR v1 only; type1 answers ENOTTY. */
#define VFIO_IOMMU_ENABLE		_IO(VFIO_TYPE, VFIO_BASE + 15)
#define VFIO_IOMMU_DISABLE		_IO(VFIO_TYPE, VFIO_BASE + 16)

/**
 * struct vfio_iommu_type1_dirty_bitmap - VFIO_IOMMU_DIRTY_PAGES argument
 * @argsz: bytes provided
 * @flags: exactly one of START, STOP, GET_BITMAP
 * @data: a struct vfio_iommu_type1_dirty_bitmap_get with GET_BITMAP
 */
struct vfio_iommu_type1_dirty_bitmap {
	__u32	argsz;
	__u32	flags;
#define VFIO_IOMMU_DIRTY_PAGES_FLAG_START	(1 << 0)
#define VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP	(1 << 1)
#define VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP	(1 << 2)
	__u8	data[];
};

/**
 * struct vfio_iommu_type1_dirty_bitmap_get - range to report
 * @iova: start
 * @size: length
 * @bitmap: where to write the bits
 */
struct vfio_iommu_type1_dirty_bitmap_get {
	__u64	iova;
	__u64	size;
	struct vfio_bitmap bitmap;
};

#define VFIO_IOMMU_DIRTY_PAGES		_IO(VFIO_TYPE, VFIO_BASE + 17)

/* ---- SPAPR TCE IOMMU (POWER only; kept for source compatibility) ---- */

/**
 * struct vfio_iommu_spapr_tce_ddw_info - dynamic DMA window facts
 * @pgsizes: supported page sizes
 * @max_dynamic_windows_supported: window count
 * @levels: table levels
 */
struct vfio_iommu_spapr_tce_ddw_info {
	__u64 pgsizes;
	__u32 max_dynamic_windows_supported;
	__u32 levels;
};

/**
 * struct vfio_iommu_spapr_tce_info - VFIO_IOMMU_SPAPR_TCE_GET_INFO argument
 * @argsz: bytes provided
 * @flags: VFIO_IOMMU_SPAPR_INFO_DDW
 * @dma32_window_start: start of the 32-bit window
 * @dma32_window_size: size of the 32-bit window
 * @ddw: dynamic DMA window facts
 */
struct vfio_iommu_spapr_tce_info {
	__u32 argsz;
	__u32 flags;
#define VFIO_IOMMU_SPAPR_INFO_DDW	(1 << 0)
	__u32 dma32_window_start;
	__u32 dma32_window_size;
	struct vfio_iommu_spapr_tce_ddw_info ddw;
};

#define VFIO_IOMMU_SPAPR_TCE_GET_INFO	_IO(VFIO_TYPE, VFIO_BASE + 12)

/* EEH PE operations */
#define VFIO_EEH_PE_DISABLE		0
#define VFIO_EEH_PE_ENABLE		1
#define VFIO_EEH_PE_UNFREEZE_IO		2
#define VFIO_EEH_PE_UNFREEZE_DMA	3
#define VFIO_EEH_PE_GET_STATE		4
#define  VFIO_EEH_PE_STATE_NORMAL	0
#define  VFIO_EEH_PE_STATE_RESET	1
#define  VFIO_EEH_PE_STATE_STOPPED	2
#define  VFIO_EEH_PE_STATE_STOPPED_DMA	4
#define  VFIO_EEH_PE_STATE_UNAVAIL	5
#define VFIO_EEH_PE_RESET_DEACTIVATE	5
#define VFIO_EEH_PE_RESET_HOT		6
#define VFIO_EEH_PE_RESET_FUNDAMENTAL	7
#define VFIO_EEH_PE_CONFIGURE		8
#define VFIO_EEH_PE_INJECT_ERR		9

/**
 * struct vfio_eeh_pe_err - EEH error to inject
 * @type: error type
 * @func: error function
 * @addr: address
 * @mask: address mask
 */
struct vfio_eeh_pe_err {
	__u32 type;
	__u32 func;
	__u64 addr;
	__u64 mask;
};

/**
 * struct vfio_eeh_pe_op - VFIO_EEH_PE_OP argument
 * @argsz: bytes provided
 * @flags: zero
 * @op: VFIO_EEH_PE_*
 * @err: payload of VFIO_EEH_PE_INJECT_ERR
 */
struct vfio_eeh_pe_op {
	__u32 argsz;
	__u32 flags;
	__u32 op;
	union {
		struct vfio_eeh_pe_err err;
	};
};

#define VFIO_EEH_PE_OP			_IO(VFIO_TYPE, VFIO_BASE + 21)

/**
 * struct vfio_iommu_spapr_register_memory - SPAPR (un)register memory
 * @argsz: bytes provided
 * @flags: zero
 * @vaddr: process virtual address
 * @size: length
 */
struct vfio_iommu_spapr_register_memory {
	__u32	argsz;
	__u32	flags;
	__u64	vaddr;
	__u64	size;
};

#define VFIO_IOMMU_SPAPR_REGISTER_MEMORY	_IO(VFIO_TYPE, VFIO_BASE + 17)
#define VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY	_IO(VFIO_TYPE, VFIO_BASE + 18)

/**
 * struct vfio_iommu_spapr_tce_create - create a DMA window
 * @argsz: bytes provided
 * @flags: zero
 * @page_shift: IOMMU page shift
 * @__resv1: zero
 * @window_size: window length
 * @levels: table levels
 * @__resv2: zero
 * @start_addr: window start, returned
 */
struct vfio_iommu_spapr_tce_create {
	__u32 argsz;
	__u32 flags;
	__u32 page_shift;
	__u32 __resv1;
	__u64 window_size;
	__u32 levels;
	__u32 __resv2;
	__u64 start_addr;
};

#define VFIO_IOMMU_SPAPR_TCE_CREATE	_IO(VFIO_TYPE, VFIO_BASE + 19)

/**
 * struct vfio_iommu_spapr_tce_remove - remove a DMA window
 * @argsz: bytes provided
 * @flags: zero
 * @start_addr: window start
 */
struct vfio_iommu_spapr_tce_remove {
	__u32 argsz;
	__u32 flags;
	__u64 start_addr;
};

#define VFIO_IOMMU_SPAPR_TCE_REMOVE	_IO(VFIO_TYPE, VFIO_BASE + 20)

#endif /* _UAPIVFIO_H */
