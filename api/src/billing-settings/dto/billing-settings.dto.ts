import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBIC, IsEmail, IsIBAN, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { NUMBER_RESETS, type NumberReset } from '../billing-settings.entity.js';
import { blankToNull, IfPresent } from '../../common/input-transforms.js';

/** IBAN and BIC are written with spaces and in any case; stored compact and upper-case (the checksum is over that form). */
const compactUpper = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const compact = value.replace(/\s+/g, '').toUpperCase();
  return compact === '' ? null : compact;
};

export const MAX_FORMAT_LENGTH = 40;
export const MAX_LATE_NOTICES = 10;

export class NextNumbersDto {
  @ApiProperty({ maxLength: 80, example: 'INV-2026-0042' })
  invoice: string;

  @ApiProperty({ maxLength: 80, example: 'CN-2026-0003' })
  creditNote: string;

  @ApiProperty({ maxLength: 80, example: 'Q-2026-0007' })
  quote: string;
}

export class BillingSettingsDto {
  @ApiProperty({ type: String, nullable: true, maxLength: 200 })
  legalName: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 2000 })
  address: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 50, description: 'VAT number (or other sales-tax id)' })
  taxId: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 50, description: 'Company registration (SIRET, HRB…)' })
  companyId: string | null;

  @ApiProperty({ type: String, format: 'email', nullable: true, maxLength: 320 })
  email: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 50 })
  phone: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 200 })
  bankName: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 34, example: 'FR1420041010050500013M02606', description: 'Compact, upper-case' })
  iban: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 11, example: 'PSSTFRPPPAR' })
  bic: string | null;

  @ApiProperty({ description: 'A logo is stored (GET /billing-settings/logo)' })
  hasLogo: boolean;

  @ApiProperty({ maxLength: MAX_FORMAT_LENGTH, example: 'INV-{YYYY}-{seq:4}' })
  invoiceNumberFormat: string;

  @ApiProperty({ maxLength: MAX_FORMAT_LENGTH, example: 'CN-{YYYY}-{seq:4}' })
  creditNoteNumberFormat: string;

  @ApiProperty({ maxLength: MAX_FORMAT_LENGTH, example: 'Q-{YYYY}-{seq:4}' })
  quoteNumberFormat: string;

  @ApiProperty({ enum: NUMBER_RESETS, enumName: 'NumberReset', description: 'yearly: each sequence restarts at 1 every calendar year' })
  numberReset: NumberReset;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 365 })
  paymentTermsDays: number;

  @ApiProperty({ type: String, nullable: true, maxLength: 5000 })
  defaultTerms: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 5000 })
  defaultNotes: string | null;

  @ApiProperty({ type: 'array', items: { type: 'integer', format: 'int32', minimum: 1, maximum: 365 }, maxItems: MAX_LATE_NOTICES, description: 'Days after the due date, ascending' })
  lateNoticeDays: number[];

  @ApiProperty({ type: NextNumbersDto, description: 'What the next finalization would get today (studio time zone); reading this consumes nothing' })
  nextNumbers: NextNumbersDto;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

/**
 * Only the fields sent change; null clears an optional field. Number formats hold {YYYY}, {YY}, {MM}
 * and {seq} or {seq:N}; they are checked against numberReset (the new one when both are sent).
 */
export class UpdateBillingSettingsDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  legalName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  address?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 50 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(50)
  taxId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 50 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(50)
  companyId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'email', nullable: true, maxLength: 320 })
  @Transform(blankToNull)
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 50 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(50)
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  bankName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 34, description: 'Spaces allowed; the ISO 13616 checksum (mod 97) is checked' })
  @Transform(compactUpper)
  @IsOptional()
  @IsString()
  @MaxLength(34)
  @IsIBAN({}, { message: 'iban must be a valid IBAN (country format and check digits)' })
  iban?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 11, description: 'SWIFT/BIC, 8 or 11 characters' })
  @Transform(compactUpper)
  @IsOptional()
  @IsString()
  @MaxLength(11)
  @IsBIC({ message: 'bic must be a valid BIC (8 or 11 characters)' })
  bic?: string | null;

  @ApiPropertyOptional({ maxLength: MAX_FORMAT_LENGTH, example: 'INV-{YYYY}-{seq:4}' })
  @IfPresent()
  @IsString()
  @MaxLength(MAX_FORMAT_LENGTH)
  invoiceNumberFormat?: string;

  @ApiPropertyOptional({ maxLength: MAX_FORMAT_LENGTH, example: 'CN-{YYYY}-{seq:4}' })
  @IfPresent()
  @IsString()
  @MaxLength(MAX_FORMAT_LENGTH)
  creditNoteNumberFormat?: string;

  @ApiPropertyOptional({ maxLength: MAX_FORMAT_LENGTH, example: 'Q-{YYYY}-{seq:4}' })
  @IfPresent()
  @IsString()
  @MaxLength(MAX_FORMAT_LENGTH)
  quoteNumberFormat?: string;

  @ApiPropertyOptional({ enum: NUMBER_RESETS, enumName: 'NumberReset' })
  @IfPresent()
  @IsIn(NUMBER_RESETS)
  numberReset?: NumberReset;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 0, maximum: 365 })
  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(365)
  paymentTermsDays?: number;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5000 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  defaultTerms?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5000 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  defaultNotes?: string | null;

  @ApiPropertyOptional({ type: 'array', items: { type: 'integer', format: 'int32', minimum: 1, maximum: 365 }, maxItems: MAX_LATE_NOTICES, description: 'Distinct days after the due date; [] sends no late notices' })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(MAX_LATE_NOTICES)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(365, { each: true })
  lateNoticeDays?: number[];
}

/** The multipart/form-data body of a logo upload (documentation only: the controller streams it). */
export class LogoUploadBodyDto {
  @ApiProperty({ type: 'string', format: 'binary', maxLength: 512 * 1024, description: 'A PNG or JPEG of at most 512 KB; the part must be named `file`' })
  file: unknown;
}
