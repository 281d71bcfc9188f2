/**
 * Issue 11 (money) shapes. The invoices, settlements and documents routes are in openapi.json: their
 * types come from the generated schema. The Stripe connection was written from the round-1 API
 * contract (/work/brief/contract-money.md) while that branch was being built; once it is merged it
 * becomes an alias too.
 */
import type { components } from '#lib/api/schema.d.ts';

type Schemas = components['schemas'];
export type InvoiceKind = Schemas['InvoiceDto']['kind'];
export type InvoiceStatus = Schemas['InvoiceDto']['status'];
export type PaymentMethod = Schemas['PaymentDto']['method'];
export type TaxRate = Schemas['TaxRateDto'];
export type LineInput = NonNullable<Schemas['CreateInvoiceDto']['lines']>[number];
export type LineKind = Schemas['InvoiceLineDto']['kind'];
export type InvoiceLine = Schemas['InvoiceLineDto'];
export type TaxBreakdown = Schemas['TaxBreakdownDto'];
export type InvoiceSummary = Schemas['InvoiceSummaryDto'];
export type Payment = Schemas['InvoicePaymentDto'];
export type Share = Schemas['InvoiceShareDto'];
export type Invoice = Schemas['InvoiceDto'];
export type InvoicePage = Schemas['InvoiceListDto'];
export type Preview = Schemas['InvoicePreviewDto'];
export type ClientBalance = Schemas['ClientBalanceDto'];
export type BillingSettings = Schemas['BillingSettingsDto'];

export interface InvoiceQuery {
	status?: InvoiceStatus[];
	kind?: InvoiceKind;
	clientId?: string;
	overdue?: boolean;
	q?: string;
	cursor?: string;
	limit?: number;
}

export interface InvoiceBody {
	clientId: string;
	currency?: string;
	dueDate?: string | null;
	poNumber?: string | null;
	notes?: string | null;
	terms?: string | null;
	lines: LineInput[];
	depositInvoiceIds?: string[];
}

export interface StripeConnection {
	enabled: boolean;
	status: 'none' | 'onboarding' | 'active' | 'restricted';
	accountId: string | null;
	chargesEnabled: boolean;
	payoutsEnabled: boolean;
	detailsSubmitted: boolean;
}
