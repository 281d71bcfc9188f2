import { HttpStatus, Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { RequestContext } from '../common/request-context.js';
import { ProblemException } from '../common/problem.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { METRICS_REGISTRY } from '../metrics/metrics.registry.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { NotificationBus } from './notification-bus.service.js';
import { type AnyMailbox, newestId, PORTAL_MAILBOX, rowsAfter, STAFF_MAILBOX } from './notification-mailbox.js';
import { boardChangesSince, boardCursorNow } from './room-board-changes.js';
import type { SseStream } from './sse-stream.js';

/** Rows read per lease of the tenant pool while catching a stream up. */
const PAGE = 200;

/**
 * Who a stream is for. `sessionId` is re-checked on each keep-alive tick: the stream ends with the session.
 * Issue 13, board: `kind` portal is a client portal account (`userId` is then the account id, `sessionId`
 * its portal session); a staff stream also carries the room board's `board.changed` events.
 */
export interface StreamOwner {
  tenantId: string;
  userId: string;
  sessionId: string;
  kind: 'staff' | 'portal';
}

const mailboxOf = (owner: StreamOwner): AnyMailbox => (owner.kind === 'portal' ? PORTAL_MAILBOX : STAFF_MAILBOX);

/** A reserved place under the per-user cap, taken before the response starts (so the refusal is a plain 429). */
export interface StreamTicket {
  owner: StreamOwner;
  release(): void;
}

interface LiveStream {
  owner: StreamOwner;
  sse: SseStream;
  /** The id of the last row sent (bigint as text). */
  lastId: bigint;
  reading: boolean;
  again: boolean;
  timer: NodeJS.Timeout;
  /** Staff streams asked for the board: the dispatch time (as text, microseconds kept) of the last booking event seen; else null. */
  boardSince: string | null;
}

/** Where a stream starts: after notification id `after`; for the board, after booking events dispatched at `boardSince`. */
export interface StreamStart {
  after: bigint;
  boardSince: string | null;
}

/**
 * Issue 13: the open notification streams of this process. A stream holds no database connection: it
 * reads its rows (`recipient_user_id = me AND id > last sent`, in id order) in short leases of the
 * studio's pool, whenever the bus says the studio has new rows, on each keep-alive tick (a lost bus
 * message costs one tick of latency, never a row) and after the bus reconnects. What a stream carries is
 * decided by that query alone, never by this process's memory. Each stream reads and writes on its own:
 * a client that stops reading is skipped until it drains, and never holds up another.
 */
@Injectable()
export class NotificationStreams implements OnModuleDestroy {
  private readonly logger = new Logger('NotificationStreams');
  private readonly byTenant = new Map<string, Set<LiveStream>>();
  private readonly perUser = new Map<string, number>();
  private open = 0;
  private readonly gauge: Gauge;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly context: RequestContext,
    private readonly tenant: TenantConnection,
    bus: NotificationBus,
  ) {
    this.gauge = new Gauge({ name: 'rsm_sse_streams_open', help: 'Server-Sent Events notification streams open on this instance', registers: [registry] });
    this.gauge.set(0);
    bus.onMessage(({ tenantId }) => this.wake(tenantId));
    bus.onResync(() => {
      for (const tenantId of this.byTenant.keys()) this.wake(tenantId);
    });
  }

  /** Takes a place under SSE_MAX_STREAMS_PER_USER, or refuses with 429. */
  reserve(owner: StreamOwner): StreamTicket {
    const key = `${owner.tenantId}:${owner.userId}`;
    const count = this.perUser.get(key) ?? 0;
    if (count >= this.config.sse.maxStreamsPerUser) {
      throw new ProblemException(HttpStatus.TOO_MANY_REQUESTS, 'too-many-streams', `At most ${this.config.sse.maxStreamsPerUser} notification streams may be open at once; close another tab or window.`);
    }
    this.perUser.set(key, count + 1);
    let released = false;
    return {
      owner,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.perUser.get(key) ?? 1) - 1;
        if (left > 0) this.perUser.set(key, left);
        else this.perUser.delete(key);
      },
    };
  }

  /** Where a new stream starts: after `lastEventId` when the client names one, else after the user's newest row. Runs in the request's context. */
  async startingPoint(owner: StreamOwner, lastEventId: string | undefined, options: { board?: boolean } = {}): Promise<StreamStart> {
    return this.tenant.run(async (m) => ({
      after: lastEventId !== undefined ? BigInt(lastEventId) : await newestId(m, mailboxOf(owner), owner.userId),
      // Issue 13, board: taken before the response starts, so a change after the client sees the stream open is always sent.
      boardSince: owner.kind === 'staff' && options.board ? await boardCursorNow(m) : null,
    }));
  }

  /** Serves `sse` until the client leaves, the session ends or the app stops; replays what follows `after` at once. */
  attach(ticket: StreamTicket, sse: SseStream, start: StreamStart): void {
    const stream: LiveStream = { owner: ticket.owner, sse, lastId: start.after, reading: false, again: false, timer: undefined as unknown as NodeJS.Timeout, boardSince: start.boardSince };
    stream.timer = setInterval(() => void this.tick(stream), this.config.sse.keepaliveSeconds * 1000);
    stream.timer.unref();
    const streams = this.byTenant.get(ticket.owner.tenantId) ?? new Set<LiveStream>();
    streams.add(stream);
    this.byTenant.set(ticket.owner.tenantId, streams);
    this.open++;
    this.gauge.set(this.open);
    sse.onDrain(() => void this.catchUp(stream));
    sse.onClose(() => {
      clearInterval(stream.timer);
      streams.delete(stream);
      if (!streams.size) this.byTenant.delete(ticket.owner.tenantId);
      ticket.release();
      this.open--;
      this.gauge.set(this.open);
    });
    void this.catchUp(stream);
  }

  onModuleDestroy(): void {
    for (const streams of this.byTenant.values()) for (const s of streams) s.sse.close();
  }

  private wake(tenantId: string): void {
    for (const stream of this.byTenant.get(tenantId) ?? []) void this.catchUp(stream);
  }

  /** Keep-alive: ends the stream when its session is gone, else a comment, then a re-read (a bus message may have been lost). */
  private async tick(stream: LiveStream): Promise<void> {
    if (stream.sse.isClosed) return;
    try {
      if (!(await this.sessionAlive(stream.owner))) {
        stream.sse.send({ id: String(stream.lastId), event: 'session-ended', data: {} });
        stream.sse.close();
        return;
      }
    } catch (err) {
      this.logger.warn({ err: String(err) }, 'Could not check a stream\'s session (kept open until the next tick)');
    }
    if (!stream.sse.isBackedUp) stream.sse.comment('keep-alive');
    await this.catchUp(stream);
  }

  private async sessionAlive(owner: StreamOwner): Promise<boolean> {
    if (owner.kind === 'portal') {
      // Issue 13, board: a portal session lives in the studio's database; logout deletes it, disabling the account ends it.
      const rows = (await this.context.runForTenant(owner.tenantId, () =>
        this.tenant.run((m) =>
          m.query(
            `SELECT 1 FROM client_portal_sessions s JOIN client_portal_accounts a ON a.id = s.account_id
              WHERE s.id = $1 AND s.account_id = $2 AND s.expires_at > now() AND s.idle_expires_at > now() AND a.disabled_at IS NULL`,
            [owner.sessionId, owner.userId],
          ),
        ),
      )) as unknown[];
      return rows.length > 0;
    }
    const rows = (await this.control.query(
      `SELECT 1 FROM sessions s JOIN memberships m ON m.user_id = s.user_id AND m.organization_id = s.organization_id
        WHERE s.id = $1 AND s.user_id = $2 AND s.organization_id = $3 AND s.expires_at > now() AND s.idle_expires_at > now()`,
      [owner.sessionId, owner.userId, owner.tenantId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Sends every row after the stream's last id, in order; one reader per stream at a time (a wake during a read re-reads). */
  private async catchUp(stream: LiveStream): Promise<void> {
    if (stream.reading) {
      stream.again = true;
      return;
    }
    stream.reading = true;
    try {
      do {
        stream.again = false;
        if (stream.sse.isClosed || stream.sse.isBackedUp) return; // a drained stream comes back through onDrain
        const box = mailboxOf(stream.owner);
        const rows = await this.context.runForTenant(stream.owner.tenantId, () => this.tenant.run((m) => rowsAfter(m, box, stream.owner.userId, stream.lastId, PAGE)));
        for (const row of rows) {
          if (stream.sse.isClosed) return;
          stream.sse.send({ id: row.id, event: row.type, data: (box.toDto as (r: unknown) => unknown)(row) });
          stream.lastId = BigInt(row.id);
        }
        if (rows.length === PAGE) stream.again = true;
        await this.sendBoardChanges(stream);
      } while (stream.again);
    } catch (err) {
      this.logger.warn({ tenantId: stream.owner.tenantId, err: String(err) }, 'Notification stream read failed (retried on the next tick)');
    } finally {
      stream.reading = false;
    }
  }

  /**
   * Issue 13, board: one `board.changed` event per room whose bookings changed since the stream last looked,
   * without an `id:` (the browser keeps the last notification id for Last-Event-ID; a reconnecting board
   * re-fetches the whole board, so these need no replay).
   */
  private async sendBoardChanges(stream: LiveStream): Promise<void> {
    const tenantId = stream.owner.tenantId;
    const since = stream.boardSince;
    if (since === null) return;
    const changes = await this.context.runForTenant(tenantId, () => this.tenant.run((m) => boardChangesSince(m, since)));
    if (!changes.cursor) return;
    for (const change of changes.rooms) {
      if (stream.sse.isClosed) return;
      stream.sse.send({ event: 'board.changed', data: change });
    }
    stream.boardSince = changes.cursor;
  }
}
