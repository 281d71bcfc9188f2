import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PagedListDto, PageQueryDto } from '../../common/pagination.js';
import { ROLES, type Role } from '../../control/membership.entity.js';
import { trim } from '../../common/input-transforms.js';

export class CreateInviteDto {
  @ApiProperty({ format: 'email', maxLength: 320, example: 'engineer@blueroom.test' })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role', description: 'Only an owner may invite an owner' })
  @IsIn(ROLES)
  role: Role;
}

export class InviteDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'email', maxLength: 320 })
  email: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  role: Role;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The member who sent it (null once they are gone)' })
  invitedBy: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', description: 'The link stops working then; invite again for a new one' })
  expiresAt: string;
}

export class InviteListDto extends PagedListDto(InviteDto) {}

export class ListInvitesQueryDto extends PageQueryDto {}

export class AcceptInviteDto {
  @ApiProperty({ description: 'The token from the invitation link', minLength: 43, maxLength: 43, pattern: '^[A-Za-z0-9_-]{43}$' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token must be the token from an invitation link' })
  token: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Ada Lovelace', description: 'Required when the email has no account yet' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    description: 'A new account: its password (at least 12 characters and not a common password, as at sign-up). An existing account: its current password, which proves it is theirs',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password?: string;
}
