import { recordEvent } from '../outbox/record-event.js'; // issue 13, realtime
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ValidationProblem } from '../common/problem.js';
import type { Occupancy } from './booking-conflicts.js';
import { bookingNotFound } from './booking-problems.js';
import { BookingReferences } from './booking-references.js';
import { checkBookingRules } from './booking-rules.js';
import { expandSeries, type Occurrence } from './booking-series.js';
import { billableSummary, bookingView, bookingViews } from './booking-view.js';
import { assertOrder, BookingWrites, newAccessCode } from './booking-writes.js';
import { Booking } from './booking.entity.js';
import { HoldExpiryJob } from './hold-expiry.job.js';
import { type BillableSummaryDto, type BookingDto, type BookingListDto, type BookingSeriesDto, MAX_CALENDAR_ITEMS } from './dto/booking.dto.js';
import { type CalendarQueryDto, type CreateBookingDto, type CreateBookingSeriesDto, MAX_CALENDAR_RANGE_DAYS } from './dto/booking-input.dto.js';

const DAY = 86_400_000;

/** Issue 12, bookreq: work of another write that shares a booking's transaction (see createWith). */
export interface BookingWriteHooks {
  before?: (m: EntityManager) => Promise<void>;
  after?: (m: EntityManager, bookingIds: string[]) => Promise<void>;
}

/** Bookings: the calendar query, reads, and creating one booking or a recurring series (all or nothing). */
@Injectable()
export class BookingsService {
  constructor(
    private readonly writes: BookingWrites,
    private readonly references: BookingReferences,
    private readonly holdExpiry: HoldExpiryJob,
  ) {}

  private get tenant() {
    return this.writes.tenant;
  }

  async list(query: CalendarQueryDto): Promise<BookingListDto> {
    const from = new Date(query.from);
    const to = new Date(query.to);
    assertOrder(from, to, 'to');
    if (to.getTime() - from.getTime() > MAX_CALENDAR_RANGE_DAYS * DAY) {
      throw new ValidationProblem([{ field: 'to', messages: [`the range may span at most ${MAX_CALENDAR_RANGE_DAYS} days`] }]);
    }
    const statuses = query.status?.length ? query.status : ['hold', 'confirmed', 'in_progress', 'completed'];
    // span (buffers included) covers [starts_at, ends_at): its gist index finds the candidates.
    const where = [`b.span && tstzrange($1, $2, '[)')`, 'b.starts_at < $2', 'b.ends_at > $1', 'b.status = ANY($3)'];
    const parameters: unknown[] = [from, to, statuses];
    if (query.roomId) where.push(`b.room_id = $${parameters.push(query.roomId)}`);
    if (query.engineerId) where.push(`EXISTS (SELECT 1 FROM booking_engineers e WHERE e.booking_id = b.id AND e.user_id = $${parameters.push(query.engineerId)})`);
    const items = await this.tenant.run((m) => bookingViews(m, where.join(' AND '), parameters, 'b.starts_at, b.id', MAX_CALENDAR_ITEMS + 1));
    if (items.length > MAX_CALENDAR_ITEMS) {
      throw new ValidationProblem([{ field: 'to', messages: [`more than ${MAX_CALENDAR_ITEMS} bookings in this range: ask for a shorter one`] }]);
    }
    return { items };
  }

  async get(id: string): Promise<BookingDto> {
    const view = await this.tenant.run((m) => bookingView(m, id));
    if (!view) throw bookingNotFound();
    return view;
  }

  async summary(id: string): Promise<BillableSummaryDto> {
    return this.tenant.run(async (m) => {
      const booking = await m.getRepository(Booking).findOneBy({ id });
      if (!booking) throw bookingNotFound();
      return billableSummary(m, booking);
    });
  }

  async create(dto: CreateBookingDto): Promise<BookingDto> {
    const occurrence = { startsAt: new Date(dto.startsAt), endsAt: new Date(dto.endsAt) };
    const [id] = await this.createAll(dto, [occurrence], null);
    return this.get(id);
  }

  /**
   * Issue 12, bookreq: one booking made by another write (approving a booking request) in the same
   * transaction: `before` runs first (it takes that write's row lock and checks it), `after` runs once the
   * booking is inserted. Same checks and conflicts as create; anything thrown writes nothing of either.
   */
  async createWith(dto: CreateBookingDto, hooks: BookingWriteHooks): Promise<BookingDto> {
    const occurrence = { startsAt: new Date(dto.startsAt), endsAt: new Date(dto.endsAt) };
    const [id] = await this.createAll(dto, [occurrence], null, hooks);
    return this.get(id);
  }

  async createSeries(dto: CreateBookingSeriesDto): Promise<BookingSeriesDto> {
    const first = { startsAt: new Date(dto.startsAt), endsAt: new Date(dto.endsAt) };
    assertOrder(first.startsAt, first.endsAt);
    const timeZone = await this.tenant.run(async (m) => (await this.references.studio(m)).timeZone);
    const occurrences = expandSeries(dto.recurrence.rrule, first, timeZone);
    // Occurrences longer than the rule's period would double-book the series with itself.
    if (occurrences.some((o, i) => i > 0 && o.startsAt < occurrences[i - 1].endsAt)) {
      throw new ValidationProblem([{ field: 'recurrence.rrule', messages: ['the occurrences overlap each other: the session is longer than the interval'] }]);
    }
    const seriesId = randomUUID();
    await this.createAll(dto, occurrences, seriesId);
    const items = await this.tenant.run((m) => bookingViews(m, 'b.series_id = $1', [seriesId]));
    return { seriesId, items };
  }

  /**
   * Creates every occurrence in one transaction: checks (references, rules, holds, conflicts) first,
   * then the rows. Any failure writes nothing; a conflict lists every conflicting occurrence.
   */
  private async createAll(dto: CreateBookingDto, occurrences: Occurrence[], seriesId: string | null, hooks: BookingWriteHooks = {}): Promise<string[]> {
    for (const o of occurrences) assertOrder(o.startsAt, o.endsAt);
    const status = dto.status ?? 'confirmed';
    const holdExpiresAt = this.holdExpiry.validExpiry(status, dto.holdExpiresAt);
    const overriddenBy = this.writes.overrideBy(dto.overrideRules);
    const engineerIds = dto.engineerIds ?? [];
    const equipmentIds = dto.equipmentIds ?? [];
    await this.references.engineers(this.tenant.tenantId, engineerIds);
    const caller = this.writes.caller;
    let occupancies: Array<Occupancy & { occurrenceStart?: string }> = [];
    const ids = await this.writes.transaction(
      () => occupancies, // filled in below, before any write
      [],
      async (m: EntityManager) => {
        await hooks.before?.(m);
        const studio = await this.references.studio(m);
        await this.references.client(m, dto.clientId);
        if (dto.projectId) await this.references.project(m, dto.projectId, dto.clientId);
        const room = await this.references.room(m, dto.roomId);
        await this.references.equipment(m, equipmentIds);
        const setupMinutes = dto.setupMinutes ?? studio.defaultSetupMinutes;
        const teardownMinutes = dto.teardownMinutes ?? studio.defaultTeardownMinutes;
        occupancies = occurrences.map((o) => ({
          ...o,
          roomId: room.id,
          engineerIds,
          equipmentIds,
          setupMinutes,
          teardownMinutes,
          ...(seriesId ? { occurrenceStart: o.startsAt.toISOString() } : {}),
        }));
        const now = new Date();
        for (const o of occurrences) {
          await this.references.engineersAvailable(m, engineerIds, o.startsAt, o.endsAt);
          if (!overriddenBy) checkBookingRules(o, room, studio, now);
        }
        await this.writes.clearTheWay(m, occupancies, []);
        const repo = m.getRepository(Booking);
        const created: string[] = [];
        for (const o of occurrences) {
          const { identifiers } = await repo.insert({
            clientId: dto.clientId,
            roomId: room.id,
            projectId: dto.projectId ?? null,
            seriesId,
            title: dto.title,
            startsAt: o.startsAt,
            endsAt: o.endsAt,
            setupMinutes,
            teardownMinutes,
            status,
            holdExpiresAt,
            notes: dto.notes ?? null,
            hourlyRateMinor: room.hourlyRateMinor,
            dayRateMinor: room.dayRateMinor,
            currency: room.currency,
            accessCode: newAccessCode(),
            rulesOverriddenBy: overriddenBy,
            createdBy: caller.userId,
          });
          const id = identifiers[0].id as string;
          await this.writes.assign(m, id, engineerIds, equipmentIds, true);
          if (!seriesId) {
            await this.writes.audit.record(m, {
              action: 'booking.created',
              targetType: 'booking',
              targetId: id,
              details: { title: dto.title, roomId: room.id, startsAt: o.startsAt.toISOString(), status, ...(overriddenBy ? { rulesOverridden: true } : {}) },
            });
            await recordEvent(m, { type: 'booking.created', subjectType: 'booking', subjectId: id, payload: { title: dto.title, roomId: room.id, startsAt: o.startsAt.toISOString(), endsAt: o.endsAt.toISOString(), status, engineerIds }, actorId: caller.userId }); // issue 13
          }
          created.push(id);
        }
        if (seriesId) {
          await this.writes.audit.record(m, {
            action: 'booking.series_created',
            targetType: 'booking',
            targetId: seriesId,
            details: { title: dto.title, roomId: room.id, occurrences: created.length, rrule: (dto as CreateBookingSeriesDto).recurrence?.rrule, ...(overriddenBy ? { rulesOverridden: true } : {}) },
          });
          await recordEvent(m, { type: 'booking.series_created', subjectType: 'booking_series', subjectId: seriesId, payload: { title: dto.title, roomId: room.id, occurrences: created.length, firstBookingId: created[0], startsAt: occurrences[0].startsAt.toISOString(), engineerIds }, actorId: caller.userId }); // issue 13
        }
        await hooks.after?.(m, created);
        return created;
      },
    );
    if (holdExpiresAt) for (const id of ids) await this.holdExpiry.schedule(this.tenant.tenantId, id, holdExpiresAt);
    return ids;
  }
}
