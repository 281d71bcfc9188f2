import { NotificationDispatcher } from '../src/notifications/notification-dispatcher.service.js';
import { at, bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { insertPortalAccount, insertPortalSession } from './support/portal-fixtures.js';
import { baseUrl, eventually, openStream, type SseClient } from './support/sse-client.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 13 (board helper): the client portal's notifications — the dispatcher writes them for the client's
 * portal accounts (portal-notification-rules.ts), a portal stream carries only that account's (two clients
 * of one studio, and another studio), replays after Last-Event-ID, ends on logout and when the account is
 * disabled; the REST list, unread count and read routes; bad input.
 */
describe('portal notifications', () => {
  let t: TestApp;
  let s: BookingStudio;
  let other: BookingStudio;
  let roomId: string;
  let url: string;
  const open: SseClient[] = [];
  let slot = 0;

  /** A client of `studio` with a portal account and a signed-in portal session. */
  const portalClient = async (studio: BookingStudio, name: string) => {
    const { clientId, accountId } = await insertPortalAccount(studio.db, { clientName: name });
    return { clientId, accountId, cookie: await insertPortalSession(studio.db, studio.organizationId, accountId) };
  };
  const stream = async (cookie: string, headers: Record<string, string> = {}, query = '') => {
    const c = await openStream(`${url}/api/v1/portal/notifications/stream${query}`, { cookie, ...headers });
    open.push(c);
    return c;
  };
  const book = async (studio: BookingStudio, room: string, clientId: string) => {
    slot++;
    const res = await studio.api.post('/api/v1/bookings').send({ clientId, roomId: room, title: `Portal session ${slot}`, startsAt: at(200 + slot * 3), endsAt: at(201 + slot * 3) });
    if (res.status !== 201) throw new Error(`booking: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const idsOf = async (accountId: string, after = '0') =>
    (await s.db.query(`SELECT id::text FROM portal_notifications WHERE portal_account_id = $1 AND id > $2 ORDER BY portal_notifications.id`, [accountId, after])).rows.map((r: { id: string }) => r.id);
  const portal = (cookie: string) => ({
    get: (path: string) => t.http().get(`/api/v1/portal/notifications${path}`).set('cookie', cookie),
    post: (path: string) => t.http().post(`/api/v1/portal/notifications${path}`).set('cookie', cookie),
  });

  beforeAll(async () => {
    t = await createTestApp({ SSE_KEEPALIVE_SECONDS: '1' });
    s = await bookingStudio(t, 'Portal notes');
    other = await bookingStudio(t, 'Other portal notes');
    roomId = await s.room();
    url = await baseUrl(t.app);
  });
  afterEach(() => {
    t.app.get(NotificationDispatcher).paused = false;
    for (const c of open.splice(0)) c.close();
  });
  afterAll(async () => {
    await other?.close();
    await s?.close();
    await t?.close();
  });

  it("a portal stream carries its own client's booking events only: not another client's of the studio, nor another studio's", async () => {
    const ana = await portalClient(s, 'Ana Band');
    const ben = await portalClient(s, 'Ben Band');
    const far = await portalClient(other, 'Far Band');
    const otherRoom = await other.room();
    const [anaLive, benLive, farLive] = [await stream(ana.cookie), await stream(ben.cookie), await stream(far.cookie)];
    expect(anaLive.status).toBe(200);
    expect(anaLive.headers['x-accel-buffering']).toBe('no');
    // Held back, then dispatched together: one batch holds both clients' events (as after a crash).
    const dispatcher = t.app.get(NotificationDispatcher);
    dispatcher.paused = true;
    const anaBooking = await book(s, roomId, ana.clientId);
    await s.api.post(`/api/v1/bookings/${anaBooking}/cancel`).send({ reason: 'Flu' }).expect(200);
    const benBooking = await book(s, roomId, ben.clientId);
    const farBooking = await book(other, otherRoom, far.clientId);
    dispatcher.paused = false;
    await dispatcher.dispatch(s.organizationId);
    await dispatcher.dispatch(other.organizationId);
    const undispatched = (studio: BookingStudio) => studio.db.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`).then((r) => r.rows[0].n as number);
    await eventually('every event dispatched', async () => (await undispatched(s)) === 0 && (await undispatched(other)) === 0);
    await eventually("Ana's two events", () => anaLive.events.length >= 2);
    await eventually("Ben's and Far's", () => benLive.events.length >= 1 && farLive.events.length >= 1);
    await eventually('every stream caught up', async () => anaLive.events.length === (await idsOf(ana.accountId)).length && benLive.events.length === (await idsOf(ben.accountId)).length);
    expect(benLive.events.map((e) => e.data.subjectId)).toEqual([benBooking]);
    expect(farLive.events.map((e) => e.data.subjectId)).toEqual([farBooking]);
    expect(anaLive.events.map((e) => e.event)).toEqual(['booking.created', 'booking.cancelled']);
    expect(anaLive.events.every((e) => e.data.subjectId === anaBooking)).toBe(true);
    expect(anaLive.events[1].data).toMatchObject({ type: 'booking.cancelled', title: expect.stringMatching(/^Session cancelled: Portal session/), subjectType: 'booking', readAt: null });
    // The client sees the booking's title and times, not the staff payload (the cancellation reason, the actor).
    expect(Object.keys(anaLive.events[1].data.payload as object).sort()).toEqual(['startsAt', 'title']);
    expect(anaLive.events[1].data).not.toHaveProperty('actorId');
    expect(await idsOf(ana.accountId)).toEqual(anaLive.events.map((e) => e.id));
  });

  it('a staff-only event (a hold expiring, an internal check-in) reaches no portal account', async () => {
    const cid = await portalClient(s, 'Quiet Band');
    const id = await book(s, roomId, cid.clientId);
    await eventually('the booking notification', async () => (await idsOf(cid.accountId)).length === 1);
    await s.db.query(`UPDATE bookings SET starts_at = now() - interval '5 minutes', ends_at = now() + interval '1 hour' WHERE id = $1`, [id]);
    await s.api.post(`/api/v1/bookings/${id}/check-in`).send({}).expect(200);
    await eventually('dispatched', async () => Number((await s.db.query(`SELECT count(*) FROM outbox WHERE dispatched_at IS NULL`)).rows[0].count) === 0);
    expect(await idsOf(cid.accountId)).toHaveLength(1);
  });

  it("a hold (made, moved, released) and a title-only change never reach the client; a change of time does", async () => {
    const cid = await portalClient(s, 'Pencilled Band');
    slot++;
    const hold = await s.api.post('/api/v1/bookings').send({ clientId: cid.clientId, roomId, title: 'Pencil', status: 'hold', holdExpiresAt: new Date(Date.now() + 3_600_000).toISOString(), startsAt: at(200 + slot * 3), endsAt: at(201 + slot * 3) });
    expect(hold.status).toBe(201);
    await s.api.patch(`/api/v1/bookings/${hold.body.id}`).send({ startsAt: at(200 + slot * 3 + 1), endsAt: at(201 + slot * 3 + 1) }).expect(200);
    await s.api.post(`/api/v1/bookings/${hold.body.id}/cancel`).send({}).expect(200);
    const confirmed = await book(s, roomId, cid.clientId);
    await s.api.patch(`/api/v1/bookings/${confirmed}`).send({ title: 'Renamed by the studio' }).expect(200);
    slot++;
    await s.api.patch(`/api/v1/bookings/${confirmed}`).send({ startsAt: at(200 + slot * 3), endsAt: at(201 + slot * 3) }).expect(200);
    await eventually('dispatched', async () => Number((await s.db.query(`SELECT count(*) FROM outbox WHERE dispatched_at IS NULL`)).rows[0].count) === 0);
    const types = (await s.db.query(`SELECT type FROM portal_notifications WHERE portal_account_id = $1 ORDER BY id`, [cid.accountId])).rows.map((r: { type: string }) => r.type);
    expect(types).toEqual(['booking.created', 'booking.changed']);
  });

  it('reconnecting with Last-Event-ID (header or query) replays exactly the missed ones, in order, then goes live', async () => {
    const cid = await portalClient(s, 'Replay Band');
    const first = await stream(cid.cookie);
    await book(s, roomId, cid.clientId);
    await eventually('one', () => first.events.length === 1);
    const lastSeen = first.events[0].id;
    first.close();
    for (let i = 0; i < 3; i++) await book(s, roomId, cid.clientId);
    await eventually('three missed', async () => (await idsOf(cid.accountId, lastSeen)).length === 3);
    const viaHeader = await stream(cid.cookie, { 'last-event-id': lastSeen });
    const viaQuery = await stream(cid.cookie, {}, `?lastEventId=${lastSeen}`);
    await eventually('the replays', () => viaHeader.events.length === 3 && viaQuery.events.length === 3);
    await book(s, roomId, cid.clientId);
    await eventually('the next, live', () => viaHeader.events.length === 4);
    const expected = await idsOf(cid.accountId, lastSeen);
    expect(viaHeader.events.map((e) => e.id)).toEqual(expected);
    expect(new Set(expected).size).toBe(4);
  });

  it('the stream ends on logout, and when the account is disabled', async () => {
    const a = await portalClient(s, 'Logout Band');
    const live = await stream(a.cookie);
    await t.http().post('/api/v1/portal/auth/logout').set('cookie', a.cookie).expect(204);
    await live.ended;
    expect(live.events.at(-1)?.event).toBe('session-ended');
    const b = await portalClient(s, 'Disabled Band');
    const second = await stream(b.cookie);
    await s.db.query(`UPDATE client_portal_accounts SET disabled_at = now() WHERE id = $1`, [b.accountId]);
    await second.ended;
    expect(second.events.at(-1)?.event).toBe('session-ended');
  });

  it("lists, counts and marks read the account's own notifications; another account's is a 404", async () => {
    const a = await portalClient(s, 'List Band');
    const b = await portalClient(s, 'Other List Band');
    for (let i = 0; i < 3; i++) await book(s, roomId, a.clientId);
    await book(s, roomId, b.clientId);
    await eventually('dispatched', async () => (await idsOf(a.accountId)).length === 3 && (await idsOf(b.accountId)).length === 1);
    const list = (await portal(a.cookie).get('?limit=2').expect(200)).body;
    expect(list.items).toHaveLength(2);
    expect(list.items[0].id > list.items[1].id || list.items[0].id.length > list.items[1].id.length).toBe(true);
    const rest = (await portal(a.cookie).get(`?limit=2&cursor=${encodeURIComponent(list.nextCursor)}`).expect(200)).body;
    expect(rest.items).toHaveLength(1);
    expect((await portal(a.cookie).get('/unread-count').expect(200)).body).toEqual({ count: 3 });
    await portal(a.cookie).post(`/${list.items[0].id}/read`).send({}).expect(204);
    expect((await portal(a.cookie).get('/unread-count').expect(200)).body).toEqual({ count: 2 });
    const [bId] = await idsOf(b.accountId);
    await portal(a.cookie).post(`/${bId}/read`).send({}).expect(404);
    expect((await portal(b.cookie).get('/unread-count').expect(200)).body).toEqual({ count: 1 });
    expect((await portal(a.cookie).post('/read-all').send({}).expect(200)).body).toEqual({ marked: 2 });
    expect((await portal(b.cookie).get('/unread-count').expect(200)).body).toEqual({ count: 1 });
    // A staff session is not a portal session, and a portal cookie opens no staff route.
    await portal(s.cookie).get('').expect(401);
    await t.http().get('/api/v1/notifications').set('cookie', a.cookie).expect(401);
  });

  it('bad input is a 400 problem that changes nothing', async () => {
    const a = await portalClient(s, 'Bad Input Band');
    await book(s, roomId, a.clientId);
    await eventually('one', async () => (await idsOf(a.accountId)).length === 1);
    const problems = [
      await portal(a.cookie).get('/stream?lastEventId=abc'),
      await portal(a.cookie).get('/stream').set('last-event-id', '-1'),
      await portal(a.cookie).get('?cursor=not-a-cursor'),
      await portal(a.cookie).get('?since=1e3'),
      await portal(a.cookie).get('?unread=yes'),
      await portal(a.cookie).post('/12x/read').send({}),
    ];
    for (const res of problems) {
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await portal(a.cookie).get('/unread-count').expect(200)).body).toEqual({ count: 1 });
  });
});
