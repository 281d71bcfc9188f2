import { ApiProperty } from '@nestjs/swagger';
import { CURSOR_PATTERN, MAX_CURSOR_LENGTH, MAX_PAGE_SIZE } from '../../common/pagination.js';
import { MAX_MINOR } from '../../money/money.js';
import { LINE_KINDS, type LineKind } from '../priced-line-columns.js';
import { INVOICE_KINDS, INVOICE_STATUSES, type InvoiceKind, type InvoiceStatus } from '../invoice.entity.js';

const money = (description?: string) => ({ type: 'integer', format: 'int64', minimum: 0, maximum: MAX_MINOR, ...(description ? { description } : {}) }) as const;

export class InvoiceClientRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 200 }) name: string;
}

export class InvoiceRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 60 }) number: string | null;
}

export class BillToDto {
  @ApiProperty({ maxLength: 200 }) name: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 5000 }) address: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 50 }) taxId: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 320 }) email: string | null;
}

export class InvoiceLineDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: 200 }) position: number;
  @ApiProperty({ enum: LINE_KINDS }) kind: LineKind;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) bookingId: string | null;
  @ApiProperty({ maxLength: 2000 }) description: string;
  @ApiProperty({ maxLength: 13, example: '2.5' }) quantity: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 20 }) unit: string | null;
  @ApiProperty(money()) unitPriceMinor: number;
  @ApiProperty(money()) discountMinor: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) taxRateId: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 100 }) taxName: string | null;
  @ApiProperty({ maxLength: 8, example: '20' }) taxRatePercent: string;
  @ApiProperty() taxInclusive: boolean;
  @ApiProperty(money()) netMinor: number;
  @ApiProperty(money()) taxMinor: number;
  @ApiProperty(money()) grossMinor: number;
}

export class TaxBreakdownDto {
  @ApiProperty({ maxLength: 8, example: '20' }) ratePercent: string;
  @ApiProperty(money()) netMinor: number;
  @ApiProperty(money()) taxMinor: number;
}

export class DeductedDepositDto {
  @ApiProperty({ format: 'uuid' }) depositInvoiceId: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 60 }) number: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, maxLength: 10 }) issueDate: string | null;
  @ApiProperty({ maxLength: 8 }) ratePercent: string;
  @ApiProperty(money()) netMinor: number;
  @ApiProperty(money()) taxMinor: number;
  @ApiProperty(money()) grossMinor: number;
}

export class CreditNoteRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 60 }) number: string | null;
  @ApiProperty({ enum: INVOICE_STATUSES }) status: InvoiceStatus;
  @ApiProperty(money()) totalMinor: number;
  @ApiProperty({ type: String, format: 'date', nullable: true, maxLength: 10 }) issueDate: string | null;
}

/** A payment as an invoice lists it (the payments API itself belongs to the settlements part). */
export class InvoicePaymentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) invoiceId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) shareId: string | null;
  @ApiProperty(money()) amountMinor: number;
  @ApiProperty({ minLength: 3, maxLength: 3 }) currency: string;
  @ApiProperty({ enum: ['cash', 'bank_transfer', 'card_terminal', 'cheque', 'stripe', 'other'] }) method: string;
  @ApiProperty({ format: 'date', maxLength: 10 }) receivedOn: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 200 }) reference: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 5000 }) note: string | null;
  @ApiProperty(money()) refundedMinor: number;
  @ApiProperty() disputed: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) recordedBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/** A payer's share as the invoice shows it; whether it can be paid online now is answered by `GET /invoices/{id}/shares` (it needs the studio's Stripe account). */
export class InvoiceShareDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: 20 }) position: number;
  @ApiProperty({ maxLength: 200 }) payerName: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 320 }) payerEmail: string | null;
  @ApiProperty(money()) amountMinor: number;
  @ApiProperty(money()) paidMinor: number;
  @ApiProperty() paid: boolean;
}

export class InvoiceSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: INVOICE_KINDS }) kind: InvoiceKind;
  @ApiProperty({ enum: INVOICE_STATUSES }) status: InvoiceStatus;
  @ApiProperty({ type: String, nullable: true, maxLength: 60, description: 'Assigned at finalization; null for a draft' }) number: string | null;
  @ApiProperty({ type: InvoiceClientRefDto }) client: InvoiceClientRefDto;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) projectId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The quote it bills (accepting a quote raises its invoice or deposit invoice)' }) quoteId: string | null;
  @ApiProperty({ minLength: 3, maxLength: 3 }) currency: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, maxLength: 10 }) issueDate: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, maxLength: 10 }) dueDate: string | null;
  @ApiProperty(money()) totalMinor: number;
  @ApiProperty(money()) balanceMinor: number;
  @ApiProperty({ description: "Issued, a balance open and the due date before today (studio's time zone)" }) overdue: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class InvoiceDto extends InvoiceSummaryDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) bookingId: string | null;
  @ApiProperty({ type: InvoiceRefDto, nullable: true }) creditedInvoice: InvoiceRefDto | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 100 }) poNumber: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 5000 }) notes: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 5000 }) terms: string | null;
  @ApiProperty({ type: BillToDto }) billTo: BillToDto;
  @ApiProperty({ type: [InvoiceLineDto], maxItems: 200 }) lines: InvoiceLineDto[];
  @ApiProperty({ type: [TaxBreakdownDto], maxItems: 200 }) byRate: TaxBreakdownDto[];
  @ApiProperty(money()) subtotalMinor: number;
  @ApiProperty(money()) taxMinor: number;
  @ApiProperty({ type: [DeductedDepositDto], maxItems: 500 }) deposits: DeductedDepositDto[];
  @ApiProperty(money()) depositsMinor: number;
  @ApiProperty(money()) creditedMinor: number;
  @ApiProperty(money()) paidMinor: number;
  @ApiProperty(money('total − deposits − credited')) amountDueMinor: number;
  @ApiProperty({ type: [CreditNoteRefDto], maxItems: 1000 }) creditNotes: CreditNoteRefDto[];
  @ApiProperty({ type: [InvoicePaymentDto], maxItems: 1000 }) payments: InvoicePaymentDto[];
  @ApiProperty({ type: [InvoiceShareDto], maxItems: 20 }) shares: InvoiceShareDto[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finalizedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) paidAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) voidedAt: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 500 }) voidReason: string | null;
}

export class InvoiceListDto {
  @ApiProperty({ type: [InvoiceSummaryDto], maxItems: MAX_PAGE_SIZE }) items: InvoiceSummaryDto[];
  @ApiProperty({ type: String, nullable: true, maxLength: MAX_CURSOR_LENGTH, pattern: CURSOR_PATTERN }) nextCursor: string | null;
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 }) total: number;
}

export class PreviewLineDto {
  @ApiProperty(money()) netMinor: number;
  @ApiProperty(money()) taxMinor: number;
  @ApiProperty(money()) grossMinor: number;
}

export class InvoicePreviewDto {
  @ApiProperty({ type: [PreviewLineDto], maxItems: 200 }) lines: PreviewLineDto[];
  @ApiProperty({ type: [TaxBreakdownDto], maxItems: 200 }) byRate: TaxBreakdownDto[];
  @ApiProperty(money()) subtotalMinor: number;
  @ApiProperty(money()) taxMinor: number;
  @ApiProperty(money()) totalMinor: number;
  @ApiProperty(money()) depositsMinor: number;
  @ApiProperty({ type: 'integer', format: 'int64', minimum: -MAX_MINOR, maximum: MAX_MINOR }) amountDueMinor: number;
}

export class ClientBalanceItemDto {
  @ApiProperty({ minLength: 3, maxLength: 3 }) currency: string;
  @ApiProperty(money()) outstandingMinor: number;
  @ApiProperty(money()) overdueMinor: number;
  @ApiProperty({ type: String, format: 'date', nullable: true, maxLength: 10 }) oldestOverdueDueDate: string | null;
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 }) overdueInvoiceCount: number;
}

export class ClientBalanceDto {
  @ApiProperty({ type: [ClientBalanceItemDto], maxItems: 200 }) items: ClientBalanceItemDto[];
}
