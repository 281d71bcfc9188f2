import { dictionary } from '@zxcvbn-ts/language-common';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength, ValidateBy, validateSync } from 'class-validator';

/**
 * Issue 7, accounts-mail: the one password policy of sign-up, reset and change (OWASP ASVS 5.0
 * V6.2: at least 12 characters, any characters, no composition rules, refused when it is a known
 * common password). The list is zxcvbn-ts's common-password dictionary (~49,000 leaked passwords),
 * compared case-insensitively; only its entries of 12+ characters can matter, so only those are kept.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

let common: Set<string> | undefined;
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common'].filter((p) => p.length >= PASSWORD_MIN_LENGTH).map((p) => p.toLowerCase()));
  return common.has(password.toLowerCase());
}

const NotCommonPassword = () =>
  ValidateBy({
    name: 'notCommonPassword',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !isCommonPassword(value),
      defaultMessage: (args) => `${args?.property ?? 'password'} is on a list of common passwords; choose another one`,
    },
  });

/** The DTO decorators of a new password: type, length, the common-password list, and its OpenAPI schema. */
export const NewPassword = (description = `At least ${PASSWORD_MIN_LENGTH} characters and not a common password`) =>
  applyDecorators(
    ApiProperty({ example: 'correct horse battery', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, description }),
    IsString(),
    MinLength(PASSWORD_MIN_LENGTH),
    MaxLength(PASSWORD_MAX_LENGTH),
    NotCommonPassword(),
  );

/** A lone new password under the policy above, for the one place it cannot be a DTO rule (see below). */
class NewPasswordCandidate {
  @NewPassword()
  password: string;
}

/**
 * What is wrong with `password` as a new password, by the same decorators as every DTO (empty when
 * it passes). For a field whose rule depends on data, e.g. an invitation's `password`, which is a new
 * password only when the invited email has no account yet (else it is the current one, checked as is).
 */
export function newPasswordErrors(password: string): string[] {
  const candidate = Object.assign(new NewPasswordCandidate(), { password });
  return validateSync(candidate).flatMap((error) => Object.values(error.constraints ?? {}));
}
