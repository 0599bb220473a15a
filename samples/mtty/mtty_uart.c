// SPDX-License-Identifier: GPL-2.0-only
/*
 * mtty: the 16550A model.
 *
 * Transmission is instantaneous: a byte written to THR lands in the
 * receive FIFO at once, so the transmitter is always empty. Interrupts
 * follow a real 16550A: IIR reports the highest priority source only
 * (line status, then received data or character timeout, then
 * transmitter empty, then modem status). The character timeout is
 * reported at once when fewer bytes than the trigger level wait, which
 * is a timeout of zero character times. Modem inputs follow the modem
 * outputs as on a null-modem cable: CTS = RTS, DSR = DTR, DCD on; in
 * loopback mode (MCR bit 4) as the chip wires them, RI = OUT1, DCD = OUT2.
 */
#include <kunit/visibility.h>
#include <linux/export.h>
#include <linux/serial_reg.h>
#include <linux/string.h>

#include "mtty_uart.h"

static const u8 mtty_trigger_levels[4] = { 1, 4, 8, 14 };

/**
 * mtty_uart_reset - power-on state
 * @u: the port
 */
void mtty_uart_reset(struct mtty_uart *u)
{
	memset(u, 0, sizeof(*u));
	u->fifo_size = 1;
	u->trigger = 1;
}
EXPORT_SYMBOL_IF_KUNIT(mtty_uart_reset);

static bool dlab(const struct mtty_uart *u)
{
	return u->lcr & UART_LCR_DLAB;
}

static void fifo_push(struct mtty_uart *u, u8 val)
{
	if (u->count >= u->fifo_size) {
		/*
		 * A full FIFO loses the new byte; without FIFO the new byte
		 * overwrites the unread one in the receiver buffer.
		 */
		if (u->fifo_size == 1)
			u->fifo[u->head] = val;
		u->overrun = true;
		return;
	}
	u->fifo[(u->head + u->count) % MTTY_FIFO_SIZE] = val;
	u->count++;
}

static u8 fifo_pop(struct mtty_uart *u)
{
	u8 val;

	if (!u->count)
		return 0;
	val = u->fifo[u->head];
	u->head = (u->head + 1) % MTTY_FIFO_SIZE;
	u->count--;
	return val;
}

/*
 * The modem inputs. In loopback mode the chip wires its outputs to them:
 * RTS to CTS, DTR to DSR, OUT1 to RI and OUT2 to DCD. Otherwise the other
 * end of a null-modem cable drives them: CTS = RTS, DSR = DTR, DCD on.
 */
static u8 modem_inputs(u8 mcr)
{
	u8 msr = 0;

	if (mcr & UART_MCR_RTS)
		msr |= UART_MSR_CTS;
	if (mcr & UART_MCR_DTR)
		msr |= UART_MSR_DSR;
	if (mcr & UART_MCR_LOOP) {
		if (mcr & UART_MCR_OUT1)
			msr |= UART_MSR_RI;
		if (mcr & UART_MCR_OUT2)
			msr |= UART_MSR_DCD;
	} else {
		msr |= UART_MSR_DCD;
	}
	return msr;
}

static void write_mcr(struct mtty_uart *u, u8 val)
{
	u8 before = modem_inputs(u->mcr), after = modem_inputs(val);

	if ((before ^ after) & UART_MSR_CTS)
		u->msr_delta |= UART_MSR_DCTS;
	if ((before ^ after) & UART_MSR_DSR)
		u->msr_delta |= UART_MSR_DDSR;
	if ((before ^ after) & UART_MSR_DCD)
		u->msr_delta |= UART_MSR_DDCD;
	/* TERI: the ring indicator ended (RI went from 1 to 0) */
	if ((before & ~after) & UART_MSR_RI)
		u->msr_delta |= UART_MSR_TERI;
	u->mcr = val & 0x1f;
}

static void write_fcr(struct mtty_uart *u, u8 val)
{
	if ((val ^ u->fcr) & UART_FCR_ENABLE_FIFO) {
		/* changing FIFO mode empties the FIFO */
		u->count = 0;
		u->head = 0;
	}
	if (val & UART_FCR_CLEAR_RCVR) {
		u->count = 0;
		u->head = 0;
	}
	u->fcr = val & (UART_FCR_ENABLE_FIFO | UART_FCR_TRIGGER_MASK);
	u->fifo_size = (val & UART_FCR_ENABLE_FIFO) ? MTTY_FIFO_SIZE : 1;
	u->trigger = (val & UART_FCR_ENABLE_FIFO) ?
		     mtty_trigger_levels[(val & UART_FCR_TRIGGER_MASK) >> 6] : 1;
}

/**
 * mtty_uart_write - a register write
 * @u: the port
 * @reg: register offset, 0..7
 * @val: the byte written
 */
void mtty_uart_write(struct mtty_uart *u, unsigned int reg, u8 val)
{
	switch (reg) {
	case UART_TX:
		if (dlab(u)) {
			u->dll = val;
			break;
		}
		fifo_push(u, val);
		/* sent at once: the holding register is empty again */
		u->thre_pending = true;
		break;
	case UART_IER:
		if (dlab(u)) {
			u->dlm = val;
			break;
		}
		/* enabling THRI with an empty transmitter raises it */
		if ((val & UART_IER_THRI) && !(u->ier & UART_IER_THRI))
			u->thre_pending = true;
		u->ier = val & 0x0f;
		break;
	case UART_FCR:
		write_fcr(u, val);
		break;
	case UART_LCR:
		u->lcr = val;
		break;
	case UART_MCR:
		write_mcr(u, val);
		break;
	case UART_SCR:
		u->scr = val;
		break;
	default:
		/* LSR and MSR are read only */
		break;
	}
}
EXPORT_SYMBOL_IF_KUNIT(mtty_uart_write);

/* The highest priority pending interrupt, as IIR reports it. */
static u8 iir_source(const struct mtty_uart *u)
{
	if ((u->ier & UART_IER_RLSI) && u->overrun)
		return UART_IIR_RLSI;
	if ((u->ier & UART_IER_RDI) && u->count >= u->trigger)
		return UART_IIR_RDI;
	if ((u->ier & UART_IER_RDI) && u->count)
		return UART_IIR_RX_TIMEOUT;
	if ((u->ier & UART_IER_THRI) && u->thre_pending)
		return UART_IIR_THRI;
	if ((u->ier & UART_IER_MSI) && u->msr_delta)
		return UART_IIR_MSI;
	return UART_IIR_NO_INT;
}

/**
 * mtty_uart_iir - the interrupt identification register, without side effects
 * @u: the port
 *
 * Return: the IIR value (FIFO bits set when the FIFO is enabled).
 */
u8 mtty_uart_iir(const struct mtty_uart *u)
{
	u8 iir = iir_source(u);

	if (u->fcr & UART_FCR_ENABLE_FIFO)
		iir |= 0xc0;
	return iir;
}
EXPORT_SYMBOL_IF_KUNIT(mtty_uart_iir);

/**
 * mtty_uart_irq_pending - is the port asserting its interrupt
 * @u: the port
 *
 * Return: true when IIR reports a source.
 */
/**
 * mtty_uart_quiet - can an access leave the interrupt condition alone
 * @reg: the register
 * @write: a write (else a read)
 *
 * True for the accesses without side effects on what the port reports:
 * reads of IER, LCR, MCR and SCR, writes of LCR and SCR. Anything else
 * may raise or clear an interrupt.
 */
bool mtty_uart_quiet(unsigned int reg, bool write)
{
	switch (reg) {
	case UART_LCR:
	case UART_SCR:
		return true;
	case UART_IER:
	case UART_MCR:
		return !write;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(mtty_uart_quiet);

bool mtty_uart_irq_pending(const struct mtty_uart *u)
{
	return iir_source(u) != UART_IIR_NO_INT;
}
EXPORT_SYMBOL_IF_KUNIT(mtty_uart_irq_pending);

/**
 * mtty_uart_lsr - the line status register, without side effects
 * @u: the port
 *
 * Return: the LSR value.
 */
u8 mtty_uart_lsr(const struct mtty_uart *u)
{
	/* the transmitter is always empty */
	u8 lsr = UART_LSR_THRE | UART_LSR_TEMT;

	if (u->count)
		lsr |= UART_LSR_DR;
	if (u->overrun)
		lsr |= UART_LSR_OE;
	return lsr;
}
EXPORT_SYMBOL_IF_KUNIT(mtty_uart_lsr);

/**
 * mtty_uart_msr - the modem status register, without side effects
 * @u: the port
 *
 * Return: the MSR value.
 */
u8 mtty_uart_msr(const struct mtty_uart *u)
{
	return modem_inputs(u->mcr) | u->msr_delta;
}
EXPORT_SYMBOL_IF_KUNIT(mtty_uart_msr);

/**
 * mtty_uart_read - a register read, with a real UART's side effects
 * @u: the port
 * @reg: register offset, 0..7
 *
 * Return: the byte read.
 */
u8 mtty_uart_read(struct mtty_uart *u, unsigned int reg)
{
	u8 val;

	switch (reg) {
	case UART_RX:
		if (dlab(u))
			return u->dll;
		return fifo_pop(u);
	case UART_IER:
		if (dlab(u))
			return u->dlm;
		return u->ier;
	case UART_IIR:
		val = mtty_uart_iir(u);
		/* reading IIR acknowledges a reported THRE interrupt */
		if ((val & UART_IIR_ID) == UART_IIR_THRI)
			u->thre_pending = false;
		return val;
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		val = mtty_uart_lsr(u);
		u->overrun = false;
		return val;
	case UART_MSR:
		val = mtty_uart_msr(u);
		u->msr_delta = 0;
		return val;
	case UART_SCR:
		return u->scr;
	}
	return 0xff;
}
EXPORT_SYMBOL_IF_KUNIT(mtty_uart_read);
