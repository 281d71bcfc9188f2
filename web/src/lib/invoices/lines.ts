/**
 * The editor's lines as typed (text) → the API's LineInput (minor units, decimal strings). Only
 * conversion and per-field checks live here: every total comes from POST /invoices/preview.
 */
import { m } from '#lib/paraglide/messages.js';
import type { InvoiceLine, LineInput } from './contract.ts';
import { formatMoneyInput, parseMoneyInput, type MoneyInputError } from '#lib/money/money-input.ts';

export interface LineDraft {
	/** Stable key for the list (lines have no id until saved). */
	key: string;
	description: string;
	quantity: string;
	unit: string;
	unitPrice: string;
	discount: string;
	/** A tax rate id, or '' for no tax. */
	taxRateId: string;
	kind: LineInput['kind'];
	bookingId: string | null;
}

export type LineErrors = Partial<Record<'description' | 'quantity' | 'unitPriceMinor' | 'discountMinor', string>>;

let counter = 0;
export const newKey = () => `line-${++counter}`;

export function emptyLine(defaultTaxRateId: string): LineDraft {
	return { key: newKey(), description: '', quantity: '1', unit: '', unitPrice: '', discount: '', taxRateId: defaultTaxRateId, kind: 'manual', bookingId: null };
}

export function lineFromInvoice(line: InvoiceLine, exponent: number, locale: string): LineDraft {
	return {
		key: newKey(),
		description: line.description,
		quantity: line.quantity,
		unit: line.unit ?? '',
		unitPrice: formatMoneyInput(line.unitPriceMinor, exponent, locale),
		discount: line.discountMinor ? formatMoneyInput(line.discountMinor, exponent, locale) : '',
		taxRateId: line.taxRateId ?? '',
		// A deposit invoice's line is written as a manual one: the API takes only these kinds as input.
		kind: line.kind === 'deposit' ? 'manual' : line.kind,
		bookingId: line.bookingId
	};
}

/** Up to 9 whole digits and 3 decimals, "," or "." (the API's quantity rule). */
export function parseQuantity(text: string): string | null {
	const t = text.trim().replace(',', '.');
	return /^\d{1,9}(\.\d{1,3})?$/.test(t) ? t : null;
}

export function moneyErrorMessage(error: MoneyInputError): string {
	switch (error) {
		case 'empty':
			return m.field_required();
		case 'negative':
			return m.money_error_negative();
		case 'too-many-decimals':
			return m.money_error_decimals();
		case 'too-large':
			return m.money_error_too_large();
		default:
			return m.money_error_invalid();
	}
}

export interface LineInputResult {
	input: LineInput | null;
	errors: LineErrors;
}

/** Every line's input, or null while any line has an error. */
export function validLineInputs(converted: LineInputResult[]): LineInput[] | null {
	return converted.every((c) => c.input !== null) ? converted.map((c) => c.input as LineInput) : null;
}

/** One line → LineInput, or the sentence for each field the API would refuse. */
export function toLineInput(line: LineDraft, exponent: number): LineInputResult {
	const errors: LineErrors = {};
	if (!line.description.trim()) errors.description = m.field_required();
	const quantity = parseQuantity(line.quantity);
	if (quantity === null) errors.quantity = m.invoice_line_quantity_invalid();
	const price = parseMoneyInput(line.unitPrice, exponent);
	if (!price.ok) errors.unitPriceMinor = moneyErrorMessage(price.error);
	let discountMinor = 0;
	if (line.discount.trim()) {
		const discount = parseMoneyInput(line.discount, exponent);
		if (discount.ok) discountMinor = discount.minor;
		else errors.discountMinor = moneyErrorMessage(discount.error);
	}
	if (Object.keys(errors).length || quantity === null || !price.ok) return { input: null, errors };
	return {
		input: {
			description: line.description.trim(),
			quantity,
			unit: line.unit.trim() || null,
			unitPriceMinor: price.minor,
			discountMinor,
			taxRateId: line.taxRateId || null,
			kind: line.kind,
			bookingId: line.bookingId
		},
		errors
	};
}

/** Moves the line at `from` by `delta` places (reordering with buttons, keyboard-friendly). */
export function moveLine<T>(lines: T[], from: number, delta: number): T[] {
	const to = from + delta;
	if (to < 0 || to >= lines.length) return lines;
	const next = [...lines];
	const [moved] = next.splice(from, 1);
	next.splice(to, 0, moved);
	return next;
}
