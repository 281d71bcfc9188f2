import { ApiProperty } from '@nestjs/swagger';
import { CURSOR_PATTERN, MAX_CURSOR_LENGTH, MAX_PAGE_SIZE } from '../../common/pagination.js';
import { BillToDto, InvoiceClientRefDto, InvoiceLineDto, TaxBreakdownDto } from '../../invoices/dto/invoice.dto.js';
import { INVOICE_KINDS, INVOICE_STATUSES, type InvoiceKind, type InvoiceStatus } from '../../invoices/invoice.entity.js';
import { MAX_MINOR } from '../../money/money.js';
import { LISTED_QUOTE_STATUSES, type ListedQuoteStatus } from './quote-input.dto.js';

const money = (description?: string) => ({ type: 'integer', format: 'int64', minimum: 0, maximum: MAX_MINOR, ...(description ? { description } : {}) }) as const;

export class QuoteDepositDto {
  @ApiProperty({ type: String, nullable: true, maxLength: 8, example: '30' }) percent: string | null;
  @ApiProperty({ ...money('Fixed amount asked, tax included'), nullable: true }) amountMinor: number | null;
  @ApiProperty(money('What the deposit invoice is for: percent of the total, or the fixed amount')) depositMinor: number;
}

export class QuoteInvoiceRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: INVOICE_KINDS }) kind: InvoiceKind;
  @ApiProperty({ enum: INVOICE_STATUSES }) status: InvoiceStatus;
  @ApiProperty({ type: String, nullable: true, maxLength: 60 }) number: string | null;
  @ApiProperty(money()) totalMinor: number;
}

export class QuoteSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: LISTED_QUOTE_STATUSES, description: '`expired`: sent, and validUntil is before today (studio time zone)' }) status: ListedQuoteStatus;
  @ApiProperty({ type: String, nullable: true, maxLength: 60, description: 'Assigned when sent; null for a draft' }) number: string | null;
  @ApiProperty({ type: InvoiceClientRefDto }) client: InvoiceClientRefDto;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) projectId: string | null;
  @ApiProperty({ minLength: 3, maxLength: 3 }) currency: string;
  @ApiProperty({ type: String, format: 'date', maxLength: 10, nullable: true }) issueDate: string | null;
  @ApiProperty({ type: String, format: 'date', maxLength: 10, nullable: true }) validUntil: string | null;
  @ApiProperty(money()) totalMinor: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'What accepting created (the deposit invoice when a deposit was asked)' }) invoiceId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class QuoteDto extends QuoteSummaryDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) bookingId: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 5000 }) notes: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 5000 }) terms: string | null;
  @ApiProperty({ type: BillToDto }) billTo: BillToDto;
  @ApiProperty({ type: [InvoiceLineDto], maxItems: 200 }) lines: InvoiceLineDto[];
  @ApiProperty({ type: [TaxBreakdownDto], maxItems: 200 }) byRate: TaxBreakdownDto[];
  @ApiProperty(money()) subtotalMinor: number;
  @ApiProperty(money()) taxMinor: number;
  @ApiProperty({ type: QuoteDepositDto, nullable: true }) deposit: QuoteDepositDto | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the quote was mailed; null on a draft, or on a numbered quote whose mail was refused (send it again)' })
  sentAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) acceptedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) declinedAt: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 500 }) declineReason: string | null;
  @ApiProperty({ type: [QuoteInvoiceRefDto], maxItems: 1000, description: 'Invoices made from this quote (deposit and final), oldest first' }) invoices: QuoteInvoiceRefDto[];
}

export class QuoteListDto {
  @ApiProperty({ type: [QuoteSummaryDto], maxItems: MAX_PAGE_SIZE }) items: QuoteSummaryDto[];
  @ApiProperty({ type: String, nullable: true, maxLength: MAX_CURSOR_LENGTH, pattern: CURSOR_PATTERN }) nextCursor: string | null;
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 }) total: number;
}
