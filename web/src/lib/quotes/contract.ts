/** Issue 11, quotes: shapes from the generated schema (openapi.json), under the names the quote pages use. */
import type { components } from '#lib/api/schema.d.ts';

type Schemas = components['schemas'];
export type Quote = Schemas['QuoteDto'];
export type QuoteSummary = Schemas['QuoteSummaryDto'];
export type QuotePage = Schemas['QuoteListDto'];
export type QuoteStatus = Schemas['QuoteSummaryDto']['status'];
export type QuoteBody = Schemas['CreateQuoteDto'];

export interface QuoteQuery {
	status?: QuoteStatus[];
	clientId?: string;
	q?: string;
	cursor?: string;
	limit?: number;
}
