import { randomUUID } from 'node:crypto';
import { at, bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Issue 9: the bookings API of the contract (contract-bookings.md): reads, writes, rules, and bad input that writes nothing. */
describe('bookings: API', () => {
  let t: TestApp;
  let s: BookingStudio;
  let other: BookingStudio;
  let clientId: string;
  let roomId: string;

  beforeAll(async () => {
    t = await createTestApp();
    s = await bookingStudio(t, 'Bookings API');
    other = await bookingStudio(t, 'Other studio');
    clientId = await s.client();
    roomId = await s.room({ hourlyRateMinor: 6000, dayRateMinor: 30000 });
  });
  afterAll(async () => {
    await s.close();
    await other.close();
    await t?.close();
  });

  const body = (extra: Record<string, unknown> = {}) => ({ clientId, roomId, title: 'Tracking', startsAt: at(10), endsAt: at(14), ...extra });
  const book = (extra: Record<string, unknown> = {}) => s.api.post('/api/v1/bookings').send(body(extra));
  /** Everything a refused write must leave untouched. */
  const snapshot = async () => ({
    bookings: await s.count('bookings'),
    engineers: await s.count('booking_engineers'),
    equipment: await s.count('booking_equipment'),
    audit: await s.count('audit_log', `target_type = 'booking'`),
    updated: (await s.db.query(`SELECT coalesce(max(updated_at), 'epoch') AS u FROM bookings`)).rows[0].u.toISOString(),
  });

  it('creates a booking with the rate snapshot and an access code, readable by id and in the calendar', async () => {
    const engineer = await s.member('engineer');
    const mic = await s.equipment();
    const res = await book({ engineerIds: [engineer], equipmentIds: [mic], notes: 'bring the Neumann', setupMinutes: 15 }).expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      title: 'Tracking',
      status: 'confirmed',
      clientId,
      client: { id: clientId, name: 'The Midnight Owls' },
      roomId,
      engineerIds: [engineer],
      equipmentIds: [mic],
      projectId: null,
      seriesId: null,
      startsAt: at(10),
      endsAt: at(14),
      setupMinutes: 15,
      teardownMinutes: 0,
      holdExpiresAt: null,
      cancellationReason: null,
      notes: 'bring the Neumann',
      rate: { hourlyRateMinor: 6000, dayRateMinor: 30000, currency: 'EUR' },
      actualStartAt: null,
      actualEndAt: null,
      accessCode: expect.stringMatching(/^\d{8}$/),
      rulesOverridden: false,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    // A later change of the room's rate does not reprice the booking.
    await s.db.query(`UPDATE rooms SET hourly_rate_minor = 9999 WHERE id = $1`, [roomId]);
    expect((await s.api.get(`/api/v1/bookings/${res.body.id}`).expect(200)).body).toEqual(res.body);
    await s.db.query(`UPDATE rooms SET hourly_rate_minor = 6000 WHERE id = $1`, [roomId]);
    const week = await s.api.get(`/api/v1/bookings?from=${at(0)}&to=${at(24 * 7)}`).expect(200);
    expect(week.body.items.map((b: { id: string }) => b.id)).toContain(res.body.id);
    const audit = await s.db.query(`SELECT action FROM audit_log WHERE target_id = $1`, [res.body.id]);
    expect(audit.rows).toEqual([{ action: 'booking.created' }]);
    // Another studio sees none of it.
    await other.api.get(`/api/v1/bookings/${res.body.id}`).expect(404);
    expect((await other.api.get(`/api/v1/bookings?from=${at(0)}&to=${at(24 * 7)}`).expect(200)).body.items).toEqual([]);
  });

  it('the calendar query: overlap with [from, to), sorted, filters by room, engineer and status; cancelled hidden unless asked', async () => {
    const room = await s.room();
    const engineer = await s.member('engineer');
    const a = (await s.api.post('/api/v1/bookings').send(body({ roomId: room, startsAt: at(200), endsAt: at(202), engineerIds: [engineer] })).expect(201)).body;
    const b = (await s.api.post('/api/v1/bookings').send(body({ roomId: room, startsAt: at(198), endsAt: at(200) })).expect(201)).body;
    const c = (await s.api.post('/api/v1/bookings').send(body({ roomId: room, startsAt: at(203), endsAt: at(204) })).expect(201)).body;
    await s.api.post(`/api/v1/bookings/${c.id}/cancel`).send({}).expect(200);
    const ids = async (q: string) => (await s.api.get(`/api/v1/bookings?${q}`).expect(200)).body.items.map((x: { id: string }) => x.id);
    expect(await ids(`from=${at(199)}&to=${at(205)}&roomId=${room}`)).toEqual([b.id, a.id]);
    expect(await ids(`from=${at(200)}&to=${at(205)}&roomId=${room}`)).toEqual([a.id]); // b ends at `from`: no overlap
    expect(await ids(`from=${at(190)}&to=${at(210)}&engineerId=${engineer}`)).toEqual([a.id]);
    expect(await ids(`from=${at(190)}&to=${at(210)}&roomId=${room}&status=cancelled`)).toEqual([c.id]);
    expect(await ids(`from=${at(190)}&to=${at(210)}&roomId=${room}&status=cancelled,confirmed`)).toEqual([b.id, a.id, c.id]);
    expect(await ids(`from=${at(190)}&to=${at(210)}&roomId=${room}&status=cancelled&status=confirmed`)).toEqual([b.id, a.id, c.id]);
  });

  it.each([
    ['no range', ''],
    ['to before from', `from=${at(10)}&to=${at(5)}`],
    ['an empty range', `from=${at(10)}&to=${at(10)}`],
    ['43 days', `from=${at(0)}&to=${at(43 * 24)}`],
    ['10 years', `from=${at(0)}&to=${at(10 * 365 * 24)}`],
    ['a local time without offset', `from=2030-01-07T00:00:00&to=2030-01-08T00:00:00Z`],
    ['an unknown status', `from=${at(0)}&to=${at(24)}&status=maybe`],
    ['a room id that is not a UUID', `from=${at(0)}&to=${at(24)}&roomId=42`],
  ])('the calendar query refuses %s with a 400 problem', async (_label, query) => {
    const res = await s.api.get(`/api/v1/bookings?${query}`).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  const engineerOf = async (studio: BookingStudio) => studio.member('engineer');
  const badCreates: Array<[string, number, () => Promise<Record<string, unknown>>]> = [
    ['end before start', 400, async () => body({ startsAt: at(14), endsAt: at(10) })],
    ['zero length', 400, async () => body({ startsAt: at(10), endsAt: at(10) })],
    ['an unknown client', 400, async () => body({ clientId: randomUUID() })],
    ['an unknown room', 400, async () => body({ roomId: randomUUID() })],
    ["another studio's client", 400, async () => body({ clientId: await other.client() })],
    ["another studio's room", 400, async () => body({ roomId: await other.room() })],
    ['an unknown engineer', 400, async () => body({ engineerIds: [randomUUID()] })],
    ["another studio's engineer", 400, async () => body({ engineerIds: [await engineerOf(other)] })],
    ['a viewer as engineer', 400, async () => body({ engineerIds: [await s.member('viewer')] })],
    ['an unknown equipment item', 400, async () => body({ equipmentIds: [randomUUID()] })],
    ["another studio's equipment", 400, async () => body({ equipmentIds: [await other.equipment()] })],
    ['retired equipment', 400, async () => body({ equipmentIds: [await s.equipment({ status: 'retired' })] })],
    ['equipment in maintenance', 400, async () => body({ equipmentIds: [await s.equipment({ status: 'maintenance' })] })],
    ['an inactive room', 400, async () => body({ roomId: await s.room({ active: false }) })],
    ['negative setup', 400, async () => body({ setupMinutes: -5 })],
    ['a buffer over a day', 400, async () => body({ teardownMinutes: 1441 })],
    ['a hold without expiry', 400, async () => body({ status: 'hold' })],
    ['a hold expiring in the past', 400, async () => body({ status: 'hold', holdExpiresAt: new Date(Date.now() - 1000).toISOString() })],
    ['a status other than hold/confirmed', 400, async () => body({ status: 'completed' })],
    ['a local time without offset', 400, async () => body({ startsAt: '2030-01-07T10:00:00' })],
    ['a blank title', 400, async () => body({ title: '  ' })],
    ['an unknown field', 400, async () => ({ ...body(), priceMinor: 1 })],
    ['duplicate engineers', 400, async () => { const e = await s.member('engineer'); return body({ engineerIds: [e, e] }); }],
    ['overrideRules by an engineer (admins only)', 403, async () => body({ overrideRules: true })],
  ];

  it.each(badCreates)('POST /bookings with %s → %i problem, nothing written', async (label, status, make) => {
    const request = await make();
    const before = await snapshot();
    const caller = label.startsWith('overrideRules') ? s.as(await s.cookieOf(await s.member('engineer'))) : s.api;
    const res = await caller.post('/api/v1/bookings').send(request);
    expect([res.status, res.headers['content-type']]).toEqual([status, expect.stringMatching(/^application\/problem\+json/)]);
    expect(await snapshot()).toEqual(before);
  });

  it('PATCH moves, resizes and reassigns; a move onto another booking is a 409 and changes nothing', async () => {
    const room = await s.room();
    const engineer = await s.member('engineer');
    const a = (await s.api.post('/api/v1/bookings').send(body({ roomId: room, startsAt: at(300), endsAt: at(302) })).expect(201)).body;
    const b = (await s.api.post('/api/v1/bookings').send(body({ roomId: room, startsAt: at(303), endsAt: at(305) })).expect(201)).body;
    const moved = await s.api.patch(`/api/v1/bookings/${a.id}`).send({ startsAt: at(301), endsAt: at(303), engineerIds: [engineer] }).expect(200);
    expect(moved.body).toMatchObject({ startsAt: at(301), endsAt: at(303), engineerIds: [engineer], title: 'Tracking' });
    const before = await snapshot();
    const clash = await s.api.patch(`/api/v1/bookings/${a.id}`).send({ endsAt: at(304) }).expect(409);
    expect(clash.body.conflicts).toEqual([{ resource: 'room', resourceId: room, bookingId: b.id, startsAt: at(303), endsAt: at(305) }]);
    expect(await snapshot()).toEqual(before);
    // Moving to another room where it fits.
    const room2 = await s.room();
    await s.api.patch(`/api/v1/bookings/${a.id}`).send({ roomId: room2, endsAt: at(304) }).expect(200);
  });

  it('concurrent PATCHes of different fields keep every change', async () => {
    const a = (await book({ startsAt: at(400), endsAt: at(402) }).expect(201)).body;
    const engineer = await s.member('engineer');
    const results = await Promise.all([
      s.api.patch(`/api/v1/bookings/${a.id}`).send({ title: 'Overdubs' }),
      s.api.patch(`/api/v1/bookings/${a.id}`).send({ notes: 'vocals' }),
      s.api.patch(`/api/v1/bookings/${a.id}`).send({ endsAt: at(403) }),
      s.api.patch(`/api/v1/bookings/${a.id}`).send({ engineerIds: [engineer] }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const final = (await s.api.get(`/api/v1/bookings/${a.id}`).expect(200)).body;
    expect(final).toMatchObject({ title: 'Overdubs', notes: 'vocals', endsAt: at(403), engineerIds: [engineer] });
  });

  it.each([
    ['end before start', 400, { startsAt: at(505), endsAt: at(501) }],
    ['zero length', 400, { endsAt: at(500) }],
    ['an unknown room', 400, { roomId: randomUUID() }],
    ['an unknown engineer', 400, { engineerIds: [randomUUID()] }],
    ['negative teardown', 400, { teardownMinutes: -1 }],
    ['a status other than confirmed', 400, { status: 'cancelled' }],
    ['an unknown scope', 400, { scope: 'all' }],
  ])('PATCH with %s → %i problem, nothing written', async (_label, status, patch) => {
    const a = (await book({ startsAt: at(500), endsAt: at(502) }).expect(201)).body;
    const before = await snapshot();
    const res = await s.api.patch(`/api/v1/bookings/${a.id}`).send(patch);
    expect([res.status, res.headers['content-type']]).toEqual([status, expect.stringMatching(/^application\/problem\+json/)]);
    expect(await snapshot()).toEqual(before);
    await s.api.post(`/api/v1/bookings/${a.id}/cancel`).send({}).expect(200);
  });

  it('unknown, malformed or other-studio ids are 404/400 problems on every :id route', async () => {
    const theirs = (await other.api.post('/api/v1/bookings').send({ clientId: await other.client(), roomId: await other.room(), title: 'x', startsAt: at(10), endsAt: at(12) }).expect(201)).body.id;
    for (const id of [randomUUID(), theirs]) {
      await s.api.get(`/api/v1/bookings/${id}`).expect(404);
      await s.api.get(`/api/v1/bookings/${id}/summary`).expect(404);
      await s.api.patch(`/api/v1/bookings/${id}`).send({ title: 'mine now' }).expect(404);
      await s.api.post(`/api/v1/bookings/${id}/cancel`).send({}).expect(404);
      await s.api.post(`/api/v1/bookings/${id}/check-in`).send({}).expect(404);
      await s.api.post(`/api/v1/bookings/${id}/check-out`).send({}).expect(404);
    }
    expect((await other.api.get(`/api/v1/bookings/${theirs}`).expect(200)).body).toMatchObject({ title: 'x', status: 'confirmed' });
    await s.api.get('/api/v1/bookings/not-a-uuid').expect(400);
    await s.api.post('/api/v1/bookings/not-a-uuid/cancel').send({}).expect(400);
    await s.api.post(`/api/v1/bookings/${theirs}/cancel`).send({ reason: 'x'.repeat(501) }).expect(400);
  });

  it('a hold is confirmed by PATCH status=confirmed; cancel and check-in/out follow the status rules', async () => {
    const hold = (await book({ startsAt: at(600), endsAt: at(602), status: 'hold', holdExpiresAt: new Date(Date.now() + 3_600_000).toISOString() }).expect(201)).body;
    expect(hold).toMatchObject({ status: 'hold', holdExpiresAt: expect.any(String) });
    await s.api.post(`/api/v1/bookings/${hold.id}/check-in`).send({}).expect(409); // a hold is confirmed first
    const confirmed = await s.api.patch(`/api/v1/bookings/${hold.id}`).send({ status: 'confirmed' }).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', holdExpiresAt: null });
    await s.api.patch(`/api/v1/bookings/${hold.id}`).send({ status: 'confirmed' }).expect(409);
    await s.api.post(`/api/v1/bookings/${hold.id}/check-out`).send({}).expect(409);
    const started = await s.api.post(`/api/v1/bookings/${hold.id}/check-in`).send({}).expect(200);
    expect(started.body).toMatchObject({ status: 'in_progress', actualStartAt: expect.any(String), actualEndAt: null });
    await s.api.post(`/api/v1/bookings/${hold.id}/cancel`).send({}).expect(409);
    await s.api.patch(`/api/v1/bookings/${hold.id}`).send({ endsAt: at(603) }).expect(409);
    const done = await s.api.post(`/api/v1/bookings/${hold.id}/check-out`).send({}).expect(200);
    expect(done.body).toMatchObject({ status: 'completed', actualEndAt: expect.any(String) });
    const actions = (await s.db.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY occurred_at`, [hold.id])).rows.map((r) => r.action);
    expect(actions).toEqual(['booking.created', 'booking.confirmed', 'booking.checked_in', 'booking.checked_out']);
  });

  it('billable summary: hours × rate, the day rate when cheaper, equipment per hour and per session, overtime after check-out', async () => {
    const room = await s.room({ hourlyRateMinor: 5000, dayRateMinor: 30000 });
    const perHour = await s.equipment({ rateMinor: 1000, rateUnit: 'hour' });
    const perSession = await s.equipment({ rateMinor: 2500, rateUnit: 'session' });
    const short = (await s.api.post('/api/v1/bookings').send(body({ roomId: room, startsAt: at(700), endsAt: at(703), equipmentIds: [perHour, perSession] })).expect(201)).body;
    const summary = (await s.api.get(`/api/v1/bookings/${short.id}/summary`).expect(200)).body;
    expect(summary).toMatchObject({ bookedHours: 3, billedHours: 3, overtimeHours: 0, totalMinor: 3 * 5000 + 3 * 1000 + 2500, currency: 'EUR' });
    expect(summary.lines[0]).toMatchObject({ kind: 'room', unit: 'hour', quantity: 3, amountMinor: 15000 });
    // 8 hours: 40000 by the hour, 30000 by the day.
    const long = (await s.api.post('/api/v1/bookings').send(body({ roomId: room, startsAt: at(710), endsAt: at(718) })).expect(201)).body;
    expect((await s.api.get(`/api/v1/bookings/${long.id}/summary`).expect(200)).body).toMatchObject({ totalMinor: 30000, lines: [{ kind: 'room', unit: 'day', quantity: 1 }] });
    // Checked in and out: the actual times are billed, and the time beyond the booked end is overtime.
    await s.api.post(`/api/v1/bookings/${short.id}/check-in`).send({}).expect(200);
    await s.api.post(`/api/v1/bookings/${short.id}/check-out`).send({}).expect(200);
    await s.db.query(`UPDATE bookings SET actual_start_at = $2, actual_end_at = $3 WHERE id = $1`, [short.id, at(700), at(704)]);
    expect((await s.api.get(`/api/v1/bookings/${short.id}/summary`).expect(200)).body).toMatchObject({ billedHours: 4, overtimeHours: 1, totalMinor: 4 * 5000 + 4 * 1000 + 2500 });
  });

  it('a client or room with bookings cannot be deleted: the bookings keep their history (409, nothing removed)', async () => {
    const owls = await s.client('Keeps history');
    await book({ clientId: owls, startsAt: at(800), endsAt: at(802) }).expect(201);
    const res = await s.api.delete(`/api/v1/clients/${owls}`).expect(409);
    expect(res.body).toMatchObject({ type: 'https://rsm.dev/problems/client-in-use' });
    await s.api.get(`/api/v1/clients/${owls}`).expect(200);
    await expect(s.db.query(`DELETE FROM rooms WHERE id = $1`, [roomId])).rejects.toMatchObject({ code: '23503' });
  });

  describe('booking rules', () => {
    let ruled: string;
    beforeAll(async () => {
      await s.db.query(`UPDATE studio_settings SET time_zone = 'Europe/Paris', opening_hours = $1`, [
        JSON.stringify([1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '20:00' }))),
      ]);
      ruled = await s.room({ minNoticeMinutes: 24 * 60, minLengthMinutes: 60, maxLengthMinutes: 8 * 60 });
    });
    afterAll(async () => {
      await s.db.query(`UPDATE studio_settings SET time_zone = 'UTC', opening_hours = '[]'`);
    });
    // 2030-01-07 is a Monday; Paris is UTC+1 in January: 09:00-20:00 Paris = 08:00-19:00 UTC.
    const inHours = { startsAt: at(8), endsAt: at(10) };

    it.each([
      ['min_notice', { startsAt: new Date(Date.now() + 3_600_000).toISOString(), endsAt: new Date(Date.now() + 3 * 3_600_000).toISOString() }],
      ['min_length', { startsAt: at(8), endsAt: at(8.5) }],
      ['max_length', { startsAt: at(8), endsAt: at(17) }],
      ['opening_hours', { startsAt: at(7), endsAt: at(9) }], // 08:00 Paris: before opening
      ['opening_hours', { startsAt: at(24 * 5 + 10), endsAt: at(24 * 5 + 12) }], // Saturday: closed
    ])('%s: a 400 problem naming the rule, nothing written', async (rule, times) => {
      const before = await snapshot();
      const res = await s.api.post('/api/v1/bookings').send(body({ roomId: ruled, ...times })).expect(400);
      expect(res.body).toMatchObject({ type: 'https://rsm.dev/problems/booking-rule', rule });
      expect(await snapshot()).toEqual(before);
    });

    it('inside the rules it books; an admin may override (recorded), an engineer may not', async () => {
      await s.api.post('/api/v1/bookings').send(body({ roomId: ruled, ...inHours })).expect(201);
      const admin = s.as(await s.cookieOf(await s.member('admin')));
      const engineer = s.as(await s.cookieOf(await s.member('engineer')));
      await engineer.post('/api/v1/bookings').send(body({ roomId: ruled, startsAt: at(30), endsAt: at(30.5), overrideRules: true })).expect(403);
      const res = await admin.post('/api/v1/bookings').send(body({ roomId: ruled, startsAt: at(30), endsAt: at(30.5), overrideRules: true })).expect(201);
      expect(res.body.rulesOverridden).toBe(true);
      const audit = await s.db.query(`SELECT details FROM audit_log WHERE target_id = $1`, [res.body.id]);
      expect(audit.rows[0].details).toMatchObject({ rulesOverridden: true });
      // A move that breaks the rules is refused the same way.
      await s.api.patch(`/api/v1/bookings/${res.body.id}`).send({ startsAt: at(31), endsAt: at(31.25) }).expect(400);
    });

    it('an engineer on time off cannot be booked (rule engineer_time_off)', async () => {
      const engineer = await s.member('engineer');
      await s.db.query(`INSERT INTO engineer_time_off (user_id, starts_at, ends_at) VALUES ($1, $2, $3)`, [engineer, at(24 * 2), at(24 * 3)]);
      const res = await s.api.post('/api/v1/bookings').send(body({ roomId: ruled, startsAt: at(24 * 2 + 9), endsAt: at(24 * 2 + 11), engineerIds: [engineer] })).expect(400);
      expect(res.body.rule).toBe('engineer_time_off');
    });
  });
});
