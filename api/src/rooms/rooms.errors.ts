import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem.js';

export const roomNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No room with this id in your studio.');

export const roomNameTaken = () =>
  new ProblemException(HttpStatus.CONFLICT, 'room-name-taken', 'Another room of the studio already has this name (names are compared without case).');

/** Bookings keep the rooms they were made in (a foreign key refuses the delete): deactivating keeps the history. */
export const roomInUse = () =>
  new ProblemException(HttpStatus.CONFLICT, 'room-in-use', 'Bookings refer to this room: deactivate it instead (PATCH with "active": false).');
