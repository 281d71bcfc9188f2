import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { NewPassword, PASSWORD_MAX_LENGTH } from '../password-policy.js';

// Issue 7, accounts-mail: password reset and change.

export class PasswordResetRequestDto {
  @ApiProperty({ format: 'email', example: 'ada@blueroom.test', maxLength: 320 })
  @IsEmail()
  @MaxLength(320)
  email: string;
}

/** The one answer to every reset request, whether or not the address has an account. */
export class PasswordResetAcceptedDto {
  @ApiProperty({ example: 'If an account uses this address, a link to reset its password is on its way.', maxLength: 200 })
  detail: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty({ description: 'The token from the reset link', minLength: 43, maxLength: 43, pattern: '^[A-Za-z0-9_-]{43}$' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token must be the token from a password reset link' })
  token: string;

  @NewPassword()
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty({ example: 'my old passphrase', minLength: 1, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword: string;

  @NewPassword()
  newPassword: string;
}
