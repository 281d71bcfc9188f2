import type pg from 'pg';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '../../src/control/membership.entity.js';
import { connectTenantDatabase, type TestApp } from './test-app.js';

/**
 * Issue 10, reviews: rows of a studio's projects, files, deliverables, versions and comments written
 * straight into its database (connectTenantDatabase), for tests of the reviews API that need them to
 * exist. The projects and files APIs are built alongside; a file here has a fake storage key and no
 * blob (reviews only refer to the row).
 */
export async function insertProject(db: pg.Client, values: { includedRevisionRounds?: number; title?: string } = {}): Promise<string> {
  const clientId = (await db.query(`INSERT INTO clients (name) VALUES ('Review client') RETURNING id`)).rows[0].id as string;
  const { rows } = await db.query(`INSERT INTO projects (client_id, title, type, included_revision_rounds) VALUES ($1, $2, 'single', $3) RETURNING id`, [
    clientId,
    values.title ?? 'Review project',
    values.includedRevisionRounds ?? 2,
  ]);
  return rows[0].id as string;
}

export async function insertTrack(db: pg.Client, projectId: string, title = 'Track'): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO tracks (project_id, title, position) VALUES ($1, $2, (SELECT coalesce(max(position), 0) + 1 FROM tracks WHERE project_id = $1)) RETURNING id`,
    [projectId, title],
  );
  return rows[0].id as string;
}

/** A `files` row of the project (as the files API would leave it after an upload; no blob). */
export async function insertFile(db: pg.Client, projectId: string, name = 'mix.wav'): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO files (project_id, original_name, storage, storage_key, size_bytes, content_type, sha256, peaks_status)
     VALUES ($1, $2, 'local', $3, 1024, 'audio/wav', $4, 'ready') RETURNING id`,
    [projectId, name, `fake/${randomUUID()}`, randomBytes(32).toString('hex')],
  );
  return rows[0].id as string;
}

export async function insertDeliverable(db: pg.Client, projectId: string, title = 'Mix'): Promise<string> {
  return (await db.query(`INSERT INTO deliverables (project_id, title) VALUES ($1, $2) RETURNING id`, [projectId, title])).rows[0].id as string;
}

/** Version `number` (next by default) of a deliverable, awaiting review, on a new file of its project. */
export async function insertVersion(db: pg.Client, deliverableId: string): Promise<string> {
  const [{ project_id: projectId }] = (await db.query(`SELECT project_id FROM deliverables WHERE id = $1`, [deliverableId])).rows;
  const fileId = await insertFile(db, projectId);
  const { rows } = await db.query(
    `INSERT INTO deliverable_versions (deliverable_id, number, file_id)
     VALUES ($1, (SELECT coalesce(max(number), 0) + 1 FROM deliverable_versions WHERE deliverable_id = $1), $2) RETURNING id`,
    [deliverableId, fileId],
  );
  return rows[0].id as string;
}

/** A top-level comment at `atSeconds` by staff user `authorUserId`. */
export async function insertComment(db: pg.Client, versionId: string, authorUserId: string, atSeconds = 1): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO review_comments (version_id, at_seconds, body, author_user_id, author_name) VALUES ($1, $2, 'Fixture comment', $3, 'Fixture author') RETURNING id`,
    [versionId, atSeconds, authorUserId],
  );
  return rows[0].id as string;
}

/** A whole chain in one studio: project → deliverable → version v1 (awaiting review). */
export async function insertReviewChain(db: pg.Client) {
  const projectId = await insertProject(db);
  const deliverableId = await insertDeliverable(db, projectId);
  const versionId = await insertVersion(db, deliverableId);
  return { projectId, deliverableId, versionId };
}

/** A member of `organizationId` with `role`, signed in: a session cookie minted behind the app's back. */
export async function addSignedInMember(t: TestApp, organizationId: string, role: Role, name: string) {
  const email = `${name.replace(/\W/g, '-').toLowerCase()}-${randomBytes(4).toString('hex')}@reviews.test`;
  const [user] = (await t.control.query(`INSERT INTO users (name, email, password_hash) VALUES ($1, $2, 'not-a-hash') RETURNING id`, [name, email])).rows as Array<{ id: string }>;
  await t.control.query(`INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, $3)`, [organizationId, user.id, role]);
  const token = randomBytes(32).toString('base64url');
  await t.control.query(
    `INSERT INTO sessions (token_hash, user_id, organization_id, last_seen_at, idle_expires_at, expires_at)
     VALUES ($1, $2, $3, now(), now() + interval '1 hour', now() + interval '1 hour')`,
    [createHash('sha256').update(token).digest('hex'), user.id, organizationId],
  );
  return { userId: user.id, name, cookie: `rsm_session=${token}` };
}

/**
 * Waits until `count` backends of database `databaseName` are waiting on a lock (seen from the server's
 * maintenance connection, which sees every role's activity): the concurrent requests are queued behind
 * an outside lock, so releasing it lets them race for real.
 */
export async function waitForLockWaiters(t: TestApp, databaseName: string, count: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const { rows } = await t.admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [databaseName]);
    if (rows[0].n >= count) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`fewer than ${count} requests ever waited on the lock`);
}

/** Holds `SELECT … FOR UPDATE` on one row of a studio's table from outside the app until released. */
export async function holdRowLock(t: TestApp, organizationId: string, table: string, id: string) {
  const locker = await connectTenantDatabase(t, organizationId);
  await locker.query('BEGIN');
  await locker.query(`SELECT 1 FROM "${table}" WHERE id = $1 FOR UPDATE`, [id]);
  return {
    async release() {
      await locker.query('COMMIT');
      await locker.end();
    },
  };
}
