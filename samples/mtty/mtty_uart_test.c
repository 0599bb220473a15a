// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the 16550A model of the mtty sample (mtty_uart.c).
 *
 * Covers the reset value of every register, the divisor latch behind
 * DLAB, the transmitter looped into the receiver, FIFO depth, overrun
 * with and without FIFO, FCR clearing and trigger levels, IIR priorities
 * and what clears each source, IER gating of mtty_uart_irq_pending(), the
 * modem lines (null-modem and MCR loopback) and the scratch register,
 * as the 16550A datasheet defines them.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/serial_reg.h>
#include <linux/string.h>

#include "mtty_uart.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define IIR_FIFO	0xc0	/* IIR bits 6-7 with the FIFO enabled */
#define LSR_IDLE	(UART_LSR_THRE | UART_LSR_TEMT)

static int uart_test_init(struct kunit *test)
{
	struct mtty_uart *u = kunit_kmalloc(test, sizeof(*u), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, u);
	/* garbage first, so that reset has to set every field */
	memset(u, 0xa5, sizeof(*u));
	mtty_uart_reset(u);
	test->priv = u;
	return 0;
}

static u8 rd(struct kunit *test, unsigned int reg)
{
	return mtty_uart_read(test->priv, reg);
}

static void wr(struct kunit *test, unsigned int reg, u8 val)
{
	mtty_uart_write(test->priv, reg, val);
}

static void send(struct kunit *test, const char *s)
{
	while (*s)
		wr(test, UART_TX, *s++);
}

/* Every register after a reset; DLL and DLM through DLAB. */
static void reset_values(struct kunit *test)
{
	struct mtty_uart *u = test->priv;

	KUNIT_EXPECT_EQ(test, rd(test, UART_IER), 0x00);
	KUNIT_EXPECT_EQ(test, rd(test, UART_IIR), UART_IIR_NO_INT);
	KUNIT_EXPECT_EQ(test, rd(test, UART_LCR), 0x00);
	KUNIT_EXPECT_EQ(test, rd(test, UART_MCR), 0x00);
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR), LSR_IDLE);
	/* null-modem: DCD on, CTS and DSR follow RTS and DTR (off) */
	KUNIT_EXPECT_EQ(test, rd(test, UART_MSR), UART_MSR_DCD);
	KUNIT_EXPECT_EQ(test, rd(test, UART_SCR), 0x00);
	KUNIT_EXPECT_FALSE(test, mtty_uart_irq_pending(u));
	KUNIT_EXPECT_EQ(test, u->count, 0);
	KUNIT_EXPECT_EQ(test, u->fifo_size, 1);
	KUNIT_EXPECT_EQ(test, u->trigger, 1);
	KUNIT_EXPECT_EQ(test, u->fcr, 0);
	KUNIT_EXPECT_FALSE(test, u->overrun);
	KUNIT_EXPECT_FALSE(test, u->thre_pending);
	KUNIT_EXPECT_EQ(test, u->msr_delta, 0);

	wr(test, UART_LCR, UART_LCR_DLAB);
	KUNIT_EXPECT_EQ(test, rd(test, UART_DLL), 0x00);
	KUNIT_EXPECT_EQ(test, rd(test, UART_DLM), 0x00);
	/* registers without a DLAB alias answer as before */
	KUNIT_EXPECT_EQ(test, rd(test, UART_LCR), UART_LCR_DLAB);
	KUNIT_EXPECT_EQ(test, rd(test, UART_IIR), UART_IIR_NO_INT);
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR), LSR_IDLE);
}

/* DLAB puts the divisor latch at 0 and 1; nothing is sent or enabled. */
static void divisor_latch(struct kunit *test)
{
	struct mtty_uart *u = test->priv;

	wr(test, UART_LCR, UART_LCR_DLAB | UART_LCR_WLEN8);
	wr(test, UART_DLL, 0x0c);
	wr(test, UART_DLM, 0x01);
	KUNIT_EXPECT_EQ(test, rd(test, UART_DLL), 0x0c);
	KUNIT_EXPECT_EQ(test, rd(test, UART_DLM), 0x01);
	KUNIT_EXPECT_EQ(test, u->count, 0);
	KUNIT_EXPECT_FALSE(test, u->thre_pending);

	wr(test, UART_LCR, UART_LCR_WLEN8);
	KUNIT_EXPECT_EQ(test, rd(test, UART_LCR), UART_LCR_WLEN8);
	KUNIT_EXPECT_EQ(test, rd(test, UART_IER), 0x00);
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR), LSR_IDLE);

	/* now offsets 0 and 1 are THR/RBR and IER again */
	wr(test, UART_TX, 'x');
	wr(test, UART_IER, UART_IER_RDI);
	KUNIT_EXPECT_EQ(test, rd(test, UART_IER), UART_IER_RDI);
	KUNIT_EXPECT_EQ(test, rd(test, UART_RX), 'x');

	/* the latch kept its value */
	wr(test, UART_LCR, UART_LCR_DLAB);
	KUNIT_EXPECT_EQ(test, rd(test, UART_DLL), 0x0c);
	KUNIT_EXPECT_EQ(test, rd(test, UART_DLM), 0x01);
}

/* 16 bytes looped back in order, across the ring's end; DR meanwhile. */
static void loopback_fifo_order(struct kunit *test)
{
	const char *msg = "0123456789abcdef";
	const char *rest = "ghijklmnop";
	int i;

	wr(test, UART_FCR, UART_FCR_ENABLE_FIFO);
	send(test, msg);
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR), LSR_IDLE | UART_LSR_DR);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, rd(test, UART_RX), msg[i]);

	/* full again, the newest bytes stored past the end of the array */
	send(test, rest);
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR), LSR_IDLE | UART_LSR_DR);
	for (i = 10; i < 16; i++)
		KUNIT_EXPECT_EQ(test, rd(test, UART_RX), msg[i]);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, rd(test, UART_RX), rest[i]);
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR), LSR_IDLE);
}

/* Reading an empty receiver changes nothing. */
static void empty_read(struct kunit *test)
{
	struct mtty_uart *u = test->priv;

	rd(test, UART_RX);
	KUNIT_EXPECT_EQ(test, u->count, 0);
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR), LSR_IDLE);
	send(test, "q");
	KUNIT_EXPECT_EQ(test, rd(test, UART_RX), 'q');
}

/* FIFO full: the 17th byte is lost and OE is set until LSR is read. */
static void fifo_overrun(struct kunit *test)
{
	const char *msg = "ABCDEFGHIJKLMNOPQ";
	int i;

	wr(test, UART_FCR, UART_FCR_ENABLE_FIFO);
	send(test, msg);
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR),
			LSR_IDLE | UART_LSR_DR | UART_LSR_OE);
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR), LSR_IDLE | UART_LSR_DR);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, rd(test, UART_RX), msg[i]);
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR), LSR_IDLE);
}

/* Without FIFO the new byte overwrites the unread one, OE is set. */
static void holding_overrun(struct kunit *test)
{
	send(test, "a");
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR), LSR_IDLE | UART_LSR_DR);
	send(test, "b");
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR),
			LSR_IDLE | UART_LSR_DR | UART_LSR_OE);
	KUNIT_EXPECT_EQ(test, rd(test, UART_RX), 'b');
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR), LSR_IDLE);
}

/* FCR: receiver clear, mode changes empty the FIFO, OE is LSR's. */
static void fcr_clear(struct kunit *test)
{
	struct mtty_uart *u = test->priv;

	wr(test, UART_FCR, UART_FCR_ENABLE_FIFO);
	send(test, "abcde");
	wr(test, UART_FCR, UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR);
	KUNIT_EXPECT_EQ(test, u->count, 0);
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR), LSR_IDLE);
	send(test, "fg");
	KUNIT_EXPECT_EQ(test, rd(test, UART_RX), 'f');

	/* the same mode again keeps the data */
	wr(test, UART_FCR, UART_FCR_ENABLE_FIFO);
	KUNIT_EXPECT_EQ(test, rd(test, UART_RX), 'g');

	/* FIFO off: emptied, one byte deep */
	send(test, "hij");
	wr(test, UART_FCR, 0);
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR), LSR_IDLE);
	send(test, "k");
	wr(test, UART_FCR, UART_FCR_ENABLE_FIFO);
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR), LSR_IDLE);

	/* clearing the receiver does not clear a pending overrun */
	send(test, "0123456789abcdefg");
	wr(test, UART_FCR, UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR);
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR), LSR_IDLE | UART_LSR_OE);
}

static const u8 trigger_bits[] = {
	UART_FCR_R_TRIG_00, UART_FCR_R_TRIG_01,
	UART_FCR_R_TRIG_10, UART_FCR_R_TRIG_11,
};

static const u8 trigger_levels[] = { 1, 4, 8, 14 };

/*
 * Received data is reported at the trigger level; below it, a character
 * timeout (after zero character times in this model).
 */
static void trigger_levels_test(struct kunit *test)
{
	struct mtty_uart *u = test->priv;
	int i, n;

	for (i = 0; i < ARRAY_SIZE(trigger_bits); i++) {
		mtty_uart_reset(u);
		wr(test, UART_IER, UART_IER_RDI);
		wr(test, UART_FCR, UART_FCR_ENABLE_FIFO | trigger_bits[i]);
		KUNIT_EXPECT_EQ(test, u->trigger, trigger_levels[i]);
		KUNIT_EXPECT_EQ(test, rd(test, UART_IIR),
				IIR_FIFO | UART_IIR_NO_INT);
		for (n = 1; n < trigger_levels[i]; n++) {
			wr(test, UART_TX, n);
			KUNIT_EXPECT_EQ_MSG(test, rd(test, UART_IIR),
					    IIR_FIFO | UART_IIR_RX_TIMEOUT,
					    "level %d, %d bytes",
					    trigger_levels[i], n);
		}
		wr(test, UART_TX, n);
		KUNIT_EXPECT_EQ_MSG(test, rd(test, UART_IIR),
				    IIR_FIFO | UART_IIR_RDI, "level %d",
				    trigger_levels[i]);
		/* reading below the level again: timeout */
		rd(test, UART_RX);
		if (trigger_levels[i] > 1)
			KUNIT_EXPECT_EQ(test, rd(test, UART_IIR),
					IIR_FIFO | UART_IIR_RX_TIMEOUT);
	}
	/* without FIFO the trigger is one byte, whatever FCR said */
	wr(test, UART_FCR, UART_FCR_R_TRIG_11);
	KUNIT_EXPECT_EQ(test, u->trigger, 1);
	wr(test, UART_TX, 'z');
	KUNIT_EXPECT_EQ(test, rd(test, UART_IIR), UART_IIR_RDI);
}

/*
 * With every source pending, IIR reports line status, then received
 * data, then THR empty, then modem status; each is cleared its own way.
 */
static void iir_priorities(struct kunit *test)
{
	struct mtty_uart *u = test->priv;
	int i;

	wr(test, UART_FCR, UART_FCR_ENABLE_FIFO);
	wr(test, UART_MCR, UART_MCR_RTS);	/* CTS changes: DCTS */
	wr(test, UART_IER, UART_IER_RLSI | UART_IER_RDI | UART_IER_THRI |
			   UART_IER_MSI);
	send(test, "0123456789abcdefg");	/* one too many */

	KUNIT_EXPECT_TRUE(test, mtty_uart_irq_pending(u));
	KUNIT_EXPECT_EQ(test, rd(test, UART_IIR), IIR_FIFO | UART_IIR_RLSI);
	/* reading IIR clears nothing but a reported THRE */
	KUNIT_EXPECT_EQ(test, rd(test, UART_IIR), IIR_FIFO | UART_IIR_RLSI);

	rd(test, UART_LSR);
	KUNIT_EXPECT_EQ(test, rd(test, UART_IIR), IIR_FIFO | UART_IIR_RDI);
	for (i = 0; i < 16; i++)
		rd(test, UART_RX);

	KUNIT_EXPECT_EQ(test, rd(test, UART_IIR), IIR_FIFO | UART_IIR_THRI);
	KUNIT_EXPECT_EQ(test, rd(test, UART_IIR), IIR_FIFO | UART_IIR_MSI);
	KUNIT_EXPECT_TRUE(test, mtty_uart_irq_pending(u));

	KUNIT_EXPECT_EQ(test, rd(test, UART_MSR) & 0x0f, UART_MSR_DCTS);
	KUNIT_EXPECT_EQ(test, rd(test, UART_IIR), IIR_FIFO | UART_IIR_NO_INT);
	KUNIT_EXPECT_FALSE(test, mtty_uart_irq_pending(u));
}

/*
 * THRE: raised by enabling it (the transmitter is empty) and by every
 * THR write; cleared by an IIR read that reports it, not by one that
 * reports something else.
 */
static void thre_rules(struct kunit *test)
{
	struct mtty_uart *u = test->priv;

	wr(test, UART_IER, UART_IER_THRI);
	KUNIT_EXPECT_EQ(test, rd(test, UART_IIR), UART_IIR_THRI);
	KUNIT_EXPECT_EQ(test, rd(test, UART_IIR), UART_IIR_NO_INT);
	/* enabling it again while enabled raises nothing */
	wr(test, UART_IER, UART_IER_THRI);
	KUNIT_EXPECT_FALSE(test, mtty_uart_irq_pending(u));

	wr(test, UART_IER, UART_IER_THRI | UART_IER_RDI);
	send(test, "a");
	KUNIT_EXPECT_EQ(test, rd(test, UART_IIR), UART_IIR_RDI);
	rd(test, UART_RX);
	/* still pending: the read above reported received data */
	KUNIT_EXPECT_EQ(test, rd(test, UART_IIR), UART_IIR_THRI);
	KUNIT_EXPECT_FALSE(test, mtty_uart_irq_pending(u));

	/* mtty_uart_iir() looks without clearing */
	send(test, "b");
	rd(test, UART_RX);
	KUNIT_EXPECT_EQ(test, mtty_uart_iir(u), UART_IIR_THRI);
	KUNIT_EXPECT_EQ(test, mtty_uart_iir(u), UART_IIR_THRI);
	KUNIT_EXPECT_TRUE(test, mtty_uart_irq_pending(u));
}

/* A source raises the interrupt only while IER enables it. */
static void ier_gating(struct kunit *test)
{
	struct mtty_uart *u = test->priv;

	wr(test, UART_IER, 0xff);
	KUNIT_EXPECT_EQ(test, rd(test, UART_IER), 0x0f);	/* bits 4-7 are 0 */
	wr(test, UART_IER, 0);

	/* overrun, data, THRE and a modem change, all masked */
	send(test, "ab");
	wr(test, UART_MCR, UART_MCR_DTR);
	KUNIT_EXPECT_FALSE(test, mtty_uart_irq_pending(u));
	KUNIT_EXPECT_EQ(test, rd(test, UART_IIR), UART_IIR_NO_INT);

	wr(test, UART_IER, UART_IER_MSI);
	KUNIT_EXPECT_TRUE(test, mtty_uart_irq_pending(u));
	KUNIT_EXPECT_EQ(test, mtty_uart_iir(u), UART_IIR_MSI);
	wr(test, UART_IER, UART_IER_THRI);
	KUNIT_EXPECT_EQ(test, mtty_uart_iir(u), UART_IIR_THRI);
	wr(test, UART_IER, UART_IER_RDI);
	KUNIT_EXPECT_EQ(test, mtty_uart_iir(u), UART_IIR_RDI);
	wr(test, UART_IER, UART_IER_RLSI);
	KUNIT_EXPECT_EQ(test, mtty_uart_iir(u), UART_IIR_RLSI);
	wr(test, UART_IER, 0);
	KUNIT_EXPECT_FALSE(test, mtty_uart_irq_pending(u));
	/* the sources were kept while masked */
	KUNIT_EXPECT_EQ(test, mtty_uart_lsr(u),
			LSR_IDLE | UART_LSR_DR | UART_LSR_OE);
	KUNIT_EXPECT_EQ(test, mtty_uart_msr(u) & 0x0f, UART_MSR_DDSR);
}

/* Null-modem lines: CTS = RTS, DSR = DTR; deltas until MSR is read. */
static void modem_lines(struct kunit *test)
{
	wr(test, UART_MCR, 0xff);
	KUNIT_EXPECT_EQ(test, rd(test, UART_MCR), 0x1f);	/* bits 5-7 are 0 */
	wr(test, UART_MCR, 0);
	rd(test, UART_MSR);

	wr(test, UART_MCR, UART_MCR_RTS);
	KUNIT_EXPECT_EQ(test, rd(test, UART_MSR),
			UART_MSR_DCD | UART_MSR_CTS | UART_MSR_DCTS);
	KUNIT_EXPECT_EQ(test, rd(test, UART_MSR), UART_MSR_DCD | UART_MSR_CTS);
	wr(test, UART_MCR, UART_MCR_RTS | UART_MCR_DTR);
	KUNIT_EXPECT_EQ(test, rd(test, UART_MSR),
			UART_MSR_DCD | UART_MSR_CTS | UART_MSR_DSR |
			UART_MSR_DDSR);
	/* OUT1 and OUT2 drive nothing outside loopback */
	wr(test, UART_MCR, UART_MCR_RTS | UART_MCR_DTR | UART_MCR_OUT1 |
			   UART_MCR_OUT2);
	KUNIT_EXPECT_EQ(test, rd(test, UART_MSR),
			UART_MSR_DCD | UART_MSR_CTS | UART_MSR_DSR);
	wr(test, UART_MCR, 0);
	KUNIT_EXPECT_EQ(test, rd(test, UART_MSR),
			UART_MSR_DCD | UART_MSR_DCTS | UART_MSR_DDSR);
}

/*
 * MCR loopback: the outputs drive the inputs, RTS to CTS, DTR to DSR,
 * OUT1 to RI, OUT2 to DCD; data still loops.
 */
static void mcr_loopback(struct kunit *test)
{
	/* the 8250 driver's probe: MCR = LOOP | OUT2 | RTS reads 0x90 */
	wr(test, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2 | UART_MCR_RTS);
	KUNIT_EXPECT_EQ(test, rd(test, UART_MSR) & 0xf0, 0x90);

	wr(test, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT1);
	KUNIT_EXPECT_EQ(test, rd(test, UART_MSR),
			UART_MSR_RI | UART_MSR_DDCD | UART_MSR_DCTS);
	wr(test, UART_MCR, UART_MCR_LOOP | UART_MCR_DTR);
	/* RI ended: TERI */
	KUNIT_EXPECT_EQ(test, rd(test, UART_MSR),
			UART_MSR_DSR | UART_MSR_DDSR | UART_MSR_TERI);
	wr(test, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT1);
	/* RI starting is no TERI */
	KUNIT_EXPECT_EQ(test, rd(test, UART_MSR), UART_MSR_RI | UART_MSR_DDSR);

	send(test, "L");
	KUNIT_EXPECT_EQ(test, rd(test, UART_RX), 'L');

	/* out of loopback: DCD on again */
	wr(test, UART_MCR, 0);
	KUNIT_EXPECT_EQ(test, rd(test, UART_MSR),
			UART_MSR_DCD | UART_MSR_DDCD | UART_MSR_TERI);
}

/* Scratch: any value, independent of DLAB and of the other registers. */
static void scratch(struct kunit *test)
{
	int v;

	for (v = 0; v < 256; v++) {
		wr(test, UART_SCR, v);
		KUNIT_EXPECT_EQ(test, rd(test, UART_SCR), v);
	}
	wr(test, UART_SCR, 0x5a);
	wr(test, UART_LCR, UART_LCR_DLAB);
	KUNIT_EXPECT_EQ(test, rd(test, UART_SCR), 0x5a);
	wr(test, UART_LCR, 0);
	KUNIT_EXPECT_EQ(test, rd(test, UART_IER), 0);
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR), LSR_IDLE);
}

/* LSR and MSR are read only; there is no register past 7. */
static void readonly_and_unknown(struct kunit *test)
{
	struct mtty_uart *u = test->priv;

	wr(test, UART_LSR, 0xff);
	wr(test, UART_MSR, 0xff);
	KUNIT_EXPECT_EQ(test, rd(test, UART_LSR), LSR_IDLE);
	KUNIT_EXPECT_EQ(test, rd(test, UART_MSR), UART_MSR_DCD);
	KUNIT_EXPECT_FALSE(test, u->overrun);
	KUNIT_EXPECT_EQ(test, rd(test, 8), 0xff);
}

/*
 * What mtty_uart_quiet() calls quiet must be: with interrupts of every
 * kind pending, a quiet read changes nothing at all and a quiet write
 * leaves the interrupt condition as it was; LSR, whose read clears an
 * overrun, is not quiet, and that read does change the state.
 */
static void quiet_accesses(struct kunit *test)
{
	struct mtty_uart *u = test->priv, before;
	unsigned int reg;

	wr(test, UART_IER, 0x0f);
	send(test, "ab");		/* data ready, and an overrun */
	KUNIT_ASSERT_TRUE(test, mtty_uart_irq_pending(u));

	for (reg = UART_RX; reg <= UART_SCR; reg++) {
		if (mtty_uart_quiet(reg, false)) {
			memcpy(&before, u, sizeof(*u));
			rd(test, reg);
			KUNIT_EXPECT_EQ_MSG(test, memcmp(&before, u, sizeof(*u)), 0,
					    "read of register %u", reg);
		}
		if (mtty_uart_quiet(reg, true)) {
			memcpy(&before, u, sizeof(*u));
			wr(test, reg, rd(test, reg));
			KUNIT_EXPECT_EQ_MSG(test, mtty_uart_irq_pending(u),
					    mtty_uart_irq_pending(&before),
					    "write of register %u", reg);
		}
	}
	KUNIT_EXPECT_TRUE(test, mtty_uart_quiet(UART_SCR, true));
	KUNIT_EXPECT_FALSE(test, mtty_uart_quiet(UART_LSR, false));
	KUNIT_EXPECT_FALSE(test, mtty_uart_quiet(UART_TX, true));
	memcpy(&before, u, sizeof(*u));
	rd(test, UART_LSR);
	KUNIT_EXPECT_NE(test, memcmp(&before, u, sizeof(*u)), 0);
}

static struct kunit_case mtty_uart_cases[] = {
	KUNIT_CASE(reset_values),
	KUNIT_CASE(quiet_accesses),
	KUNIT_CASE(divisor_latch),
	KUNIT_CASE(loopback_fifo_order),
	KUNIT_CASE(empty_read),
	KUNIT_CASE(fifo_overrun),
	KUNIT_CASE(holding_overrun),
	KUNIT_CASE(fcr_clear),
	KUNIT_CASE(trigger_levels_test),
	KUNIT_CASE(iir_priorities),
	KUNIT_CASE(thre_rules),
	KUNIT_CASE(ier_gating),
	KUNIT_CASE(modem_lines),
	KUNIT_CASE(mcr_loopback),
	KUNIT_CASE(scratch),
	KUNIT_CASE(readonly_and_unknown),
	{}
};

static struct kunit_suite mtty_uart_suite = {
	.name = "mtty_uart",
	.init = uart_test_init,
	.test_cases = mtty_uart_cases,
};

kunit_test_suites(&mtty_uart_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of the mtty sample's 16550A model");
