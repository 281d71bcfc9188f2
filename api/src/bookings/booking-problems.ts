import { HttpStatus } from '@nestjs/common';
import { type ProblemDto, ProblemException } from '../common/problem.js';
import type { BookingConflictDto } from './dto/booking.dto.js';

export const BOOKING_RULES = ['min_notice', 'min_length', 'max_length', 'opening_hours', 'engineer_time_off'] as const;
export type BookingRule = (typeof BOOKING_RULES)[number];

/** 400 `booking-rule`: the booking breaks one of the studio's rules, named in `rule`. */
export class BookingRuleProblem extends ProblemException {
  constructor(
    readonly rule: BookingRule,
    detail: string,
  ) {
    super(HttpStatus.BAD_REQUEST, 'booking-rule', detail, {}, 'Booking rule');
  }

  override toProblem(): ProblemDto {
    return { ...super.toProblem(), rule: this.rule } as ProblemDto;
  }
}

/** 409 `booking-conflict`: the room, an engineer or an equipment item is taken; `conflicts` says by what. */
export class BookingConflictProblem extends ProblemException {
  constructor(readonly conflicts: BookingConflictDto[]) {
    const what = [...new Set(conflicts.map((c) => c.resource))].join(', ') || 'a resource';
    super(HttpStatus.CONFLICT, 'booking-conflict', `The requested time overlaps another booking of the same ${what}.`, {}, 'Booking conflict');
  }

  override toProblem(): ProblemDto {
    return { ...super.toProblem(), conflicts: this.conflicts } as ProblemDto;
  }
}

/** 409 `booking-state`: the booking's status does not allow this (check out before check-in, confirm a confirmed booking…). */
export const bookingStateProblem = (detail: string) => new ProblemException(HttpStatus.CONFLICT, 'booking-state', detail);

export const bookingNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No booking with this id in your studio.');
