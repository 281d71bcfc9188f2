import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { MAX_MINOR } from '../../money/money.js';
import { INVOICE_KINDS, INVOICE_STATUSES, type InvoiceKind, type InvoiceStatus } from '../invoice.entity.js';
import { blankToNull, commaList, trim } from '../../common/input-transforms.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The quantity rule of money.ts (0..999999999, at most 3 decimals), checked at the edge for a 400 naming the field. */
const QUANTITY = /^\d{1,9}(\.\d{1,3})?$/;
const PERCENT = /^\d{1,3}(\.\d{1,4})?$/;

export const MANUAL_LINE_KINDS = ['manual', 'room', 'engineer', 'equipment'] as const;
export type ManualLineKind = (typeof MANUAL_LINE_KINDS)[number];
export const MAX_LINES = 200;

export class LineInputDto {
  @ApiProperty({ minLength: 1, maxLength: 2000, example: 'Mixing, 3 songs' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  description: string;

  @ApiProperty({ maxLength: 13, pattern: QUANTITY.source, example: '2.5', description: 'Decimal text, 0 to 999999999, at most 3 decimals' })
  @IsString()
  @MaxLength(13)
  @Matches(QUANTITY, { message: 'quantity must be a non-negative decimal with at most 3 decimals' })
  quantity: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 20, example: 'hour' })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(20)
  unit?: string | null;

  @ApiProperty({ type: 'integer', format: 'int64', minimum: 0, maximum: MAX_MINOR })
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  unitPriceMinor: number;

  @ApiPropertyOptional({ type: 'integer', format: 'int64', minimum: 0, maximum: MAX_MINOR, description: 'At most quantity × unitPriceMinor' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  discountMinor?: number;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: "Omitted: the studio's default rate, if any; null: no tax" })
  @IsOptional()
  @IsUUID()
  taxRateId?: string | null;

  @ApiPropertyOptional({ enum: MANUAL_LINE_KINDS, default: 'manual' })
  @IsOptional()
  @IsIn(MANUAL_LINE_KINDS)
  kind?: ManualLineKind;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  bookingId?: string | null;
}

class LinesAndDeposits {
  @ApiPropertyOptional({ type: [LineInputDto], maxItems: MAX_LINES })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => LineInputDto)
  lines?: LineInputDto[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 50, description: 'Issued deposit invoices of the same client and currency to deduct' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  depositInvoiceIds?: string[];
}

export class CreateInvoiceDto extends LinesAndDeposits {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  clientId: string;

  @ApiPropertyOptional({ enum: ['invoice', 'deposit'], default: 'invoice' })
  @IsOptional()
  @IsIn(['invoice', 'deposit'])
  kind?: 'invoice' | 'deposit';

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  projectId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A deposit invoice: the booking it secures' })
  @IsOptional()
  @IsUUID()
  bookingId?: string | null;

  @ApiPropertyOptional({ minLength: 3, maxLength: 3, pattern: '^[A-Z]{3}$', description: "ISO 4217; default: the studio's currency" })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code (3 upper-case letters)' })
  currency?: string;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, maxLength: 10 })
  @IsOptional()
  @Matches(DATE, { message: 'dueDate must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'dueDate must be a real calendar date' })
  dueDate?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(100)
  poNumber?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5000 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5000 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  terms?: string | null;
}

/** Any field of the create body; `lines` and `depositInvoiceIds` replace what the draft had. */
export class UpdateInvoiceDto extends CreateInvoiceDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @ValidateIf((o: UpdateInvoiceDto) => o.clientId !== undefined)
  @IsUUID()
  declare clientId: string;
}

export class PreviewInvoiceDto extends LinesAndDeposits {
  @ApiProperty({ minLength: 3, maxLength: 3, pattern: '^[A-Z]{3}$' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code (3 upper-case letters)' })
  currency: string;
}

export class FromBookingsDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  bookingIds: string[];

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: "Omitted: the studio's default rate; null: no tax" })
  @IsOptional()
  @IsUUID()
  taxRateId?: string | null;
}

export class CreateDepositDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  clientId: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  bookingId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  projectId?: string | null;

  @ApiPropertyOptional({ type: 'integer', format: 'int64', minimum: 1, maximum: MAX_MINOR, description: 'A fixed amount (exclusive of tax unless the rate is inclusive); or give percent' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_MINOR)
  amountMinor?: number;

  @ApiPropertyOptional({ maxLength: 8, pattern: PERCENT.source, example: '30', description: "Percent of the booking's billable total (needs bookingId)" })
  @IsOptional()
  @IsString()
  @MaxLength(8)
  @Matches(PERCENT, { message: 'percent must be a decimal with at most 4 decimals' })
  percent?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  taxRateId?: string | null;

  @ApiPropertyOptional({ minLength: 3, maxLength: 3, pattern: '^[A-Z]{3}$' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code (3 upper-case letters)' })
  currency?: string;
}

export class FinalizeInvoiceDto {
  @ApiPropertyOptional({ type: String, format: 'date', maxLength: 10, description: "Default: today in the studio's time zone" })
  @IsOptional()
  @Matches(DATE, { message: 'issueDate must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'issueDate must be a real calendar date' })
  issueDate?: string;
}

export class VoidInvoiceDto {
  @ApiProperty({ minLength: 1, maxLength: 500 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class CreateCreditNoteDto {
  @ApiPropertyOptional({ type: Boolean, description: 'Copy every line of the invoice' })
  @IsOptional()
  @IsBoolean()
  full?: boolean;

  @ApiPropertyOptional({ type: [LineInputDto], maxItems: MAX_LINES })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => LineInputDto)
  lines?: LineInputDto[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5000, description: 'Why the invoice is credited (stored as the notes)' })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  reason?: string | null;
}

export class ListInvoicesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: [String], enum: INVOICE_STATUSES, maxItems: 5, description: 'Repeat or separate with commas' })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @ArrayMaxSize(5)
  @IsIn(INVOICE_STATUSES, { each: true })
  status?: InvoiceStatus[];

  @ApiPropertyOptional({ enum: INVOICE_KINDS })
  @IsOptional()
  @IsIn(INVOICE_KINDS)
  kind?: InvoiceKind;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  clientId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  projectId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({ maxLength: 200, description: 'Matches the number or the client name (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ type: String, format: 'date', maxLength: 10 })
  @IsOptional()
  @Matches(DATE, { message: 'issuedFrom must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'issuedFrom must be a real calendar date' })
  issuedFrom?: string;

  @ApiPropertyOptional({ type: String, format: 'date', maxLength: 10 })
  @IsOptional()
  @Matches(DATE, { message: 'issuedTo must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'issuedTo must be a real calendar date' })
  issuedTo?: string;
}
