import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsISO8601, IsOptional, IsString, Matches, MaxLength, registerDecorator, type ValidationArguments } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `to` must not be before `from` (dates as YYYY-MM-DD compare as text). */
function NotBefore(other: string) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'notBefore',
      target: target.constructor,
      propertyName,
      constraints: [other],
      options: { message: `${propertyName} must not be before ${other}` },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const start = (args.object as Record<string, unknown>)[other];
          return typeof value !== 'string' || typeof start !== 'string' || value >= start;
        },
      },
    });
}

/** A period of days, both ends inclusive and optional (exports: issue date or day received; statements). */
export class DateRangeQueryDto {
  @ApiPropertyOptional({ type: String, format: 'date', maxLength: 10, example: '2026-01-01', description: 'First day (inclusive)' })
  @IsOptional()
  @IsString()
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'from must be a real calendar date' })
  from?: string;

  @ApiPropertyOptional({ type: String, format: 'date', maxLength: 10, example: '2026-12-31', description: 'Last day (inclusive); not before `from`' })
  @IsOptional()
  @IsString()
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'to must be a real calendar date' })
  @NotBefore('from')
  to?: string;
}

const MAX_RECIPIENTS = 20;

export class SendInvoiceDto {
  @ApiPropertyOptional({
    type: [String],
    format: 'email',
    maxItems: MAX_RECIPIENTS,
    minItems: 1,
    description: "Recipients; default: the invoice's bill-to email (400 when it has none)",
    items: { type: 'string', format: 'email', maxLength: 320 },
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_RECIPIENTS)
  @IsEmail({}, { each: true, message: 'each address in to must be an email' })
  @MaxLength(320, { each: true })
  to?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: MAX_RECIPIENTS, items: { type: 'string', format: 'email', maxLength: 320 } })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_RECIPIENTS)
  @IsEmail({}, { each: true, message: 'each address in cc must be an email' })
  @MaxLength(320, { each: true })
  cc?: string[];

  @ApiPropertyOptional({ maxLength: 5000, description: 'A personal note put at the top of the email' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  message?: string;
}

export class SendInvoiceResultDto {
  @ApiProperty({ format: 'date-time' })
  sentAt: string;

  @ApiProperty({ type: [String] })
  to: string[];
}
