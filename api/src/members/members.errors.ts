import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem.js';

export const memberNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No member with this id in your studio.');

export const lastOwner = () =>
  new ProblemException(HttpStatus.CONFLICT, 'last-owner', 'A studio must keep at least one owner: make someone else an owner first.');

/** Admins manage everything but ownership (DESIGN.md "Auth"). */
export const ownersOnly = () =>
  new ProblemException(HttpStatus.FORBIDDEN, 'owners-only', 'Only an owner may grant, change or remove the owner role.');

export const alreadyMember = () => new ProblemException(HttpStatus.CONFLICT, 'already-member', 'This person is already a member of the studio.');
