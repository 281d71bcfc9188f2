import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { BOARD_MAX_ROOMS, type BoardState, type RoomBoardDto, type RoomBoardEntryDto } from './dto/room-board.dto.js';

/**
 * One statement: each active room with its current session (checked in and not out, whatever the time —
 * an overrunning session stays on the board — else a confirmed or held booking whose scheduled time is
 * now) and its next booking, at the transaction's `now()`, which is also the `serverTime` answered.
 */
const BOARD_SQL = `
  SELECT now() AS server_time, r.id AS room_id, r.name, r.colour,
         cur.id AS cur_id, cur.title AS cur_title, cur.status AS cur_status, cur.client_name AS cur_client, cur.starts_at AS cur_starts, cur.ends_at AS cur_ends,
         cur.actual_start_at AS cur_actual_start, cur.engineer_ids AS cur_engineers,
         nxt.id AS next_id, nxt.title AS next_title, nxt.status AS next_status, nxt.client_name AS next_client, nxt.starts_at AS next_starts, nxt.ends_at AS next_ends
    FROM rooms r
    LEFT JOIN LATERAL (
      SELECT b.id, b.title, b.status, c.name AS client_name, b.starts_at, b.ends_at, b.actual_start_at,
             ARRAY(SELECT e.user_id::text FROM booking_engineers e WHERE e.booking_id = b.id ORDER BY e.user_id) AS engineer_ids
        FROM bookings b JOIN clients c ON c.id = b.client_id
       WHERE b.room_id = r.id AND (b.status = 'in_progress' OR (b.status IN ('confirmed', 'hold') AND b.starts_at <= now() AND b.ends_at > now()))
       ORDER BY b.status = 'in_progress' DESC, b.starts_at LIMIT 1) cur ON true
    LEFT JOIN LATERAL (
      SELECT b.id, b.title, b.status, c.name AS client_name, b.starts_at, b.ends_at
        FROM bookings b JOIN clients c ON c.id = b.client_id
       WHERE b.room_id = r.id AND b.status IN ('confirmed', 'hold') AND b.starts_at > now()
       ORDER BY b.starts_at, b.id LIMIT 1) nxt ON true
   WHERE r.active
   ORDER BY lower(r.name), r.id
   LIMIT ${BOARD_MAX_ROOMS}`;

interface BoardRow {
  server_time: Date;
  room_id: string;
  name: string;
  colour: string;
  cur_id: string | null;
  cur_title: string;
  cur_status: 'hold' | 'confirmed' | 'in_progress';
  cur_client: string;
  cur_starts: Date;
  cur_ends: Date;
  cur_actual_start: Date | null;
  cur_engineers: string[];
  next_id: string | null;
  next_title: string;
  next_status: 'hold' | 'confirmed';
  next_client: string;
  next_starts: Date;
  next_ends: Date;
}

const seconds = (ms: number) => Math.max(0, Math.floor(ms / 1000));

/** Issue 13, board: the live room board (what each room is doing now and next). */
@Injectable()
export class RoomBoardService {
  constructor(
    private readonly tenant: TenantConnection,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {}

  async board(): Promise<RoomBoardDto> {
    const rows = (await this.tenant.run((m) => m.query(BOARD_SQL))) as BoardRow[];
    const engineerIds = [...new Set(rows.flatMap((r) => r.cur_engineers ?? []))];
    const names = new Map<string, string>(
      engineerIds.length ? ((await this.control.query(`SELECT id::text AS id, name FROM users WHERE id = ANY($1::uuid[])`, [engineerIds])) as Array<{ id: string; name: string }>).map((u) => [u.id, u.name]) : [],
    );
    const serverTime = rows[0]?.server_time ?? (await this.tenant.run((m) => m.query(`SELECT now() AS server_time`)))[0].server_time;
    const now = new Date(serverTime).getTime();
    return { serverTime: new Date(serverTime).toISOString(), rooms: rows.map((r) => toEntry(r, now, names)) };
  }
}

function toEntry(r: BoardRow, now: number, names: Map<string, string>): RoomBoardEntryDto {
  let state: BoardState = 'free';
  let current: RoomBoardEntryDto['current'] = null;
  if (r.cur_id) {
    state = r.cur_status === 'hold' ? 'hold' : 'occupied';
    const ends = r.cur_ends.getTime();
    const overtime = r.cur_status === 'in_progress' && now > ends;
    current = {
      bookingId: r.cur_id,
      title: r.cur_title,
      status: r.cur_status,
      clientName: r.cur_client,
      engineers: (r.cur_engineers ?? []).map((id) => ({ id, name: names.get(id) ?? '' })),
      startsAt: r.cur_starts.toISOString(),
      endsAt: r.cur_ends.toISOString(),
      actualStartAt: r.cur_actual_start ? r.cur_actual_start.toISOString() : null,
      elapsedSeconds: seconds(now - (r.cur_actual_start ?? r.cur_starts).getTime()),
      remainingSeconds: seconds(ends - now),
      overtime,
      overtimeSeconds: overtime ? seconds(now - ends) : 0,
    };
  }
  const next = r.next_id ? { bookingId: r.next_id, title: r.next_title, status: r.next_status, clientName: r.next_client, startsAt: r.next_starts.toISOString(), endsAt: r.next_ends.toISOString() } : null;
  return { roomId: r.room_id, name: r.name, colour: r.colour, state, current, next };
}
