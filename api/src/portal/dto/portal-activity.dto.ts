import { ApiProperty } from '@nestjs/swagger';
import { PagedListDto, PageQueryDto } from '../../common/pagination.js';
import { MAX_MINOR } from '../../money/money.js';

export class PortalActivityAccountDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 320, description: 'The address at the time' }) email: string | null;
}

/**
 * Issue 12: one thing a client did through the portal. `kind` is the audit action of the write
 * (`portal_account.signed_in`, `quote.accepted`, `quote.declined`, `stripe.checkout_created`, …) or
 * `payment.received` for money received online on the client's invoices.
 */
export class PortalActivityDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ maxLength: 60, example: 'quote.accepted' }) kind: string;
  @ApiProperty({ type: PortalActivityAccountDto, nullable: true, description: 'The portal account acting; null for a payment (Stripe reports it)' }) account: PortalActivityAccountDto | null;
  @ApiProperty({ maxLength: 40, example: 'quote' }) targetType: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 100 }) targetId: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 60, description: 'The quote or invoice number, when there is one' }) number: string | null;
  @ApiProperty({ type: 'integer', format: 'int64', minimum: 0, maximum: MAX_MINOR, nullable: true }) amountMinor: number | null;
  @ApiProperty({ type: String, nullable: true, minLength: 3, maxLength: 3 }) currency: string | null;
}

export class PortalActivityListDto extends PagedListDto(PortalActivityDto) {}

export class PortalActivityQueryDto extends PageQueryDto {}
