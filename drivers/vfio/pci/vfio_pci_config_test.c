// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the config space virtualization of vfio-pci-core
 * (vfio_pci_config.c).
 *
 * Covers the permission tables built by vfio_pci_init_perm_bits() (the
 * standard header, PM, MSI, PCI Express, MSI-X, vendor specific, AER and
 * the bytes no capability owns), vfio_perm_mask() for 1, 2 and 4 byte
 * accesses, the capability walk of vfio_config_init() (lengths, hidden
 * capabilities unlinked) and what reads and writes do: which bits come
 * from the virtual copy, which from the device, which bits a write
 * changes where, BAR sizing, BAR restore after a reset, FLR, MPS/MRRS
 * and the MSI flags fixup.
 *
 * The device is a fake PCI function: its config space is a byte array
 * behind pci_ops of this file, which count the accesses. Expected values
 * are those of upstream Linux 6.1 and of the PCI specifications.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <asm/unaligned.h>

#include "vfio_pci_priv.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* where the fake function's capabilities are */
#define PM_POS		0x40
#define MSI_POS		0x50
#define EXP_POS		0x70
#define MSIX_POS	0xb0
#define CHSWP_POS	0xbc	/* hidden */
#define VNDR_POS	0xc0
#define VNDR_LEN	8
#define FREE_POS	0xd0	/* owned by no capability */
#define AER_POS		0x100
#define RCLD_POS	0x140	/* hidden */
#define DSN_POS		0x150

#define MSI_FLAGS_HW	(PCI_MSI_FLAGS_64BIT | PCI_MSI_FLAGS_MASKBIT | 0x04)
#define DEVCTL_HW	0x2030	/* MRRS 512, MPS 256, relaxed ordering */

struct fake_fn {
	struct vfio_pci_core_device vdev;
	struct pci_dev pdev;
	struct pci_bus bus;
	struct inode inode;		/* no mmaps: zaps find none */
	struct address_space mapping;
	u8 hw[PCI_CFG_SPACE_EXP_SIZE];
	unsigned int hw_reads;
	unsigned int hw_writes;
};

static int fake_read(struct pci_bus *bus, unsigned int devfn, int where,
		     int size, u32 *val)
{
	struct fake_fn *f = bus->sysdata;

	f->hw_reads++;
	if (size == 1)
		*val = f->hw[where];
	else if (size == 2)
		*val = get_unaligned_le16(&f->hw[where]);
	else
		*val = get_unaligned_le32(&f->hw[where]);
	return PCIBIOS_SUCCESSFUL;
}

static int fake_write(struct pci_bus *bus, unsigned int devfn, int where,
		      int size, u32 val)
{
	struct fake_fn *f = bus->sysdata;

	f->hw_writes++;
	if (size == 1)
		f->hw[where] = val;
	else if (size == 2)
		put_unaligned_le16(val, &f->hw[where]);
	else
		put_unaligned_le32(val, &f->hw[where]);
	return PCIBIOS_SUCCESSFUL;
}

static struct pci_ops fake_ops = {
	.read = fake_read,
	.write = fake_write,
};

static u16 hw16(struct fake_fn *f, int pos)
{
	return get_unaligned_le16(&f->hw[pos]);
}

static u32 hw32(struct fake_fn *f, int pos)
{
	return get_unaligned_le32(&f->hw[pos]);
}

static void set16(struct fake_fn *f, int pos, u16 val)
{
	put_unaligned_le16(val, &f->hw[pos]);
}

static void set32(struct fake_fn *f, int pos, u32 val)
{
	put_unaligned_le32(val, &f->hw[pos]);
}

static u16 v16(struct fake_fn *f, int pos)
{
	return get_unaligned_le16(&f->vdev.vconfig[pos]);
}

static u32 v32(struct fake_fn *f, int pos)
{
	return get_unaligned_le32(&f->vdev.vconfig[pos]);
}

static void set_res(struct pci_dev *pdev, int bar, u64 start, u64 len,
		    unsigned long flags)
{
	pdev->resource[bar].start = start;
	pdev->resource[bar].end = start + len - 1;
	pdev->resource[bar].flags = flags;
}

/*
 * An endpoint with three BARs, capabilities PM -> MSI (64-bit, per-vector
 * masking, 4 vectors) -> PCIe v2 -> MSI-X -> CompactPCI hot swap (hidden)
 * -> vendor specific, and extended capabilities AER -> root complex link
 * declaration (hidden) -> serial number.
 */
static void fake_layout(struct fake_fn *f)
{
	u8 *hw = f->hw;
	int i;

	set16(f, PCI_VENDOR_ID, 0x1b36);
	set16(f, PCI_DEVICE_ID, 0x0005);
	set16(f, PCI_STATUS, PCI_STATUS_CAP_LIST);
	set32(f, PCI_CLASS_REVISION, 0x00ff0002);
	set32(f, PCI_BASE_ADDRESS_0, 0xfe000000);
	set32(f, PCI_BASE_ADDRESS_2, 0xfd00000c);
	set32(f, PCI_BASE_ADDRESS_4, 0x0000c001);
	set32(f, PCI_CARDBUS_CIS, 0x12345678);
	set32(f, PCI_SUBSYSTEM_VENDOR_ID, 0x11001af4);
	hw[PCI_CAPABILITY_LIST] = PM_POS;
	hw[PCI_INTERRUPT_LINE] = 11;
	hw[PCI_INTERRUPT_PIN] = 1;
	hw[PCI_MIN_GNT] = 0x05;
	hw[PCI_MAX_LAT] = 0x0a;

	hw[PM_POS] = PCI_CAP_ID_PM;
	hw[PM_POS + 1] = MSI_POS;
	set16(f, PM_POS + PCI_PM_PMC, PCI_PM_CAP_PME_MASK | 0x0003);
	set16(f, PM_POS + PCI_PM_CTRL,
	      PCI_PM_CTRL_PME_STATUS | PCI_PM_CTRL_PME_ENABLE);

	hw[MSI_POS] = PCI_CAP_ID_MSI;
	hw[MSI_POS + 1] = EXP_POS;
	set16(f, MSI_POS + PCI_MSI_FLAGS, MSI_FLAGS_HW);

	hw[EXP_POS] = PCI_CAP_ID_EXP;
	hw[EXP_POS + 1] = MSIX_POS;
	set16(f, EXP_POS + PCI_EXP_FLAGS, 0x0002);	/* v2 endpoint */
	set32(f, EXP_POS + PCI_EXP_DEVCAP, 0x00000001);	/* MPS 256, no FLR */
	set16(f, EXP_POS + PCI_EXP_DEVCTL, DEVCTL_HW);
	set16(f, EXP_POS + PCI_EXP_DEVCTL2, PCI_EXP_DEVCTL2_ARI | 0x0005);

	hw[MSIX_POS] = PCI_CAP_ID_MSIX;
	hw[MSIX_POS + 1] = CHSWP_POS;
	set16(f, MSIX_POS + PCI_MSIX_FLAGS, 0x0003);
	set32(f, MSIX_POS + PCI_MSIX_TABLE, 0x00002000);
	set32(f, MSIX_POS + PCI_MSIX_PBA, 0x00003000);

	hw[CHSWP_POS] = PCI_CAP_ID_CHSWP;
	hw[CHSWP_POS + 1] = VNDR_POS;

	hw[VNDR_POS] = PCI_CAP_ID_VNDR;
	hw[VNDR_POS + 1] = 0;
	hw[VNDR_POS + 2] = VNDR_LEN;
	for (i = VNDR_POS + 3; i < PCI_CFG_SPACE_SIZE; i++)
		hw[i] = i;

	set32(f, AER_POS, PCI_EXT_CAP_ID_ERR | 1 << 16 | RCLD_POS << 20);
	set32(f, RCLD_POS, PCI_EXT_CAP_ID_RCLD | 1 << 16 | DSN_POS << 20);
	set32(f, DSN_POS, PCI_EXT_CAP_ID_DSN | 1 << 16);
	set32(f, DSN_POS + 4, 0x89abcdef);
	set32(f, DSN_POS + 8, 0x01234567);

	set_res(&f->pdev, 0, 0xfe000000, 0x1000, IORESOURCE_MEM);
	set_res(&f->pdev, 2, 0xfd000000, 0x4000,
		IORESOURCE_MEM | IORESOURCE_MEM_64 | IORESOURCE_PREFETCH);
	set_res(&f->pdev, 4, 0xc000, 0x20, IORESOURCE_IO);
}

static int cfg_test_init(struct kunit *test)
{
	struct pci_host_bridge *host;
	struct fake_fn *f;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	host = kunit_kzalloc(test, sizeof(*host), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, host);

	f->bus.ops = &fake_ops;
	f->bus.sysdata = f;
	f->bus.bridge = &host->dev;	/* pcie_set_readrq() looks here */

	f->pdev.bus = &f->bus;
	f->pdev.dev.init_name = "vfio-pci-config-kunit";
	f->pdev.vendor = 0x1b36;
	f->pdev.device = 0x0005;
	f->pdev.cfg_size = PCI_CFG_SPACE_EXP_SIZE;
	f->pdev.current_state = PCI_D0;
	f->pdev.irq = 11;
	f->pdev.pm_cap = PM_POS;
	f->pdev.msi_cap = MSI_POS;
	f->pdev.msix_cap = MSIX_POS;
	f->pdev.pcie_cap = EXP_POS;
	f->pdev.pcie_flags_reg = 0x0002;

	init_rwsem(&f->mapping.i_mmap_rwsem);
	f->mapping.i_mmap = RB_ROOT_CACHED;
	f->inode.i_mapping = &f->mapping;
	f->vdev.vdev.inode = &f->inode;
	f->vdev.pdev = &f->pdev;
	f->vdev.irq_type = VFIO_PCI_NUM_IRQS;
	spin_lock_init(&f->vdev.irqlock);
	init_rwsem(&f->vdev.memory_lock);

	fake_layout(f);
	test->priv = f;
	return 0;
}

static void cfg_test_exit(struct kunit *test)
{
	struct fake_fn *f = test->priv;

	vfio_config_free(&f->vdev);
}

/* Build vconfig and the map from the fake function's config space. */
static struct fake_fn *fake_enable(struct kunit *test)
{
	struct fake_fn *f = test->priv;

	KUNIT_ASSERT_EQ(test, vfio_config_init(&f->vdev), 0);
	return f;
}

/* A config read as vfio_config_do_rw() makes it, for one aligned piece. */
static u32 cfg_read(struct kunit *test, int pos, int count)
{
	struct fake_fn *f = test->priv;
	struct perm_bits *perm;
	__le32 val = 0;
	int offset;

	perm = vfio_config_find_perm(&f->vdev, pos, &offset);
	KUNIT_ASSERT_NOT_NULL(test, perm->readfn);
	KUNIT_EXPECT_EQ(test, perm->readfn(&f->vdev, pos, count, perm, offset,
					   &val), count);
	return le32_to_cpu(val) & (~0U >> (32 - 8 * count));
}

/* A config write; without a write hook it is dropped, as in do_rw. */
static void cfg_write(struct kunit *test, int pos, int count, u32 val)
{
	struct fake_fn *f = test->priv;
	struct perm_bits *perm;
	int offset;

	perm = vfio_config_find_perm(&f->vdev, pos, &offset);
	if (!perm->writefn)
		return;
	KUNIT_EXPECT_EQ(test, perm->writefn(&f->vdev, pos, count, perm, offset,
					    cpu_to_le32(val)), count);
}

struct mask_case {
	int pos;	/* config offset */
	int count;
	u32 virt;
	u32 write;
};

/* The virtual and writable bits at each position, and the offsets. */
static void check_masks(struct kunit *test, int cap_pos,
			const struct mask_case *c, int n)
{
	struct fake_fn *f = test->priv;
	struct perm_bits *perm;
	int i, offset;

	for (i = 0; i < n; i++, c++) {
		perm = vfio_config_find_perm(&f->vdev, c->pos, &offset);
		KUNIT_EXPECT_EQ_MSG(test, offset, c->pos - cap_pos,
				    "offset of %#x", c->pos);
		KUNIT_EXPECT_EQ_MSG(test,
				    le32_to_cpu(vfio_perm_mask(perm->virt, offset, c->count)),
				    c->virt, "virtual bits at %#x", c->pos);
		KUNIT_EXPECT_EQ_MSG(test,
				    le32_to_cpu(vfio_perm_mask(perm->write, offset, c->count)),
				    c->write, "writable bits at %#x", c->pos);
	}
}

/* ---- vfio_perm_mask ---- */

static void perm_mask_widths(struct kunit *test)
{
	static const u8 bits[8] = { 0x01, 0x02, 0x03, 0x04,
				    0x05, 0x06, 0x07, 0x08 };
	static const struct { int off, count; u32 mask; } c[] = {
		{ 0, 1, 0x01 }, { 1, 1, 0x02 }, { 2, 1, 0x03 }, { 3, 1, 0x04 },
		{ 0, 2, 0x0201 }, { 2, 2, 0x0403 }, { 1, 2, 0x0302 },
		{ 0, 4, 0x04030201 }, { 4, 4, 0x08070605 },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(c); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    le32_to_cpu(vfio_perm_mask(bits, c[i].off, c[i].count)),
				    c[i].mask, "%d bytes at %d", c[i].count, c[i].off);
}

/* A capability without a table: no bit virtual, none writable. */
static void perm_mask_no_table(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, le32_to_cpu(vfio_perm_mask(NULL, 0, 1)), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(vfio_perm_mask(NULL, 2, 2)), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(vfio_perm_mask(NULL, 4, 4)), 0);
}

/* ---- the standard header ---- */

static const struct mask_case header_masks[] = {
	{ PCI_VENDOR_ID, 2, 0xffff, 0 },
	{ PCI_DEVICE_ID, 2, 0xffff, 0 },
	{ PCI_COMMAND, 2, PCI_COMMAND_INTX_DISABLE, 0xffff },
	{ PCI_STATUS, 2, PCI_STATUS_CAP_LIST, 0 },
	{ PCI_CLASS_REVISION, 4, 0, 0 },
	{ PCI_CACHE_LINE_SIZE, 1, 0, 0xff },
	{ PCI_LATENCY_TIMER, 1, 0, 0xff },
	{ PCI_HEADER_TYPE, 1, 0, 0 },
	{ PCI_BIST, 1, 0, 0xff },
	{ PCI_BASE_ADDRESS_0, 4, ~0U, ~0U },
	{ PCI_BASE_ADDRESS_1, 4, ~0U, ~0U },
	{ PCI_BASE_ADDRESS_2, 4, ~0U, ~0U },
	{ PCI_BASE_ADDRESS_3, 4, ~0U, ~0U },
	{ PCI_BASE_ADDRESS_4, 4, ~0U, ~0U },
	{ PCI_BASE_ADDRESS_5, 4, ~0U, ~0U },
	{ PCI_CARDBUS_CIS, 4, 0, 0 },
	{ PCI_SUBSYSTEM_VENDOR_ID, 4, 0, 0 },
	{ PCI_ROM_ADDRESS, 4, ~0U, ~0U },
	{ PCI_CAPABILITY_LIST, 1, 0xff, 0 },
	{ PCI_CAPABILITY_LIST + 1, 2, 0, 0 },
	{ PCI_CAPABILITY_LIST + 4, 4, 0, 0 },
	{ PCI_INTERRUPT_LINE, 1, 0xff, 0xff },
	{ PCI_INTERRUPT_PIN, 1, 0xff, 0 },
	{ PCI_MIN_GNT, 2, 0, 0 },
};

static void header_masks_test(struct kunit *test)
{
	fake_enable(test);
	check_masks(test, 0, header_masks, ARRAY_SIZE(header_masks));
}

/* Ids, status CAP_LIST and the pin come from vconfig, the rest live. */
static void header_reads(struct kunit *test)
{
	struct fake_fn *f = fake_enable(test);

	/* a VF reads 0xffff as ids: the user still sees the real ones */
	set32(f, PCI_VENDOR_ID, 0xffffffff);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_VENDOR_ID, 4), 0x00051b36);
	/* the class code is not virtual: a change shows */
	set32(f, PCI_CLASS_REVISION, 0x02000003);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_CLASS_REVISION, 4),
			0x02000003);
	/* CAP_LIST follows the chain we built, other status bits are live */
	set16(f, PCI_STATUS, PCI_STATUS_SIG_TARGET_ABORT);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_STATUS, 2),
			PCI_STATUS_CAP_LIST | PCI_STATUS_SIG_TARGET_ABORT);
	f->hw[PCI_INTERRUPT_PIN] = 4;
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_INTERRUPT_PIN, 1), 1);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_CAPABILITY_LIST, 1), PM_POS);
}

/* Read-only header registers: the write reaches nothing. */
static void header_readonly_writes(struct kunit *test)
{
	struct fake_fn *f = fake_enable(test);
	unsigned int writes = f->hw_writes;

	cfg_write(test, PCI_VENDOR_ID, 4, 0xdeadbeef);
	cfg_write(test, PCI_STATUS, 2, 0xffff);
	cfg_write(test, PCI_CLASS_REVISION, 4, 0xffffffff);
	cfg_write(test, PCI_SUBSYSTEM_VENDOR_ID, 4, 0);
	cfg_write(test, PCI_CAPABILITY_LIST, 1, 0);
	cfg_write(test, PCI_INTERRUPT_PIN, 1, 3);
	KUNIT_EXPECT_EQ(test, f->hw_writes, writes);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_VENDOR_ID, 4), 0x00051b36);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_CAPABILITY_LIST, 1), PM_POS);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_INTERRUPT_PIN, 1), 1);
}

/*
 * COMMAND: INTx disable stays virtual (it masks the interrupt vfio
 * delivers), every other bit reaches the device; memory and I/O enable
 * are also remembered in vconfig.
 */
static void header_command(struct kunit *test)
{
	u16 cmd = PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	struct fake_fn *f = fake_enable(test);

	cfg_write(test, PCI_COMMAND, 2, cmd | PCI_COMMAND_INTX_DISABLE);
	KUNIT_EXPECT_EQ(test, hw16(f, PCI_COMMAND), cmd);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_COMMAND, 2),
			cmd | PCI_COMMAND_INTX_DISABLE);
	KUNIT_EXPECT_TRUE(test, f->vdev.virq_disabled);
	KUNIT_EXPECT_EQ(test, v16(f, PCI_COMMAND) &
			(PCI_COMMAND_IO | PCI_COMMAND_MEMORY),
			PCI_COMMAND_IO | PCI_COMMAND_MEMORY);

	cfg_write(test, PCI_COMMAND, 2, PCI_COMMAND_MASTER);
	KUNIT_EXPECT_EQ(test, hw16(f, PCI_COMMAND), PCI_COMMAND_MASTER);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_COMMAND, 2),
			PCI_COMMAND_MASTER);
	KUNIT_EXPECT_FALSE(test, f->vdev.virq_disabled);
	KUNIT_EXPECT_EQ(test, v16(f, PCI_COMMAND) &
			(PCI_COMMAND_IO | PCI_COMMAND_MEMORY), 0);
}

/* The cache line size is real and writable, the latency timer too. */
static void header_real_writable(struct kunit *test)
{
	struct fake_fn *f = fake_enable(test);

	cfg_write(test, PCI_CACHE_LINE_SIZE, 1, 0x10);
	cfg_write(test, PCI_LATENCY_TIMER, 1, 0x40);
	KUNIT_EXPECT_EQ(test, f->hw[PCI_CACHE_LINE_SIZE], 0x10);
	KUNIT_EXPECT_EQ(test, f->hw[PCI_LATENCY_TIMER], 0x40);
	f->hw[PCI_LATENCY_TIMER] = 0x20;
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_LATENCY_TIMER, 1), 0x20);
}

/* One dword: line virtual and writable, pin virtual, the rest live. */
static void header_line_pin_dword(struct kunit *test)
{
	struct fake_fn *f = fake_enable(test);
	unsigned int writes = f->hw_writes;

	cfg_write(test, PCI_INTERRUPT_LINE, 4, 0xaabbcc42);
	KUNIT_EXPECT_EQ(test, f->hw_writes, writes);
	KUNIT_EXPECT_EQ(test, f->hw[PCI_INTERRUPT_LINE], 11);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_INTERRUPT_LINE, 4),
			0x0a050142);
}

/* BARs are virtual: sizing writes read back the size and type bits. */
static void header_bar_sizing(struct kunit *test)
{
	static const u32 sized[] = {
		0xfffff000,	/* 4K 32-bit memory */
		0,		/* unassigned */
		0xffffc00c,	/* 16K 64-bit prefetchable, low dword */
		0xffffffff,	/* its high dword */
		0xffffffe1,	/* 32 bytes of I/O */
		0,		/* unassigned */
	};
	struct fake_fn *f = test->priv;
	unsigned int writes;
	int i;

	set32(f, PCI_ROM_ADDRESS, 0xfeb00000);
	set_res(&f->pdev, PCI_ROM_RESOURCE, 0xfeb00000, 0x10000,
		IORESOURCE_MEM | IORESOURCE_READONLY);
	fake_enable(test);
	writes = f->hw_writes;

	/* before any write: what the host assigned, and type bits */
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_BASE_ADDRESS_0, 4),
			0xfe000000);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_BASE_ADDRESS_2, 4),
			0xfd00000c);

	for (i = 0; i < PCI_STD_NUM_BARS; i++)
		cfg_write(test, PCI_BASE_ADDRESS_0 + 4 * i, 4, 0xffffffff);
	cfg_write(test, PCI_ROM_ADDRESS, 4, 0xffffffff);
	for (i = 0; i < PCI_STD_NUM_BARS; i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    cfg_read(test, PCI_BASE_ADDRESS_0 + 4 * i, 4),
				    sized[i], "BAR %d", i);
	/* 64K ROM, with its enable bit writable */
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_ROM_ADDRESS, 4), 0xffff0001);

	/* an address with low garbage: aligned to the size, flags kept */
	cfg_write(test, PCI_BASE_ADDRESS_0, 4, 0xfe100abc);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_BASE_ADDRESS_0, 4),
			0xfe100000);
	cfg_write(test, PCI_ROM_ADDRESS, 4, 0xfe2f0000);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_ROM_ADDRESS, 4), 0xfe2f0000);

	/* the device's BARs were never touched */
	KUNIT_EXPECT_EQ(test, f->hw_writes, writes);
	KUNIT_EXPECT_EQ(test, hw32(f, PCI_BASE_ADDRESS_0), 0xfe000000);
	KUNIT_EXPECT_EQ(test, hw32(f, PCI_BASE_ADDRESS_2), 0xfd00000c);
	KUNIT_EXPECT_EQ(test, hw32(f, PCI_ROM_ADDRESS), 0xfeb00000);
}

/* No ROM and no shadow ROM: the ROM BAR reads 0 whatever is written. */
static void header_no_rom(struct kunit *test)
{
	fake_enable(test);
	cfg_write(test, PCI_ROM_ADDRESS, 4, 0xffffffff);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_ROM_ADDRESS, 4), 0);
}

/*
 * A reset the host did not see cleared the BARs: the next COMMAND write
 * puts back every BAR and the ROM BAR as the host assigned them.
 */
static void header_bar_restore(struct kunit *test)
{
	struct fake_fn *f = test->priv;
	int pos;

	set32(f, PCI_ROM_ADDRESS, 0xfeb00000);
	fake_enable(test);
	cfg_write(test, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);

	for (pos = PCI_BASE_ADDRESS_0; pos <= PCI_BASE_ADDRESS_5; pos += 4)
		set32(f, pos, 0);
	set32(f, PCI_ROM_ADDRESS, 0);
	set16(f, PCI_COMMAND, 0);

	cfg_write(test, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	KUNIT_EXPECT_EQ(test, hw32(f, PCI_BASE_ADDRESS_0), 0xfe000000);
	KUNIT_EXPECT_EQ(test, hw32(f, PCI_BASE_ADDRESS_2), 0xfd00000c);
	KUNIT_EXPECT_EQ(test, hw32(f, PCI_BASE_ADDRESS_4), 0x0000c001);
	KUNIT_EXPECT_EQ(test, hw32(f, PCI_ROM_ADDRESS), 0xfeb00000);
	KUNIT_EXPECT_EQ(test, hw32(f, PCI_CARDBUS_CIS), 0x12345678);
	KUNIT_EXPECT_EQ(test, hw16(f, PCI_COMMAND), PCI_COMMAND_MEMORY);
}

/* ---- power management ---- */

static const struct mask_case pm_masks[] = {
	{ PM_POS + PCI_CAP_LIST_ID, 1, 0, 0 },
	{ PM_POS + PCI_CAP_LIST_NEXT, 1, 0xff, 0 },
	{ PM_POS + PCI_PM_PMC, 2, PCI_PM_CAP_PME_MASK, 0 },
	/* PME_En and PME_Status virtual, PowerState only through the hook */
	{ PM_POS + PCI_PM_CTRL, 4, 0x8100, 0xffff7efc },
};

static void pm_masks_test(struct kunit *test)
{
	fake_enable(test);
	check_masks(test, PM_POS, pm_masks, ARRAY_SIZE(pm_masks));
}

/* PME cannot reach the user: support, enable and status read 0. */
static void pm_pme_hidden(struct kunit *test)
{
	struct fake_fn *f = fake_enable(test);

	f->hw[PM_POS + PCI_PM_CTRL] |= PCI_D3hot;
	KUNIT_EXPECT_EQ(test, cfg_read(test, PM_POS + PCI_PM_PMC, 2), 0x0003);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PM_POS + PCI_PM_CTRL, 2),
			PCI_D3hot);
	/* PMC is read only */
	cfg_write(test, PM_POS + PCI_PM_PMC, 2, 0xffff);
	KUNIT_EXPECT_EQ(test, hw16(f, PM_POS + PCI_PM_PMC),
			PCI_PM_CAP_PME_MASK | 0x0003);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PM_POS + PCI_PM_PMC, 2), 0x0003);
}

/* ---- MSI ---- */

struct msi_layout {
	const char *name;
	u16 flags;
	int len;
	struct mask_case masks[8];
	int n;
};

static const struct msi_layout msi_layouts[] = {
	{
		"32-bit", 0, 10,
		{
			{ 2, 2, 0x00ff, 0x00ff },
			{ 4, 4, ~0U, ~0U },
			{ 8, 2, 0xffff, 0xffff },
		}, 3,
	}, {
		"64-bit", PCI_MSI_FLAGS_64BIT, 14,
		{
			{ 2, 2, 0x00ff, 0x00ff },
			{ 4, 4, ~0U, ~0U },
			{ 8, 4, ~0U, ~0U },
			{ 12, 2, 0xffff, 0xffff },
		}, 4,
	}, {
		"32-bit maskable", PCI_MSI_FLAGS_MASKBIT, 20,
		{
			{ 2, 2, 0x00ff, 0x00ff },
			{ 4, 4, ~0U, ~0U },
			{ 8, 2, 0xffff, 0xffff },
			{ 10, 2, 0, 0 },
			{ 12, 4, 0, ~0U },
			{ 16, 4, 0, ~0U },
		}, 6,
	}, {
		"64-bit maskable", PCI_MSI_FLAGS_64BIT | PCI_MSI_FLAGS_MASKBIT, 24,
		{
			{ 2, 2, 0x00ff, 0x00ff },
			{ 4, 4, ~0U, ~0U },
			{ 8, 4, ~0U, ~0U },
			{ 12, 2, 0xffff, 0xffff },
			{ 14, 2, 0, 0 },
			{ 16, 4, 0, ~0U },
			{ 20, 4, 0, ~0U },
		}, 7,
	},
};

static void msi_layout_desc(const struct msi_layout *l, char *desc)
{
	strscpy(desc, l->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(msi_layout, msi_layouts, msi_layout_desc);

/* Length by the flags, the device's own table, its bits. */
static void msi_layout_test(struct kunit *test)
{
	const struct msi_layout *l = test->param_value;
	struct mask_case masks[ARRAY_SIZE(l->masks)];
	struct fake_fn *f = test->priv;
	struct perm_bits *perm;
	int i, offset;

	set16(f, MSI_POS + PCI_MSI_FLAGS, l->flags);
	fake_enable(test);

	for (i = 0; i < l->len; i++)
		KUNIT_EXPECT_EQ_MSG(test, f->vdev.pci_config_map[MSI_POS + i],
				    PCI_CAP_ID_MSI, "byte %d", i);
	KUNIT_EXPECT_EQ(test, f->vdev.pci_config_map[MSI_POS + l->len],
			PCI_CAP_ID_INVALID);

	perm = vfio_config_find_perm(&f->vdev, MSI_POS + PCI_MSI_FLAGS, &offset);
	KUNIT_ASSERT_NOT_NULL(test, f->vdev.msi_perm);
	KUNIT_EXPECT_PTR_EQ(test, perm, f->vdev.msi_perm);

	for (i = 0; i < l->n; i++) {
		masks[i] = l->masks[i];
		masks[i].pos += MSI_POS;
	}
	check_masks(test, MSI_POS, masks, l->n);
}

/*
 * The flags: Enable only while SET_IRQS has MSI on, Multiple Message
 * Enable clamped to what was set up; both written to the device too.
 */
static void msi_flags_write(struct kunit *test)
{
	struct fake_fn *f = fake_enable(test);
	int pos = MSI_POS + PCI_MSI_FLAGS;

	cfg_write(test, pos, 2, 0x00a5);	/* enable, 4 vectors */
	KUNIT_EXPECT_EQ(test, cfg_read(test, pos, 2), MSI_FLAGS_HW);
	KUNIT_EXPECT_EQ(test, hw16(f, pos), MSI_FLAGS_HW);

	f->vdev.irq_type = VFIO_PCI_MSI_IRQ_INDEX;
	f->vdev.msi_qmax = 1;
	cfg_write(test, pos, 2, 0x00a5);
	KUNIT_EXPECT_EQ(test, cfg_read(test, pos, 2),
			MSI_FLAGS_HW | PCI_MSI_FLAGS_ENABLE | 1 << 4);
	KUNIT_EXPECT_EQ(test, hw16(f, pos),
			MSI_FLAGS_HW | PCI_MSI_FLAGS_ENABLE | 1 << 4);

	/* address and data are virtual: the device keeps its own */
	cfg_write(test, MSI_POS + PCI_MSI_ADDRESS_LO, 4, 0xfee00000);
	KUNIT_EXPECT_EQ(test, cfg_read(test, MSI_POS + PCI_MSI_ADDRESS_LO, 4),
			0xfee00000);
	KUNIT_EXPECT_EQ(test, hw32(f, MSI_POS + PCI_MSI_ADDRESS_LO), 0);
	/* the mask bits are the device's */
	cfg_write(test, MSI_POS + PCI_MSI_MASK_64, 4, 0x5);
	KUNIT_EXPECT_EQ(test, hw32(f, MSI_POS + PCI_MSI_MASK_64), 0x5);
}

/* ---- PCI Express ---- */

static const struct mask_case exp_masks[] = {
	{ EXP_POS + PCI_CAP_LIST_ID, 1, 0, 0 },
	{ EXP_POS + PCI_CAP_LIST_NEXT, 1, 0xff, 0 },
	{ EXP_POS + PCI_EXP_FLAGS, 2, 0, 0 },
	{ EXP_POS + PCI_EXP_DEVCAP, 4, 0, 0 },
	/* FLR, MPS and MRRS virtual; everything but phantom functions */
	{ EXP_POS + PCI_EXP_DEVCTL, 2, 0xf0e0, 0xfdff },
	{ EXP_POS + PCI_EXP_DEVSTA, 2, 0, 0 },
	{ EXP_POS + PCI_EXP_LNKCAP, 4, 0, 0 },
	{ EXP_POS + PCI_EXP_LNKCTL, 2, 0, 0 },
	{ EXP_POS + PCI_EXP_DEVCAP2, 4, 0, 0 },
	/* everything but ARI forwarding, which the host set */
	{ EXP_POS + PCI_EXP_DEVCTL2, 2, 0, 0xffdf },
	{ EXP_POS + PCI_EXP_LNKCTL2, 2, 0, 0 },
};

static void exp_masks_test(struct kunit *test)
{
	fake_enable(test);
	check_masks(test, EXP_POS, exp_masks, ARRAY_SIZE(exp_masks));
	KUNIT_EXPECT_EQ(test, cfg_read(test, EXP_POS + PCI_CAP_LIST_NEXT, 1),
			MSIX_POS);
}

struct exp_layout {
	const char *name;
	u16 flags;	/* version and device/port type */
	int len;
};

/* Up to Link Status 2 for v2 (0x32), Link Status for v1 (0x14). */
static const struct exp_layout exp_layouts[] = {
	{ "v1 endpoint", 0x0001, 20 },
	{ "v1 RCiEP", 0x0091, 12 },
	{ "v2 endpoint", 0x0002, 50 },
	{ "v2 RCiEP", 0x0092, 44 },
};

static void exp_layout_desc(const struct exp_layout *l, char *desc)
{
	strscpy(desc, l->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(exp_layout, exp_layouts, exp_layout_desc);

/* The length of the PCIe capability by its version and the port type. */
static void exp_length(struct kunit *test)
{
	const struct exp_layout *l = test->param_value;
	struct fake_fn *f = test->priv;
	int i;

	set16(f, EXP_POS + PCI_EXP_FLAGS, l->flags);
	f->pdev.pcie_flags_reg = l->flags;
	fake_enable(test);
	for (i = 0; i < l->len; i++)
		KUNIT_EXPECT_EQ_MSG(test, f->vdev.pci_config_map[EXP_POS + i],
				    PCI_CAP_ID_EXP, "byte %d", i);
	KUNIT_EXPECT_EQ(test, f->vdev.pci_config_map[EXP_POS + l->len],
			PCI_CAP_ID_INVALID);
	/* the extended capabilities are looked for behind PCIe */
	KUNIT_EXPECT_TRUE(test, f->vdev.extended_caps);
	KUNIT_EXPECT_EQ(test, f->vdev.pci_config_map[AER_POS],
			PCI_EXT_CAP_ID_ERR);
}

/*
 * DevCtl: FLR reads back 0 (and resets only a device with FLR), phantom
 * functions stay off, MPS is virtual, MRRS reaches the device but never
 * below its MPS, the rest goes through.
 */
static void exp_devctl_write(struct kunit *test)
{
	struct fake_fn *f = fake_enable(test);
	int pos = EXP_POS + PCI_EXP_DEVCTL;

	cfg_write(test, pos, 2, PCI_EXP_DEVCTL_BCR_FLR | PCI_EXP_DEVCTL_PHANTOM);
	/* the device kept MPS 256, got MRRS 256 (not 128), lost RO */
	KUNIT_EXPECT_EQ(test, hw16(f, pos), 0x1020);
	KUNIT_EXPECT_EQ(test, cfg_read(test, pos, 2), 0);

	cfg_write(test, pos, 2, 0x3040);	/* MRRS 1024, MPS 512 */
	KUNIT_EXPECT_EQ(test, hw16(f, pos), 0x3020);
	KUNIT_EXPECT_EQ(test, cfg_read(test, pos, 2), 0x3040);
}

static void exp_devctl2_ari(struct kunit *test)
{
	struct fake_fn *f = fake_enable(test);
	int pos = EXP_POS + PCI_EXP_DEVCTL2;

	cfg_write(test, pos, 2, 0);
	KUNIT_EXPECT_EQ(test, hw16(f, pos), PCI_EXP_DEVCTL2_ARI);
	KUNIT_EXPECT_EQ(test, cfg_read(test, pos, 2), PCI_EXP_DEVCTL2_ARI);

	set16(f, pos, 0);
	cfg_write(test, pos, 2, 0xffff);
	KUNIT_EXPECT_EQ(test, hw16(f, pos), 0xffff & ~PCI_EXP_DEVCTL2_ARI);
}

/* ---- capabilities without a table ---- */

/* MSI-X is read only: enable and mask go through VFIO_DEVICE_SET_IRQS. */
static void msix_read_only(struct kunit *test)
{
	struct fake_fn *f = fake_enable(test);
	struct perm_bits *perm;
	int offset;

	perm = vfio_config_find_perm(&f->vdev, MSIX_POS + PCI_MSIX_FLAGS,
				     &offset);
	KUNIT_EXPECT_EQ(test, offset, PCI_MSIX_FLAGS);
	KUNIT_EXPECT_NULL(test, perm->writefn);
	KUNIT_EXPECT_NULL(test, perm->virt);

	/* the id and the next pointer from vconfig, the rest live */
	set16(f, MSIX_POS + PCI_MSIX_FLAGS, PCI_MSIX_FLAGS_ENABLE | 0x0003);
	KUNIT_EXPECT_EQ(test, cfg_read(test, MSIX_POS, 4),
			(PCI_MSIX_FLAGS_ENABLE | 0x0003) << 16 | VNDR_POS << 8 |
			PCI_CAP_ID_MSIX);
	KUNIT_EXPECT_EQ(test, cfg_read(test, MSIX_POS + PCI_MSIX_TABLE, 4),
			0x00002000);
}

/* A hidden capability is unlinked; its bytes belong to nobody. */
static void cap_hidden(struct kunit *test)
{
	struct fake_fn *f = fake_enable(test);
	int i;

	KUNIT_EXPECT_EQ(test, f->vdev.vconfig[MSIX_POS + PCI_CAP_LIST_NEXT],
			VNDR_POS);
	KUNIT_EXPECT_EQ(test, cfg_read(test, MSIX_POS + PCI_CAP_LIST_NEXT, 1),
			VNDR_POS);
	KUNIT_EXPECT_EQ(test, f->hw[MSIX_POS + PCI_CAP_LIST_NEXT], CHSWP_POS);
	for (i = CHSWP_POS; i < VNDR_POS; i++)
		KUNIT_EXPECT_EQ(test, f->vdev.pci_config_map[i],
				PCI_CAP_ID_INVALID);
}

/* Only hidden capabilities: the status bit and the pointer go away. */
static void cap_all_hidden(struct kunit *test)
{
	struct fake_fn *f = test->priv;

	f->hw[PCI_CAPABILITY_LIST] = CHSWP_POS;
	f->hw[CHSWP_POS + PCI_CAP_LIST_NEXT] = 0;
	f->pdev.pm_cap = 0;
	fake_enable(test);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_STATUS, 2), 0);
	KUNIT_EXPECT_EQ(test, cfg_read(test, PCI_CAPABILITY_LIST, 1), 0);
}

/* Vendor specific: its length byte, writes go straight to the device. */
static void cap_vendor(struct kunit *test)
{
	struct fake_fn *f = fake_enable(test);

	KUNIT_EXPECT_EQ(test, f->vdev.pci_config_map[VNDR_POS + VNDR_LEN - 1],
			PCI_CAP_ID_VNDR);
	KUNIT_EXPECT_EQ(test, f->vdev.pci_config_map[VNDR_POS + VNDR_LEN],
			PCI_CAP_ID_INVALID);
	cfg_write(test, VNDR_POS + 4, 4, 0xcafef00d);
	KUNIT_EXPECT_EQ(test, hw32(f, VNDR_POS + 4), 0xcafef00d);
	set32(f, VNDR_POS + 4, 0x600dd00d);
	KUNIT_EXPECT_EQ(test, cfg_read(test, VNDR_POS + 4, 4), 0x600dd00d);
}

/* Bytes no capability owns pass straight through. */
static void unassigned_raw(struct kunit *test)
{
	struct fake_fn *f = fake_enable(test);
	struct perm_bits *perm;
	int offset;

	KUNIT_EXPECT_EQ(test, f->vdev.pci_config_map[FREE_POS],
			PCI_CAP_ID_INVALID);
	perm = vfio_config_find_perm(&f->vdev, FREE_POS + 2, &offset);
	KUNIT_EXPECT_EQ(test, offset, 0);
	KUNIT_EXPECT_NULL(test, perm->virt);

	cfg_write(test, FREE_POS, 4, 0x12345678);
	KUNIT_EXPECT_EQ(test, hw32(f, FREE_POS), 0x12345678);
	cfg_write(test, FREE_POS + 1, 1, 0xab);
	KUNIT_EXPECT_EQ(test, hw32(f, FREE_POS), 0x1234ab78);
	set16(f, FREE_POS + 2, 0xbeef);
	KUNIT_EXPECT_EQ(test, cfg_read(test, FREE_POS + 2, 2), 0xbeef);
}

/* Bytes a driver marked virtual live in vconfig only. */
static void virtual_bytes(struct kunit *test)
{
	struct fake_fn *f = fake_enable(test);
	unsigned int writes = f->hw_writes, reads;

	memset(&f->vdev.pci_config_map[FREE_POS], PCI_CAP_ID_INVALID_VIRT, 4);
	cfg_write(test, FREE_POS, 4, 0x11223344);
	KUNIT_EXPECT_EQ(test, f->hw_writes, writes);
	KUNIT_EXPECT_EQ(test, hw32(f, FREE_POS), 0xd3d2d1d0);
	KUNIT_EXPECT_EQ(test, v32(f, FREE_POS), 0x11223344);
	reads = f->hw_reads;
	KUNIT_EXPECT_EQ(test, cfg_read(test, FREE_POS, 4), 0x11223344);
	KUNIT_EXPECT_EQ(test, cfg_read(test, FREE_POS + 2, 1), 0x22);
	KUNIT_EXPECT_EQ(test, f->hw_reads, reads);
}

/* ---- extended capabilities ---- */

static const struct mask_case aer_masks[] = {
	{ AER_POS, 4, ~0U, 0 },
	{ AER_POS + PCI_ERR_UNCOR_STATUS, 4, 0, 0x03fff031 },
	{ AER_POS + PCI_ERR_UNCOR_MASK, 4, 0, 0x03fff031 },
	{ AER_POS + PCI_ERR_UNCOR_SEVER, 4, 0, 0x03fff031 },
	{ AER_POS + PCI_ERR_COR_STATUS, 4, 0, 0x0000f1c1 },
	{ AER_POS + PCI_ERR_COR_MASK, 4, 0, 0x0000f1c1 },
	/* ECRC generation and check enable */
	{ AER_POS + PCI_ERR_CAP, 4, 0, 0x00000140 },
	{ AER_POS + PCI_ERR_HEADER_LOG, 4, 0, 0 },
	{ AER_POS + PCI_ERR_HEADER_LOG + 12, 4, 0, 0 },
};

static void aer_masks_test(struct kunit *test)
{
	struct fake_fn *f = fake_enable(test);

	check_masks(test, AER_POS, aer_masks, ARRAY_SIZE(aer_masks));
	KUNIT_EXPECT_EQ(test, f->vdev.pci_config_map[AER_POS + 0x2b],
			PCI_EXT_CAP_ID_ERR);
	KUNIT_EXPECT_EQ(test, f->vdev.pci_config_map[AER_POS + 0x2c],
			PCI_CAP_ID_INVALID);
}

/* A hidden extended capability is unlinked from the chain. */
static void ecap_hidden(struct kunit *test)
{
	struct fake_fn *f = fake_enable(test);
	unsigned int writes;

	KUNIT_EXPECT_EQ(test, cfg_read(test, AER_POS, 4),
			PCI_EXT_CAP_ID_ERR | 1 << 16 | DSN_POS << 20);
	KUNIT_EXPECT_EQ(test, f->vdev.pci_config_map[RCLD_POS],
			PCI_CAP_ID_INVALID);

	/* DSN has no table: read directly, header from vconfig, no writes */
	set32(f, DSN_POS, PCI_EXT_CAP_ID_DSN | 1 << 16 | 0x200 << 20);
	KUNIT_EXPECT_EQ(test, cfg_read(test, DSN_POS, 4),
			PCI_EXT_CAP_ID_DSN | 1 << 16);
	KUNIT_EXPECT_EQ(test, cfg_read(test, DSN_POS + 4, 4), 0x89abcdef);
	writes = f->hw_writes;
	cfg_write(test, DSN_POS + 4, 4, 0);
	KUNIT_EXPECT_EQ(test, f->hw_writes, writes);
}

/* A hidden first extended capability stays as an anchor: id 0. */
static void ecap_hidden_first(struct kunit *test)
{
	struct fake_fn *f = test->priv;
	unsigned int writes;

	set32(f, AER_POS, 0x30 | 1 << 16 | DSN_POS << 20);	/* unknown id */
	fake_enable(test);
	KUNIT_EXPECT_EQ(test, cfg_read(test, AER_POS, 4), DSN_POS << 20);
	writes = f->hw_writes;
	cfg_write(test, AER_POS, 4, 0xffffffff);
	KUNIT_EXPECT_EQ(test, f->hw_writes, writes);
	KUNIT_EXPECT_EQ(test, cfg_read(test, AER_POS, 4), DSN_POS << 20);
	KUNIT_EXPECT_EQ(test, cfg_read(test, DSN_POS, 4),
			PCI_EXT_CAP_ID_DSN | 1 << 16);
}

/*
 * Nothing shown: the extended header reads 0, even where the anchor's
 * next pointer leads to an empty header.
 */
static void ecap_all_hidden(struct kunit *test)
{
	struct fake_fn *f = test->priv;

	set32(f, AER_POS, PCI_EXT_CAP_ID_RCLD | 1 << 16 | 0x180 << 20);
	fake_enable(test);
	KUNIT_EXPECT_EQ(test, f->vdev.pci_config_map[AER_POS],
			PCI_EXT_CAP_ID_RCLD);
	KUNIT_EXPECT_EQ(test, cfg_read(test, AER_POS, 4), 0);
}

static struct kunit_case vfio_pci_config_cases[] = {
	KUNIT_CASE(perm_mask_widths),
	KUNIT_CASE(perm_mask_no_table),
	KUNIT_CASE(header_masks_test),
	KUNIT_CASE(header_reads),
	KUNIT_CASE(header_readonly_writes),
	KUNIT_CASE(header_command),
	KUNIT_CASE(header_real_writable),
	KUNIT_CASE(header_line_pin_dword),
	KUNIT_CASE(header_bar_sizing),
	KUNIT_CASE(header_no_rom),
	KUNIT_CASE(header_bar_restore),
	KUNIT_CASE(pm_masks_test),
	KUNIT_CASE(pm_pme_hidden),
	KUNIT_CASE_PARAM(msi_layout_test, msi_layout_gen_params),
	KUNIT_CASE(msi_flags_write),
	KUNIT_CASE(exp_masks_test),
	KUNIT_CASE_PARAM(exp_length, exp_layout_gen_params),
	KUNIT_CASE(exp_devctl_write),
	KUNIT_CASE(exp_devctl2_ari),
	KUNIT_CASE(msix_read_only),
	KUNIT_CASE(cap_hidden),
	KUNIT_CASE(cap_all_hidden),
	KUNIT_CASE(cap_vendor),
	KUNIT_CASE(unassigned_raw),
	KUNIT_CASE(virtual_bytes),
	KUNIT_CASE(aer_masks_test),
	KUNIT_CASE(ecap_hidden),
	KUNIT_CASE(ecap_hidden_first),
	KUNIT_CASE(ecap_all_hidden),
	{}
};

static struct kunit_suite vfio_pci_config_suite = {
	.name = "vfio_pci_config",
	.init = cfg_test_init,
	.exit = cfg_test_exit,
	.test_cases = vfio_pci_config_cases,
};

kunit_test_suites(&vfio_pci_config_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of the vfio-pci config space virtualization");
