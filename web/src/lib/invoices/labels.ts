/** Invoice statuses, kinds and payment methods in words and colours. */
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/i18n.ts';
import { plural } from '#lib/plural.ts';
import type { InvoiceKind, InvoiceStatus, PaymentMethod } from './contract.ts';

export function statusLabel(status: InvoiceStatus): string {
	return { draft: m.invoice_status_draft, sent: m.invoice_status_sent, partially_paid: m.invoice_status_partially_paid, paid: m.invoice_status_paid, void: m.invoice_status_void }[status]();
}

export function statusTone(status: InvoiceStatus): 'neutral' | 'primary' | 'success' | 'warning' | 'danger' {
	return ({ draft: 'neutral', sent: 'primary', partially_paid: 'warning', paid: 'success', void: 'neutral' } as const)[status];
}

export function kindLabel(kind: InvoiceKind): string {
	return { invoice: m.invoice_kind_invoice, deposit: m.invoice_kind_deposit, credit_note: m.invoice_kind_credit_note }[kind]();
}

export const MANUAL_METHODS = ['bank_transfer', 'cash', 'card_terminal', 'cheque', 'other'] as const;

export function methodLabel(method: PaymentMethod): string {
	return {
		cash: m.payment_method_cash,
		bank_transfer: m.payment_method_bank_transfer,
		card_terminal: m.payment_method_card_terminal,
		cheque: m.payment_method_cheque,
		stripe: m.payment_method_stripe,
		other: m.payment_method_other
	}[method]();
}

export const STATUSES: InvoiceStatus[] = ['draft', 'sent', 'partially_paid', 'paid', 'void'];

/** An invoice's name in lists and titles: its number, or "Draft" before it has one. */
export function invoiceTitle(invoice: { number: string | null; kind: InvoiceKind }): string {
	return invoice.number ?? m.invoice_draft_title({ kind: kindLabel(invoice.kind) });
}

/** Today in the studio's time zone as YYYY-MM-DD (what the API compares payment dates with). */
export function todayIn(timeZone: string): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** A calendar date (YYYY-MM-DD, no time zone) in the user's locale. */
export function formatDay(day: string, locale: string): string {
	return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/**
 * A line's quantity with its unit, as words: "3 hours", "1 heure", "2 sessions". The units the API
 * writes itself (hour, day, session: lines from bookings) are translated with their plural; a unit
 * typed by hand is shown as typed. No unit: the quantity alone.
 */
export function quantityLabel(quantity: string, unit: string | null): string {
	const count = Number(quantity);
	const known = { hour: [m.invoice_unit_hour_one, m.invoice_unit_hour_other], day: [m.invoice_unit_day_one, m.invoice_unit_day_other], session: [m.invoice_unit_session_one, m.invoice_unit_session_other] } as const;
	const forms = unit ? known[unit.trim().toLowerCase() as keyof typeof known] : undefined;
	if (forms) return plural(count, { one: forms[0], other: forms[1] });
	const formatted = new Intl.NumberFormat(getLocale()).format(count);
	return unit ? m.invoice_unit_custom({ count: formatted, unit }) : formatted;
}
