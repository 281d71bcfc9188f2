import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { MAX_MINOR } from '../../money/money.js';
import { PAYMENT_METHODS, type PaymentMethod } from '../payment.entity.js';
import { blankToNull, trim } from '../../common/input-transforms.js';

/** Recorded by hand: every method but `stripe` (Stripe payments come from its webhooks only). */
export const MANUAL_METHODS = PAYMENT_METHODS.filter((m) => m !== 'stripe');
export const MAX_SHARES = 20;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class RecordPaymentDto {
  @ApiProperty({ type: 'integer', format: 'int64', minimum: 1, maximum: MAX_MINOR, example: 50000, description: "Minor units of the invoice's currency; at most the balance (or the share's open amount)" })
  @IsInt()
  @Min(1)
  @Max(MAX_MINOR)
  amountMinor: number;

  @ApiProperty({ enum: MANUAL_METHODS, enumName: 'ManualPaymentMethod' })
  @IsIn(MANUAL_METHODS)
  method: Exclude<PaymentMethod, 'stripe'>;

  @ApiProperty({ format: 'date', maxLength: 10, example: '2026-03-12', description: "The day the money arrived; at most tomorrow in the studio's time zone" })
  @IsString()
  @MaxLength(10)
  @Matches(DATE, { message: 'receivedOn must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'receivedOn must be a real calendar date' })
  receivedOn: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200, description: 'Bank reference, cheque number, terminal slip…' })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reference?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5000 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, maxLength: 36, description: 'The share it pays (required when the invoice is split)' })
  @IsOptional()
  @IsUUID()
  shareId?: string | null;
}

export class ListPaymentsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'date', maxLength: 10, description: 'Received on or after this day' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'from must be a real calendar date' })
  from?: string;

  @ApiPropertyOptional({ format: 'date', maxLength: 10, description: 'Received on or before this day' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'to must be a real calendar date' })
  to?: string;

  @ApiPropertyOptional({ enum: PAYMENT_METHODS, enumName: 'PaymentMethod' })
  @IsOptional()
  @IsIn(PAYMENT_METHODS)
  method?: PaymentMethod;

  @ApiPropertyOptional({ format: 'uuid', maxLength: 36 })
  @IsOptional()
  @IsUUID()
  invoiceId?: string;
}

export class SharePayerDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Ana' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  payerName: string;

  @ApiPropertyOptional({ type: String, format: 'email', nullable: true, maxLength: 320 })
  @Transform(blankToNull)
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  payerEmail?: string | null;
}

export class CustomShareDto extends SharePayerDto {
  @ApiProperty({ type: 'integer', format: 'int64', minimum: 1, maximum: MAX_MINOR })
  @IsInt()
  @Min(1)
  @Max(MAX_MINOR)
  amountMinor: number;
}

export class EqualSplitDto {
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 2, maximum: MAX_SHARES })
  @IsInt()
  @Min(2)
  @Max(MAX_SHARES)
  count: number;

  @ApiPropertyOptional({ type: [SharePayerDto], maxItems: MAX_SHARES, description: 'One per share, in order (default names "Payer 1"…)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_SHARES)
  @ValidateNested({ each: true })
  @Type(() => SharePayerDto)
  payers?: SharePayerDto[];
}

/** Exactly one of `equal` or `shares`. */
export class SetSharesDto {
  @ApiPropertyOptional({ type: EqualSplitDto, description: 'Split the balance evenly (amounts differ by at most one minor unit, the first ones get the extra)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EqualSplitDto)
  equal?: EqualSplitDto;

  @ApiPropertyOptional({ type: [CustomShareDto], minItems: 2, maxItems: MAX_SHARES, description: 'Custom amounts: they must sum exactly to the balance' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(MAX_SHARES)
  @ValidateNested({ each: true })
  @Type(() => CustomShareDto)
  shares?: CustomShareDto[];
}
