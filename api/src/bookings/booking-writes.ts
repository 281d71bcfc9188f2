import { HttpStatus, Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { roleAtLeast } from '../auth/access.decorator.js';
import { pgErrorCode } from '../common/pg-errors.js';
import { RequestContext } from '../common/request-context.js';
import { ProblemException, ValidationProblem } from '../common/problem.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { exclusionViolation, findConflicts, type Occupancy, releaseExpiredHolds, spanOf } from './booking-conflicts.js';
import { BookingConflictProblem } from './booking-problems.js';
import { BookingEngineer } from './booking-engineer.entity.js';
import { BookingEquipment } from './booking-equipment.entity.js';
import type { BookingConflictDto } from './dto/booking.dto.js';

/** deadlock_detected, serialization_failure: the transaction did nothing and may simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);

/** The system actor of audit entries written by background work (no caller). */
export const HOLD_EXPIRY_ACTOR = { type: 'system' as const, id: null, label: 'hold expiry' };

/** An 8-digit door code from the OS's CSPRNG. */
export const newAccessCode = () => randomInt(0, 100_000_000).toString().padStart(8, '0');

/** endsAt after startsAt, else a 400 naming endsAt. */
export function assertOrder(startsAt: Date, endsAt: Date, field = 'endsAt'): void {
  if (!(endsAt.getTime() > startsAt.getTime())) throw new ValidationProblem([{ field, messages: [`${field} must be after startsAt`] }]);
}

/**
 * What every booking write shares: who is writing (and whether they may override the rules), releasing
 * expired holds in the way, the conflict pre-check, replacing assignment rows, and turning the
 * exclusion constraints' refusal into the 409 problem.
 */
@Injectable()
export class BookingWrites {
  constructor(
    readonly tenant: TenantConnection,
    readonly audit: AuditLog,
    private readonly context: RequestContext,
  ) {}

  get caller() {
    const caller = this.context.principal();
    if (!caller) throw new Error('Booking writes need an authenticated caller');
    return caller;
  }

  /** The user who overrides the rules (admins and owners only), or null when the rules apply. */
  overrideBy(overrideRules: boolean | undefined): string | null {
    if (!overrideRules) return null;
    if (!roleAtLeast(this.caller.role, 'admin')) {
      throw new ProblemException(HttpStatus.FORBIDDEN, 'forbidden', 'Only admins and owners may override the booking rules.');
    }
    return this.caller.userId;
  }

  /**
   * Runs `fn` in one tenant transaction. When PostgreSQL's exclusion constraints refuse a write (a
   * concurrent booking committed after our pre-check), the transaction is gone: the conflicts are read
   * again afresh for the 409's details. `occupied`: what the transaction was writing (known once it read the room).
   */
  async transaction<T>(occupied: () => Array<Occupancy & { occurrenceStart?: string }>, ignore: string[], fn: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.withDeadlockRetry(fn);
    } catch (err) {
      const resource = exclusionViolation(err);
      if (!resource) throw err;
      const occupancies = occupied();
      const conflicts = await this.tenant.run(async (m) => {
        const found: BookingConflictDto[] = [];
        for (const o of occupancies) found.push(...(await findConflicts(m, o, ignore)).map((c) => withOccurrence(c, o.occurrenceStart)));
        return found;
      });
      throw new BookingConflictProblem(conflicts.length ? conflicts : [{ resource, resourceId: occupancies[0].roomId, bookingId: null, startsAt: null, endsAt: null }]);
    }
  }

  /**
   * Concurrent bookings wait on each other's uncommitted rows in the exclusion indexes (room, engineer,
   * equipment) in different orders, and PostgreSQL ends such a cycle by failing one transaction (40P01).
   * The victim is run again from the start: by then the winner has committed, and the pre-check names it.
   */
  private async withDeadlockRetry<T>(fn: (m: EntityManager) => Promise<T>, attempts = 5): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.tenant.transaction(fn);
      } catch (err) {
        if (attempt >= attempts || !RETRYABLE.has(pgErrorCode(err) ?? '')) throw err;
      }
    }
  }

  /** In the write's transaction: release expired holds in the way (audited), then refuse with every conflict found. */
  async clearTheWay(m: EntityManager, occupancies: Array<Occupancy & { occurrenceStart?: string }>, ignore: string[]): Promise<void> {
    const released = await releaseExpiredHolds(m, occupancies.map(spanOf));
    for (const id of released) {
      await this.audit.record(m, { action: 'booking.hold_expired', targetType: 'booking', targetId: id, details: { releasedBy: 'conflicting write' } }, HOLD_EXPIRY_ACTOR);
    }
    const conflicts: BookingConflictDto[] = [];
    for (const o of occupancies) conflicts.push(...(await findConflicts(m, o, ignore)).map((c) => withOccurrence(c, o.occurrenceStart)));
    if (conflicts.length) throw new BookingConflictProblem(conflicts);
  }

  /** Replaces a booking's engineers or equipment (the triggers copy its span and status into the new rows). */
  async assign(m: EntityManager, bookingId: string, engineerIds: string[] | undefined, equipmentIds: string[] | undefined): Promise<void> {
    if (engineerIds) {
      await m.getRepository(BookingEngineer).delete({ bookingId });
      if (engineerIds.length) await m.getRepository(BookingEngineer).insert(engineerIds.map((userId) => ({ bookingId, userId })));
    }
    if (equipmentIds) {
      await m.getRepository(BookingEquipment).delete({ bookingId });
      if (equipmentIds.length) await m.getRepository(BookingEquipment).insert(equipmentIds.map((equipmentId) => ({ bookingId, equipmentId })));
    }
  }
}

const withOccurrence = (c: BookingConflictDto, occurrenceStart: string | undefined): BookingConflictDto => (occurrenceStart ? { ...c, occurrenceStart } : c);
