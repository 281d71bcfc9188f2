import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../src/app.factory.js';
import type { AppConfig } from '../src/config/app-config.js';
import { JOBS_SCHEMA } from '../src/jobs/job-queue.service.js';
import { HOLD_EXPIRY_QUEUE, HoldExpiryJob } from '../src/bookings/hold-expiry.job.js';
import { at, bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 9: a hold is released at holdExpiresAt with no request touching it, by a job on the durable
 * queue (pg-boss, control database): once with two API instances working the queue, and after a restart
 * between the hold's creation and its expiry. Waiting polls the database; nothing asserts on durations.
 */
describe('bookings: holds expire on the job queue', () => {
  let t: TestApp;
  let s: BookingStudio;
  let clientId: string;
  const instances: NestFastifyApplication[] = [];

  /** Another API instance on the same databases, working the job queue (JOBS_POLL_INTERVAL_SECONDS=0.5). */
  const instance = async () => {
    const config: AppConfig = { ...t.config, jobs: { ...t.config.jobs, enabled: true }, jobPolling: { intervalSeconds: 0.5 } };
    const app = await createApp(config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    instances.push(app);
    return app;
  };
  const stop = async (app: NestFastifyApplication) => {
    instances.splice(instances.indexOf(app), 1);
    await app.close();
  };

  beforeAll(async () => {
    // The test app itself works no jobs: only the instances started by each test do.
    t = await createTestApp({ JOBS_ENABLED: 'false' });
    s = await bookingStudio(t, 'Holds');
    clientId = await s.client();
  });
  afterAll(async () => {
    for (const app of instances) await app.close();
    await s.close();
    await t?.close();
  });

  const statusOf = async (id: string) => (await s.db.query(`SELECT status, cancellation_reason FROM bookings WHERE id = $1`, [id])).rows[0];
  const waitFor = async (what: string, check: () => Promise<boolean>) => {
    for (let i = 0; i < 300; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const hold = (app: NestFastifyApplication, roomId: string, expiresInMs: number) =>
    request(app.getHttpServer())
      .post('/api/v1/bookings')
      .set('cookie', s.cookie)
      .send({ clientId, roomId, title: 'Pencilled in', startsAt: at(10), endsAt: at(12), status: 'hold', holdExpiresAt: new Date(Date.now() + expiresInMs).toISOString() })
      .expect(201);
  const releases = async (id: string) => Number((await s.db.query(`SELECT count(*) FROM audit_log WHERE action = 'booking.hold_expired' AND target_id = $1`, [id])).rows[0].count);

  it('two instances working the queue: the hold is released once, with no request, and its slot is free', async () => {
    const roomId = await s.room();
    const [a, b] = [await instance(), await instance()];
    const created = (await hold(a, roomId, 1500)).body;
    // The job names its tenant: the studio, taken from the job when it runs (not from any request).
    const jobs = await t.control.query(`SELECT data FROM ${JOBS_SCHEMA}.job WHERE name = $1 AND data->>'bookingId' = $2`, [HOLD_EXPIRY_QUEUE, created.id]);
    expect(jobs.rows).toEqual([{ data: { organizationId: s.organizationId, bookingId: created.id } }]);
    // A duplicate delivery of the same expiry (a retry, a second send) must not release it twice.
    await b.get(HoldExpiryJob).schedule(s.organizationId, created.id, new Date(created.holdExpiresAt));
    await waitFor('the hold to be released', async () => (await statusOf(created.id)).status === 'cancelled');
    expect(await statusOf(created.id)).toEqual({ status: 'cancelled', cancellation_reason: 'hold_expired' });
    await waitFor('both jobs to finish', async () => {
      const { rows } = await t.control.query(`SELECT count(*)::int AS n FROM ${JOBS_SCHEMA}.job WHERE name = $1 AND data->>'bookingId' = $2 AND state = 'completed'`, [HOLD_EXPIRY_QUEUE, created.id]);
      return rows[0].n === 2;
    });
    expect(await releases(created.id)).toBe(1);
    const audit = await s.db.query(`SELECT actor_type, actor_label FROM audit_log WHERE action = 'booking.hold_expired' AND target_id = $1`, [created.id]);
    expect(audit.rows).toEqual([{ actor_type: 'system', actor_label: 'hold expiry' }]);
    // The calendar no longer shows it, and the slot takes a booking on the other instance.
    const week = await request(b.getHttpServer()).get(`/api/v1/bookings?from=${at(0)}&to=${at(24)}&roomId=${roomId}`).set('cookie', s.cookie).expect(200);
    expect(week.body.items).toEqual([]);
    await request(b.getHttpServer()).post('/api/v1/bookings').set('cookie', s.cookie).send({ clientId, roomId, title: 'Real', startsAt: at(10), endsAt: at(12) }).expect(201);
    await stop(a);
    await stop(b);
  });

  it('a restart between creating the hold and its expiry: the next instance releases it', async () => {
    const roomId = await s.room();
    const first = await instance();
    const created = (await hold(first, roomId, 1500)).body;
    await stop(first);
    // Past its expiry with no instance working the queue: nothing has released it.
    await waitFor('the expiry to pass', async () => Date.now() > Date.parse(created.holdExpiresAt) + 500);
    expect((await statusOf(created.id)).status).toBe('hold');
    await instance();
    await waitFor('the hold to be released after the restart', async () => (await statusOf(created.id)).status === 'cancelled');
    expect(await statusOf(created.id)).toEqual({ status: 'cancelled', cancellation_reason: 'hold_expired' });
    expect(await releases(created.id)).toBe(1);
  });

  it('a confirmed hold is not released when its old expiry passes', async () => {
    const roomId = await s.room();
    const app = await instance();
    const created = (await hold(app, roomId, 1000)).body;
    await request(app.getHttpServer()).patch(`/api/v1/bookings/${created.id}`).set('cookie', s.cookie).send({ status: 'confirmed' }).expect(200);
    await waitFor('the job to run', async () => {
      const { rows } = await t.control.query(`SELECT count(*)::int AS n FROM ${JOBS_SCHEMA}.job WHERE name = $1 AND data->>'bookingId' = $2 AND state = 'completed'`, [HOLD_EXPIRY_QUEUE, created.id]);
      return rows[0].n === 1;
    });
    expect((await statusOf(created.id)).status).toBe('confirmed');
    expect(await releases(created.id)).toBe(0);
  });
});
