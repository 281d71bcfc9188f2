/** Quote statuses in words and colours. */
import { m } from '#lib/paraglide/messages.js';
import type { QuoteStatus } from './contract.ts';

export const QUOTE_STATUSES: QuoteStatus[] = ['draft', 'sent', 'accepted', 'declined', 'expired'];

export function quoteStatusLabel(status: QuoteStatus): string {
	return { draft: m.quote_status_draft, sent: m.quote_status_sent, accepted: m.quote_status_accepted, declined: m.quote_status_declined, expired: m.quote_status_expired }[status]();
}

export function quoteStatusTone(status: QuoteStatus): 'neutral' | 'primary' | 'success' | 'warning' | 'danger' {
	return ({ draft: 'neutral', sent: 'primary', accepted: 'success', declined: 'neutral', expired: 'warning' } as const)[status];
}

/** A quote's name in lists and titles: its number, or "Draft quote" before it is sent. */
export function quoteTitle(quote: { number: string | null }): string {
	return quote.number ?? m.quote_draft_title();
}
