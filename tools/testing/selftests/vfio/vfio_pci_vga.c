// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VGA region (index 8) on QEMU's standard VGA (1234:1111, left in
 * text mode by the BIOS): region info, the three windows with their
 * bounds, data through the I/O ports and the text buffer, and the
 * disable_vga parameter; a device of another class has no such region.
 */
#include "kselftest_harness.h"
#include "vfio_test.h"

#define STDVGA_VENDOR	0x1234
#define STDVGA_DEVICE	0x1111
#define VGA_SIZE	0xc0000

#define VGA_OFF(d)	vfio_region_offset((d)->device, VFIO_PCI_VGA_REGION_INDEX)

static ssize_t vga_rd(struct vfio_pci *d, uint64_t pos, void *buf, size_t len)
{
	ssize_t n = pread(d->device, buf, len, VGA_OFF(d) + pos);

	return n < 0 ? -errno : n;
}

static ssize_t vga_wr(struct vfio_pci *d, uint64_t pos, const void *buf,
		      size_t len)
{
	ssize_t n = pwrite(d->device, buf, len, VGA_OFF(d) + pos);

	return n < 0 ? -errno : n;
}

/* Unbind everything from vfio-pci and load it again with @params. */
static int reload_vfio_pci(const char *params)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd),
		 "for d in /sys/bus/pci/drivers/vfio-pci/0000:*; do "
		 "[ -e \"$d\" ] && basename \"$d\" > /sys/bus/pci/drivers/vfio-pci/unbind; "
		 "done; rmmod vfio-pci && modprobe vfio-pci %s", params);
	return system(cmd);
}

FIXTURE(vga) {
	struct vfio_pci d;
	char bdf[32];
};

FIXTURE_SETUP(vga)
{
	PCI_FIND_OR_SKIP(STDVGA_VENDOR, STDVGA_DEVICE, 0, true, self->bdf, sizeof(self->bdf));
	ASSERT_EQ(0, pci_bind(self->bdf, "vfio-pci"));
	ASSERT_EQ(0, vfio_dev_open(&self->d, self->bdf, VFIO_TYPE1v2_IOMMU));
}

FIXTURE_TEARDOWN(vga)
{
	vfio_pci_close(&self->d);
}

TEST_F(vga, region_info)
{
	struct vfio_region_info ri;

	ASSERT_EQ(0, vfio_region_info(self->d.device, VFIO_PCI_VGA_REGION_INDEX, &ri));
	EXPECT_EQ(VGA_SIZE, ri.size);
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE, ri.flags);
	EXPECT_EQ((uint64_t)VFIO_PCI_VGA_REGION_INDEX << 40, ri.offset);
	/* the device info counts it like every other index */
	EXPECT_EQ(VFIO_PCI_NUM_REGIONS, self->d.info.num_regions);
}

TEST_F(vga, windows_and_bounds)
{
	uint32_t v = 0;

	/* outside the three windows */
	EXPECT_EQ(-EINVAL, vga_rd(&self->d, 0x3af, &v, 1));
	EXPECT_EQ(-EINVAL, vga_rd(&self->d, 0x3bc, &v, 1));
	EXPECT_EQ(-EINVAL, vga_rd(&self->d, 0x3e0, &v, 1));
	EXPECT_EQ(-EINVAL, vga_rd(&self->d, 0x9ffff, &v, 1));
	EXPECT_EQ(-EINVAL, vga_rd(&self->d, VGA_SIZE, &v, 1));
	EXPECT_EQ(-EINVAL, vga_wr(&self->d, 0x1000, &v, 4));
	/* an access is cut at its window's end */
	EXPECT_EQ(2, vga_rd(&self->d, 0x3ba, &v, 4));
	EXPECT_EQ(1, vga_rd(&self->d, 0x3df, &v, 4));
	EXPECT_EQ(1, vga_rd(&self->d, VGA_SIZE - 1, &v, 4));
}

/* Index registers of the sequencer and graphics controller keep a value. */
TEST_F(vga, io_ports)
{
	uint8_t seq = 0, gr = 0, b;

	ASSERT_EQ(1, vga_rd(&self->d, 0x3c4, &seq, 1));
	ASSERT_EQ(1, vga_rd(&self->d, 0x3ce, &gr, 1));

	b = 0x02;
	ASSERT_EQ(1, vga_wr(&self->d, 0x3c4, &b, 1));
	b = 0;
	ASSERT_EQ(1, vga_rd(&self->d, 0x3c4, &b, 1));
	EXPECT_EQ(0x02, b);
	b = 0x06;
	ASSERT_EQ(1, vga_wr(&self->d, 0x3ce, &b, 1));
	b = 0;
	ASSERT_EQ(1, vga_rd(&self->d, 0x3ce, &b, 1));
	EXPECT_EQ(0x06, b);
	/* GR6 (misc): text mode maps the buffer at 0xb8000 (bits 3:2 = 3) */
	ASSERT_EQ(1, vga_rd(&self->d, 0x3cf, &b, 1));
	EXPECT_EQ(3, (b >> 2) & 3);

	ASSERT_EQ(1, vga_wr(&self->d, 0x3c4, &seq, 1));
	ASSERT_EQ(1, vga_wr(&self->d, 0x3ce, &gr, 1));
}

/* The text buffer past the visible 80x25 screen holds what is written. */
TEST_F(vga, text_memory)
{
	uint8_t pattern[64], back[64], saved[64];
	const uint64_t pos = 0xb8000 + 0x1000;
	unsigned int i;

	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = 0x5a ^ (i * 7);
	ASSERT_EQ(sizeof(saved), vga_rd(&self->d, pos, saved, sizeof(saved)));
	ASSERT_EQ(sizeof(pattern), vga_wr(&self->d, pos, pattern, sizeof(pattern)));
	memset(back, 0, sizeof(back));
	/* odd lengths and offsets take the byte and word paths */
	ASSERT_EQ(1, vga_rd(&self->d, pos, back, 1));
	ASSERT_EQ(2, vga_rd(&self->d, pos + 1, back + 1, 2));
	ASSERT_EQ(61, vga_rd(&self->d, pos + 3, back + 3, 61));
	EXPECT_EQ(0, memcmp(pattern, back, sizeof(back)));
	ASSERT_EQ(sizeof(saved), vga_wr(&self->d, pos, saved, sizeof(saved)));
}

/* Open @bdf through vfio-pci and check it has no VGA region at all. */
static void expect_no_vga(struct __test_metadata *_metadata, const char *bdf)
{
	struct vfio_region_info ri;
	struct vfio_pci d;
	uint8_t b;

	ASSERT_EQ(0, pci_bind(bdf, "vfio-pci"));
	ASSERT_EQ(0, vfio_dev_open(&d, bdf, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(-EINVAL, vfio_region_info(d.device, VFIO_PCI_VGA_REGION_INDEX, &ri));
	EXPECT_EQ(-1, pread(d.device, &b, 1,
			    ((uint64_t)VFIO_PCI_VGA_REGION_INDEX << 40) + 0x3c4));
	EXPECT_EQ(EINVAL, errno);
	vfio_pci_close(&d);
}

TEST(other_classes_have_none)
{
	char bdf[32];

	PCI_FIND_OR_SKIP(E1000E_VENDOR, E1000E_DEVICE, 0, true, bdf, sizeof(bdf));
	expect_no_vga(_metadata, bdf);
}

TEST(disable_vga)
{
	char bdf[32];

	PCI_FIND_OR_SKIP(STDVGA_VENDOR, STDVGA_DEVICE, 0, true, bdf, sizeof(bdf));
	ASSERT_EQ(0, reload_vfio_pci("disable_vga=1"));
	expect_no_vga(_metadata, bdf);
	EXPECT_EQ(0, reload_vfio_pci(""));
}

TEST_HARNESS_MAIN
