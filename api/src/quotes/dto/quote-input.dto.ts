import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { LineInputDto, MAX_LINES } from '../../invoices/dto/invoice-input.dto.js';
import { MAX_MINOR } from '../../money/money.js';
import { blankToNull, commaList } from '../../common/input-transforms.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PERCENT = /^\d{1,3}(\.\d{1,4})?$/;
export const LISTED_QUOTE_STATUSES = ['draft', 'sent', 'accepted', 'declined', 'expired'] as const;
export type ListedQuoteStatus = (typeof LISTED_QUOTE_STATUSES)[number];

/** The deposit a quote asks: a percent of its total, or a fixed gross amount (exactly one). */
export class QuoteDepositInputDto {
  @ApiPropertyOptional({ maxLength: 8, pattern: PERCENT.source, example: '30', description: "Percent of the quote's total (more than 0, at most 100)" })
  @IsOptional()
  @IsString()
  @MaxLength(8)
  @Matches(PERCENT, { message: 'percent must be a decimal with at most 4 decimals' })
  percent?: string;

  @ApiPropertyOptional({ type: 'integer', format: 'int64', minimum: 1, maximum: MAX_MINOR, description: 'A fixed amount, tax included (at most the total)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_MINOR)
  amountMinor?: number;
}

export class CreateQuoteDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  clientId: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  projectId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  bookingId?: string | null;

  @ApiPropertyOptional({ minLength: 3, maxLength: 3, pattern: '^[A-Z]{3}$', description: "ISO 4217; default: the studio's currency" })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code (3 upper-case letters)' })
  currency?: string;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, maxLength: 10, description: 'Last day the offer holds (required to send)' })
  @IsOptional()
  @Matches(DATE, { message: 'validUntil must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'validUntil must be a real calendar date' })
  validUntil?: string | null;

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

  @ApiPropertyOptional({ type: [LineInputDto], maxItems: MAX_LINES })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => LineInputDto)
  lines?: LineInputDto[];

  @ApiPropertyOptional({ type: QuoteDepositInputDto, nullable: true, description: 'Give percent or amountMinor; null: no deposit' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => QuoteDepositInputDto)
  deposit?: QuoteDepositInputDto | null;
}

/** Any field of the create body; `lines` replaces the draft's lines. */
export class UpdateQuoteDto extends CreateQuoteDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @ValidateIf((o: UpdateQuoteDto) => o.clientId !== undefined)
  @IsUUID()
  declare clientId: string;
}

export class DeclineQuoteDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string | null;
}

export class ListQuotesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: [String], enum: LISTED_QUOTE_STATUSES, maxItems: 5, description: 'Repeat or separate with commas; `sent` excludes expired quotes' })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @ArrayMaxSize(5)
  @IsIn(LISTED_QUOTE_STATUSES, { each: true })
  status?: ListedQuoteStatus[];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  clientId?: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Matches the number or the client name (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}
