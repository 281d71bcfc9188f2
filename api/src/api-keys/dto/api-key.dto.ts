import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PagedListDto, PageQueryDto } from '../../common/pagination.js';
import { ROLES, type Role } from '../../control/membership.entity.js';
import { trim } from '../../common/input-transforms.js';

export class CreateApiKeyDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Booking website' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role', description: 'At most your own role' })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the key stops working (in the future); none: until revoked' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  expiresAt?: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ maxLength: 100 })
  name: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role', description: "Its role; it never acts above its creator's current role" })
  role: Role;

  @ApiProperty({ minLength: 12, maxLength: 12, pattern: '^[0-9a-f]{12}$', description: 'Identifies the key (`rsm_live_<prefix>_…`); not secret' })
  prefix: string;

  @ApiProperty({ format: 'uuid', description: 'The member who created it; the key works while they are a member' })
  createdBy: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Updated at most once a minute' })
  lastUsedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ minLength: 65, maxLength: 65, pattern: '^rsm_live_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$', description: 'The secret key, shown this once: send it as `Authorization: Bearer <key>`' })
  key: string;
}

export class ApiKeyListDto extends PagedListDto(ApiKeyDto) {}

export class ListApiKeysQueryDto extends PageQueryDto {}
