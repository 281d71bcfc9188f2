import { OneTimeTokens } from '../src/auth/one-time-tokens.service.js';
import { SessionsService } from '../src/auth/sessions.service.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * The maintenance job's clean-up runs under DB_STATEMENT_TIMEOUT_MS: after an outage of the job (or a
 * flood of sign-ins) one DELETE over everything expired could outlast it and never finish. Each
 * statement deletes a bounded batch; a statement-level trigger (the real server counting the rows
 * of each DELETE) shows the batches.
 */
describe('maintenance clean-up deletes in batches', () => {
  let t: TestApp;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  const BACKLOG = 12_001;
  const MAX_BATCH = 5_000;

  beforeAll(async () => {
    t = await createTestApp();
    studio = await registerStudio(t);
  });
  afterAll(() => t.close());

  /** Records how many rows each DELETE statement on `table` removed. */
  const countDeletesPerStatement = async (table: string) => {
    await t.control.query(`CREATE TABLE IF NOT EXISTS delete_log (tbl text, n int)`);
    await t.control.query(`CREATE OR REPLACE FUNCTION log_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO delete_log SELECT TG_TABLE_NAME, count(*) FROM gone; RETURN NULL; END $$`);
    await t.control.query(`CREATE TRIGGER log_delete_${table} AFTER DELETE ON ${table} REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION log_delete()`);
    return async () => (await t.control.query(`SELECT n FROM delete_log WHERE tbl = $1 AND n > 0`, [table])).rows.map((r: { n: number }) => r.n);
  };

  it('expired sessions: all deleted, live ones kept, no statement deleting more than a batch', async () => {
    const batches = await countDeletesPerStatement('sessions');
    await t.control.query(
      `INSERT INTO sessions (token_hash, user_id, organization_id, last_seen_at, idle_expires_at, expires_at)
       SELECT md5(i::text) || md5((-i)::text), $1, $2, now() - interval '2 days', now() - interval '1 day', now() + interval '1 day'
         FROM generate_series(1, $3) i`,
      [studio.userId, studio.organizationId, BACKLOG],
    );
    expect(await t.app.get(SessionsService).deleteExpired()).toBe(BACKLOG);
    const counts = await batches();
    expect(counts.reduce((a, b) => a + b, 0)).toBe(BACKLOG);
    expect(Math.max(...counts)).toBeLessThanOrEqual(MAX_BATCH);
    // The sign-up's own session is live and stays.
    expect((await t.control.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [studio.userId])).rows[0].n).toBe(1);
  });

  it('spent and expired one-time tokens: all deleted, no statement deleting more than a batch', async () => {
    const batches = await countDeletesPerStatement('one_time_tokens');
    await t.control.query(
      `INSERT INTO one_time_tokens (token_hash, purpose, user_id, expires_at, used_at)
       SELECT md5(i::text) || md5((-i)::text), 'email-verification', $1, now() + interval '1 day', CASE WHEN i % 2 = 0 THEN now() END
         FROM generate_series(1, $2) i`,
      [studio.userId, BACKLOG],
    );
    await t.control.query(`UPDATE one_time_tokens SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL`);
    const deleted = await t.app.get(OneTimeTokens).deleteSpent();
    expect(deleted).toBeGreaterThanOrEqual(BACKLOG);
    const counts = await batches();
    expect(counts.reduce((a, b) => a + b, 0)).toBe(deleted);
    expect(Math.max(...counts)).toBeLessThanOrEqual(MAX_BATCH);
    expect((await t.control.query(`SELECT count(*)::int AS n FROM one_time_tokens WHERE used_at IS NOT NULL OR expires_at <= now()`)).rows[0].n).toBe(0);
  });
});
