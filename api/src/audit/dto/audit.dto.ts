import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { PagedListDto, PageQueryDto } from '../../common/pagination.js';
import { AUDIT_ACTIONS, AUDIT_ACTOR_TYPES, AUDIT_TARGET_TYPES, type AuditAction, type AuditActorType, type AuditTargetType } from '../audit-entry.entity.js';

export class AuditActorDto {
  @ApiProperty({ enum: AUDIT_ACTOR_TYPES, enumName: 'AuditActorType' })
  type: AuditActorType;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The user or API key id' })
  id: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 320, description: "The user's email or the key's name at the time" })
  label: string | null;
}

export class AuditTargetDto {
  @ApiProperty({ maxLength: 40, example: 'member' })
  type: string;

  @ApiProperty({ type: String, nullable: true, maxLength: 100 })
  id: string | null;
}

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt: string;

  @ApiProperty({ type: AuditActorDto })
  actor: AuditActorDto;

  @ApiProperty({ maxLength: 60, example: 'member.role_changed' })
  action: string;

  @ApiProperty({ type: AuditTargetDto })
  target: AuditTargetDto;

  @ApiProperty({ type: String, nullable: true, maxLength: 45, description: 'Client address of the request' })
  ip: string | null;

  @ApiProperty({ type: 'object', properties: {}, description: 'A few facts of the change, as a JSON object whose fields depend on the action (never a secret)' })
  details: Record<string, unknown>;
}

export class AuditListDto extends PagedListDto(AuditEntryDto) {}

export class ListAuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS, enumName: 'AuditAction', description: 'Exact action' })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;

  @ApiPropertyOptional({ format: 'uuid', description: 'The acting user or API key' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTOR_TYPES, enumName: 'AuditActorType' })
  @IsOptional()
  @IsIn(AUDIT_ACTOR_TYPES)
  actorType?: AuditActorType;

  @ApiPropertyOptional({ enum: AUDIT_TARGET_TYPES, enumName: 'AuditTargetType' })
  @IsOptional()
  @IsIn(AUDIT_TARGET_TYPES)
  targetType?: AuditTargetType;

  @ApiPropertyOptional({ format: 'uuid', description: 'The record the entry is about' })
  @IsOptional()
  @IsUUID()
  targetId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries at or after this time' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries before this time' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;
}
