import { Inject, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { DataSource } from 'typeorm';
import type { PortalPrincipal } from '../auth/auth.types.js';
import { bookingNotFound } from '../bookings/booking-problems.js';
import type { BookingStatus } from '../bookings/booking.entity.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, invalidCursor, isCursorInstant } from '../common/pagination.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { PortalBookingDto, PortalBookingListDto, PortalBookingsQueryDto, PortalRoomListDto } from './dto/portal-bookings.dto.js';

/** Sessions whose door code a client may see (from its release time until the session ends). */
const CODE_STATUSES: readonly BookingStatus[] = ['confirmed', 'in_progress'];

const SQL = `SELECT b.id, b.title, b.status, b.room_id, rm.name AS room_name, b.starts_at, b.ends_at, b.access_code, b.project_id, p.title AS project_title,
    ARRAY(SELECT e.user_id FROM booking_engineers e WHERE e.booking_id = b.id ORDER BY e.user_id) AS engineer_ids,
    to_char(b.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sort_key
  FROM bookings b JOIN rooms rm ON rm.id = b.room_id LEFT JOIN projects p ON p.id = b.project_id`;

interface Row {
  id: string;
  title: string;
  status: BookingStatus;
  room_id: string;
  room_name: string;
  starts_at: Date;
  ends_at: Date;
  access_code: string;
  project_id: string | null;
  project_title: string | null;
  engineer_ids: string[];
  sort_key: string;
}

/**
 * Issue 12, portal: the signed-in client's sessions. Only bookings whose client is the principal's (another
 * client's, another studio's: 404). The door code is released PORTAL_ACCESS_CODE_RELEASE_HOURS before the
 * start and shown until the end, for a confirmed (or running) session only: never for a hold, a cancelled
 * or a no-show one. Before its release the field is null and accessCodeReleasesAt says when.
 */
@Injectable()
export class PortalBookingsService {
  constructor(
    private readonly tenant: TenantConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {}

  async list(principal: PortalPrincipal, query: PortalBookingsQueryDto): Promise<PortalBookingListDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const past = query.scope === 'past';
    const params: unknown[] = [principal.clientId];
    // Upcoming: not ended yet, soonest first; past: ended, latest first. Keyset on (starts_at, id).
    const where = ['b.client_id = $1', past ? 'b.ends_at <= now()' : 'b.ends_at > now()'];
    if (query.cursor) {
      const [key, id] = decodeCursor(query.cursor, ['string', 'string']) as [string, string];
      if (!isUUID(id) || !isCursorInstant(key)) throw invalidCursor();
      where.push(`(b.starts_at, b.id) ${past ? '<' : '>'} (CAST($${params.push(key)} AS timestamptz), $${params.push(id)}::uuid)`);
    }
    const order = past ? 'b.starts_at DESC, b.id DESC' : 'b.starts_at ASC, b.id ASC';
    const rows = await this.tenant.run((m) => m.query(`${SQL} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${limit + 1}`, params) as Promise<Row[]>);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: await this.views(page), nextCursor: rows.length > limit && last ? encodeCursor([last.sort_key, last.id]) : null };
  }

  async get(principal: PortalPrincipal, id: string): Promise<PortalBookingDto> {
    const rows = await this.tenant.run((m) => m.query(`${SQL} WHERE b.id = $1 AND b.client_id = $2`, [id, principal.clientId]) as Promise<Row[]>);
    if (!rows.length) throw bookingNotFound();
    return (await this.views(rows))[0];
  }

  async rooms(): Promise<PortalRoomListDto> {
    const rows = await this.tenant.run((m) => m.query(`SELECT id, name FROM rooms WHERE active ORDER BY lower(name), id LIMIT 200`) as Promise<Array<{ id: string; name: string }>>);
    return { items: rows.map((r) => ({ id: r.id, name: r.name })) };
  }

  /** Engineers' names come from the control database (members are users there), in one query per page. */
  private async views(rows: Row[]): Promise<PortalBookingDto[]> {
    const ids = [...new Set(rows.flatMap((r) => r.engineer_ids))];
    const names = new Map<string, string>();
    if (ids.length) {
      for (const u of (await this.control.query(`SELECT id, name FROM users WHERE id = ANY($1::uuid[])`, [ids])) as Array<{ id: string; name: string }>) names.set(u.id, u.name);
    }
    const now = Date.now();
    const releaseMs = this.config.portalBookings.accessCodeReleaseMs;
    return rows.map((r) => {
      const releasesAt = CODE_STATUSES.includes(r.status) ? new Date(r.starts_at.getTime() - releaseMs) : null;
      const released = releasesAt !== null && now >= releasesAt.getTime() && now < r.ends_at.getTime();
      return {
        id: r.id,
        title: r.title,
        status: r.status,
        room: { id: r.room_id, name: r.room_name },
        startsAt: r.starts_at.toISOString(),
        endsAt: r.ends_at.toISOString(),
        engineers: r.engineer_ids.map((id) => ({ name: names.get(id) ?? '' })).filter((e) => e.name),
        project: r.project_id && r.project_title !== null ? { id: r.project_id, title: r.project_title } : null,
        accessCode: released ? r.access_code : null,
        accessCodeReleasesAt: releasesAt ? releasesAt.toISOString() : null,
      };
    });
  }
}
