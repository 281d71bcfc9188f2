import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem.js';
import type { BookingRequestStatus } from './booking-request.entity.js';

export const bookingRequestNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No booking request with this id.');

/** 409 `booking-request-decided`: only a pending request can be approved, declined or withdrawn. */
export const bookingRequestDecided = (status: BookingRequestStatus) =>
  new ProblemException(HttpStatus.CONFLICT, 'booking-request-decided', `This request is already ${status}: nothing was changed.`);
