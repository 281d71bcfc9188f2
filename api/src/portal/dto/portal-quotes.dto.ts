import { ApiProperty, PickType } from '@nestjs/swagger';
import { BillToDto, TaxBreakdownDto } from '../../invoices/dto/invoice.dto.js';
import { MAX_MINOR } from '../../money/money.js';
import { QuoteDepositDto, QuoteSummaryDto } from '../../quotes/dto/quote.dto.js';
import { PortalInvoiceLineDto } from './portal-invoices.dto.js';

const money = (description?: string) => ({ type: 'integer', format: 'int64', minimum: 0, maximum: MAX_MINOR, ...(description ? { description } : {}) }) as const;

/** Issue 12, portal: a sent quote as its client sees it (no staff-only fields; `number` is set once sent). */
export class PortalQuoteSummaryDto extends PickType(QuoteSummaryDto, ['id', 'status', 'currency', 'issueDate', 'validUntil', 'totalMinor'] as const) {
  @ApiProperty({ maxLength: 60 }) number: string;
}

export class PortalQuoteDto extends PortalQuoteSummaryDto {
  @ApiProperty({ type: BillToDto }) billTo: BillToDto;
  @ApiProperty({ type: [PortalInvoiceLineDto], maxItems: 200 }) lines: PortalInvoiceLineDto[];
  @ApiProperty({ type: [TaxBreakdownDto], maxItems: 200 }) byRate: TaxBreakdownDto[];
  @ApiProperty(money()) subtotalMinor: number;
  @ApiProperty(money()) taxMinor: number;
  @ApiProperty({ type: QuoteDepositDto, nullable: true, description: 'The deposit accepting asks for (a deposit invoice comes first)' }) deposit: QuoteDepositDto | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 5000 }) notes: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 5000 }) terms: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) acceptedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) declinedAt: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 500 }) declineReason: string | null;
}

export class PortalQuoteListDto {
  @ApiProperty({ type: [PortalQuoteSummaryDto], maxItems: 500, description: 'Sent quotes (and those accepted or declined), newest first (the 500 latest)' }) items: PortalQuoteSummaryDto[];
}
