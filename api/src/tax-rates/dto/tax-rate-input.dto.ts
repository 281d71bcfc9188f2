import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsPercent } from '../../money/money-validators.js';
import { IfPresent, trim } from '../../common/input-transforms.js';

export class CreateTaxRateDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'VAT 20 %' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ maxLength: 8, pattern: '^\\d{1,3}(\\.\\d{1,4})?$', example: '20', description: 'Percent between 0 and 100, at most 4 decimals, as a string ("5.5")' })
  @IsString()
  @MaxLength(8)
  @IsPercent()
  ratePercent: string;

  @ApiPropertyOptional({ default: false, description: 'true: prices include this tax' })
  @IsOptional()
  @IsBoolean()
  inclusive?: boolean;

  @ApiPropertyOptional({ default: false, description: 'true: becomes the default rate (the previous default stops being one)' })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;
}

/** Only the fields sent change. `archived: true` archives the rate (and it stops being the default). */
export class UpdateTaxRateDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @Transform(trim)
  @IfPresent()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ maxLength: 8, pattern: '^\\d{1,3}(\\.\\d{1,4})?$', example: '5.5' })
  @IfPresent()
  @IsString()
  @MaxLength(8)
  @IsPercent()
  ratePercent?: string;

  @ApiPropertyOptional()
  @IfPresent()
  @IsBoolean()
  inclusive?: boolean;

  @ApiPropertyOptional({ description: 'true: becomes the default (the previous default stops being one); false: no longer the default' })
  @IfPresent()
  @IsBoolean()
  isDefault?: boolean;

  @ApiPropertyOptional({ description: 'true: archived (offered no more, kept on past documents); false: offered again' })
  @IfPresent()
  @IsBoolean()
  archived?: boolean;
}

export class ListTaxRatesQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'true: archived rates too' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeArchived?: 'true' | 'false';
}
