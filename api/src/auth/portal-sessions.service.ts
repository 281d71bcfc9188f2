import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { DataSource, type EntityManager } from 'typeorm';
import type { PortalPrincipal } from './auth.types.js';
import { sessionCookieOptions } from './session-cookie.js';
import { hashToken } from './sessions.service.js';
import { STUDIO_SUSPENDED_SQL, studioReadOnlySql } from './studio-standing.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { TenantDataSources } from '../tenancy/tenant-data-sources.service.js';

/** Like staff sessions: last_seen_at is written at most once a minute per session, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The studio a portal cookie names and the token it carries, or undefined when it is not one of ours. */
export function parsePortalCookie(value: string | undefined): { organizationId: string; token: string } | undefined {
  if (!value || value.length > 200) return undefined;
  const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(value);
  return match && UUID.test(match[1]) ? { organizationId: match[1], token: match[2] } : undefined;
}

/** A studio as the portal names it: by its slug in URLs, by its id in the cookie. */
export interface PortalStudio {
  id: string;
  slug: string;
  name: string;
}

/**
 * Issue 12, portal: client portal sessions, in each studio's own database (`client_portal_sessions`).
 *
 * The cookie is `<studio id>.<token>`. The studio id only says which database to look in: the token is
 * looked up (by its SHA-256, in a unique index: timing-safe by construction) in that studio's database
 * alone, so a cookie whose id is changed to another studio's names a token that studio never issued,
 * and a real session of studio A can never be presented as one of studio B. The cookie has its own name
 * and Path (/api/v1/portal): the staff strategy never reads it, and the browser never sends it to staff
 * routes. Idle and absolute expiry as for staff; a disabled account's sessions are deleted and, should
 * one be written concurrently, refused by the same lookup (it joins the account).
 */
@Injectable()
export class PortalSessions {
  private readonly readOnlySql: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly dataSources: TenantDataSources,
    private readonly clock: Clock,
  ) {
    this.readOnlySql = studioReadOnlySql(config.subscription);
  }

  /** The studio of a portal URL's slug, or undefined. */
  async studioBySlug(slug: string): Promise<PortalStudio | undefined> {
    const [row] = (await this.control.query(`SELECT id, slug, name FROM organizations WHERE slug = $1`, [slug])) as PortalStudio[];
    return row;
  }

  /** Writes a new session of `accountId` with the studio's tenant `manager`; returns the cookie value. */
  async create(manager: EntityManager, organizationId: string, accountId: string, userAgent: string | undefined): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now().getTime();
    await manager.query(
      `INSERT INTO client_portal_sessions (token_hash, account_id, created_at, last_seen_at, idle_expires_at, expires_at, user_agent)
       VALUES ($1, $2, $3, $3, $4, $5, $6)`,
      [hashToken(token), accountId, new Date(now), new Date(now + this.config.portal.idleTimeoutMs), new Date(now + this.config.portal.absoluteTimeoutMs), userAgent?.slice(0, 512) || null],
    );
    await manager.query(`UPDATE client_portal_accounts SET last_login_at = $2 WHERE id = $1`, [accountId, new Date(now)]);
    return `${organizationId}.${token}`;
  }

  /** The live session a cookie value names, as a principal; undefined when unknown, expired or disabled. */
  async resolve(cookie: string | undefined): Promise<PortalPrincipal | undefined> {
    const parsed = parsePortalCookie(cookie);
    if (!parsed) return undefined;
    const [studio] = (await this.control.query(
      `SELECT o.id, o.slug, o.name, ${STUDIO_SUSPENDED_SQL} AS suspended, ${this.readOnlySql} AS read_only
         FROM organizations o JOIN tenant_databases t ON t.organization_id = o.id WHERE o.id = $1`,
      [parsed.organizationId],
    )) as Array<PortalStudio & { suspended: boolean; read_only: boolean }>;
    if (!studio) return undefined;
    const now = this.clock.now();
    return this.dataSources.withTenant(studio.id, async (ds) => {
      const [row] = (await ds.query(
        `SELECT s.id, s.account_id, s.last_seen_at, a.client_id, a.email
           FROM client_portal_sessions s JOIN client_portal_accounts a ON a.id = s.account_id
          WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.idle_expires_at > $2 AND a.disabled_at IS NULL`,
        [hashToken(parsed.token), now],
      )) as Array<{ id: string; account_id: string; last_seen_at: Date; client_id: string; email: string }>;
      if (!row) return undefined;
      if (now.getTime() - new Date(row.last_seen_at).getTime() > TOUCH_INTERVAL_MS) {
        await ds.query(
          `UPDATE client_portal_sessions SET last_seen_at = $2, idle_expires_at = LEAST(expires_at, $2::timestamptz + $3 * interval '1 millisecond') WHERE id = $1`,
          [row.id, now, this.config.portal.idleTimeoutMs],
        );
      }
      return {
        organizationId: studio.id,
        studioSlug: studio.slug,
        studioName: studio.name,
        accountId: row.account_id,
        clientId: row.client_id,
        sessionId: row.id,
        email: row.email,
        studioSuspended: studio.suspended,
        studioReadOnly: studio.read_only,
      };
    });
  }

  /** Ends the session a cookie names, if it is one of `organizationId`'s (a login replaces the browser's session). */
  async revokeCookie(cookie: string | undefined, organizationId: string, manager: EntityManager): Promise<void> {
    const parsed = parsePortalCookie(cookie);
    if (parsed?.organizationId !== organizationId) return;
    await manager.query(`DELETE FROM client_portal_sessions WHERE token_hash = $1`, [hashToken(parsed.token)]);
  }

  /** Ends one session (logout). */
  async revoke(principal: PortalPrincipal): Promise<void> {
    await this.dataSources.withTenant(principal.organizationId, (ds) => ds.query(`DELETE FROM client_portal_sessions WHERE id = $1`, [principal.sessionId]));
  }

  setCookie(reply: FastifyReply, value: string): void {
    reply.setCookie(this.config.portal.cookieName, value, { ...this.cookieOptions(), maxAge: Math.floor(this.config.portal.absoluteTimeoutMs / 1000) });
  }

  clearCookie(reply: FastifyReply): void {
    reply.clearCookie(this.config.portal.cookieName, this.cookieOptions());
  }

  /** The staff cookie's attributes (HttpOnly, SameSite=Lax, Secure by COOKIE_SECURE, Domain), scoped to the portal's API. */
  private cookieOptions() {
    return { ...sessionCookieOptions(this.config), path: this.config.portal.cookiePath };
  }
}
