import { Injectable } from '@nestjs/common';

/**
 * The time, as the session code sees it (issue 7, accounts-mail). One injectable source instead of
 * `now()` in SQL and `Date.now()` in code, so tests can move a session past its idle or absolute
 * expiry by moving this clock (jest.spyOn(app.get(Clock), 'now')) rather than by sleeping.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
