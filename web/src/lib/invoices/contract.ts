/**
 * Issue 11 (money) shapes, from the generated schema (openapi.json), under the names the money pages use.
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
	/** Left out for a quote's deposit invoice, whose lines the API keeps (deposit-lines-fixed). */
	lines?: LineInput[];
	depositInvoiceIds?: string[];
}

export type StripeConnection = Schemas['StripeConnectionDto'];
