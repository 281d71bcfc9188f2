import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../src/app.factory.js';
import { RequestContext } from '../src/common/request-context.js';
import { NotificationBus } from '../src/notifications/notification-bus.service.js';
import { NotificationDispatcher } from '../src/notifications/notification-dispatcher.service.js';
import { recordEvent } from '../src/outbox/record-event.js';
import { TenantConnection } from '../src/tenancy/tenant-connection.js';
import { at, bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { seriesOf } from './support/prometheus.js';
import { baseUrl, eventually, openStream, type SseClient } from './support/sse-client.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 13: notification streams across two API instances on the same databases (A: the test app, B: a
 * second app on its config), with replay from the table, a lost bus message, a rolled-back transaction,
 * a dispatcher that dies between commit and dispatch, tenancy, a stalled client, the gauge, the per-user
 * cap and logout. Waiting polls; nothing asserts on durations.
 */
describe('notifications: streams across instances', () => {
  let t: TestApp;
  let b: NestFastifyApplication;
  let urlA: string;
  let urlB: string;
  let s: BookingStudio;
  let roomId: string;
  let clientId: string;
  let admin: { id: string; cookie: string };
  let engineer: { id: string; cookie: string };
  const extra: NestFastifyApplication[] = [];
  const open: SseClient[] = [];
  let slot = 0;

  const startInstance = async () => {
    const app = await createApp({ ...t.config });
    await app.init();
    extra.push(app);
    await app.get(NotificationDispatcher).startupSweep;
    return app;
  };
  const stream = async (base: string, cookie: string, headers: Record<string, string> = {}, query = '') => {
    const c = await openStream(`${base}/api/v1/notifications/stream${query}`, { cookie, ...headers });
    open.push(c);
    return c;
  };
  /** A booking made by the owner through instance A; `engineerIds` are assigned to it. */
  const book = async (engineerIds: string[] = []) => {
    slot++;
    const res = await t.http().post('/api/v1/bookings').set('cookie', s.cookie).send({ clientId, roomId, title: `Session ${slot}`, startsAt: at(10 + slot * 3), endsAt: at(11 + slot * 3), engineerIds });
    if (res.status !== 201) throw new Error(`booking: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const idsOf = async (userId: string, after = '0') =>
    (await s.db.query(`SELECT id::text FROM notifications WHERE recipient_user_id = $1 AND id > $2 ORDER BY notifications.id`, [userId, after])).rows.map((r: { id: string }) => r.id);
  const dispatchers = () => [t.app, b, ...extra].map((app) => app.get(NotificationDispatcher));
  const buses = () => [t.app, b, ...extra].map((app) => app.get(NotificationBus));
  const gauge = async (app: NestFastifyApplication) => {
    const text = (await (await fetch(`${await baseUrl(app)}/metrics`)).text()) as string;
    return seriesOf(text, 'rsm_sse_streams_open')[0]?.value;
  };

  beforeAll(async () => {
    t = await createTestApp({ SSE_KEEPALIVE_SECONDS: '1', SSE_MAX_STREAMS_PER_USER: '3' });
    s = await bookingStudio(t, 'Realtime');
    roomId = await s.room();
    clientId = await s.client();
    const adminId = await s.member('admin');
    admin = { id: adminId, cookie: await s.cookieOf(adminId) };
    const engineerId = await s.member('engineer');
    engineer = { id: engineerId, cookie: await s.cookieOf(engineerId) };
    // Ids cross from two digits to three early on: an order by the id as text ("100" < "99") shows at once.
    await s.db.query(`ALTER TABLE notifications ALTER COLUMN id RESTART WITH 97`);
    b = await createApp({ ...t.config });
    await b.init();
    await b.get(NotificationDispatcher).startupSweep;
    urlA = await baseUrl(t.app);
    urlB = await baseUrl(b);
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
    for (const d of dispatchers()) d.paused = false;
  });
  afterAll(async () => {
    for (const app of extra) await app.close();
    await b?.close();
    await s?.close();
    await t?.close();
  });

  it('a booking made through instance A reaches a stream held on instance B, with the SSE framing and proxy headers', async () => {
    const live = await stream(urlB, admin.cookie);
    expect(live.status).toBe(200);
    expect(live.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(live.headers['cache-control']).toMatch(/no-cache/);
    expect(live.headers['x-accel-buffering']).toBe('no');
    expect(live.headers['content-encoding'] ?? 'identity').toBe('identity');
    const bookingId = await book();
    await eventually('the booking on B', () => live.events.length === 1);
    const [event] = live.events;
    expect(event.event).toBe('booking.created');
    expect(event.data).toMatchObject({ id: event.id, type: 'booking.created', category: 'bookings', subjectType: 'booking', subjectId: bookingId, readAt: null });
    expect(await idsOf(admin.id)).toContain(event.id);
    expect(live.retry).toBe(t.config.sse.retryMs);
    await eventually('a keep-alive comment', () => live.comments.includes('keep-alive'));
  });

  it('reconnecting with Last-Event-ID after missing N gets exactly those N, in order, without duplicates (header or query)', async () => {
    const first = await stream(urlB, admin.cookie);
    await book();
    await eventually('one event', () => first.events.length === 1);
    const lastSeen = first.events[0].id;
    first.close();
    await book();
    await book();
    await book();
    await eventually('three more dispatched', async () => (await idsOf(admin.id, lastSeen)).length === 3);
    const viaHeader = await stream(urlA, admin.cookie, { 'last-event-id': lastSeen });
    await eventually('the replay', () => viaHeader.events.length >= 3);
    await book(); // then live: the next one follows the replay, once
    await eventually('the next', () => viaHeader.events.length >= 4);
    expect(viaHeader.events.map((e) => e.id)).toEqual(await idsOf(admin.id, lastSeen));
    const viaQuery = await stream(urlB, admin.cookie, {}, `?lastEventId=${lastSeen}`);
    await book();
    await eventually('replay and next', () => viaQuery.events.length >= 5);
    const expected = await idsOf(admin.id, lastSeen);
    expect(expected).toHaveLength(5);
    expect(viaQuery.events.map((e) => e.id)).toEqual(expected);
  });

  it('a bus message that is lost loses nothing: the open stream re-reads on its next tick, a reconnect replays from the table', async () => {
    const live = await stream(urlB, admin.cookie);
    const before = (await idsOf(admin.id)).at(-1)!;
    const originals = buses().map((bus) => bus.publish);
    for (const bus of buses()) bus.publish = async () => undefined; // every NOTIFY of this dispatch is dropped
    try {
      await book();
      await book();
      await eventually('both dispatched', async () => (await idsOf(admin.id, before)).length === 2);
    } finally {
      buses().forEach((bus, i) => (bus.publish = originals[i]));
    }
    await eventually('both on the open stream without any bus message', () => live.events.length === 2);
    expect(live.events.map((e) => e.id)).toEqual(await idsOf(admin.id, before));
    const replay = await stream(urlA, admin.cookie, { 'last-event-id': before });
    await eventually('the replay', () => replay.events.length === 2);
    expect(replay.events.map((e) => e.id)).toEqual(await idsOf(admin.id, before));
  });

  it('the bus listener reconnects after losing its connection, and streams still get what came meanwhile', async () => {
    const live = await stream(urlB, admin.cookie);
    b.get(NotificationBus).disconnectForTest();
    await book();
    await eventually('the event after the reconnect', () => live.events.length === 1);
    await eventually('B listens again', () => b.get(NotificationBus).listening);
    await book();
    await eventually('the next one', () => live.events.length === 2);
  });

  it('a rolled-back transaction raises nothing; the same event committed is delivered', async () => {
    const live = await stream(urlB, admin.cookie);
    const outboxBefore = Number((await s.db.query(`SELECT count(*) FROM outbox`)).rows[0].count);
    const raise = (fail: boolean) =>
      t.app.get(RequestContext).runForTenant(s.organizationId, () =>
        t.app.get(TenantConnection).transaction(async (m) => {
          await recordEvent(m, { type: 'member.joined', subjectType: 'user', subjectId: engineer.id, payload: { email: fail ? 'rolled-back@x.test' : 'committed@x.test' } });
          if (fail) throw new Error('the change failed');
        }),
      );
    await expect(raise(true)).rejects.toThrow('the change failed');
    expect(Number((await s.db.query(`SELECT count(*) FROM outbox`)).rows[0].count)).toBe(outboxBefore);
    await raise(false);
    await eventually('the committed one', () => live.events.length === 1);
    expect(live.events[0].data.title).toBe('committed@x.test joined the studio');
    expect((await s.db.query(`SELECT count(*)::int AS n FROM notifications WHERE payload->>'email' = 'rolled-back@x.test'`)).rows[0].n).toBe(0);
  });

  it('a dispatcher killed between the commit and the dispatch: after a restart the event is delivered exactly once', async () => {
    const live = await stream(urlA, admin.cookie);
    await startInstance(); // a third instance, which dies too
    // Every dispatcher in the process dies right after the commit. (They are not closed: closing one app of
    // several in one process breaks the others' control database pool, on main too; a stopped dispatcher is what matters.)
    for (const d of dispatchers()) d.paused = true;
    const bookingId = await book();
    const [event] = (await s.db.query(`SELECT id, dispatched_at FROM outbox WHERE subject_id = $1`, [bookingId])).rows;
    expect(event.dispatched_at).toBeNull();
    expect(await s.count('notifications', `subject_id = '${bookingId}'`)).toBe(0);
    const restarted = await startInstance(); // its start-up sweep finds the event
    await eventually('the event delivered', () => live.events.length === 1);
    for (const d of dispatchers()) d.paused = false;
    await Promise.all(dispatchers().map((d) => d.sweep()));
    expect(await s.count('notifications', `subject_id = '${bookingId}' AND recipient_user_id = '${admin.id}'`)).toBe(1);
    expect((await s.db.query(`SELECT dispatched_at FROM outbox WHERE id = $1`, [event.id])).rows[0].dispatched_at).not.toBeNull();
    await book();
    await eventually('the next one', () => live.events.length === 2);
    expect(live.events[0].data.subjectId).toBe(bookingId);
    expect(restarted.get(NotificationDispatcher).paused).toBe(false);
  });

  it("a stream carries only its own studio's rows, and only the user's own", async () => {
    const other = await registerStudio(t, 'Realtime other');
    const otherStream = await stream(urlB, other.cookie);
    const engineerStream = await stream(urlA, engineer.cookie);
    const adminStream = await stream(urlB, admin.cookie);
    await book(); // not the engineer's: unassigned
    const assigned = await book([engineer.id]);
    await eventually('the admin has both', () => adminStream.events.length === 2);
    await eventually('the engineer has the assigned one', () => engineerStream.events.length >= 1);
    // The other studio's own announcement reaches its owner: its stream works, and carried nothing else.
    await t.http().post('/api/v1/notifications').set('cookie', other.cookie).send({ title: 'Other studio news' }).expect(202);
    await eventually("the other studio's announcement", () => otherStream.events.length >= 1);
    expect(otherStream.events.map((e) => e.data.title)).toEqual(['Other studio news']);
    expect(engineerStream.events.map((e) => e.data.subjectId)).toEqual([assigned]);
    const engineerIds = new Set(await idsOf(engineer.id));
    expect(adminStream.events.every((e) => !engineerIds.has(e.id))).toBe(true);
  });

  it('a stalled client does not hold up another; closing streams frees them (the gauge goes back down)', async () => {
    const baseline = await gauge(b);
    const stalled = await stream(urlB, admin.cookie);
    stalled.stall();
    const other = await stream(urlB, s.cookie);
    expect(await gauge(b)).toBe(baseline + 2);
    const long = 'x'.repeat(5000);
    for (let i = 0; i < 40; i++) await t.http().post('/api/v1/notifications').set('cookie', admin.cookie).send({ title: `Flood ${i}`, body: long }).expect(202);
    await eventually('all 40 on the reading stream', () => other.events.length >= 40, 600);
    expect(other.events.map((e) => e.data.title)).toEqual(Array.from({ length: 40 }, (_, i) => `Flood ${i}`));
    stalled.close();
    other.close();
    await eventually('the gauge back down', async () => (await gauge(b)) === baseline);
  });

  it('at most SSE_MAX_STREAMS_PER_USER streams per user: 429 beyond, and a closed one frees its place', async () => {
    const streams = [await stream(urlA, engineer.cookie), await stream(urlA, engineer.cookie), await stream(urlA, engineer.cookie)];
    expect(streams.map((c) => c.status)).toEqual([200, 200, 200]);
    const refused = await stream(urlA, engineer.cookie);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    await refused.ended;
    expect(JSON.parse(refused.body)).toMatchObject({ status: 429, type: expect.stringContaining('too-many-streams') });
    streams[0].close();
    await eventually('a place freed', async () => (await stream(urlA, engineer.cookie)).status === 200);
  });

  it('bad Last-Event-ID → 400 problem; an API key cannot open a stream', async () => {
    const bad = await stream(urlA, admin.cookie, { 'last-event-id': 'abc' });
    expect(bad.status).toBe(400);
    await bad.ended;
    expect(JSON.parse(bad.body).errors[0].field).toBe('Last-Event-ID');
    const badQuery = await stream(urlA, admin.cookie, {}, '?lastEventId=-1');
    expect(badQuery.status).toBe(400);
    const key = (await t.http().post('/api/v1/api-keys').set('cookie', s.cookie).send({ name: 'Stream key', role: 'owner' }).expect(201)).body.key as string;
    const byKey = await openStream(`${urlA}/api/v1/notifications/stream`, { authorization: `Bearer ${key}` });
    open.push(byKey);
    expect(byKey.status).toBe(403);
  });

  it('logging out ends the stream (session-ended, then the end of the response)', async () => {
    const userId = await s.member('admin');
    const cookie = await s.cookieOf(userId);
    const live = await stream(urlB, cookie);
    expect(live.status).toBe(200);
    await t.http().post('/api/v1/auth/logout').set('cookie', cookie).expect(204);
    await live.ended;
    expect(live.events.at(-1)?.event).toBe('session-ended');
  });
});
