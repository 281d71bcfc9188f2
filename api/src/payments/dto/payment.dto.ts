import { ApiProperty } from '@nestjs/swagger';
import { PagedListDto } from '../../common/pagination.js';
import { MAX_MINOR } from '../../money/money.js';
import { PAYMENT_METHODS, type PaymentMethod } from '../payment.entity.js';

const MINOR = { type: 'integer', format: 'int64', minimum: 0, maximum: MAX_MINOR } as const;

export class PaymentDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  invoiceId: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The split share it pays, if any' })
  shareId: string | null;

  @ApiProperty({ ...MINOR, minimum: 1, description: 'Minor units of `currency`' })
  amountMinor: number;

  @ApiProperty({ minLength: 3, maxLength: 3, example: 'EUR' })
  currency: string;

  @ApiProperty({ enum: PAYMENT_METHODS, enumName: 'PaymentMethod' })
  method: PaymentMethod;

  @ApiProperty({ format: 'date', maxLength: 10, example: '2026-03-12', description: 'The day the money arrived (studio calendar)' })
  receivedOn: string;

  @ApiProperty({ type: String, nullable: true, maxLength: 200 })
  reference: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 5000 })
  note: string | null;

  @ApiProperty({ ...MINOR })
  refundedMinor: number;

  @ApiProperty({ description: 'A dispute (chargeback) is open or was lost on it' })
  disputed: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The staff user who recorded it (null for online payments)' })
  recordedBy: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class PaymentListItemDto extends PaymentDto {
  @ApiProperty({ type: String, nullable: true, maxLength: 60, example: 'INV-2026-0042' })
  invoiceNumber: string | null;

  @ApiProperty({ maxLength: 200, example: 'The Midnight Owls' })
  clientName: string;
}

export class PaymentListDto extends PagedListDto(PaymentListItemDto) {}

export class ShareDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: 20 })
  position: number;

  @ApiProperty({ maxLength: 200, example: 'Ana' })
  payerName: string;

  @ApiProperty({ type: String, format: 'email', nullable: true, maxLength: 320 })
  payerEmail: string | null;

  @ApiProperty({ ...MINOR, minimum: 1 })
  amountMinor: number;

  @ApiProperty({ ...MINOR })
  paidMinor: number;

  @ApiProperty()
  paid: boolean;

  @ApiProperty({ description: "An online checkout link can be made for it (unpaid, and the studio's Stripe account takes charges)" })
  checkoutAvailable: boolean;
}

export class ShareListDto {
  @ApiProperty({ type: [ShareDto], maxItems: 20 })
  items: ShareDto[];
}
