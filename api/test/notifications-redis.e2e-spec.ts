import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { createApp } from '../src/app.factory.js';
import { NotificationBus } from '../src/notifications/notification-bus.service.js';
import { NotificationDispatcher } from '../src/notifications/notification-dispatcher.service.js';
import { at, bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { startRedisServer, type TestRedis } from './support/redis-server.js';
import { baseUrl, eventually, openStream, type SseClient } from './support/sse-client.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 13: the notification bus over Redis pub/sub (REDIS_URL). Two API instances on the same
 * databases and one redis-server this file starts (a free port, a temporary directory, nothing saved).
 * The keep-alive tick (which also re-reads) is set to its maximum, so within these tests a stream on B
 * learns of new rows only from a Redis message or from the re-read after the bus re-subscribes.
 */
describe('notifications: the bus over Redis', () => {
  let redis: TestRedis;
  let t: TestApp;
  let b: NestFastifyApplication;
  let urlB: string;
  let s: BookingStudio;
  let roomId: string;
  let clientId: string;
  /** An admin of the studio: told of the bookings the owner makes. */
  let admin: { id: string; cookie: string };
  const open: SseClient[] = [];
  let slot = 0;

  const streamOnB = async () => {
    const c = await openStream(`${urlB}/api/v1/notifications/stream`, { cookie: admin.cookie });
    open.push(c);
    expect(c.status).toBe(200);
    return c;
  };
  /** A booking made by the owner through instance A. */
  const book = async () => {
    slot++;
    const res = await t.http().post('/api/v1/bookings').set('cookie', s.cookie).send({ clientId, roomId, title: `Redis ${slot}`, startsAt: at(10 + slot * 3), endsAt: at(11 + slot * 3) });
    if (res.status !== 201) throw new Error(`booking: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const adminIds = async (after = '0') =>
    (await s.db.query(`SELECT id::text FROM notifications WHERE recipient_user_id = $1 AND id > $2 ORDER BY id`, [admin.id, after])).rows.map((r: { id: string }) => r.id);

  beforeAll(async () => {
    redis = await startRedisServer();
    t = await createTestApp({ REDIS_URL: redis.url, SSE_KEEPALIVE_SECONDS: '300' });
    s = await bookingStudio(t, 'RedisBus');
    roomId = await s.room();
    clientId = await s.client();
    const adminId = await s.member('admin');
    admin = { id: adminId, cookie: await s.cookieOf(adminId) };
    b = await createApp({ ...t.config });
    await b.init();
    await b.get(NotificationDispatcher).startupSweep;
    // Only A dispatches: what B's streams get must have crossed from A.
    b.get(NotificationDispatcher).paused = true;
    urlB = await baseUrl(b);
    await eventually('both instances subscribed', () => t.app.get(NotificationBus).listening && b.get(NotificationBus).listening);
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  afterAll(async () => {
    await b?.close();
    await s?.close();
    await t?.close();
    await redis?.close();
  });

  it('an event raised through instance A reaches a stream held on instance B through Redis', async () => {
    const live = await streamOnB();
    const before = (await adminIds()).at(-1) ?? '0';
    await book();
    await eventually('the booking on B', () => live.events.length === 1);
    expect(live.events[0].event).toBe('booking.created');
    expect(live.events.map((e) => e.id)).toEqual(await adminIds(before));
  });

  it("the channel is this deployment's own, named after its control database: deployments sharing one Redis never wake each other", async () => {
    const { rows } = await t.control.query(`SELECT system_identifier::text AS cluster, current_database() AS db FROM pg_control_system()`);
    const watcher = new Redis(redis.url, { lazyConnect: true });
    const channels: string[] = [];
    watcher.on('pmessage', (_pattern: string, channel: string) => channels.push(channel));
    try {
      await watcher.connect();
      await watcher.psubscribe('rsm_notifications*');
      await book();
      await eventually("the booking's message crossed Redis", () => channels.length > 0);
    } finally {
      watcher.disconnect();
    }
    expect([...new Set(channels)]).toEqual([`rsm_notifications:${rows[0].cluster}:${rows[0].db}`]);
  });

  it('a message dropped while Redis is away loses nothing: B re-reads once it is subscribed again', async () => {
    const live = await streamOnB();
    const before = (await adminIds()).at(-1) ?? '0';
    await redis.stop();
    await eventually('B has lost its subscription', () => !b.get(NotificationBus).listening);
    await book(); // A's publish fails (Redis is down): the message is gone for good
    await eventually('dispatched to the admin', async () => (await adminIds(before)).length === 1);
    expect(live.events).toHaveLength(0);

    await redis.start();
    await eventually('B subscribed again', () => b.get(NotificationBus).listening);
    await eventually('the missed event on B', () => live.events.length === 1);
    expect(live.events.map((e) => e.id)).toEqual(await adminIds(before));
    await eventually('A publishes again', () => t.app.get(NotificationBus).listening);
    await book();
    await eventually('the next one through Redis', () => live.events.length === 2);
    expect(live.events.map((e) => e.id)).toEqual(await adminIds(before));
  });

  it("B's subscriber connection dropped: it reconnects, re-subscribes, and the stream gets what came meanwhile and after", async () => {
    const live = await streamOnB();
    const before = (await adminIds()).at(-1) ?? '0';
    b.get(NotificationBus).disconnectForTest();
    await book();
    await eventually('B listens again', () => b.get(NotificationBus).listening);
    await eventually('the event of the gap', () => live.events.length === 1);
    await book();
    await eventually('the next one', () => live.events.length === 2);
    expect(live.events.map((e) => e.id)).toEqual(await adminIds(before));
  });
});
