import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { IsCurrencyCode } from '../../studio/studio-validators.js';
import { EQUIPMENT_RATE_UNITS, EQUIPMENT_STATUSES, type EquipmentRateUnit, type EquipmentStatus } from '../equipment.entity.js';
import { blankToNull, IfPresent, trim } from '../../common/input-transforms.js';

export class CreateEquipmentDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Neumann U 87 Ai' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ minLength: 1, maxLength: 80, example: 'Microphone' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  category: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 120 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(120)
  serialNumber?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A room of this studio; null = portable' })
  @IsOptional()
  @IsUUID()
  homeRoomId?: string | null;

  @ApiPropertyOptional({ enum: EQUIPMENT_STATUSES, enumName: 'EquipmentStatus', default: 'available' })
  @IfPresent()
  @IsIn(EQUIPMENT_STATUSES)
  status?: EquipmentStatus;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', nullable: true, minimum: 0, maximum: 2147483647, description: 'Minor units per `rateUnit`; needs `currency`; null = included' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2147483647)
  rateMinor?: number | null;

  @ApiPropertyOptional({ enum: EQUIPMENT_RATE_UNITS, enumName: 'EquipmentRateUnit', default: 'session' })
  @IfPresent()
  @IsIn(EQUIPMENT_RATE_UNITS)
  rateUnit?: EquipmentRateUnit;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 3, example: 'EUR', description: 'ISO 4217; required with a rate' })
  @IsOptional()
  @IsString()
  @MaxLength(3)
  @IsCurrencyCode()
  currency?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5000 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string | null;
}

/** Only the fields sent change; null clears an optional field; name and category may change but not be cleared. */
export class UpdateEquipmentDto extends CreateEquipmentDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @Transform(trim)
  @IfPresent()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  declare name: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 80 })
  @Transform(trim)
  @IfPresent()
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  declare category: string;
}

export class ListEquipmentQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: EQUIPMENT_STATUSES, enumName: 'EquipmentStatus' })
  @IsOptional()
  @IsIn(EQUIPMENT_STATUSES)
  status?: EquipmentStatus;

  @ApiPropertyOptional({ maxLength: 80, description: 'Exact category, case-insensitive' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  category?: string;

  @ApiPropertyOptional({ format: 'uuid', maxLength: 36, description: 'Only equipment kept in this room' })
  @IsOptional()
  @IsUUID()
  roomId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only portable equipment (no home room); false: only equipment with one' })
  @IsOptional()
  @IsIn(['true', 'false'])
  portable?: 'true' | 'false';

  @ApiPropertyOptional({ maxLength: 200, description: 'Part of the name, category or serial number (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}
