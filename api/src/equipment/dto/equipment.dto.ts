import { ApiProperty } from '@nestjs/swagger';
import { PagedListDto } from '../../common/pagination.js';
import { EQUIPMENT_RATE_UNITS, EQUIPMENT_STATUSES, type EquipmentRateUnit, type EquipmentStatus } from '../equipment.entity.js';

export class EquipmentDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ maxLength: 200, example: 'Neumann U 87 Ai' })
  name: string;

  @ApiProperty({ maxLength: 80, example: 'Microphone' })
  category: string;

  @ApiProperty({ type: String, nullable: true, maxLength: 120 })
  serialNumber: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The room it lives in; null = portable' })
  homeRoomId: string | null;

  @ApiProperty({ enum: EQUIPMENT_STATUSES, enumName: 'EquipmentStatus' })
  status: EquipmentStatus;

  @ApiProperty({ type: 'integer', format: 'int32', nullable: true, minimum: 0, maximum: 2147483647, description: 'Rental price per `rateUnit` in minor units of `currency`; null = included' })
  rateMinor: number | null;

  @ApiProperty({ enum: EQUIPMENT_RATE_UNITS, enumName: 'EquipmentRateUnit' })
  rateUnit: EquipmentRateUnit;

  @ApiProperty({ type: String, nullable: true, minLength: 3, maxLength: 3, example: 'EUR', description: 'Set whenever rateMinor is' })
  currency: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 5000 })
  notes: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class EquipmentListDto extends PagedListDto(EquipmentDto) {}
