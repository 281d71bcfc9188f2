import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem.js';

export const engineerNotFound = () =>
  new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No engineer with this id in your studio (a member with the engineer role or higher).');

export const timeOffNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No time off with this id for this engineer.');

/** Engineers keep their own schedule; admins keep everyone's. */
export const ownScheduleOnly = () =>
  new ProblemException(HttpStatus.FORBIDDEN, 'own-schedule-only', "Engineers may change only their own working hours and time off; an admin changes anyone's.");
