import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem.js';

export const unauthenticated = () =>
  new ProblemException(HttpStatus.UNAUTHORIZED, 'unauthenticated', 'Sign in to continue: no valid session.');

/** The same answer whether or not the email exists. */
export const invalidCredentials = () =>
  new ProblemException(HttpStatus.UNAUTHORIZED, 'invalid-credentials', 'The email or password is incorrect.');

export const emailTaken = () =>
  new ProblemException(HttpStatus.CONFLICT, 'email-taken', 'An account with this email already exists.');

// Issue 5, sign-up protection: email verification and suspended studios.
export const verificationLinkInvalid = () =>
  new ProblemException(
    HttpStatus.GONE,
    'verification-link-invalid',
    'This verification link has expired or was already used. Sign in and ask for a new one.',
  );

/** The link came too late: the studio was already being removed as abandoned (UnverifiedStudios). */
export const studioRemoved = () =>
  new ProblemException(
    HttpStatus.GONE,
    'studio-removed',
    'This studio was removed because its email address was not verified in time. You can sign up again with the same email.',
  );

export const emailAlreadyVerified = () =>
  new ProblemException(HttpStatus.CONFLICT, 'email-already-verified', 'Your email address is already verified.');

export const studioSuspended = () =>
  new ProblemException(
    HttpStatus.FORBIDDEN,
    'studio-suspended',
    "This studio is suspended because its owner's email address is not verified. Open the link in the verification email, or ask for a new one.",
  );

/** Issue 11: a write while the studio's subscription has lapsed past its grace period (studio-standing.ts). */
export const subscriptionPastDue = () =>
  new ProblemException(
    HttpStatus.PAYMENT_REQUIRED,
    'subscription-past-due',
    "This studio is read-only because its subscription is past due. Everything is still here and readable; the owner can pay in Settings → Subscription to make changes again.",
  );

// Issue 7, roles and API keys (accounts-access).
export const invalidApiKey = () =>
  new ProblemException(HttpStatus.UNAUTHORIZED, 'invalid-api-key', 'The API key in the Authorization header is unknown, revoked or expired.');

export const roleTooLow = (needed: string) =>
  new ProblemException(HttpStatus.FORBIDDEN, 'forbidden-role', `Your role does not allow this: it needs ${needed} or above.`);

export const sessionRequired = () =>
  new ProblemException(HttpStatus.FORBIDDEN, 'session-required', 'API keys cannot do this: sign in as a member.');
