// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runs inside the second-level guest of the QEMU passthrough scenario,
 * where the edu device arrives through QEMU's vfio-pci on our modules.
 * Plain Linux interfaces only: BAR0 through sysfs resource0, the
 * interrupt through uio_pci_generic (its first INTx needs no unmask). Prints one "L2: ..." line per check
 * and "L2: edu OK" when all passed.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <dirent.h>

static int sysfs_read_hex(const char *dir, const char *attr, unsigned long *v)
{
	char path[512], buf[32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	*v = strtoul(buf, NULL, 16);
	return 0;
}

static int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

int main(void)
{
	char dir[300] = "", path[400];
	volatile uint32_t *bar;
	unsigned long vendor, device;
	struct dirent *e;
	struct pollfd pfd;
	uint32_t count;
	DIR *d;
	int fd, uio, i, bad = 0;

	d = opendir("/sys/bus/pci/devices");
	while (d && (e = readdir(d))) {
		char cand[300];

		snprintf(cand, sizeof(cand), "/sys/bus/pci/devices/%s", e->d_name);
		if (!sysfs_read_hex(cand, "vendor", &vendor) &&
		    !sysfs_read_hex(cand, "device", &device) &&
		    vendor == 0x1234 && device == 0x11e8)
			strcpy(dir, cand);
	}
	if (!dir[0]) {
		printf("L2: FAILED: no 1234:11e8 device\n");
		return 1;
	}
	printf("L2: found edu at %s\n", strrchr(dir, '/') + 1);

	snprintf(path, sizeof(path), "%s/enable", dir);
	sysfs_write(path, "1");
	snprintf(path, sizeof(path), "%s/resource0", dir);
	fd = open(path, O_RDWR | O_SYNC);
	bar = fd < 0 ? MAP_FAILED : mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					 MAP_SHARED, fd, 0);
	if (bar == MAP_FAILED) {
		printf("L2: FAILED: cannot map BAR0\n");
		return 1;
	}

	printf("L2: ident 0x%08x\n", bar[0]);
	bad |= bar[0] != 0x010000ed;
	bar[1] = 0x12345678;
	printf("L2: liveness 0x%08x\n", bar[1]);
	bad |= bar[1] != (uint32_t)~0x12345678;
	bar[2] = 10;
	for (i = 0; i < 100000 && (bar[0x20 / 4] & 1); i++)
		usleep(100);
	printf("L2: factorial(10) = %u\n", bar[2]);
	bad |= bar[2] != 3628800;

	/* the interrupt, through uio_pci_generic (INTx) */
	sysfs_write("/sys/bus/pci/drivers/uio_pci_generic/new_id", "1234 11e8");
	uio = open("/dev/uio0", O_RDWR);
	if (uio < 0) {
		printf("L2: FAILED: no /dev/uio0\n");
		return 1;
	}
	bar[0x60 / 4] = 0x1;		/* raise */
	pfd.fd = uio;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 20000) == 1 && read(uio, &count, 4) == 4) {
		printf("L2: interrupt received (count %u), status 0x%x\n", count,
		       bar[0x24 / 4]);
		bad |= !(bar[0x24 / 4] & 1);
	} else {
		printf("L2: FAILED: no interrupt\n");
		bad = 1;
	}
	bar[0x64 / 4] = 0x1;		/* acknowledge */

	printf(bad ? "L2: edu FAILED\n" : "L2: edu OK\n");
	return bad;
}
