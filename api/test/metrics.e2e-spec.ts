import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JOBS_SCHEMA, JobQueue } from '../src/jobs/job-queue.service.js';
import { MAINTENANCE_QUEUE } from '../src/jobs/maintenance.job.js';
import { TenantMigrationMetrics } from '../src/metrics/tenant-migration-metrics.js';
import { LATEST_TENANT_SCHEMA_VERSION } from '../src/tenant-schema/tenant-migrations.js';
import { parseExposition, seriesOf, valueOf } from './support/prometheus.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/** Polls `read` until it returns `expected` (a worker or a monitor pass happens in the background); 30 s bound. */
async function eventually<T>(read: () => Promise<T>, expected: T): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last: T | undefined;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (last === expected) return;
    } catch {
      // the series may not exist yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`expected ${String(expected)}, last read ${String(last)}`);
}

/** Issue 8, "/metrics exposes the new series with real values after traffic". */
describe('metrics after real traffic', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });
  const scrape = async (app = t) => (await app.http().get('/metrics').expect(200)).text;

  it('HTTP durations are counted per route template, method and status code, never per raw URL', async () => {
    const studio = await registerStudio(t, 'Metrics');
    const ids: string[] = [];
    for (const name of ['One', 'Two', 'Three']) {
      ids.push((await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name }).expect(201)).body.id);
    }
    for (const id of ids) await t.http().get(`/api/v1/clients/${id}`).set('cookie', studio.cookie).expect(200);
    const missing = randomUUID();
    await t.http().get(`/api/v1/clients/${missing}`).set('cookie', studio.cookie).expect(404);
    const nowhere = `/nowhere-${randomUUID()}`;
    await t.http().get(nowhere).expect(404);

    const text = await scrape();
    const count = (labels: Record<string, string>) => valueOf(text, 'rsm_http_request_duration_seconds_count', labels);
    expect(count({ method: 'POST', route: '/api/v1/clients', status_code: '201' })).toBe(3);
    expect(count({ method: 'GET', route: '/api/v1/clients/:id', status_code: '200' })).toBe(3);
    expect(count({ method: 'GET', route: '/api/v1/clients/:id', status_code: '404' })).toBe(1);
    expect(count({ method: 'POST', route: '/api/v1/auth/register', status_code: '201' })).toBe(1);
    expect(count({ method: 'GET', route: '(unmatched)', status_code: '404' })).toBe(1);
    expect(valueOf(text, 'rsm_http_request_duration_seconds_sum', { method: 'GET', route: '/api/v1/clients/:id', status_code: '200' })).toBeGreaterThan(0);
    // The +Inf bucket holds every request, as the count does.
    expect(valueOf(text, 'rsm_http_request_duration_seconds_bucket', { method: 'GET', route: '/api/v1/clients/:id', status_code: '200', le: '+Inf' })).toBe(3);
    const routes = new Set(seriesOf(text, 'rsm_http_request_duration_seconds_count').map((s) => s.labels.route));
    for (const raw of [...ids, missing, nowhere]) expect(text).not.toContain(raw);
    expect([...routes].filter((r) => /[0-9a-f]{8}-[0-9a-f]{4}-/.test(r))).toEqual([]);
    // Only the scrape itself is in flight: every answered request was taken off again.
    expect(valueOf(text, 'rsm_http_requests_in_flight')).toBe(1);
  });

  it("the web app's files share one route label, whatever their hashed names", async () => {
    const web = mkdtempSync(join(tmpdir(), 'rsm-web-'));
    mkdirSync(join(web, '_app/immutable'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>app</title>');
    for (const name of ['start.a1b2c3.js', 'app.d4e5f6.js']) writeFileSync(join(web, '_app/immutable', name), 'export {};');
    const app = await createTestApp({ WEB_DIST_DIR: web });
    try {
      await app.http().get('/_app/immutable/start.a1b2c3.js').expect(200);
      await app.http().get('/_app/immutable/app.d4e5f6.js').expect(200);
      const text = await scrape(app);
      expect(valueOf(text, 'rsm_http_request_duration_seconds_count', { method: 'GET', route: '(static)', status_code: '200' })).toBe(2);
      expect(text).not.toContain('a1b2c3');
    } finally {
      await app.close();
      rmSync(web, { recursive: true, force: true });
    }
  });

  it('the tenant registry is counted by status and schema position at each scrape', async () => {
    const [a, b] = [await registerStudio(t, 'Registry A'), await registerStudio(t, 'Registry B')];
    const { rows } = await t.control.query(`SELECT count(*)::int AS n FROM tenant_databases WHERE status = 'ready'`);
    const tenants = (text: string, status: string, schema: string) => valueOf(text, 'rsm_tenant_databases', { status, schema });
    let text = await scrape();
    expect(tenants(text, 'ready', 'current')).toBe(rows[0].n);
    expect(tenants(text, 'ready', 'behind')).toBe(0);
    expect(tenants(text, 'failed', 'current')).toBe(0);

    await t.control.query(`UPDATE tenant_databases SET schema_version = 1 WHERE organization_id = $1`, [a.organizationId]);
    await t.control.query(`UPDATE tenant_databases SET status = 'failed' WHERE organization_id = $1`, [b.organizationId]);
    try {
      text = await scrape();
      expect(tenants(text, 'ready', 'behind')).toBe(1);
      expect(tenants(text, 'failed', 'current')).toBe(1);
      expect(tenants(text, 'ready', 'current')).toBe(rows[0].n - 2);
    } finally {
      await t.control.query(`UPDATE tenant_databases SET schema_version = $2, status = 'ready' WHERE organization_id = ANY($1::uuid[])`, [
        [a.organizationId, b.organizationId],
        LATEST_TENANT_SCHEMA_VERSION,
      ]);
    }
  });

  it('tenant migrations the migrator records are counted by outcome, with their duration', async () => {
    const migrations = t.app.get(TenantMigrationMetrics);
    expect(valueOf(await scrape(), 'rsm_tenant_migrations_total', { outcome: 'failed' })).toBe(0);
    migrations.record('migrated', 0.4);
    migrations.record('migrated', 0.6);
    migrations.record('failed', 2);
    const text = await scrape();
    expect(valueOf(text, 'rsm_tenant_migrations_total', { outcome: 'migrated' })).toBe(2);
    expect(valueOf(text, 'rsm_tenant_migrations_total', { outcome: 'failed' })).toBe(1);
    expect(valueOf(text, 'rsm_tenant_migrations_total', { outcome: 'rolled_back' })).toBe(0);
    expect(valueOf(text, 'rsm_tenant_migration_duration_seconds_count')).toBe(3);
    expect(valueOf(text, 'rsm_tenant_migration_duration_seconds_sum')).toBe(3);
  });

  it('names its release, its tenant schema, its connection budget, and exports the process metrics', async () => {
    const text = await scrape();
    expect(seriesOf(text, 'rsm_build_info', { tenant_schema_version: LATEST_TENANT_SCHEMA_VERSION, release: 'dev' })).toHaveLength(1);
    expect(valueOf(text, 'rsm_tenant_connection_budget')).toBe(t.config.tenancy.connectionBudget);
    const { families } = parseExposition(text);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(families.has(name)).toBe(true);
    }
  });
});

describe('job queue metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The schedule is moved out of the way (once a year): only the jobs this test sends run.
    t = await createTestApp({ JOBS_ENABLED: 'true', JOBS_MONITOR_INTERVAL_SECONDS: '1', JOBS_MAINTENANCE_CRON: '0 0 1 1 *' });
  });
  afterAll(async () => {
    await t?.close();
  });
  const scrape = async () => (await t.http().get('/metrics').expect(200)).text;
  const attempts = async (result: string) => valueOf(await scrape(), 'rsm_jobs_processed_total', { queue: MAINTENANCE_QUEUE, result });

  it('counts attempts by result, and reports the queue depth pg-boss counted', async () => {
    const queue = t.app.get(JobQueue);
    expect(await queue.send(MAINTENANCE_QUEUE)).toEqual(expect.any(String));
    await eventually(() => attempts('completed'), 1);
    expect(await attempts('failed')).toBe(0);

    // A real failure: the maintenance pass cannot find a table it cleans. pg-boss retries it in 30 s,
    // so the job waits as deferred meanwhile.
    await t.control.query(`ALTER TABLE rate_limits RENAME TO rate_limits_away`);
    try {
      expect(await queue.send(MAINTENANCE_QUEUE)).toEqual(expect.any(String));
      await eventually(() => attempts('failed'), 1);
      const waiting = async () => {
        const { rows } = await t.control.query(`SELECT count(*)::int AS n FROM ${JOBS_SCHEMA}.job WHERE name = $1 AND state = 'retry'`, [MAINTENANCE_QUEUE]);
        return rows[0].n as number;
      };
      expect(await waiting()).toBe(1);
      // The counts come from pg-boss's monitor pass (every JOBS_MONITOR_INTERVAL_SECONDS).
      await eventually(async () => valueOf(await scrape(), 'rsm_job_queue_jobs', { queue: MAINTENANCE_QUEUE, state: 'deferred' }), 1);
      const text = await scrape();
      expect(valueOf(text, 'rsm_job_queue_jobs', { queue: MAINTENANCE_QUEUE, state: 'active' })).toBe(0);
      expect(valueOf(text, 'rsm_job_queue_jobs', { queue: MAINTENANCE_QUEUE, state: 'ready' })).toBe(0);
      expect(seriesOf(text, 'rsm_job_queue_oldest_ready_seconds', { queue: MAINTENANCE_QUEUE })).toHaveLength(1);
      expect(await attempts('completed')).toBe(1);
    } finally {
      await t.control.query(`ALTER TABLE rate_limits_away RENAME TO rate_limits`);
    }
  });
});
