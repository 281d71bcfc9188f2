import { createApp } from '../src/app.factory.js';
import { JOBS_SCHEMA, JobQueue } from '../src/jobs/job-queue.service.js';
import { MAINTENANCE_QUEUE, MaintenanceJob } from '../src/jobs/maintenance.job.js';
import { createTestApp, registerStudio, tenantDatabases, type TestApp } from './support/test-app.js';
import { LATE_NOTICES_QUEUE } from '../src/invoices/late-notice.job.js';
import { STUDIO_SWEEP_QUEUE } from '../src/jobs/studio-sweep.service.js'; // issue 14
import { RETIRED_QUEUES } from '../src/jobs/job-queue.service.js';
import { PgBoss } from 'pg-boss';

const DAY = 86_400_000;

/** Polls until `done` holds (the worker polls the queue every 2 s); fails after 30 s. */
async function eventually(done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('the maintenance job did not complete within 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Issue 5, "Expired sessions": the maintenance job on the PostgreSQL-backed queue (pg-boss). */
describe('maintenance job', () => {
  let t: TestApp;
  let maintenance: MaintenanceJob;
  beforeAll(async () => {
    t = await createTestApp({ JOBS_ENABLED: 'true' });
    maintenance = t.app.get(MaintenanceJob);
  });
  afterAll(async () => {
    await t?.close();
  });

  const sessionIds = async (userId: string) =>
    (await t.control.query(`SELECT id FROM sessions WHERE user_id = $1 ORDER BY id`, [userId])).rows.map((r: { id: string }) => r.id);
  const login = async (credentials: { email: string; password: string }) => {
    const res = await t.http().post('/api/v1/auth/login').send({ email: credentials.email, password: credentials.password }).expect(200);
    return (res.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
  };

  it('deletes sessions past their idle or absolute expiry and keeps live ones', async () => {
    const studio = await registerStudio(t);
    const idle = await login(studio.credentials);
    const absolute = await login(studio.credentials);
    expect(await sessionIds(studio.userId)).toHaveLength(3);
    await t.control.query(
      `UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE token_hash = encode(sha256($1::bytea), 'hex')`,
      [idle.split('=')[1]],
    );
    await t.control.query(
      `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = encode(sha256($1::bytea), 'hex')`,
      [absolute.split('=')[1]],
    );

    const report = await maintenance.run();
    expect(report.expiredSessions).toBeGreaterThanOrEqual(2);
    expect(await sessionIds(studio.userId)).toHaveLength(1);
    await t.http().get('/api/v1/auth/me').set('cookie', studio.cookie).expect(200); // the live one still works
  });

  it('deletes used and expired one-time tokens and keeps live ones', async () => {
    const [used, expired, live] = [await registerStudio(t), await registerStudio(t), await registerStudio(t)];
    await t.control.query(`UPDATE one_time_tokens SET used_at = now() WHERE user_id = $1`, [used.userId]);
    await t.control.query(`UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [expired.userId]);
    await maintenance.run();
    const { rows } = await t.control.query(`SELECT user_id FROM one_time_tokens WHERE user_id = ANY($1::uuid[])`, [
      [used.userId, expired.userId, live.userId],
    ]);
    expect(rows.map((r: { user_id: string }) => r.user_id)).toEqual([live.userId]);
  });

  it('deletes rate-limit counters an hour past expiry and keeps current ones', async () => {
    const now = Date.now();
    await t.control.query(`INSERT INTO rate_limits (key, points, expire) VALUES ('test:old', 1, $1), ('test:current', 1, $2)`, [now - 7_200_000, now + 60_000]);
    const report = await maintenance.run();
    expect(report.expiredRateLimits).toBeGreaterThanOrEqual(1);
    const { rows } = await t.control.query(`SELECT key FROM rate_limits WHERE key LIKE 'test:%'`);
    expect(rows.map((r: { key: string }) => r.key)).toEqual(['test:current']);
  });

  it('records the suspension of unverified studios past their deadline, and leaves others alone', async () => {
    const [overdue, onTime] = [await registerStudio(t), await registerStudio(t)];
    await t.control.query(`UPDATE organizations SET unverified_until = now() - interval '1 minute' WHERE id = $1`, [overdue.organizationId]);
    await maintenance.run();
    const { rows } = await t.control.query(`SELECT id, suspended_at FROM organizations WHERE id = ANY($1::uuid[])`, [
      [overdue.organizationId, onTime.organizationId],
    ]);
    const suspendedAt = Object.fromEntries(rows.map((r: { id: string; suspended_at: Date | null }) => [r.id, r.suspended_at]));
    expect(suspendedAt[overdue.organizationId]).toBeInstanceOf(Date);
    expect(suspendedAt[onTime.organizationId]).toBeNull();
  });

  it('drops a studio past its grace period: database gone, no registry or control rows left, the email free again', async () => {
    const [abandoned, suspendedOnly, verified] = [await registerStudio(t), await registerStudio(t), await registerStudio(t)];
    await t.http().post('/api/v1/clients').set('cookie', abandoned.cookie).send({ name: 'Pool opened' }).expect(201);
    const databaseOf = async (organizationId: string) =>
      (await t.control.query(`SELECT database_name FROM tenant_databases WHERE organization_id = $1`, [organizationId])).rows[0]?.database_name as string;
    const abandonedDb = await databaseOf(abandoned.organizationId);
    const graceDays = t.config.signup.unverifiedGraceMs / DAY;
    await t.control.query(`UPDATE organizations SET unverified_until = now() - $2 * interval '1 day' - interval '1 minute' WHERE id = $1`, [
      abandoned.organizationId,
      graceDays,
    ]);
    await t.control.query(`UPDATE organizations SET unverified_until = now() - $2 * interval '1 day' + interval '1 hour' WHERE id = $1`, [
      suspendedOnly.organizationId,
      graceDays,
    ]);
    // A verified studio has no deadline, however old.
    await t.control.query(`UPDATE organizations SET unverified_until = NULL, created_at = now() - interval '400 days' WHERE id = $1`, [verified.organizationId]);

    const report = await maintenance.run();
    expect(report.droppedStudios).toBe(1);

    expect(await tenantDatabases(t)).not.toContain(abandonedDb);
    for (const table of ['organizations WHERE id', 'tenant_databases WHERE organization_id', 'memberships WHERE organization_id', 'sessions WHERE organization_id']) {
      const { rows } = await t.control.query(`SELECT count(*)::int AS n FROM ${table} = $1`, [abandoned.organizationId]);
      expect({ table, n: rows[0].n }).toEqual({ table, n: 0 });
    }
    expect((await t.control.query(`SELECT count(*)::int AS n FROM users WHERE id = $1`, [abandoned.userId])).rows[0].n).toBe(0);
    await t.http().get('/api/v1/auth/me').set('cookie', abandoned.cookie).expect(401);

    // Every registry row still points at a database that exists, and the others are untouched.
    const { rows: registry } = await t.control.query(`SELECT database_name, status FROM tenant_databases`);
    const existing = await tenantDatabases(t);
    for (const row of registry) expect({ ...row, exists: existing.includes(row.database_name) }).toEqual({ ...row, exists: true });
    for (const kept of [suspendedOnly, verified]) expect(existing).toContain(await databaseOf(kept.organizationId));

    // Whoever really owns the address can now sign up with it.
    await t.http().post('/api/v1/auth/register').send({ ...abandoned.credentials, studioName: 'The real owner' }).expect(201);
  });

  it('runs through pg-boss: the queue is scheduled, and a job sent to it does the work', async () => {
    const { rows: schedules } = await t.control.query(`SELECT name, cron FROM ${JOBS_SCHEMA}.schedule ORDER BY name`);
    // Issue 11, invoices: the daily late-notice fan-out is scheduled too.
    // Issue 14: one per-minute sweep of the studios with background work due (notifications, reminders, mail,
    // webhooks), in place of the four that each visited every studio.
    expect(schedules).toEqual([
      { name: LATE_NOTICES_QUEUE, cron: '0 7 * * *' },
      { name: MAINTENANCE_QUEUE, cron: t.config.jobs.maintenanceCron },
      { name: STUDIO_SWEEP_QUEUE, cron: '* * * * *' },
    ]);

    const studio = await registerStudio(t);
    await t.control.query(`UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE user_id = $1`, [studio.userId]);
    const queue = t.app.get(JobQueue);
    // `exclusive` refuses a send while a scheduled run is queued or active; that run does the work too.
    await queue.send(MAINTENANCE_QUEUE);
    const completed = async () =>
      (await t.control.query(`SELECT count(*)::int AS n FROM ${JOBS_SCHEMA}.job WHERE name = $1 AND state = 'completed'`, [MAINTENANCE_QUEUE])).rows[0].n;
    await eventually(async () => (await completed()) > 0);
    expect(await sessionIds(studio.userId)).toEqual([]);
  });
});

describe('two instances on one control database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ JOBS_ENABLED: 'true' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a second instance (or a restart) starts on the existing queue and schedule, and keeps one of each', async () => {
    // Issue 14: what an earlier version left (its per-minute sweeps, scheduled, a job waiting) is deleted at start.
    const earlier = new PgBoss({ connectionString: t.config.databaseUrl!, schema: JOBS_SCHEMA });
    earlier.on('error', () => undefined);
    await earlier.start();
    for (const name of RETIRED_QUEUES) {
      await earlier.createQueue(name, { policy: 'exclusive' });
      await earlier.schedule(name, '* * * * *', {}, { tz: 'UTC' });
    }
    await earlier.send(RETIRED_QUEUES[0], {});
    await earlier.stop({ graceful: false });
    const second = await createApp({ ...t.config });
    try {
      await second.init();
      expect(second.get(JobQueue).started).toBe(true);
      const { rows: queues } = await t.control.query(`SELECT name, policy FROM ${JOBS_SCHEMA}.queue WHERE name = $1`, [MAINTENANCE_QUEUE]);
      expect(queues).toEqual([{ name: MAINTENANCE_QUEUE, policy: 'exclusive' }]);
      const { rows: schedules } = await t.control.query(`SELECT count(*)::int AS n FROM ${JOBS_SCHEMA}.schedule`);
      expect(schedules[0].n).toBe(3); // maintenance, (issue 11) invoice late notices, (issue 14) the studio sweep
      const { rows: retired } = await t.control.query(`SELECT name FROM ${JOBS_SCHEMA}.queue WHERE name = ANY($1::text[])`, [RETIRED_QUEUES]);
      expect(retired).toEqual([]);
      const { rows: jobs } = await t.control.query(`SELECT count(*)::int AS n FROM ${JOBS_SCHEMA}.job WHERE name = ANY($1::text[])`, [RETIRED_QUEUES]);
      expect(jobs[0].n).toBe(0);
    } finally {
      await second.close();
    }
  });
});

describe('job queue turned off (JOBS_ENABLED=false)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ JOBS_ENABLED: 'false' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('starts no queue and installs nothing, while the maintenance steps stay callable', async () => {
    expect(t.app.get(JobQueue).started).toBe(false);
    const { rows } = await t.control.query(`SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = $1`, [JOBS_SCHEMA]);
    expect(rows[0].n).toBe(0);
    await expect(t.app.get(MaintenanceJob).run()).resolves.toMatchObject({ droppedStudios: 0 });
  });
});
