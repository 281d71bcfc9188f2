/** The quote pages' calls (issue 11), through the generated client, answered as the same UiError as every other call. */
import { api, settle, type Settled } from '#lib/api/client.ts';
import type { Invoice } from '#lib/invoices/contract.ts';
import type { Quote, QuoteBody, QuotePage, QuoteQuery } from './contract.ts';

const path = (id: string) => ({ path: { id } });

export const quotesApi = {
	list: (query: QuoteQuery): Promise<Settled<QuotePage>> => settle(api.GET('/api/v1/quotes', { params: { query } })),
	get: (id: string): Promise<Settled<Quote>> => settle(api.GET('/api/v1/quotes/{id}', { params: path(id) })),
	create: (body: QuoteBody): Promise<Settled<Quote>> => settle(api.POST('/api/v1/quotes', { body })),
	update: (id: string, body: Partial<QuoteBody>): Promise<Settled<Quote>> => settle(api.PATCH('/api/v1/quotes/{id}', { params: path(id), body })),
	remove: (id: string): Promise<Settled<unknown>> => settle(api.DELETE('/api/v1/quotes/{id}', { params: path(id) })),
	/** Numbers the draft and mails it with its PDF, once per key. */
	send: (id: string, body: { to?: string[]; cc?: string[]; message?: string }, key: string): Promise<Settled<Quote>> =>
		settle(api.POST('/api/v1/quotes/{id}/send', { params: { ...path(id), header: { 'Idempotency-Key': key } }, body }), { fields: ['to', 'cc', 'message'] }),
	accept: (id: string): Promise<Settled<Quote>> => settle(api.POST('/api/v1/quotes/{id}/accept', { params: path(id) })),
	decline: (id: string, reason: string | null): Promise<Settled<Quote>> =>
		settle(api.POST('/api/v1/quotes/{id}/decline', { params: path(id), body: { reason } }), { fields: ['reason'] }),
	finalInvoice: (id: string): Promise<Settled<Invoice>> => settle(api.POST('/api/v1/quotes/{id}/invoice', { params: path(id) })),
	pdfUrl: (id: string) => `/api/v1/quotes/${encodeURIComponent(id)}/pdf`
};
