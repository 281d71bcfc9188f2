import { at, bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { baseUrl, eventually, openStream, type SseClient } from './support/sse-client.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 13 (board helper): GET /api/v1/rooms/board — each room's state, current session (elapsed,
 * remaining, overtime) and next booking at the server's clock — and `board.changed` on the staff stream
 * when a booking changes. Bookings are made through the API in the future and moved to "now" with SQL
 * (the API refuses bookings in the past, and this is about what the board shows, not the booking rules).
 */
describe('room board', () => {
  let t: TestApp;
  let s: BookingStudio;
  let clientId: string;
  const open: SseClient[] = [];
  let slot = 0;

  /** A booking in `roomId`, moved to [now + startMin, now + endMin). */
  const booking = async (roomId: string, startMin: number, endMin: number, extra: Record<string, unknown> = {}) => {
    slot++;
    const res = await s.api.post('/api/v1/bookings').send({ clientId, roomId, title: `Board ${slot}`, startsAt: at(100 + slot * 3), endsAt: at(101 + slot * 3), ...extra });
    if (res.status !== 201) throw new Error(`booking: ${res.status} ${JSON.stringify(res.body)}`);
    await s.db.query(`UPDATE bookings SET starts_at = now() + $2 * interval '1 minute', ends_at = now() + $3 * interval '1 minute' WHERE id = $1`, [res.body.id, startMin, endMin]);
    return res.body.id as string;
  };
  const board = async (cookie = s.cookie) => {
    const res = await t.http().get('/api/v1/rooms/board').set('cookie', cookie).expect(200);
    return res.body as { serverTime: string; rooms: Array<Record<string, any>> };
  };
  const card = (b: Awaited<ReturnType<typeof board>>, roomId: string) => b.rooms.find((r) => r.roomId === roomId)!;

  beforeAll(async () => {
    t = await createTestApp({ SSE_KEEPALIVE_SECONDS: '1' });
    s = await bookingStudio(t, 'Board');
    clientId = await s.client('The Night Owls');
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  afterAll(async () => {
    await s?.close();
    await t?.close();
  });

  it('shows each active room free, occupied or held, with elapsed and remaining at the server time', async () => {
    const free = await s.room();
    const occupied = await s.room();
    const held = await s.room();
    const retired = await s.room({ active: false });
    const engineerId = await s.member('engineer');
    const running = await booking(occupied, -30, 90, { engineerIds: [engineerId] });
    await booking(held, -10, 50, { status: 'hold', holdExpiresAt: at(99) });
    await booking(free, -240, -120); // over, never checked in: the room is free again

    const b = await board();
    expect(b.rooms.map((r) => r.roomId)).not.toContain(retired);
    expect(card(b, free)).toMatchObject({ state: 'free', current: null });
    expect(card(b, held)).toMatchObject({ state: 'hold', current: { status: 'hold' } });
    const now = Date.parse(b.serverTime);
    const session = card(b, occupied).current;
    expect(card(b, occupied).state).toBe('occupied');
    expect(session).toMatchObject({ bookingId: running, status: 'confirmed', clientName: 'The Night Owls', actualStartAt: null, overtime: false, overtimeSeconds: 0 });
    expect(session.engineers).toEqual([{ id: engineerId, name: expect.any(String) }]);
    expect(session.engineers[0].name).not.toBe('');
    // Figures are the server's, at serverTime (to the second).
    expect(session.elapsedSeconds).toBe(Math.floor((now - Date.parse(session.startsAt)) / 1000));
    expect(session.remainingSeconds).toBe(Math.floor((Date.parse(session.endsAt) - now) / 1000));
  });

  it('a checked-in session counts from the check-in and runs into overtime past its end until checked out', async () => {
    const room = await s.room();
    const id = await booking(room, -180, -60);
    await s.api.post(`/api/v1/bookings/${id}/check-in`).send({}).expect(200);
    let b = await board();
    const session = card(b, room).current;
    expect(card(b, room).state).toBe('occupied');
    expect(session).toMatchObject({ bookingId: id, status: 'in_progress', overtime: true, remainingSeconds: 0 });
    const now = Date.parse(b.serverTime);
    expect(session.overtimeSeconds).toBe(Math.floor((now - Date.parse(session.endsAt)) / 1000));
    expect(session.overtimeSeconds).toBeGreaterThan(3500);
    expect(session.elapsedSeconds).toBe(Math.floor((now - Date.parse(session.actualStartAt)) / 1000));
    await s.api.post(`/api/v1/bookings/${id}/check-out`).send({}).expect(200);
    b = await board();
    expect(card(b, room)).toMatchObject({ state: 'free', current: null });
  });

  it('the next booking is the earliest upcoming hold or confirmed one (not a cancelled one, not one that started)', async () => {
    const room = await s.room();
    await booking(room, -20, 40);
    const cancelled = await booking(room, 60, 90);
    await s.api.post(`/api/v1/bookings/${cancelled}/cancel`).send({}).expect(200);
    const later = await booking(room, 240, 300);
    const next = await booking(room, 120, 180);
    const b = await board();
    expect(card(b, room).next).toMatchObject({ bookingId: next, clientName: 'The Night Owls', status: 'confirmed' });
    expect(card(b, room).next.bookingId).not.toBe(later);
  });

  it('every member reads the board of their own studio only', async () => {
    const room = await s.room();
    await booking(room, -5, 55);
    const viewer = await s.member('viewer');
    expect(card(await board(await s.cookieOf(viewer)), room).state).toBe('occupied');
    const other = await bookingStudio(t, 'Other board');
    try {
      const theirs = await board(other.cookie);
      expect(theirs.rooms.map((r) => r.roomId)).not.toContain(room);
    } finally {
      await other.close();
    }
    await t.http().get('/api/v1/rooms/board').expect(401);
  });

  it('a change to a booking sends board.changed (room id, no event id) on a staff stream that asks (?board=true); a check-in notifies nobody', async () => {
    const room = await s.room();
    const id = await booking(room, -15, 45);
    const engineerId = await s.member('engineer');
    const cookie = await s.cookieOf(engineerId);
    await eventually('the booking dispatched', async () => Number((await s.db.query(`SELECT count(*) FROM outbox WHERE dispatched_at IS NULL`)).rows[0].count) === 0);
    const plain = await openStream(`${await baseUrl(t.app)}/api/v1/notifications/stream`, { cookie }); // not asked: no board events
    const live = await openStream(`${await baseUrl(t.app)}/api/v1/notifications/stream?board=true`, { cookie });
    open.push(plain, live); // its board starting point was taken before its headers were sent
    const before = Number((await s.db.query(`SELECT count(*) FROM notifications`)).rows[0].count);
    await s.api.post(`/api/v1/bookings/${id}/check-in`).send({}).expect(200);
    await eventually('board.changed', () => live.events.some((e) => e.event === 'board.changed'));
    const change = live.events.find((e) => e.event === 'board.changed')!;
    expect(change.id).toBeUndefined();
    expect(change.data).toEqual({ roomId: room, bookingId: id, type: 'booking.checked_in' });
    // An engineer who is not assigned gets the board change but no notification of it.
    expect(live.events.filter((e) => e.event !== 'board.changed')).toEqual([]);
    expect(Number((await s.db.query(`SELECT count(*) FROM notifications`)).rows[0].count)).toBe(before);
    // A booking moved to another time: one more change for that room.
    await s.api.patch(`/api/v1/bookings/${id}`).send({ title: 'Renamed' }).expect(200);
    await eventually('a second board.changed', () => live.events.filter((e) => e.event === 'board.changed').length === 2);
    expect(live.events.filter((e) => e.event === 'board.changed')[1].data).toMatchObject({ roomId: room, type: 'booking.changed' });
    expect(plain.events.filter((e) => e.event === 'board.changed')).toEqual([]);
  });
});
