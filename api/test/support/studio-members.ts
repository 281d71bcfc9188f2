import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../../src/control/membership.entity.js';
import type { TestApp } from './test-app.js';

/**
 * Issue 9, resources: a member of a studio with a given role and a signed-in session, written behind
 * the app's back (as the authorization matrix does): the invite flow is tested elsewhere, and an
 * argon2 login per member would only slow the suites down.
 */
export async function addMemberWithSession(t: TestApp, organizationId: string, role: Role, label = role) {
  const email = `${label.replace(/\W/g, '-')}-${randomBytes(4).toString('hex')}@resources.test`;
  const [user] = (await t.control.query(`INSERT INTO users (name, email, password_hash) VALUES ($1, $2, 'not-a-hash') RETURNING id`, [`${label} member`, email]))
    .rows as Array<{ id: string }>;
  await t.control.query(`INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, $3)`, [organizationId, user.id, role]);
  const token = randomBytes(32).toString('base64url');
  await t.control.query(
    `INSERT INTO sessions (token_hash, user_id, organization_id, last_seen_at, idle_expires_at, expires_at)
     VALUES ($1, $2, $3, now(), now() + interval '1 hour', now() + interval '1 hour')`,
    [createHash('sha256').update(token).digest('hex'), user.id, organizationId],
  );
  return { userId: user.id, email, cookie: `rsm_session=${token}` };
}
