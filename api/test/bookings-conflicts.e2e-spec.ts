import { at, bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 9: no double booking, guaranteed by PostgreSQL's exclusion constraints (rooms, engineers,
 * equipment), with buffers, and visible to clients as a 409 problem naming what conflicts.
 */
describe('bookings: conflicts', () => {
  let t: TestApp;
  let s: BookingStudio;
  let clientId: string;

  beforeAll(async () => {
    // 50 concurrent requests on the largest tenant pool (10 transactions at once), given time to queue rather than a 503.
    t = await createTestApp({ TENANT_ACQUIRE_TIMEOUT_MS: '60000', TENANT_POOL_SIZE: '10' });
    s = await bookingStudio(t, 'Conflicts');
    clientId = await s.client();
  });
  afterAll(async () => {
    await s.close();
    await t?.close();
  });

  const book = (body: Record<string, unknown>) => s.api.post('/api/v1/bookings').send({ clientId, title: 'Session', ...body });
  const statuses = (responses: Array<{ status: number }>) => responses.map((r) => r.status).sort();

  it('50 concurrent overlapping bookings of one room: exactly one 201, 49 × 409 naming the room and the winner', async () => {
    const roomId = await s.room();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => book({ roomId, startsAt: at(10 + (i % 5) * 0.25), endsAt: at(12 + (i % 5) * 0.25) })),
    );
    expect(statuses(responses)).toEqual([201, ...Array(49).fill(409)]);
    const winner = responses.find((r) => r.status === 201)!.body;
    for (const r of responses.filter((x) => x.status === 409)) {
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.body).toMatchObject({ type: 'https://rsm.dev/problems/booking-conflict', title: 'Booking conflict', status: 409 });
      expect(r.body.conflicts).toEqual([{ resource: 'room', resourceId: roomId, bookingId: winner.id, startsAt: winner.startsAt, endsAt: winner.endsAt }]);
      expect(JSON.stringify(r.body)).not.toContain('Midnight Owls'); // never the other booking's client
    }
    expect(await s.count('bookings', `room_id = '${roomId}'`)).toBe(1);
  });

  it('50 concurrent bookings of one engineer across two rooms: exactly one 201', async () => {
    const rooms = [await s.room(), await s.room()];
    const engineer = await s.member('engineer');
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => book({ roomId: rooms[i % 2], engineerIds: [engineer], startsAt: at(30), endsAt: at(33) })),
    );
    expect(statuses(responses)).toEqual([201, ...Array(49).fill(409)]);
    const refused = responses.filter((r) => r.status === 409);
    // Those refused for the engineer (not the room) name the engineer.
    expect(refused.some((r) => r.body.conflicts.some((c: { resource: string; resourceId: string }) => c.resource === 'engineer' && c.resourceId === engineer))).toBe(true);
    expect(await s.count('booking_engineers', `user_id = '${engineer}'`)).toBe(1);
  });

  it('50 concurrent bookings of one equipment item across two rooms: exactly one 201', async () => {
    const rooms = [await s.room(), await s.room()];
    const mic = await s.equipment();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => book({ roomId: rooms[i % 2], equipmentIds: [mic], startsAt: at(50), endsAt: at(52) })),
    );
    expect(statuses(responses)).toEqual([201, ...Array(49).fill(409)]);
    expect(await s.count('booking_equipment', `equipment_id = '${mic}'`)).toBe(1);
  });

  it('cancelling frees the slot', async () => {
    const roomId = await s.room();
    const first = await book({ roomId, startsAt: at(70), endsAt: at(72) }).expect(201);
    await book({ roomId, startsAt: at(71), endsAt: at(73) }).expect(409);
    await s.api.post(`/api/v1/bookings/${first.body.id}/cancel`).send({ reason: 'band ill' }).expect(200);
    await book({ roomId, startsAt: at(71), endsAt: at(73) }).expect(201);
  });

  it('back-to-back bookings without buffers both succeed; with a buffer they conflict', async () => {
    const roomId = await s.room();
    await book({ roomId, startsAt: at(80), endsAt: at(82), setupMinutes: 0, teardownMinutes: 0 }).expect(201);
    await book({ roomId, startsAt: at(82), endsAt: at(84), setupMinutes: 0, teardownMinutes: 0 }).expect(201);
    const tooClose = await book({ roomId, startsAt: at(84.25), endsAt: at(86), setupMinutes: 30, teardownMinutes: 0 }).expect(409);
    // The other booking's times in the problem include its own buffers (none here); ours needed 30 min before.
    expect(tooClose.body.conflicts[0]).toMatchObject({ resource: 'room', startsAt: at(82), endsAt: at(84) });
    const teardown = await book({ roomId, startsAt: at(90), endsAt: at(92), teardownMinutes: 60 }).expect(201);
    const blocked = await book({ roomId, startsAt: at(92.5), endsAt: at(94), setupMinutes: 0 }).expect(409);
    expect(blocked.body.conflicts[0]).toMatchObject({ bookingId: teardown.body.id, startsAt: at(90), endsAt: at(93) });
    await book({ roomId, startsAt: at(93), endsAt: at(94), setupMinutes: 0 }).expect(201);
  });

  it('PostgreSQL alone refuses a conflicting row inserted straight through SQL (room, engineer, equipment)', async () => {
    const roomId = await s.room();
    const mic = await s.equipment();
    const engineer = await s.member('engineer');
    const first = await book({ roomId, engineerIds: [engineer], equipmentIds: [mic], startsAt: at(100), endsAt: at(102) }).expect(201);
    const insert = (room: string, from: string, to: string) =>
      s.db.query(
        `INSERT INTO bookings (client_id, room_id, title, starts_at, ends_at, hourly_rate_minor, currency, access_code)
         VALUES ($1, $2, 'raw', $3, $4, 0, 'EUR', '00000000') RETURNING id`,
        [clientId, room, from, to],
      );
    await expect(insert(roomId, at(101), at(103))).rejects.toMatchObject({ code: '23P01', constraint: 'EXC_bookings_room_overlap' });
    // Another room is free, but the engineer and the microphone are not.
    const other = await s.room();
    const { rows } = await insert(other, at(101), at(103));
    await expect(s.db.query(`INSERT INTO booking_engineers (booking_id, user_id) VALUES ($1, $2)`, [rows[0].id, engineer])).rejects.toMatchObject({
      code: '23P01',
      constraint: 'EXC_booking_engineers_overlap',
    });
    await expect(s.db.query(`INSERT INTO booking_equipment (booking_id, equipment_id) VALUES ($1, $2)`, [rows[0].id, mic])).rejects.toMatchObject({
      code: '23P01',
      constraint: 'EXC_booking_equipment_overlap',
    });
    // Moving the raw booking onto the first through SQL is refused too (the trigger recomputes the span).
    await expect(s.db.query(`UPDATE bookings SET room_id = $1 WHERE id = $2`, [roomId, rows[0].id])).rejects.toMatchObject({ code: '23P01' });
    // A cancelled row may overlap.
    await s.db.query(`UPDATE bookings SET status = 'cancelled' WHERE id = $1`, [first.body.id]);
    await expect(insert(roomId, at(101), at(103))).resolves.toBeDefined();
  });

  it('an expired hold in the way is released by the write that needs the slot (and audited)', async () => {
    const roomId = await s.room();
    const hold = await book({ roomId, startsAt: at(120), endsAt: at(122), status: 'hold', holdExpiresAt: new Date(Date.now() + 60_000).toISOString() }).expect(201);
    await book({ roomId, startsAt: at(121), endsAt: at(123) }).expect(409);
    // The hold's time runs out (moved into the past behind the app's back; no job runs in this suite).
    await s.db.query(`UPDATE bookings SET hold_expires_at = now() - interval '1 second' WHERE id = $1`, [hold.body.id]);
    await book({ roomId, startsAt: at(121), endsAt: at(123) }).expect(201);
    const released = await s.api.get(`/api/v1/bookings/${hold.body.id}`).expect(200);
    expect(released.body).toMatchObject({ status: 'cancelled', cancellationReason: 'hold_expired' });
    const audit = await s.db.query(`SELECT actor_type FROM audit_log WHERE action = 'booking.hold_expired' AND target_id = $1`, [hold.body.id]);
    expect(audit.rows).toEqual([{ actor_type: 'system' }]);
  });
});
