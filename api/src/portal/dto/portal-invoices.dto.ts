import { ApiProperty, PickType } from '@nestjs/swagger';
import { MAX_MINOR } from '../../money/money.js';
import { BillToDto, InvoiceLineDto, InvoicePaymentDto, InvoiceShareDto, InvoiceSummaryDto } from '../../invoices/dto/invoice.dto.js';

const money = (description?: string) => ({ type: 'integer', format: 'int64', minimum: 0, maximum: MAX_MINOR, ...(description ? { description } : {}) }) as const;

/** Issue 12, portal: an invoice as its client sees it in the portal (no staff-only fields). */
export class PortalInvoiceSummaryDto extends PickType(InvoiceSummaryDto, ['id', 'kind', 'status', 'currency', 'issueDate', 'dueDate', 'totalMinor', 'balanceMinor', 'overdue'] as const) {
  @ApiProperty({ maxLength: 60 }) number: string;
}

export class PortalInvoiceLineDto extends PickType(InvoiceLineDto, ['position', 'description', 'quantity', 'unit', 'unitPriceMinor', 'taxRatePercent', 'netMinor', 'taxMinor', 'grossMinor'] as const) {}

export class PortalPaymentDto extends PickType(InvoicePaymentDto, ['amountMinor', 'currency', 'method', 'receivedOn'] as const) {}

/** Issue 12: one payer's part of a split invoice; other payers' addresses are not shown. */
export class PortalInvoiceShareDto extends PickType(InvoiceShareDto, ['id', 'position', 'payerName', 'amountMinor', 'paidMinor', 'paid'] as const) {
  @ApiProperty({ description: "The share's payer email is the signed-in account's: it can be paid from the portal (Pay my share)" }) mine: boolean;
}

export class PortalInvoiceDto extends PortalInvoiceSummaryDto {
  @ApiProperty({ type: BillToDto }) billTo: BillToDto;
  @ApiProperty({ type: [PortalInvoiceLineDto], maxItems: 200 }) lines: PortalInvoiceLineDto[];
  @ApiProperty(money()) subtotalMinor: number;
  @ApiProperty(money()) taxMinor: number;
  @ApiProperty(money('Deposit invoices deducted from this one')) depositsMinor: number;
  @ApiProperty(money('Credit notes against it')) creditedMinor: number;
  @ApiProperty(money()) paidMinor: number;
  @ApiProperty({ type: [PortalPaymentDto], maxItems: 1000 }) payments: PortalPaymentDto[];
  @ApiProperty({ type: [PortalInvoiceShareDto], maxItems: 20, description: 'The payers of a split invoice (empty when not split)' }) shares: PortalInvoiceShareDto[];
}

export class PortalBalanceDto {
  @ApiProperty({ minLength: 3, maxLength: 3 }) currency: string;
  @ApiProperty(money('Open on issued invoices, in minor units')) balanceMinor: number;
}

export class PortalInvoiceListDto {
  @ApiProperty({ type: [PortalInvoiceSummaryDto], maxItems: 500, description: 'Issued invoices, newest first (the 500 latest)' }) items: PortalInvoiceSummaryDto[];
  @ApiProperty({ type: [PortalBalanceDto], maxItems: 50, description: 'What is due, per currency (nothing due: empty)' }) balances: PortalBalanceDto[];
}
