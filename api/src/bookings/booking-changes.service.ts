import { recordEvent } from '../outbox/record-event.js'; // issue 13, realtime
import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { Occupancy } from './booking-conflicts.js';
import { bookingNotFound, bookingStateProblem } from './booking-problems.js';
import { BookingReferences } from './booking-references.js';
import { checkBookingRules } from './booking-rules.js';
import { bookingView } from './booking-view.js';
import { assertOrder, BookingWrites } from './booking-writes.js';
import { Booking, type BookingStatus } from './booking.entity.js';
import { BookingEngineer } from './booking-engineer.entity.js';
import { BookingEquipment } from './booking-equipment.entity.js';
import type { BookingDto } from './dto/booking.dto.js';
import type { BookingScope, CancelBookingDto, UpdateBookingDto } from './dto/booking-input.dto.js';

/** Statuses whose time, room and people may still change (a session under way or over is history). */
const CHANGEABLE: BookingStatus[] = ['hold', 'confirmed'];
const TEXT_FIELDS = ['title', 'notes'] as const;

/**
 * Changes to existing bookings: move/resize/reassign (PATCH), confirm a hold, cancel, check in and out.
 * Each locks the rows it changes (FOR UPDATE) and writes only the fields given, so concurrent changes of
 * different fields all survive; scope 'following' applies the change to the later occurrences of a series.
 */
@Injectable()
export class BookingChangesService {
  constructor(
    private readonly writes: BookingWrites,
    private readonly references: BookingReferences,
  ) {}

  private get tenant() {
    return this.writes.tenant;
  }

  /** The booking (locked), and with scope 'following' its series' later occurrences still changeable (locked). */
  private async lockTargets(m: EntityManager, id: string, scope: BookingScope | undefined): Promise<{ booking: Booking; targets: Booking[] }> {
    const repo = m.getRepository(Booking);
    const booking = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!booking) throw bookingNotFound();
    if (scope !== 'following' || !booking.seriesId) return { booking, targets: [booking] };
    const later = await repo
      .createQueryBuilder('b')
      .setLock('pessimistic_write')
      .where('b.series_id = :seriesId AND b.starts_at > :startsAt AND b.status = ANY(:statuses)', { seriesId: booking.seriesId, startsAt: booking.startsAt, statuses: CHANGEABLE })
      .orderBy('b.starts_at')
      .getMany();
    return { booking, targets: [booking, ...later] };
  }

  async update(id: string, dto: UpdateBookingDto): Promise<BookingDto> {
    const moves = dto.startsAt !== undefined || dto.endsAt !== undefined || dto.roomId !== undefined || dto.setupMinutes !== undefined || dto.teardownMinutes !== undefined;
    const reassigns = dto.engineerIds !== undefined || dto.equipmentIds !== undefined;
    const overriddenBy = this.writes.overrideBy(dto.overrideRules);
    if (dto.engineerIds) await this.references.engineers(this.tenant.tenantId, dto.engineerIds);
    let occupancies: Occupancy[] = [];
    const ignore: string[] = [];
    await this.writes.transaction(
      () => occupancies,
      ignore,
      async (m) => {
        const { booking, targets } = await this.lockTargets(m, id, dto.scope);
        ignore.push(...targets.map((t) => t.id));
        if ((moves || reassigns || dto.status) && !CHANGEABLE.includes(booking.status)) {
          throw bookingStateProblem(`A ${booking.status} booking can no longer be moved, reassigned or confirmed.`);
        }
        if (dto.status === 'confirmed' && booking.status !== 'hold') throw bookingStateProblem('Only a hold can be confirmed.');
        if (dto.projectId) await this.references.project(m, dto.projectId, booking.clientId); // issue 10, projects
        const studio = await this.references.studio(m);
        const room = dto.roomId !== undefined ? await this.references.room(m, dto.roomId) : undefined;
        if (dto.equipmentIds) await this.references.equipment(m, dto.equipmentIds);
        const planned = targets.map((t) => ({ target: t, ...this.plan(t, booking, dto, studio.timeZone) }));
        for (const p of planned) assertOrder(p.startsAt, p.endsAt);
        if (moves || reassigns) {
          const engineerIds = dto.engineerIds ?? (await this.assigned(m, BookingEngineer, booking.id, 'userId'));
          const equipmentIds = dto.equipmentIds ?? (await this.assigned(m, BookingEquipment, booking.id, 'equipmentId'));
          occupancies = planned.map((p) => ({
            roomId: room?.id ?? p.target.roomId,
            engineerIds,
            equipmentIds,
            startsAt: p.startsAt,
            endsAt: p.endsAt,
            setupMinutes: dto.setupMinutes ?? p.target.setupMinutes,
            teardownMinutes: dto.teardownMinutes ?? p.target.teardownMinutes,
          }));
          const now = new Date();
          for (const p of planned) {
            await this.references.engineersAvailable(m, engineerIds, p.startsAt, p.endsAt);
            if (moves && !overriddenBy) checkBookingRules(p, room ?? (await this.references.room(m, p.target.roomId)), studio, now);
          }
          await this.writes.clearTheWay(m, occupancies, ignore);
        }
        // Move later occurrences first when moving forward (earlier first when back), so a series shifted
        // by its own period never overlaps itself half-way through.
        const ordered = planned[0] && planned[0].startsAt > booking.startsAt ? [...planned].reverse() : planned;
        for (const p of ordered) {
          const changes: QueryDeepPartialEntity<Booking> = {};
          for (const key of TEXT_FIELDS) if (dto[key] !== undefined) (changes as Record<string, unknown>)[key] = dto[key];
          if (dto.startsAt !== undefined || dto.endsAt !== undefined) Object.assign(changes, { startsAt: p.startsAt, endsAt: p.endsAt });
          if (room) changes.roomId = room.id;
          if (dto.projectId !== undefined) changes.projectId = dto.projectId;
          if (dto.setupMinutes !== undefined) changes.setupMinutes = dto.setupMinutes;
          if (dto.teardownMinutes !== undefined) changes.teardownMinutes = dto.teardownMinutes;
          if (dto.status === 'confirmed' && p.target.status === 'hold') Object.assign(changes, { status: 'confirmed', holdExpiresAt: null });
          if (overriddenBy && moves) changes.rulesOverriddenBy = overriddenBy;
          await m
            .getRepository(Booking)
            .createQueryBuilder()
            .update()
            .set({ ...changes, updatedAt: () => 'GREATEST(clock_timestamp(), "updated_at")' })
            .where('id = :id', { id: p.target.id })
            .execute();
          await this.writes.assign(m, p.target.id, dto.engineerIds, dto.equipmentIds);
          await this.writes.audit.record(m, {
            action: dto.status === 'confirmed' ? 'booking.confirmed' : 'booking.updated',
            targetType: 'booking',
            targetId: p.target.id,
            details: { fields: Object.keys(changes).sort(), ...(dto.scope === 'following' ? { scope: 'following' } : {}), ...(overriddenBy && moves ? { rulesOverridden: true } : {}) },
          });
          await recordEvent(m, { type: dto.status === 'confirmed' ? 'booking.confirmed' : 'booking.changed', subjectType: 'booking', subjectId: p.target.id, payload: { title: dto.title ?? p.target.title, startsAt: p.startsAt.toISOString(), endsAt: p.endsAt.toISOString(), fields: Object.keys(changes).sort() }, actorId: this.writes.caller.userId }); // issue 13
        }
      },
    );
    return this.view(id);
  }

  /**
   * New times of one target. The booking itself takes the times given; a later occurrence keeps its own
   * date, moved by the same number of days, at the new wall-clock times in the studio's zone (DST-safe).
   */
  private plan(target: Booking, booking: Booking, dto: UpdateBookingDto, zone: string): { startsAt: Date; endsAt: Date } {
    const startsAt = dto.startsAt ? new Date(dto.startsAt) : booking.startsAt;
    const endsAt = dto.endsAt ? new Date(dto.endsAt) : booking.endsAt;
    if (target.id === booking.id || (dto.startsAt === undefined && dto.endsAt === undefined)) {
      return target.id === booking.id ? { startsAt, endsAt } : { startsAt: target.startsAt, endsAt: target.endsAt };
    }
    const local = (d: Date) => DateTime.fromJSDate(d, { zone });
    const days = Math.round(local(startsAt).startOf('day').diff(local(booking.startsAt).startOf('day'), 'days').days);
    const wall = (t: DateTime) => ({ hour: t.hour, minute: t.minute, second: t.second, millisecond: 0 });
    const day = local(target.startsAt).plus({ days });
    const endDays = Math.round(local(endsAt).startOf('day').diff(local(startsAt).startOf('day'), 'days').days);
    return {
      startsAt: day.set(wall(local(startsAt))).toJSDate(),
      endsAt: day.plus({ days: endDays }).set(wall(local(endsAt))).toJSDate(),
    };
  }

  private async assigned<E extends BookingEngineer | BookingEquipment>(m: EntityManager, entity: new () => E, bookingId: string, key: 'userId' | 'equipmentId'): Promise<string[]> {
    const rows = await m.getRepository(entity).find({ where: { bookingId } as never });
    return rows.map((r) => (r as unknown as Record<string, string>)[key]);
  }

  async cancel(id: string, dto: CancelBookingDto): Promise<BookingDto> {
    await this.tenant.transaction(async (m) => {
      const { booking, targets } = await this.lockTargets(m, id, dto.scope);
      if (!CHANGEABLE.includes(booking.status)) throw bookingStateProblem(`A ${booking.status} booking cannot be cancelled.`);
      for (const t of targets) {
        await m
          .getRepository(Booking)
          .createQueryBuilder()
          .update()
          .set({ status: 'cancelled', cancellationReason: dto.reason ?? null, updatedAt: () => 'GREATEST(clock_timestamp(), "updated_at")' })
          .where('id = :id', { id: t.id })
          .execute();
        await this.writes.audit.record(m, {
          action: 'booking.cancelled',
          targetType: 'booking',
          targetId: t.id,
          details: { ...(dto.reason ? { reason: dto.reason } : {}), ...(dto.scope === 'following' ? { scope: 'following' } : {}) },
        });
        await recordEvent(m, { type: 'booking.cancelled', subjectType: 'booking', subjectId: t.id, payload: { title: t.title, startsAt: t.startsAt.toISOString(), reason: dto.reason ?? null, previousStatus: t.status }, actorId: this.writes.caller.userId }); // issue 13 (previousStatus: mailnotify, a cancelled hold is not mailed to the client)
      }
    });
    return this.view(id);
  }

  /** Check-in (confirmed → in_progress, actual start now) or check-out (in_progress → completed, actual end now). */
  async check(id: string, step: 'in' | 'out'): Promise<BookingDto> {
    await this.tenant.transaction(async (m) => {
      const booking = await m.getRepository(Booking).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!booking) throw bookingNotFound();
      const from: BookingStatus = step === 'in' ? 'confirmed' : 'in_progress';
      if (booking.status !== from) {
        throw bookingStateProblem(step === 'in' ? `Only a confirmed booking can be checked in (this one is ${booking.status}).` : `Only a booking in progress can be checked out (this one is ${booking.status}).`);
      }
      const set =
        step === 'in'
          ? { status: 'in_progress' as const, actualStartAt: () => 'clock_timestamp()' }
          : { status: 'completed' as const, actualEndAt: () => 'GREATEST(clock_timestamp(), "actual_start_at")' };
      await m
        .getRepository(Booking)
        .createQueryBuilder()
        .update()
        .set({ ...set, updatedAt: () => 'GREATEST(clock_timestamp(), "updated_at")' })
        .where('id = :id', { id })
        .execute();
      await this.writes.audit.record(m, { action: step === 'in' ? 'booking.checked_in' : 'booking.checked_out', targetType: 'booking', targetId: id });
      // Issue 13, board: the room board follows check-in and check-out (notification-rules: nobody is notified).
      await recordEvent(m, { type: step === 'in' ? 'booking.checked_in' : 'booking.checked_out', subjectType: 'booking', subjectId: id, payload: { title: booking.title, roomId: booking.roomId }, actorId: this.writes.caller.userId });
    });
    return this.view(id);
  }

  private async view(id: string): Promise<BookingDto> {
    const view = await this.tenant.run((m) => bookingView(m, id));
    if (!view) throw bookingNotFound();
    return view;
  }
}
