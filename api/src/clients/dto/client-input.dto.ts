import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { CLIENT_SORTS, type ClientSort, DEFAULT_CLIENT_SORT } from '../clients-list.query.js';
import { blankToNull, trim } from '../../common/input-transforms.js';

export class CreateClientDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'The Midnight Owls' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ type: String, format: 'email', nullable: true, maxLength: 320, example: 'band@owls.test' })
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
  company?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5000 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string | null;

  // Issue 11, invoices: printed as the bill-to block of the client's invoices.
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000, description: 'Printed as the bill-to address on invoices' })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  billingAddress?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 50, description: 'VAT or other tax id, printed on invoices' })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(50)
  taxId?: string | null;
}

/** Every field optional; `null` clears an optional field; `name` may change but not be cleared. */
export class UpdateClientDto extends CreateClientDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @Transform(trim)
  @ValidateIf((o: UpdateClientDto) => o.name !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  declare name: string;
}

export class ListClientsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ maxLength: 200, description: 'Matches name, email, phone or company (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    enum: CLIENT_SORTS,
    enumName: 'ClientSort',
    default: DEFAULT_CLIENT_SORT,
    description: 'name: case-insensitive, then id; createdAt: oldest first, then id; a leading "-" reverses both. A cursor only continues the sort it came from.',
  })
  @IsOptional()
  @IsIn(CLIENT_SORTS)
  sort?: ClientSort;
}
