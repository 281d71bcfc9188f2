import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { blankToNull, trim } from '../../common/input-transforms.js';

export class CreatePortalInviteDto {
  @ApiProperty({ format: 'email', maxLength: 320, example: 'ana@band.test', description: 'The contact to invite; one portal account per address in the studio' })
  @Transform(trim)
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 200, example: 'Ana' })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string | null;
}

export class PortalAccountDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  clientId: string;

  @ApiProperty({ format: 'email', maxLength: 320 })
  email: string;

  @ApiProperty({ type: String, nullable: true, maxLength: 200 })
  name: string | null;

  @ApiProperty({ enum: ['invited', 'active', 'disabled'], description: 'invited: no password set yet (a magic link still works); disabled: refused everywhere' })
  status: 'invited' | 'active' | 'disabled';

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastLoginAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  disabledAt: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class PortalAccountListDto {
  @ApiProperty({ type: [PortalAccountDto], maxItems: 1000 })
  items: PortalAccountDto[];
}
