// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runs inside the second-level guest of the mdev scenario, where an mtty-2
 * instance arrives through QEMU's vfio-pci (sysfsdev=). Linux's 8250_pci
 * driver finds a two-port 16550A card; bytes written to each port through
 * the tty layer come back (mtty loops them), and the card's interrupt
 * counts in /proc/interrupts. Prints "L2: ..." lines, "L2: mtty OK" last.
 */
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static int read_hex(const char *path, unsigned long *v)
{
	char buf[32];
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	*v = strtoul(buf, NULL, 0);
	return 0;
}

/* Sum of the counts of @irq in /proc/interrupts. */
static unsigned long irq_count(unsigned long irq)
{
	char line[512], *p;
	unsigned long sum = 0;
	FILE *f = fopen("/proc/interrupts", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (strtoul(line, &p, 10) != irq || *p != ':')
			continue;
		for (p++;;) {
			char *end;
			unsigned long v = strtoul(p, &end, 10);

			if (end == p)
				break;
			sum += v;
			p = end;
		}
	}
	if (f)
		fclose(f);
	return sum;
}

static int loopback(const char *tty, const char *msg)
{
	struct termios t;
	char got[300] = "";
	size_t len = strlen(msg), have = 0;
	struct pollfd pfd;
	int fd;

	fd = open(tty, O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || tcgetattr(fd, &t))
		return -1;
	cfmakeraw(&t);
	cfsetspeed(&t, B115200);
	if (tcsetattr(fd, TCSANOW, &t) || tcflush(fd, TCIOFLUSH))
		return -1;
	if (write(fd, msg, len) != (ssize_t)len)
		return -1;
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (have < len && poll(&pfd, 1, 10000) == 1) {
		ssize_t n = read(fd, got + have, sizeof(got) - 1 - have);

		if (n <= 0)
			break;
		have += n;
	}
	close(fd);
	got[have] = 0;
	printf("L2: %s wrote \"%s\", read back \"%s\"\n", tty, msg, got);
	return strcmp(got, msg) ? -1 : 0;
}

int main(void)
{
	char bdf[256] = "", path[600], target[512], msg[300];
	unsigned long vendor, device, irq = 0, before, after;
	int ports = 0, bad = 0;
	struct dirent *e;
	DIR *d;

	d = opendir("/sys/bus/pci/devices");
	while (d && (e = readdir(d))) {
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", e->d_name);
		if (read_hex(path, &vendor) || vendor != 0x4348)
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", e->d_name);
		if (!read_hex(path, &device) && device == 0x3253)
			snprintf(bdf, sizeof(bdf), "%s", e->d_name);
	}
	if (!bdf[0]) {
		printf("L2: FAILED: no 4348:3253 device\n");
		return 1;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/irq", bdf);
	read_hex(path, &irq);
	printf("L2: found mtty at %s, irq %lu\n", bdf, irq);
	before = irq_count(irq);

	d = opendir("/sys/class/tty");
	while (d && (e = readdir(d))) {
		ssize_t n;

		if (strncmp(e->d_name, "ttyS", 4))
			continue;
		snprintf(path, sizeof(path), "/sys/class/tty/%s/device", e->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = 0;
		if (strcmp(strrchr(target, '/') + 1, bdf))
			continue;
		ports++;
		snprintf(path, sizeof(path), "/dev/%s", e->d_name);
		snprintf(msg, sizeof(msg), "hello %s", e->d_name);
		if (loopback(path, msg))
			bad = 1;
	}
	after = irq_count(irq);
	printf("L2: %d ports, %lu interrupts\n", ports, after - before);
	bad |= ports != 2 || after == before;
	printf(bad ? "L2: mtty FAILED\n" : "L2: mtty OK\n");
	return bad;
}
