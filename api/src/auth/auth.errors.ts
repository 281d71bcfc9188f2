import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem.js';

export const unauthenticated = () =>
  new ProblemException(HttpStatus.UNAUTHORIZED, 'unauthenticated', 'Sign in to continue: no valid session.');

/** The same answer whether or not the email exists. */
export const invalidCredentials = () =>
  new ProblemException(HttpStatus.UNAUTHORIZED, 'invalid-credentials', 'The email or password is incorrect.');

export const emailTaken = () =>
  new ProblemException(HttpStatus.CONFLICT, 'email-taken', 'An account with this email already exists.');
