import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '../../control/membership.entity.js';
import { SubscriptionStandingDto } from '../../subscription/dto/subscription.dto.js';

export class OrganizationDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ maxLength: 200, example: 'Blue Room Studios' })
  name: string;

  @ApiProperty({ maxLength: 80, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', example: 'blue-room-studios' })
  slug: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ maxLength: 200, example: 'Ada Lovelace' })
  name: string;

  @ApiProperty({ format: 'email', maxLength: 320, example: 'ada@blueroom.test' })
  email: string;
}

/** Returned by register and login. The session itself travels in the HttpOnly cookie. */
export class AuthSessionDto {
  @ApiProperty({ type: OrganizationDto })
  organization: OrganizationDto;

  @ApiProperty({ type: UserDto })
  user: UserDto;
}

export class VerificationStatusDto {
  @ApiProperty({ description: "Whether the signed-in user's email address is verified" })
  emailVerified: boolean;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: "Until when the studio may be used while its owner's email is unverified; null once verified",
  })
  studioUnverifiedUntil: string | null;

  @ApiProperty({ description: 'The studio is suspended until its owner verifies their email: only me, logout and the verification routes work' })
  studioSuspended: boolean;
}

export class MeDto extends AuthSessionDto {
  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  role: Role;

  @ApiProperty({ type: VerificationStatusDto })
  verification: VerificationStatusDto;

  @ApiProperty({ type: SubscriptionStandingDto, description: "Issue 11: the studio's own subscription, for the read-only banner" })
  subscription: SubscriptionStandingDto;
}

/** GET /auth/session: whether the browser is signed in, answered without a 401 (issue 6). */
export class SessionStateDto {
  @ApiProperty({ description: 'Whether the request carried a live session' })
  authenticated: boolean;

  @ApiPropertyOptional({ type: MeDto, description: 'Present when authenticated: the same object GET /api/v1/auth/me returns' })
  me?: MeDto;
}
