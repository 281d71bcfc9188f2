import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { NewPassword } from '../../auth/password-policy.js';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const tokenProperty = (what: string) => ({ description: `The token from ${what}`, minLength: 43, maxLength: 43, pattern: '^[A-Za-z0-9_-]{43}$' });

/** A studio's portal slug in a URL: what slugify() makes (lower-case words joined by dashes). */
export const STUDIO_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export class PortalLoginDto {
  @ApiProperty({ format: 'email', example: 'ana@band.test', maxLength: 320 })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'correct horse battery', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class PortalMagicLinkRequestDto {
  @ApiProperty({ format: 'email', example: 'ana@band.test', maxLength: 320 })
  @IsEmail()
  @MaxLength(320)
  email: string;
}

export class PortalTokenDto {
  @ApiProperty(tokenProperty('the emailed sign-in link'))
  @IsString()
  @Matches(TOKEN, { message: 'token must be the token from a sign-in link' })
  token: string;
}

export class PortalAcceptInviteDto {
  @ApiProperty(tokenProperty('the invitation link'))
  @IsString()
  @Matches(TOKEN, { message: 'token must be the token from an invitation link' })
  token: string;

  @NewPassword()
  password: string;
}

export class PortalAcceptedDto {
  @ApiProperty({ description: 'The request was taken; an email follows if the address has a portal account here' })
  accepted: boolean;
}

export class PortalStudioDto {
  @ApiProperty({ maxLength: 200 })
  name: string;

  @ApiProperty({ maxLength: 100 })
  slug: string;
}

export class PortalClientRefDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ maxLength: 200 })
  name: string;
}

export class PortalAccountRefDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'email', maxLength: 320 })
  email: string;

  @ApiProperty({ type: String, nullable: true, maxLength: 200 })
  name: string | null;
}

export class PortalMeDto {
  @ApiProperty({ type: PortalStudioDto })
  studio: PortalStudioDto;

  @ApiProperty({ type: PortalClientRefDto })
  client: PortalClientRefDto;

  @ApiProperty({ type: PortalAccountRefDto })
  account: PortalAccountRefDto;
}
