/**
 * The money pages' calls (issue 11), in one place. They go through `settle`, like every other call,
 * so a refusal arrives as the same UiError (problem+json → sentences, field errors). Until the API
 * branches are merged openapi.json has no such routes, so these use a plain JSON fetch with the
 * contract's shapes (contract.ts); after `npm run openapi` they can move to the typed client.
 */
import { settle, type Settled } from '#lib/api/client.ts';
import type {
	BillingSettings,
	ClientBalance,
	Invoice,
	InvoiceBody,
	InvoicePage,
	InvoiceQuery,
	LineInput,
	Payment,
	PaymentMethod,
	Preview,
	Share,
	StripeConnection,
	TaxRate
} from './contract.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
interface Options {
	query?: Record<string, string | number | boolean | string[] | undefined>;
	body?: unknown;
	headers?: Record<string, string>;
	signal?: AbortSignal;
}

/** openapi-fetch's result shape ({ data | error, response }), so `settle` reads it the same way. */
async function call<T>(method: Method, path: string, options: Options = {}): Promise<{ data?: T; error?: unknown; response: Response }> {
	const url = new URL(`/api/v1${path}`, location.origin);
	for (const [key, value] of Object.entries(options.query ?? {})) {
		if (value === undefined || value === '') continue;
		if (Array.isArray(value)) {
			if (value.length) url.searchParams.set(key, value.join(','));
		} else url.searchParams.set(key, String(value));
	}
	const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...options.headers };
	let body: BodyInit | undefined;
	if (options.body instanceof FormData) body = options.body;
	else if (options.body !== undefined) {
		headers['Content-Type'] = 'application/json';
		body = JSON.stringify(options.body);
	}
	const response = await fetch(url, { method, headers, body, credentials: 'same-origin', signal: options.signal });
	const text = response.status === 204 ? '' : await response.text();
	let parsed: unknown = undefined;
	try {
		parsed = text ? JSON.parse(text) : undefined;
	} catch {
		parsed = text;
	}
	return response.ok ? { data: (parsed ?? null) as T, response } : { error: parsed, response };
}

const run = <T>(method: Method, path: string, options?: Options, fields?: readonly string[]): Promise<Settled<T>> =>
	settle(call<T>(method, path, options), fields ? { fields } : {}) as Promise<Settled<T>>;

const id = (value: string) => encodeURIComponent(value);

/** A fresh Idempotency-Key: one per dialog opening, so a retried click never pays or mails twice. */
export function newIdempotencyKey(): string {
	return crypto.randomUUID();
}

export const invoicesApi = {
	list: (query: InvoiceQuery) => run<InvoicePage>('GET', '/invoices', { query: { ...query } }),
	get: (invoiceId: string) => run<Invoice>('GET', `/invoices/${id(invoiceId)}`),
	create: (body: InvoiceBody, fields?: readonly string[]) => run<Invoice>('POST', '/invoices', { body }, fields),
	update: (invoiceId: string, body: Partial<InvoiceBody>, fields?: readonly string[]) => run<Invoice>('PATCH', `/invoices/${id(invoiceId)}`, { body }, fields),
	remove: (invoiceId: string) => run<null>('DELETE', `/invoices/${id(invoiceId)}`),
	preview: (body: { currency: string; lines: LineInput[]; depositInvoiceIds?: string[] }, signal?: AbortSignal) =>
		run<Preview>('POST', '/invoices/preview', { body, signal }),
	fromBookings: (bookingIds: string[]) => run<Invoice>('POST', '/invoices/from-bookings', { body: { bookingIds } }),
	finalize: (invoiceId: string) => run<Invoice>('POST', `/invoices/${id(invoiceId)}/finalize`, { body: {} }),
	void: (invoiceId: string, reason: string) => run<Invoice>('POST', `/invoices/${id(invoiceId)}/void`, { body: { reason } }, ['reason']),
	creditNote: (invoiceId: string) => run<Invoice>('POST', `/invoices/${id(invoiceId)}/credit-notes`, { body: { full: true } }),
	send: (invoiceId: string, body: { to?: string[]; cc?: string[]; message?: string }, key: string) =>
		run<{ sentAt: string; to: string[] }>('POST', `/invoices/${id(invoiceId)}/send`, { body, headers: { 'Idempotency-Key': key } }, ['to', 'cc', 'message']),
	recordPayment: (
		invoiceId: string,
		body: { amountMinor: number; method: Exclude<PaymentMethod, 'stripe'>; receivedOn: string; reference?: string; note?: string; shareId?: string },
		key: string
	) => run<Payment>('POST', `/invoices/${id(invoiceId)}/payments`, { body, headers: { 'Idempotency-Key': key } }, ['amountMinor', 'method', 'receivedOn', 'reference']),
	setShares: (invoiceId: string, body: { equal: { count: number } } | { shares: { payerName: string; payerEmail?: string; amountMinor: number }[] }) =>
		run<{ items: Share[] }>('PUT', `/invoices/${id(invoiceId)}/shares`, { body }),
	clearShares: (invoiceId: string) => run<null>('DELETE', `/invoices/${id(invoiceId)}/shares`),
	checkout: (invoiceId: string, shareId?: string) =>
		run<{ url: string; sessionId: string; amountMinor: number }>('POST', `/invoices/${id(invoiceId)}/checkout`, { body: shareId ? { shareId } : {} }),
	pdfUrl: (invoiceId: string) => `/api/v1/invoices/${id(invoiceId)}/pdf`,
	clientBalance: (clientId: string) => run<ClientBalance>('GET', `/clients/${id(clientId)}/balance`)
};

export const taxRatesApi = {
	list: (includeArchived = false) => run<{ items: TaxRate[] }>('GET', '/tax-rates', { query: { includeArchived: includeArchived || undefined } }),
	create: (body: { name: string; ratePercent: string; inclusive?: boolean; isDefault?: boolean }, fields?: readonly string[]) =>
		run<TaxRate>('POST', '/tax-rates', { body }, fields),
	update: (rateId: string, body: Partial<{ name: string; ratePercent: string; inclusive: boolean; isDefault: boolean; archived: boolean }>, fields?: readonly string[]) =>
		run<TaxRate>('PATCH', `/tax-rates/${id(rateId)}`, { body }, fields)
};

export const billingApi = {
	get: () => run<BillingSettings>('GET', '/billing-settings'),
	update: (body: Partial<BillingSettings>, fields?: readonly string[]) => run<BillingSettings>('PATCH', '/billing-settings', { body }, fields),
	uploadLogo: (file: File) => {
		const form = new FormData();
		form.append('file', file);
		return run<null>('PUT', '/billing-settings/logo', { body: form });
	},
	removeLogo: () => run<null>('DELETE', '/billing-settings/logo'),
	logoUrl: '/api/v1/billing-settings/logo'
};

export const stripeApi = {
	connection: () => run<StripeConnection>('GET', '/stripe/connection'),
	connect: () => run<{ onboardingUrl: string }>('POST', '/stripe/connection'),
	refresh: () => run<StripeConnection>('POST', '/stripe/connection/refresh'),
	disconnect: () => run<null>('DELETE', '/stripe/connection')
};
