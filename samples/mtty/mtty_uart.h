/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A 16550A UART model whose transmitter loops every byte back into its
 * receiver. Pure state, no locking: the caller serializes accesses.
 */
#ifndef MTTY_UART_H
#define MTTY_UART_H

#include <linux/types.h>

#define MTTY_FIFO_SIZE	16

/**
 * struct mtty_uart - the registers and FIFO of one port
 * @fifo: received bytes, oldest at @head
 * @head: index of the oldest byte
 * @count: bytes in @fifo
 * @fifo_size: 16 with the FIFO enabled, 1 without
 * @trigger: receiver interrupt trigger level (1, 4, 8 or 14)
 * @ier: interrupt enable register (low nibble)
 * @lcr: line control register
 * @mcr: modem control register
 * @scr: scratch register
 * @fcr: last FIFO control value written (enable and trigger bits)
 * @dll: divisor latch, low byte
 * @dlm: divisor latch, high byte
 * @overrun: a byte was lost: receiver full (cleared by reading LSR)
 * @thre_pending: the transmitter-empty interrupt is pending (cleared by
 *	reading IIR when it is reported; a THR write, sent at once, raises it again)
 * @msr_delta: modem status change bits not yet read (MSR bits 0-3)
 */
struct mtty_uart {
	u8 fifo[MTTY_FIFO_SIZE];
	u8 head;
	u8 count;
	u8 fifo_size;
	u8 trigger;
	u8 ier;
	u8 lcr;
	u8 mcr;
	u8 scr;
	u8 fcr;
	u8 dll;
	u8 dlm;
	bool overrun;
	bool thre_pending;
	u8 msr_delta;
};

void mtty_uart_reset(struct mtty_uart *u);
void mtty_uart_write(struct mtty_uart *u, unsigned int reg, u8 val);
u8 mtty_uart_read(struct mtty_uart *u, unsigned int reg);
u8 mtty_uart_iir(const struct mtty_uart *u);
bool mtty_uart_irq_pending(const struct mtty_uart *u);
bool mtty_uart_quiet(unsigned int reg, bool write);
u8 mtty_uart_lsr(const struct mtty_uart *u);
u8 mtty_uart_msr(const struct mtty_uart *u);

#endif /* MTTY_UART_H */
