import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { BookingsService } from '../bookings/bookings.service.js';
import type { CreateBookingDto } from '../bookings/dto/booking-input.dto.js';
import { DEFAULT_PAGE_SIZE } from '../common/pagination.js';
import { RequestContext } from '../common/request-context.js';
import { ValidationProblem } from '../common/problem.js';
import { recordEvent } from '../outbox/record-event.js';
import { PortalAccount } from '../portal/portal-account.entity.js';
import { Room } from '../rooms/room.entity.js';
import { StudioSettings } from '../studio/studio-settings.entity.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { BookingRequestMail, type DecisionNotice } from './booking-request-mail.js';
import { bookingRequestDecided, bookingRequestNotFound } from './booking-request-problems.js';
import { requestPage, requestRow, type RequestRow, toStaffView } from './booking-request-view.js';
import { BookingRequest } from './booking-request.entity.js';
import type { ApproveBookingRequestDto, BookingRequestDecisionDto, BookingRequestDto, BookingRequestListDto, DeclineBookingRequestDto, ListBookingRequestsQueryDto } from './dto/booking-request.dto.js';

const MINUTE = 60_000;
/** A hold made by approving, when staff give no expiry: two days, or until the session starts if sooner. */
const DEFAULT_HOLD_MS = 48 * 60 * MINUTE;

/**
 * Issue 12, the staff queue of booking requests. Approving makes the booking through BookingsService
 * (same references, rules and conflicts) in ONE transaction with the request's status change, its
 * audit entry and its outbox event: a conflict is a 409 and the request stays pending. Every decision
 * first locks the request's row, so two staff deciding at once take turns and the second gets a 409.
 * The client's email goes out after the commit.
 */
@Injectable()
export class BookingRequestsService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly bookings: BookingsService,
    private readonly audit: AuditLog,
    private readonly context: RequestContext,
    private readonly mail: BookingRequestMail,
  ) {}

  async list(query: ListBookingRequestsQueryDto): Promise<BookingRequestListDto> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.status) where.push(`r.status = $${params.push(query.status)}`);
    const { rows, nextCursor } = await this.tenant.run((m) => requestPage(m, where, params, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor));
    return { items: rows.map(toStaffView), nextCursor };
  }

  async get(id: string): Promise<BookingRequestDto> {
    return toStaffView(await this.tenant.run((m) => this.existing(m, id)));
  }

  async approve(id: string, dto: ApproveBookingRequestDto, publicUrl: string): Promise<BookingRequestDecisionDto> {
    const caller = this.caller();
    const request = await this.tenant.run((m) => this.existing(m, id));
    if (request.status !== 'pending') throw bookingRequestDecided(request.status);
    const booking = this.bookingFor(request, dto);
    let notice: DecisionNotice | undefined;
    await this.bookings.createWith(booking, {
      before: async (m) => {
        await this.lockPending(m, id);
      },
      after: async (m, [bookingId]) => {
        const decidedAt = new Date();
        await m.getRepository(BookingRequest).update({ id }, { status: 'approved', decidedBy: caller.userId, decidedAt, bookingId });
        const details = { bookingId, clientId: request.client_id, startsAt: booking.startsAt, endsAt: booking.endsAt, roomId: booking.roomId, as: dto.as };
        await this.audit.record(m, { action: 'booking_request.approved', targetType: 'booking_request', targetId: id, details });
        await recordEvent(m, { type: 'booking_request.approved', subjectType: 'booking_request', subjectId: id, payload: { ...details, clientName: request.client_name }, actorId: caller.userId });
        const room = await m.getRepository(Room).findOneByOrFail({ id: booking.roomId });
        notice = await this.notice(m, id, { approved: { startsAt: new Date(booking.startsAt), endsAt: new Date(booking.endsAt), roomName: room.name, hold: dto.as === 'hold' } });
      },
    });
    return this.decided(id, notice!, publicUrl);
  }

  async decline(id: string, dto: DeclineBookingRequestDto, publicUrl: string): Promise<BookingRequestDecisionDto> {
    const caller = this.caller();
    const notice = await this.tenant.transaction(async (m) => {
      const request = await this.lockPending(m, id);
      await m.getRepository(BookingRequest).update({ id }, { status: 'declined', decidedBy: caller.userId, decidedAt: new Date(), declineReason: dto.reason });
      await this.audit.record(m, { action: 'booking_request.declined', targetType: 'booking_request', targetId: id, details: { clientId: request.clientId, reason: dto.reason } });
      await recordEvent(m, { type: 'booking_request.declined', subjectType: 'booking_request', subjectId: id, payload: { clientId: request.clientId, reason: dto.reason }, actorId: caller.userId });
      return this.notice(m, id, { declined: { reason: dto.reason } });
    });
    return this.decided(id, notice, publicUrl);
  }

  /** The request's row, locked: decisions on one request take turns; only a pending one may be decided. */
  private async lockPending(m: EntityManager, id: string): Promise<BookingRequest> {
    const request = await m.getRepository(BookingRequest).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!request) throw bookingRequestNotFound();
    if (request.status !== 'pending') throw bookingRequestDecided(request.status);
    return request;
  }

  /** The booking approving makes: a preferred slot's start (or staff's own times), the request's room unless another is named. */
  private bookingFor(request: RequestRow, dto: ApproveBookingRequestDto): CreateBookingDto {
    let startsAt: Date;
    let endsAt: Date;
    if (dto.slotIndex !== undefined) {
      if (dto.startsAt !== undefined || dto.endsAt !== undefined) throw new ValidationProblem([{ field: 'slotIndex', messages: ['give slotIndex or startsAt and endsAt, not both'] }]);
      const slot = request.preferred_slots[dto.slotIndex];
      if (!slot) throw new ValidationProblem([{ field: 'slotIndex', messages: [`this request has ${request.preferred_slots.length} preferred slot(s)`] }]);
      startsAt = new Date(slot.startsAt);
      endsAt = new Date(startsAt.getTime() + request.duration_minutes * MINUTE);
    } else {
      if (dto.startsAt === undefined || dto.endsAt === undefined) throw new ValidationProblem([{ field: 'slotIndex', messages: ['give slotIndex, or startsAt and endsAt'] }]);
      startsAt = new Date(dto.startsAt);
      endsAt = new Date(dto.endsAt);
    }
    const roomId = dto.roomId ?? request.room_id;
    if (!roomId) throw new ValidationProblem([{ field: 'roomId', messages: ['the client asked for any room: name the room'] }]);
    const holdExpiresAt = dto.as === 'hold' ? (dto.holdExpiresAt ?? new Date(Math.min(Date.now() + DEFAULT_HOLD_MS, startsAt.getTime())).toISOString()) : undefined;
    return {
      clientId: request.client_id,
      roomId,
      title: dto.title ?? request.client_name.slice(0, 200),
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      status: dto.as,
      holdExpiresAt,
      engineerIds: dto.engineerIds,
      notes: request.notes,
    };
  }

  /**
   * Who is told, read in the decision's transaction: the asking contact, if still enabled — unless the booking
   * confirmation already goes to that very address (one mail, not two).
   */
  private async notice(m: EntityManager, id: string, outcome: DecisionNotice['outcome']): Promise<DecisionNotice> {
    const request = await m.getRepository(BookingRequest).findOneByOrFail({ id });
    const account = request.portalAccountId ? await m.getRepository(PortalAccount).findOneBy({ id: request.portalAccountId }) : null;
    const { timeZone } = await m.getRepository(StudioSettings).findOneByOrFail({ id: 1 });
    const to = account && !account.disabledAt ? account.email : null;
    // Portal emails are stored lower-case; the client's own address as typed.
    const [client] = (await m.query(`SELECT lower(btrim(email)) AS email FROM clients WHERE id = $1`, [request.clientId])) as Array<{ email: string | null }>;
    const coveredByBookingMail = 'approved' in outcome && !outcome.approved.hold && to !== null && client?.email === to;
    return { organizationId: this.tenant.tenantId, requestId: id, to, timeZone, outcome, coveredByBookingMail };
  }

  /** After the commit: the email, then the request as it now stands. */
  private async decided(id: string, notice: DecisionNotice, publicUrl: string): Promise<BookingRequestDecisionDto> {
    const clientNotified = await this.mail.send(notice, publicUrl);
    return { ...(await this.get(id)), clientNotified };
  }

  private async existing(m: EntityManager, id: string): Promise<RequestRow> {
    const row = await requestRow(m, id);
    if (!row) throw bookingRequestNotFound();
    return row;
  }

  private caller() {
    const caller = this.context.principal();
    if (!caller) throw new Error('Booking request decisions need a staff caller');
    return caller;
  }
}
