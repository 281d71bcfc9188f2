import { Inject, Injectable } from '@nestjs/common';
import { UAParser } from 'ua-parser-js';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { Clock } from '../common/clock.js';
import { ProblemException } from '../common/problem.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import type { Principal } from './auth.types.js';
import type { SessionDto, SessionListDto } from './dto/session.dto.js';
import { SessionsService } from './sessions.service.js';

/** The list is for people, not an export: a user with more live sessions sees the newest this many. */
export const SESSION_LIST_LIMIT = 100;

const sessionNotFound = () => new ProblemException(404, 'not-found', 'No such session among yours.');

/** "Chrome 131", "macOS 10.15.7", …: the parts of a User-Agent a person recognises their device by. */
export function describeUserAgent(userAgent: string | null): Pick<SessionDto, 'summary' | 'browser' | 'os' | 'deviceType'> {
  const { browser, os, device } = new UAParser(userAgent ?? '').getResult();
  const join = (name?: string, version?: string) => (name ? [name === 'Mac OS' ? 'macOS' : name, version].filter(Boolean).join(' ') : null);
  const browserName = join(browser.name, browser.major);
  const osName = join(os.name, os.version);
  const deviceType = device.type === undefined ? 'desktop' : device.type === 'mobile' || device.type === 'tablet' ? device.type : 'other';
  const summary = browserName && osName ? `${browserName} on ${osName}` : (browserName ?? osName ?? (userAgent ? 'Unknown browser' : 'Unknown device'));
  return { summary, browser: browserName, os: osName, deviceType };
}

/**
 * Issue 7, accounts-mail (OWASP ASVS 5.0 V7.5): a user sees their live sessions and ends any of them.
 * Only ever the caller's own: every statement is scoped by the principal's user id, so another
 * user's session id is simply not found (404, never 403: ids do not tell what exists).
 */
@Injectable()
export class UserSessions {
  constructor(
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async list(principal: Principal): Promise<SessionListDto> {
    const rows: Array<{ id: string; user_agent: string | null; ip_address: string | null; created_at: Date; last_seen_at: Date }> = await this.control.query(
      `SELECT id, user_agent, ip_address, created_at, last_seen_at FROM sessions
        WHERE user_id = $1 AND expires_at > $2 AND idle_expires_at > $2
        ORDER BY created_at DESC, id LIMIT $3`,
      [principal.userId, this.clock.now(), SESSION_LIST_LIMIT],
    );
    return {
      items: rows.map((row) => ({
        id: row.id,
        current: row.id === principal.sessionId,
        ...describeUserAgent(row.user_agent),
        userAgent: row.user_agent,
        ipAddress: row.ip_address,
        createdAt: row.created_at.toISOString(),
        lastSeenAt: row.last_seen_at.toISOString(),
      })),
    };
  }

  /** Ends one of the caller's sessions (the current one too: that is a logout). 404 when it is not theirs. */
  async end(principal: Principal, sessionId: string): Promise<void> {
    // Recorded in the studio of the session ended: the studio it no longer has access to.
    const [session] = (await this.control.query(`SELECT organization_id FROM sessions WHERE id = $1 AND user_id = $2`, [sessionId, principal.userId])) as Array<{
      organization_id: string;
    }>;
    if (!session) throw sessionNotFound();
    await this.audit.around(
      session.organization_id,
      async () => {
        const [, count] = (await this.control.query(`DELETE FROM sessions WHERE id = $1 AND user_id = $2`, [sessionId, principal.userId])) as [unknown, number];
        if (count === 0) throw sessionNotFound(); // ended meanwhile: no entry
      },
      () => ({ action: 'session.ended', targetType: 'session', targetId: sessionId, details: { current: sessionId === principal.sessionId } }),
    );
  }

  /** "Sign out everywhere else": every session of the caller but this one, recorded in this session's studio. Returns how many ended. */
  endOthers(principal: Principal): Promise<number> {
    return this.audit.around(
      principal.organizationId,
      () => this.sessions.revokeAllOf(principal.userId, principal.sessionId),
      () => ({ action: 'session.others_signed_out', targetType: 'user', targetId: principal.userId }),
    );
  }
}
