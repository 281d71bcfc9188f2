import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { anyFreePort } from '../src/database/embedded-preflight.js';
import { withDatabase } from '../src/database/postgres-url.js';
import { at, bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { createTestApp, TEST_SECRET_KEY, type TestApp } from './support/test-app.js';

/**
 * Issue 9: `npm run worker` (the built api/dist/worker.js) works the job queue with no HTTP server, for
 * deployments that split web (JOBS_ENABLED=false) and workers. Real child process, real signals, the
 * test's databases. Waiting polls the database; nothing asserts on durations.
 */
const workerJs = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/worker.js');

function startWorker(env: Record<string, string>) {
  const { DATABASE_URL: _url, RSM_SECRET_KEY: _key, ...inherited } = process.env;
  const child = spawn(process.execPath, [workerJs], { env: { ...inherited, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => ((output += d), (errors += d)));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const ready = new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`worker not ready in 60 s:\n${output}`)), 60_000);
    child.stdout!.on('data', () => output.includes('worker is ready') && (clearTimeout(timer), res()));
    void exited.then((code) => (clearTimeout(timer), rej(new Error(`worker exited ${code}:\n${output}`))));
  });
  return { child, ready, exited, output: () => output, errors: () => errors };
}

describe('npm run worker (api/dist/worker.js)', () => {
  let t: TestApp;
  let s: BookingStudio;
  const workers: Array<ReturnType<typeof startWorker>> = [];

  beforeAll(async () => {
    if (!existsSync(workerJs)) throw new Error(`${workerJs} is missing: build the api first (nx runs it before test)`);
    // A web-only API instance: it sends jobs (a hold's expiry) but works none.
    t = await createTestApp({ JOBS_ENABLED: 'false' });
    s = await bookingStudio(t, 'Worker');
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await s?.close();
    await t?.close();
  });

  /** The worker's environment: the API's databases and key (JOBS_ENABLED=false is the API's, not the worker's). */
  const workerEnv = () => ({
    DATABASE_URL: t.config.databaseUrl!,
    RSM_SECRET_KEY: TEST_SECRET_KEY,
    TENANT_TEMPLATE_DATABASE: t.config.tenancy.templateDatabase,
    TENANT_DATABASE_PREFIX: t.config.tenancy.databasePrefix,
    JOBS_ENABLED: 'false',
    JOBS_POLL_INTERVAL_SECONDS: '1',
  });
  const statusOf = async (id: string) => (await s.db.query(`SELECT status, cancellation_reason FROM bookings WHERE id = $1`, [id])).rows[0];
  const releases = async (id: string) => Number((await s.db.query(`SELECT count(*) FROM audit_log WHERE action = 'booking.hold_expired' AND target_id = $1`, [id])).rows[0].count);
  const waitFor = async (what: string, check: () => Promise<boolean>) => {
    for (let i = 0; i < 600; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  it('a web-only API leaves an expired hold alone; the worker releases it once; SIGTERM exits 0', async () => {
    const clientId = await s.client();
    const roomId = await s.room();
    const created = (
      await request(t.app.getHttpServer())
        .post('/api/v1/bookings')
        .set('cookie', s.cookie)
        .send({ clientId, roomId, title: 'Pencilled in', startsAt: at(10), endsAt: at(12), status: 'hold', holdExpiresAt: new Date(Date.now() + 2000).toISOString() })
        .expect(201)
    ).body;
    // Well past its expiry (several poll intervals), with only the web-only API running: still a hold.
    await waitFor('the expiry to pass', async () => Date.now() > Date.parse(created.holdExpiresAt) + 3000);
    expect(await statusOf(created.id)).toEqual({ status: 'hold', cancellation_reason: null });

    const worker = startWorker({ ...workerEnv(), LOG_LEVEL: 'info' });
    workers.push(worker);
    await worker.ready;
    // It logs as the API does: pino's JSON lines on stdout (here the job queue's start; pino writes asynchronously).
    const queueStarted = /^\{.*"context":"Jobs".*"msg":"Job queue started \(.*booking-hold-expiry.*\)"/m;
    await waitFor('the job queue start to be logged', async () => queueStarted.test(worker.output()));
    await waitFor('the worker to release the hold', async () => (await statusOf(created.id)).status === 'cancelled');
    expect(await statusOf(created.id)).toEqual({ status: 'cancelled', cancellation_reason: 'hold_expired' });
    expect(await releases(created.id)).toBe(1);

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('SIGTERM: worker shutting down');
    expect(worker.errors()).toBe('');
  }, 120_000);

  it('an unreachable control database stops the worker at once with one clear line, exit 1', async () => {
    const closedPort = await anyFreePort();
    const worker = startWorker({ ...workerEnv(), DATABASE_URL: withDatabase(`postgres://nobody:nothing@127.0.0.1:${closedPort}`, 'rsm_control') });
    workers.push(worker);
    worker.ready.catch(() => undefined);
    expect(await worker.exited).toBe(1);
    expect(worker.errors().trim().split('\n')).toEqual([expect.stringMatching(/^Cannot reach the control database \(DATABASE_URL\): /)]);
  }, 60_000);
});
