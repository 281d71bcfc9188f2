import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { BLOCKING_STATUSES } from '../bookings/booking.entity.js';
import { ProblemException } from '../common/problem.js';
import { RequestContext } from '../common/request-context.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { Room } from '../rooms/room.entity.js';
import { StudioSettings } from '../studio/studio-settings.entity.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { TenantRegistry } from '../tenancy/tenant-registry.service.js';
import { CalendarFeed } from './calendar-feed.entity.js';
import { type FeedEvent, renderFeed } from './calendar-feed-ics.js';
import { ENGINEER_ROLES, feedTokenHash, parseFeedKey } from './calendar-feed-token.js';

/** What the feed covers: a month back (recent sessions stay visible) and a year ahead. */
const PAST_DAYS = 30;
const FUTURE_DAYS = 365;

/** One body for every refusal (malformed, unknown studio, unknown or revoked token), so none tells them apart. */
const noFeed = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No calendar feed at this address (it may have been revoked).');

export interface RenderedFeed {
  body: string;
  etag: string;
}

/**
 * Issue 9 (booking-extras): serves a feed without a session. The key names a studio; the registry says
 * whether it exists, then the work runs as that studio (RequestContext.runForTenant) so the token hash is
 * looked up in that studio's database through TenantConnection, the same path as every request. A token
 * of studio A presented with studio B's id is looked up in B's database, where it is not: 404.
 */
@Injectable()
export class CalendarFeedReader {
  constructor(
    private readonly registry: TenantRegistry,
    private readonly context: RequestContext,
    private readonly tenant: TenantConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {}

  async render(key: string, host: string): Promise<RenderedFeed> {
    const parsed = parseFeedKey(key);
    if (!parsed) throw noFeed();
    const studio = await this.registry.find(parsed.organizationId);
    if (!studio || studio.status !== 'ready' || (await this.isSuspended(parsed.organizationId))) throw noFeed();
    return this.context.runForTenant(parsed.organizationId, () =>
      this.tenant.run(async (m) => {
        const feed = await m.getRepository(CalendarFeed).findOneBy({ tokenHash: feedTokenHash(parsed.token), revokedAt: IsNull() });
        if (!feed) throw noFeed();
        const settings = await m.getRepository(StudioSettings).findOneByOrFail({ id: 1 });
        let name: string;
        if (feed.kind === 'room') {
          const room = await m.getRepository(Room).findOneBy({ id: feed.resourceId });
          if (!room) throw noFeed();
          name = room.name;
        } else {
          // An engineer removed from the studio (or made a viewer) stops being published at once.
          if (!(await this.isEngineer(parsed.organizationId, feed.resourceId))) throw noFeed();
          name = 'My sessions';
        }
        const rows = (await m.query(
          `SELECT b.id, b.title, r.name AS room_name, b.status, b.starts_at, b.ends_at, b.updated_at
             FROM bookings b JOIN rooms r ON r.id = b.room_id
            WHERE b.status = ANY($1::text[]) AND NOT (b.status = 'hold' AND b.hold_expires_at <= now())
              AND b.ends_at > now() - make_interval(days => $2) AND b.starts_at < now() + make_interval(days => $3)
              AND CASE WHEN $4 = 'room' THEN b.room_id = $5::uuid
                       ELSE EXISTS (SELECT 1 FROM booking_engineers e WHERE e.booking_id = b.id AND e.user_id = $5::uuid) END
            ORDER BY b.starts_at, b.id`,
          [BLOCKING_STATUSES, PAST_DAYS, FUTURE_DAYS, feed.kind, feed.resourceId],
        )) as Array<{ id: string; title: string; room_name: string; status: string; starts_at: Date; ends_at: Date; updated_at: Date }>;
        const events: FeedEvent[] = rows.map((r) => ({ id: r.id, title: r.title, roomName: r.room_name, status: r.status, startsAt: r.starts_at, endsAt: r.ends_at, updatedAt: r.updated_at }));
        const body = renderFeed({ name, timeZone: settings.timeZone, host: this.uidHost(host), withRoomInSummary: feed.kind === 'engineer', events });
        return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"` };
      }),
    );
  }

  /** A suspended studio (owner's email unverified past its deadline) publishes nothing, as its staff routes refuse. */
  private async isSuspended(organizationId: string): Promise<boolean> {
    const rows = (await this.control.query(
      `SELECT 1 FROM organizations WHERE id = $1 AND (suspended_at IS NOT NULL OR unverified_until <= now())`,
      [organizationId],
    )) as unknown[];
    return rows.length > 0;
  }

  private async isEngineer(organizationId: string, userId: string): Promise<boolean> {
    const rows = (await this.control.query(`SELECT 1 FROM memberships WHERE organization_id = $1 AND user_id = $2 AND role::text = ANY($3::text[])`, [
      organizationId,
      userId,
      ENGINEER_ROLES,
    ])) as unknown[];
    return rows.length > 0;
  }

  /** UIDs must not change from one poll to the next: the configured public host (PUBLIC_URL), else the host name without port. */
  private uidHost(requestHost: string): string {
    const configured = this.config.signup.publicUrl;
    return configured ? new URL(configured).hostname : requestHost;
  }
}
