// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers of the VFIO selftests (see vfio_test.h).
 */
#include <dirent.h>
#include <libgen.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>

#include "vfio_test.h"

int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	return 0;
}

int sysfs_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	return 0;
}

static unsigned long sysfs_hex(const char *bdf, const char *attr)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	if (sysfs_read(path, buf, sizeof(buf)))
		return ~0UL;
	return strtoul(buf, NULL, 16);
}

/* The nth (0-based) device with these ids, on the root bus or not. */
int pci_find(unsigned int vendor, unsigned int device, int nth, bool root_bus,
	     char *bdf, size_t len)
{
	struct dirent **names;
	int n, i, found = -1;

	n = scandir("/sys/bus/pci/devices", &names, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		unsigned int bus;

		if (name[0] == '.' || found >= nth)
			continue;
		if (sysfs_hex(name, "vendor") != vendor ||
		    sysfs_hex(name, "device") != device)
			continue;
		if (sscanf(name, "%*x:%x:", &bus) != 1 || (bus == 0) != root_bus)
			continue;
		if (++found == nth)
			snprintf(bdf, len, "%s", name);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return found >= nth ? 0 : -ENODEV;
}

int pci_driver_of(const char *bdf, char *drv, size_t len)
{
	char path[256], target[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0) {
		drv[0] = 0;
		return -errno;
	}
	target[n] = 0;
	snprintf(drv, len, "%s", basename(target));
	return 0;
}

int pci_unbind(const char *bdf)
{
	char path[256], drv[64];

	if (pci_driver_of(bdf, drv, sizeof(drv)))
		return 0;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", bdf);
	return sysfs_write(path, bdf);
}

/* Bind through driver_override, the way driverctl and libvirt do. */
int pci_bind(const char *bdf, const char *driver)
{
	char path[256], drv[64];
	int ret;

	if (!pci_driver_of(bdf, drv, sizeof(drv)) && !strcmp(drv, driver))
		return 0;
	ret = pci_unbind(bdf);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", bdf);
	ret = sysfs_write(path, driver);
	if (ret)
		return ret;
	ret = sysfs_write("/sys/bus/pci/drivers_probe", bdf);
	if (ret)
		return ret;
	if (pci_driver_of(bdf, drv, sizeof(drv)) || strcmp(drv, driver))
		return -ENODEV;
	return 0;
}

/* The IOMMU group number of the device at sysfs @dir, or -errno. */
static int sysfs_iommu_group(const char *dir)
{
	char path[300], target[256];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/iommu_group", dir);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = 0;
	return atoi(basename(target));
}

int pci_iommu_group(const char *bdf)
{
	char dir[256];

	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", bdf);
	return sysfs_iommu_group(dir);
}

/*
 * The sysfs directory of the device @name: a PCI function by BDF, an mdev
 * by UUID or a platform device by name, whichever exists.
 */
static int vfio_dev_sysfs_dir(const char *name, char *dir, size_t len)
{
	static const char * const buses[] = { "pci", "mdev", "platform" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(buses); i++) {
		snprintf(dir, len, "/sys/bus/%s/devices/%s", buses[i], name);
		if (!access(dir, F_OK))
			return 0;
	}
	return -ENODEV;
}

/*
 * The group file of the device @name in @group_path: /dev/vfio/N, or
 * /dev/vfio/noiommu-N when the group is vfio's fake one for noiommu mode.
 * vfio names every group it makes up "vfio-noiommu", an mdev's too, whose
 * node is /dev/vfio/N: the noiommu node is taken only when it exists.
 * Returns the group number N or -errno.
 */
static int vfio_dev_group(const char *name, char *group_path, size_t len)
{
	char dir[256], path[64], gname[64];
	int ret, group_id;

	ret = vfio_dev_sysfs_dir(name, dir, sizeof(dir));
	if (ret)
		return ret;
	group_id = sysfs_iommu_group(dir);
	if (group_id < 0)
		return group_id;
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/name", group_id);
	if (!sysfs_read(path, gname, sizeof(gname)) && !strcmp(gname, "vfio-noiommu")) {
		snprintf(group_path, len, "/dev/vfio/noiommu-%d", group_id);
		if (!access(group_path, F_OK))
			return group_id;
	}
	snprintf(group_path, len, "/dev/vfio/%d", group_id);
	return group_id;
}

int vfio_dev_open(struct vfio_pci *d, const char *name, unsigned long iommu)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[64];
	int ret;

	memset(d, 0, sizeof(*d));
	d->container = d->group = d->device = -1;
	snprintf(d->bdf, sizeof(d->bdf), "%s", name);
	d->group_id = vfio_dev_group(name, path, sizeof(path));
	if (d->group_id < 0)
		return d->group_id;

	d->container = open("/dev/vfio/vfio", O_RDWR);
	if (d->container < 0)
		goto fail;
	d->group = open(path, O_RDWR);
	if (d->group < 0)
		goto fail;
	if (ioctl(d->group, VFIO_GROUP_GET_STATUS, &status))
		goto fail;
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		errno = EPERM;
		goto fail;
	}
	if (ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container))
		goto fail;
	if (!iommu)
		return 0;
	if (ioctl(d->container, VFIO_SET_IOMMU, iommu))
		goto fail;
	return vfio_dev_get(d);

fail:
	ret = -errno;
	vfio_pci_close(d);
	return ret;
}

int vfio_dev_get(struct vfio_pci *d)
{
	int ret;

	d->device = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, d->bdf);
	if (d->device < 0)
		goto fail;
	d->info.argsz = sizeof(d->info);
	if (ioctl(d->device, VFIO_DEVICE_GET_INFO, &d->info))
		goto fail;
	return 0;

fail:
	ret = -errno;
	vfio_pci_close(d);
	return ret;
}

int mdev_create(const char *type, const char *uuid)
{
	char path[256];

	snprintf(path, sizeof(path), MDEV_TYPES "/%s/create", type);
	return sysfs_write(path, uuid);
}

bool mdev_type_exists(const char *type)
{
	char path[256];

	snprintf(path, sizeof(path), MDEV_TYPES "/%s", type);
	return !access(path, F_OK);
}

int mdev_remove(const char *uuid)
{
	char path[256];

	snprintf(path, sizeof(path), MDEV_DEVICES "/%s/remove", uuid);
	return sysfs_write(path, "1");
}

uint8_t uart_rd(struct vfio_pci *d, int port, int reg)
{
	uint8_t v = 0xee;

	if (pread(d->device, &v, 1, ((uint64_t)port << 40) + reg) != 1)
		return 0xee;
	return v;
}

void uart_wr(struct vfio_pci *d, int port, int reg, uint8_t v)
{
	if (pwrite(d->device, &v, 1, ((uint64_t)port << 40) + reg) != 1)
		fprintf(stderr, "uart write %d/%d: %s\n", port, reg, strerror(errno));
}

long pin_balance(void)
{
	long acquired = -1, released = -1;
	char line[128];
	FILE *f;

	/* fold the per-cpu deltas into the counters */
	sysfs_write("/proc/sys/vm/stat_refresh", "1");
	f = fopen("/proc/vmstat", "r");
	if (!f)
		return LONG_MIN;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "nr_foll_pin_acquired %ld", &acquired);
		sscanf(line, "nr_foll_pin_released %ld", &released);
	}
	fclose(f);
	return acquired < 0 || released < 0 ? LONG_MIN : acquired - released;
}

long vm_locked_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f;

	f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

void vfio_pci_close(struct vfio_pci *d)
{
	if (d->device >= 0)
		close(d->device);
	if (d->group >= 0)
		close(d->group);
	if (d->container >= 0)
		close(d->container);
	d->device = d->group = d->container = -1;
}

int vfio_region_info(int device, unsigned int index, struct vfio_region_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->argsz = sizeof(*ri);
	ri->index = index;
	return ioctl(device, VFIO_DEVICE_GET_REGION_INFO, ri) ? -errno : 0;
}

uint64_t vfio_region_offset(int device, unsigned int index)
{
	struct vfio_region_info ri;

	if (vfio_region_info(device, index, &ri))
		return ~0ULL;
	return ri.offset;
}

uint32_t vfio_read32(struct vfio_pci *d, unsigned int index, uint64_t off)
{
	uint32_t val = ~0U;

	if (pread(d->device, &val, 4, vfio_region_offset(d->device, index) + off) != 4)
		return ~0U;
	return val;
}

void vfio_write32(struct vfio_pci *d, unsigned int index, uint64_t off, uint32_t val)
{
	if (pwrite(d->device, &val, 4, vfio_region_offset(d->device, index) + off) != 4)
		fprintf(stderr, "write32 %#llx: %s\n", (unsigned long long)off,
			strerror(errno));
}

uint64_t vfio_read64(struct vfio_pci *d, unsigned int index, uint64_t off)
{
	return vfio_read32(d, index, off) |
	       (uint64_t)vfio_read32(d, index, off + 4) << 32;
}

void vfio_write64(struct vfio_pci *d, unsigned int index, uint64_t off, uint64_t val)
{
	vfio_write32(d, index, off, (uint32_t)val);
	vfio_write32(d, index, off + 4, (uint32_t)(val >> 32));
}

uint16_t vfio_cfg_read16(struct vfio_pci *d, unsigned int off)
{
	uint16_t val = 0xffff;

	if (pread(d->device, &val, 2,
		  vfio_region_offset(d->device, VFIO_PCI_CONFIG_REGION_INDEX) + off) != 2)
		return 0xffff;
	return val;
}

void vfio_cfg_write16(struct vfio_pci *d, unsigned int off, uint16_t val)
{
	if (pwrite(d->device, &val, 2,
		   vfio_region_offset(d->device, VFIO_PCI_CONFIG_REGION_INDEX) + off) != 2)
		fprintf(stderr, "cfg write %#x: %s\n", off, strerror(errno));
}

void vfio_bus_master(struct vfio_pci *d, bool on)
{
	uint16_t cmd = vfio_cfg_read16(d, 0x04);

	if (on)
		cmd |= 0x4 | 0x2;	/* bus master, memory */
	else
		cmd &= ~0x4;
	vfio_cfg_write16(d, 0x04, cmd);
}

int vfio_irq_set_eventfds(int device, unsigned int index, unsigned int start,
			  unsigned int count, const int *fds)
{
	size_t sz = sizeof(struct vfio_irq_set) + count * sizeof(int);
	struct vfio_irq_set *set = calloc(1, sz);
	int ret;

	set->argsz = sz;
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = index;
	set->start = start;
	set->count = count;
	memcpy(set->data, fds, count * sizeof(int));
	ret = ioctl(device, VFIO_DEVICE_SET_IRQS, set) ? -errno : 0;
	free(set);
	return ret;
}

int vfio_irq_set_action(int device, unsigned int index, uint32_t action,
			unsigned int start, unsigned int count)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | action,
		.index = index,
		.start = start,
		.count = count,
	};

	return ioctl(device, VFIO_DEVICE_SET_IRQS, &set) ? -errno : 0;
}

int vfio_irq_disable(int device, unsigned int index)
{
	return vfio_irq_set_action(device, index, VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0);
}

uint64_t eventfd_wait(int efd, int ms)
{
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	uint64_t val = 0;

	if (poll(&pfd, 1, ms) != 1)
		return 0;
	if (read(efd, &val, sizeof(val)) != sizeof(val))
		return 0;
	return val;
}

int vfio_map(int container, void *vaddr, uint64_t iova, uint64_t size,
	     uint32_t flags)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = flags,
		.vaddr = (uintptr_t)vaddr,
		.iova = iova,
		.size = size,
	};

	return ioctl(container, VFIO_IOMMU_MAP_DMA, &map) ? -errno : 0;
}

int vfio_unmap(int container, uint64_t iova, uint64_t size, uint32_t flags,
	       uint64_t *unmapped)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.flags = flags,
		.iova = iova,
		.size = size,
	};
	int ret = ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap) ? -errno : 0;

	if (unmapped)
		*unmapped = unmap.size;
	return ret;
}

/* Run one edu DMA and wait for it (the device completes after ~100 ms). */
void edu_dma_start(struct vfio_pci *d, uint64_t src, uint64_t dst,
		   uint32_t count, bool to_ram)
{
	vfio_write64(d, 0, EDU_DMA_SRC, src);
	vfio_write64(d, 0, EDU_DMA_DST, dst);
	vfio_write64(d, 0, EDU_DMA_COUNT, count);
	vfio_write64(d, 0, EDU_DMA_CMD, EDU_DMA_START | (to_ram ? EDU_DMA_TO_RAM : 0));
}

int edu_dma_wait(struct vfio_pci *d, int timeout_ms)
{
	int waited;

	for (waited = 0; waited < timeout_ms; waited += 10) {
		if (!(vfio_read32(d, 0, EDU_DMA_CMD) & EDU_DMA_START))
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

int edu_dma(struct vfio_pci *d, uint64_t src, uint64_t dst, uint32_t count,
	    bool to_ram, int timeout_ms)
{
	edu_dma_start(d, src, dst, count, to_ram);
	return edu_dma_wait(d, timeout_ms);
}

static sigjmp_buf sigbus_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(sigbus_jmp, 1);
}

bool mmio_read_faults(volatile uint32_t *p, uint32_t *val)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	bool faulted;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(sigbus_jmp, 1)) {
		faulted = true;
	} else {
		*val = *p;
		faulted = false;
	}
	sigaction(SIGBUS, &old, NULL);
	return faulted;
}

int vfio_mig_set_state(int device, uint32_t state, int *data_fd)
{
	struct {
		struct vfio_device_feature f;
		struct vfio_device_feature_mig_state s;
	} arg = {
		.f = { .argsz = sizeof(arg),
		       .flags = VFIO_DEVICE_FEATURE_SET |
				VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE },
		.s = { .device_state = state, .data_fd = -1 },
	};

	if (ioctl(device, VFIO_DEVICE_FEATURE, &arg))
		return -errno;
	if (data_fd)
		*data_fd = arg.s.data_fd;
	else if (arg.s.data_fd >= 0)
		close(arg.s.data_fd);
	return 0;
}
