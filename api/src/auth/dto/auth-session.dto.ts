import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../control/membership.entity.js';

export class OrganizationDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Blue Room Studios' })
  name: string;

  @ApiProperty({ example: 'blue-room-studios' })
  slug: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name: string;

  @ApiProperty({ example: 'ada@blueroom.test' })
  email: string;
}

/** Returned by register and login. The session itself travels in the HttpOnly cookie. */
export class AuthSessionDto {
  @ApiProperty({ type: OrganizationDto })
  organization: OrganizationDto;

  @ApiProperty({ type: UserDto })
  user: UserDto;
}

export class MeDto extends AuthSessionDto {
  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  role: Role;
}
