import { HttpStatus } from '@nestjs/common';
import { ProblemException, ValidationProblem } from '../common/problem.js';

export const inviteNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No pending invitation with this id in your studio.');

/** Unknown, expired, revoked, replaced or already used: one answer, the token says nothing more. */
export const inviteInvalid = () =>
  new ProblemException(HttpStatus.GONE, 'invite-invalid', 'This invitation link has expired, was revoked or replaced, or was already used. Ask for a new one.');

/** A new account is being made: the fields it needs. */
export const newAccountFieldsMissing = (missing: Array<'name' | 'password'>) =>
  new ValidationProblem(
    missing.map((field) => ({ field, messages: [`${field} is required to create your account`] })),
    'This email has no account yet: give a name and a password to create one.',
  );

/** A new account's password fails the password policy (password-policy.ts): its messages, on `password`. */
export const weakNewPassword = (messages: string[]) => new ValidationProblem([{ field: 'password', messages }]);

/** An account exists for the invited email: its password proves the person accepting owns it. */
export const existingAccountPasswordMissing = () =>
  new ValidationProblem(
    [{ field: 'password', messages: ['password of your existing account is required'] }],
    'This email already has an account: give its password to join the studio with it.',
  );

/** The invited email got an account between reading and writing (another accept, a sign-up). */
export const inviteRaced = () =>
  new ProblemException(HttpStatus.CONFLICT, 'email-taken', 'An account with this email was just created: accept again with its password.');
