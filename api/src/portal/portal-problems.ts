import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem.js';

export const portalAccountNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No such portal account for this client.');

export const portalEmailTaken = () =>
  new ProblemException(HttpStatus.CONFLICT, 'portal-email-taken', 'This email already has a portal account for another client of the studio.');

export const portalLinkInvalid = () =>
  new ProblemException(HttpStatus.GONE, 'portal-link-invalid', 'This link has expired or was already used. Ask for a new one.');
