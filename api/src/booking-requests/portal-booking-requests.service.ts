import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLog, portalAccountActor } from '../audit/audit-log.service.js';
import type { PortalPrincipal } from '../auth/auth.types.js';
import { DEFAULT_PAGE_SIZE, type PageQueryDto } from '../common/pagination.js';
import { ValidationProblem } from '../common/problem.js';
import { IdempotentWrites } from '../idempotency/idempotent-writes.js';
import { recordEvent } from '../outbox/record-event.js';
import { Room } from '../rooms/room.entity.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { bookingRequestDecided, bookingRequestNotFound } from './booking-request-problems.js';
import { requestPage, requestRow, toPortalView } from './booking-request-view.js';
import { BookingRequest } from './booking-request.entity.js';
import type { CreatePortalBookingRequestDto, PortalBookingRequestDto, PortalBookingRequestListDto } from './dto/booking-request.dto.js';

const MINUTE = 60_000;
/** A preferred slot is a window of at most a week ("any time that week"). */
const MAX_WINDOW_MS = 7 * 24 * 60 * MINUTE;

const portalActor = (p: PortalPrincipal) => portalAccountActor({ id: p.accountId, email: p.email });

/**
 * Issue 12, portal: the signed-in client's booking requests. Every read and write starts from the
 * principal's client (another client's request is a 404 like one that does not exist). Creating one
 * records `booking_request.received` in the same transaction (the managers hear of it).
 */
@Injectable()
export class PortalBookingRequestsService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
    private readonly idempotent: IdempotentWrites,
  ) {}

  async create(principal: PortalPrincipal, dto: CreatePortalBookingRequestDto, idempotencyKey: string | undefined): Promise<PortalBookingRequestDto> {
    checkSlots(dto);
    const { body } = await this.idempotent.run(`portal.booking_request:${principal.accountId}`, idempotencyKey, dto, async (m) => {
      if (dto.roomId) {
        const room = await m.getRepository(Room).findOne({ where: { id: dto.roomId }, lock: { mode: 'pessimistic_read' } });
        if (!room || !room.active) throw new ValidationProblem([{ field: 'roomId', messages: ['no such room in this studio'] }]);
      }
      const preferredSlots = dto.preferredSlots.map((s) => ({ startsAt: new Date(s.startsAt).toISOString(), endsAt: new Date(s.endsAt).toISOString() }));
      const { identifiers } = await m.getRepository(BookingRequest).insert({
        clientId: principal.clientId,
        portalAccountId: principal.accountId,
        roomId: dto.roomId ?? null,
        preferredSlots,
        durationMinutes: dto.durationMinutes,
        notes: dto.notes ?? null,
        status: 'pending',
      });
      const id = identifiers[0].id as string;
      const details = { clientId: principal.clientId, roomId: dto.roomId ?? null, preferredSlots, durationMinutes: dto.durationMinutes };
      await this.audit.record(m, { action: 'booking_request.created', targetType: 'booking_request', targetId: id, details }, portalActor(principal));
      const clientName = ((await m.query(`SELECT name FROM clients WHERE id = $1`, [principal.clientId])) as Array<{ name: string }>)[0]?.name ?? '';
      await recordEvent(m, { type: 'booking_request.received', subjectType: 'booking_request', subjectId: id, payload: { ...details, clientName, startsAt: preferredSlots[0].startsAt } });
      return toPortalView((await requestRow(m, id))!);
    });
    return body;
  }

  async list(principal: PortalPrincipal, query: PageQueryDto): Promise<PortalBookingRequestListDto> {
    const { rows, nextCursor } = await this.tenant.run((m) => requestPage(m, ['r.client_id = $1'], [principal.clientId], query.limit ?? DEFAULT_PAGE_SIZE, query.cursor));
    return { items: rows.map(toPortalView), nextCursor };
  }

  /** A pending request of the client's may be withdrawn (row locked: a decision at the same moment takes turns with it). */
  async withdraw(principal: PortalPrincipal, id: string): Promise<PortalBookingRequestDto> {
    return this.tenant.transaction(async (m: EntityManager) => {
      const request = await m.getRepository(BookingRequest).findOne({ where: { id, clientId: principal.clientId }, lock: { mode: 'pessimistic_write' } });
      if (!request) throw bookingRequestNotFound();
      if (request.status !== 'pending') throw bookingRequestDecided(request.status);
      await m.getRepository(BookingRequest).update({ id }, { status: 'withdrawn', decidedAt: new Date() });
      await this.audit.record(m, { action: 'booking_request.withdrawn', targetType: 'booking_request', targetId: id, details: { clientId: principal.clientId } }, portalActor(principal));
      await recordEvent(m, { type: 'booking_request.withdrawn', subjectType: 'booking_request', subjectId: id, payload: { clientId: principal.clientId } });
      return toPortalView((await requestRow(m, id))!);
    });
  }
}

/** Each window in the future, ending after it starts, long enough for the session, at most a week. */
function checkSlots(dto: CreatePortalBookingRequestDto): void {
  const now = Date.now();
  const errors: Array<{ field: string; messages: string[] }> = [];
  dto.preferredSlots.forEach((slot, i) => {
    const start = new Date(slot.startsAt).getTime();
    const end = new Date(slot.endsAt).getTime();
    const messages: string[] = [];
    if (start <= now) messages.push('startsAt must be in the future');
    if (!(end > start)) messages.push('endsAt must be after startsAt');
    else if (end - start < dto.durationMinutes * MINUTE) messages.push('the slot is shorter than durationMinutes');
    else if (end - start > MAX_WINDOW_MS) messages.push('a slot spans at most 7 days');
    if (messages.length) errors.push({ field: `preferredSlots.${i}`, messages });
  });
  if (errors.length) throw new ValidationProblem(errors);
}
