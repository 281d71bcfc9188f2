/**
 * Issue 11 (money) shapes, written from the round-1 API contract (/work/brief/contract-money.md)
 * while the API branches are being built. WHY by hand: openapi.json does not describe these
 * routes yet. Once the API is merged and `npm run openapi` has run, these should become aliases of
 * the generated types (see api/types.ts) and the calls in api.ts should use the typed client.
 */
export type InvoiceKind = 'invoice' | 'deposit' | 'credit_note';
export type InvoiceStatus = 'draft' | 'sent' | 'partially_paid' | 'paid' | 'void';
export type LineKind = 'manual' | 'room' | 'engineer' | 'equipment' | 'deposit';
export type PaymentMethod = 'cash' | 'bank_transfer' | 'card_terminal' | 'cheque' | 'stripe' | 'other';

export interface TaxRate {
	id: string;
	name: string;
	ratePercent: string;
	inclusive: boolean;
	isDefault: boolean;
	archivedAt: string | null;
	createdAt: string;
	updatedAt: string;
}

export interface LineInput {
	description: string;
	quantity: string;
	unit?: string | null;
	unitPriceMinor: number;
	discountMinor?: number;
	taxRateId?: string | null;
	kind?: LineKind;
	bookingId?: string | null;
}

export interface InvoiceLine {
	id: string;
	position: number;
	kind: LineKind;
	bookingId: string | null;
	description: string;
	quantity: string;
	unit: string | null;
	unitPriceMinor: number;
	discountMinor: number;
	taxRateId: string | null;
	taxName: string | null;
	taxRatePercent: string;
	taxInclusive: boolean;
	netMinor: number;
	taxMinor: number;
	grossMinor: number;
}

export interface TaxBreakdown {
	ratePercent: string;
	netMinor: number;
	taxMinor: number;
}

export interface DeductedDeposit {
	depositInvoiceId: string;
	number: string;
	issueDate: string;
	ratePercent: string;
	netMinor: number;
	taxMinor: number;
	grossMinor: number;
}

export interface InvoiceSummary {
	id: string;
	kind: InvoiceKind;
	status: InvoiceStatus;
	number: string | null;
	client: { id: string; name: string };
	projectId: string | null;
	currency: string;
	issueDate: string | null;
	dueDate: string | null;
	totalMinor: number;
	balanceMinor: number;
	overdue: boolean;
	createdAt: string;
	updatedAt: string;
}

export interface Payment {
	id: string;
	invoiceId: string;
	shareId: string | null;
	amountMinor: number;
	currency: string;
	method: PaymentMethod;
	receivedOn: string;
	reference: string | null;
	note: string | null;
	refundedMinor: number;
	disputed: boolean;
	recordedBy: string | null;
	createdAt: string;
}

export interface Share {
	id: string;
	position: number;
	payerName: string;
	payerEmail: string | null;
	amountMinor: number;
	paidMinor: number;
	paid: boolean;
	checkoutAvailable: boolean;
}

export interface Invoice extends InvoiceSummary {
	bookingId: string | null;
	creditedInvoice: { id: string; number: string | null } | null;
	poNumber: string | null;
	notes: string | null;
	terms: string | null;
	billTo: { name: string; address: string | null; taxId: string | null; email: string | null };
	lines: InvoiceLine[];
	byRate: TaxBreakdown[];
	subtotalMinor: number;
	taxMinor: number;
	deposits: DeductedDeposit[];
	depositsMinor: number;
	creditedMinor: number;
	paidMinor: number;
	amountDueMinor: number;
	creditNotes: { id: string; number: string | null; status: InvoiceStatus; totalMinor: number; issueDate: string | null }[];
	payments: Payment[];
	shares: Share[];
	finalizedAt: string | null;
	sentAt: string | null;
	paidAt: string | null;
	voidedAt: string | null;
	voidReason: string | null;
}

export interface InvoicePage {
	items: InvoiceSummary[];
	nextCursor: string | null;
	total: number;
}

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

export interface Preview {
	lines: { netMinor: number; taxMinor: number; grossMinor: number }[];
	byRate: TaxBreakdown[];
	subtotalMinor: number;
	taxMinor: number;
	totalMinor: number;
	depositsMinor: number;
	amountDueMinor: number;
}

export interface ClientBalance {
	items: { currency: string; outstandingMinor: number; overdueMinor: number; oldestOverdueDueDate: string | null; overdueInvoiceCount: number }[];
}

export interface BillingSettings {
	legalName: string | null;
	address: string | null;
	taxId: string | null;
	companyId: string | null;
	email: string | null;
	phone: string | null;
	bankName: string | null;
	iban: string | null;
	bic: string | null;
	hasLogo: boolean;
	invoiceNumberFormat: string;
	creditNoteNumberFormat: string;
	quoteNumberFormat: string;
	numberReset: 'yearly' | 'never';
	paymentTermsDays: number;
	defaultTerms: string | null;
	defaultNotes: string | null;
	lateNoticeDays: number[];
	nextNumbers: { invoice: string; creditNote: string; quote: string };
	updatedAt: string;
}

export interface StripeConnection {
	enabled: boolean;
	status: 'none' | 'onboarding' | 'active' | 'restricted';
	accountId: string | null;
	chargesEnabled: boolean;
	payoutsEnabled: boolean;
	detailsSubmitted: boolean;
}
