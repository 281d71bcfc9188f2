import type pg from 'pg';
import { createHash, randomBytes } from 'node:crypto';
import { linkIn, type SmtpSink } from './smtp-sink.js';
import type { TestApp } from './test-app.js';

/**
 * Issue 12, portal: the client portal in tests. Portal accounts and sessions can be written straight into
 * a studio's database (as the old system's tests did with psql), or made through the API and the emailed links.
 */
export const PORTAL_COOKIE = 'rsm_portal';
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The portal cookie of a response (`rsm_portal=<studio id>.<token>`), or '' when none was set. */
export const portalCookieOf = (res: { headers: Record<string, unknown> }) =>
  ((res.headers['set-cookie'] as string[] | undefined) ?? []).map((c) => c.split(';')[0]).filter((c) => c.startsWith(`${PORTAL_COOKIE}=`)).join('; ');

/** A client with a portal account, written with SQL; returns their ids. */
export async function insertPortalAccount(db: pg.Client, options: { clientName?: string; email?: string; passwordHash?: string | null; disabled?: boolean } = {}) {
  const clientId = (await db.query(`INSERT INTO clients (name) VALUES ($1) RETURNING id`, [options.clientName ?? 'Portal Band'])).rows[0].id as string;
  const email = options.email ?? `contact-${randomBytes(4).toString('hex')}@band.test`;
  const accountId = (
    await db.query(`INSERT INTO client_portal_accounts (client_id, email, password_hash, disabled_at) VALUES ($1, $2, $3, CASE WHEN $4 THEN now() END) RETURNING id`, [
      clientId,
      email,
      options.passwordHash ?? null,
      options.disabled ?? false,
    ])
  ).rows[0].id as string;
  return { clientId, accountId, email };
}

/** A portal session written with SQL (expired when asked); returns its cookie header. */
export async function insertPortalSession(db: pg.Client, organizationId: string, accountId: string, { expired = false, idleExpired = false } = {}) {
  const token = randomBytes(32).toString('base64url');
  await db.query(
    `INSERT INTO client_portal_sessions (token_hash, account_id, last_seen_at, idle_expires_at, expires_at, user_agent)
     VALUES ($1, $2, now(), now() + CASE WHEN $3 OR $4 THEN interval '-1 minute' ELSE interval '1 hour' END, now() + CASE WHEN $3 THEN interval '-1 minute' ELSE interval '1 day' END, 'psql')`,
    [sha256(token), accountId, expired, idleExpired],
  );
  return `${PORTAL_COOKIE}=${organizationId}.${token}`;
}

/** The token of the newest email to `email` whose link has this path (e.g. `/portal/<slug>/accept-invite`). */
export async function portalLinkToken(sink: SmtpSink, email: string, path: string, seen = 0): Promise<string> {
  const mail = await sink.waitFor(email, { seen });
  const token = linkIn(mail, path).searchParams.get('token');
  if (!token) throw new Error(`no token in the ${path} link to ${email}`);
  return token;
}

/** The studio's slug, as the control database has it. */
export async function slugOf(t: TestApp, organizationId: string): Promise<string> {
  return (await t.control.query(`SELECT slug FROM organizations WHERE id = $1`, [organizationId])).rows[0].slug as string;
}
