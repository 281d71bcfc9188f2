import { bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 9: recurring bookings (RRULE) created all or nothing, expanded in the studio's time zone so the
 * wall-clock times survive DST (Europe/Paris: last Sunday of March and of October), and edited or
 * cancelled "this and following".
 */
describe('bookings: recurring series and time zones', () => {
  let t: TestApp;
  let s: BookingStudio;
  let clientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    s = await bookingStudio(t, 'Series');
    clientId = await s.client();
    await s.db.query(`UPDATE studio_settings SET time_zone = 'Europe/Paris'`);
  });
  afterAll(async () => {
    await s.close();
    await t?.close();
  });

  const series = (roomId: string, rrule: string, startsAt: string, endsAt: string, extra: Record<string, unknown> = {}) =>
    s.api.post('/api/v1/bookings/series').send({ clientId, roomId, title: 'Weekly mix', startsAt, endsAt, recurrence: { rrule }, ...extra });
  /** Wall-clock "YYYY-MM-DD HH:MM" in Paris of an ISO instant. */
  const paris = (iso: string) =>
    new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

  it('weekly across the March DST change keeps 10:00-14:00 Paris (09:00Z before, 08:00Z after)', async () => {
    const roomId = await s.room();
    // 2030-03-31 is the last Sunday of March: clocks go from 02:00 to 03:00.
    const res = await series(roomId, 'FREQ=WEEKLY;COUNT=4', '2030-03-18T09:00:00Z', '2030-03-18T13:00:00Z').expect(201);
    expect(res.body.items.map((b: { startsAt: string }) => b.startsAt)).toEqual([
      '2030-03-18T09:00:00.000Z',
      '2030-03-25T09:00:00.000Z',
      '2030-04-01T08:00:00.000Z',
      '2030-04-08T08:00:00.000Z',
    ]);
    for (const b of res.body.items) {
      expect([paris(b.startsAt).slice(11), paris(b.endsAt).slice(11)]).toEqual(['10:00', '14:00']);
      expect(b.seriesId).toBe(res.body.seriesId);
    }
  });

  it('daily across the October DST change keeps 22:00-02:00 Paris overnight sessions', async () => {
    const roomId = await s.room();
    // 2030-10-27 is the last Sunday of October: 03:00 becomes 02:00 again (the night is an hour longer).
    const res = await series(roomId, 'FREQ=DAILY;COUNT=3', '2030-10-25T20:00:00Z', '2030-10-26T00:00:00Z').expect(201);
    const items = res.body.items as Array<{ startsAt: string; endsAt: string }>;
    expect(items.map((b) => [paris(b.startsAt), paris(b.endsAt)])).toEqual([
      ['2030-10-25 22:00', '2030-10-26 02:00'],
      ['2030-10-26 22:00', '2030-10-27 02:00'],
      ['2030-10-27 22:00', '2030-10-28 02:00'],
    ]);
    // The night of the change lasts 5 hours of real time for 4 hours on the clock.
    expect(items.map((b) => (Date.parse(b.endsAt) - Date.parse(b.startsAt)) / 3_600_000)).toEqual([4, 5, 4]);
  });

  it('10 weekly occurrences with one conflicting: 409 listing that date, nothing created', async () => {
    const roomId = await s.room();
    const engineer = await s.member('engineer');
    // Something else already in the room on the 6th Monday (2030-02-11).
    const blocker = (await s.api.post('/api/v1/bookings').send({ clientId, roomId, title: 'One-off', startsAt: '2030-02-11T12:00:00Z', endsAt: '2030-02-11T13:00:00Z' }).expect(201)).body;
    const before = await s.count();
    const auditBefore = await s.count('audit_log');
    const res = await series(roomId, 'FREQ=WEEKLY;COUNT=10', '2030-01-07T09:00:00Z', '2030-01-07T13:00:00Z', { engineerIds: [engineer] }).expect(409);
    expect(res.body).toMatchObject({ type: 'https://rsm.dev/problems/booking-conflict', status: 409 });
    expect(res.body.conflicts).toEqual([
      { resource: 'room', resourceId: roomId, bookingId: blocker.id, startsAt: blocker.startsAt, endsAt: blocker.endsAt, occurrenceStart: '2030-02-11T09:00:00.000Z' },
    ]);
    expect(await s.count()).toBe(before);
    expect(await s.count('audit_log')).toBe(auditBefore);
    // Two conflicts: both occurrences listed.
    await s.api.post('/api/v1/bookings').send({ clientId, roomId, title: 'Another', startsAt: '2030-03-04T10:00:00Z', endsAt: '2030-03-04T11:00:00Z' }).expect(201);
    const two = await series(roomId, 'FREQ=WEEKLY;COUNT=10', '2030-01-07T09:00:00Z', '2030-01-07T13:00:00Z').expect(409);
    expect(two.body.conflicts.map((c: { occurrenceStart: string }) => c.occurrenceStart)).toEqual(['2030-02-11T09:00:00.000Z', '2030-03-04T09:00:00.000Z']);
  });

  it('success creates 10; cancel "this and following" cancels from the chosen occurrence on; PATCH following moves the rest', async () => {
    const roomId = await s.room();
    const res = await series(roomId, 'FREQ=WEEKLY;COUNT=10', '2031-01-06T09:00:00Z', '2031-01-06T13:00:00Z').expect(201);
    const items = res.body.items as Array<{ id: string; startsAt: string }>;
    expect(items).toHaveLength(10);
    expect(await s.count('bookings', `series_id = '${res.body.seriesId}'`)).toBe(10);
    const statusOf = async () => (await s.db.query(`SELECT status FROM bookings WHERE series_id = $1 ORDER BY starts_at`, [res.body.seriesId])).rows.map((r) => r.status);

    // Move the 5th and following one hour later and one day later (Tuesday), at the same wall-clock length.
    const moved = await s.api
      .patch(`/api/v1/bookings/${items[4].id}`)
      .send({ startsAt: '2031-02-04T10:00:00Z', endsAt: '2031-02-04T14:00:00Z', title: 'Tuesday mix', scope: 'following' })
      .expect(200);
    expect(moved.body).toMatchObject({ startsAt: '2031-02-04T10:00:00.000Z', title: 'Tuesday mix' });
    const after = (await s.api.get(`/api/v1/bookings?from=2031-01-01T00:00:00Z&to=2031-02-11T00:00:00Z&roomId=${roomId}`).expect(200)).body.items;
    expect(after.map((b: { startsAt: string; title: string }) => [b.startsAt, b.title])).toEqual([
      ['2031-01-06T09:00:00.000Z', 'Weekly mix'],
      ['2031-01-13T09:00:00.000Z', 'Weekly mix'],
      ['2031-01-20T09:00:00.000Z', 'Weekly mix'],
      ['2031-01-27T09:00:00.000Z', 'Weekly mix'],
      ['2031-02-04T10:00:00.000Z', 'Tuesday mix'],
    ]);
    const last = (await s.api.get(`/api/v1/bookings/${items[9].id}`).expect(200)).body;
    expect([last.startsAt, last.endsAt, last.title]).toEqual(['2031-03-11T10:00:00.000Z', '2031-03-11T14:00:00.000Z', 'Tuesday mix']);

    await s.api.post(`/api/v1/bookings/${items[3].id}/cancel`).send({ scope: 'following', reason: 'album done' }).expect(200);
    expect(await statusOf()).toEqual([...Array(3).fill('confirmed'), ...Array(7).fill('cancelled')]);
    // The freed slots take new bookings.
    await s.api.post('/api/v1/bookings').send({ clientId, roomId, title: 'New', startsAt: items[6].startsAt, endsAt: '2031-02-17T13:00:00Z' }).expect(201);
  });

  it.each([
    ['not an RRULE', 'FOO=BAR'],
    ['garbage', ';;;'],
    ['a monthly rule', 'FREQ=MONTHLY;COUNT=3'],
    ['no COUNT or UNTIL', 'FREQ=WEEKLY'],
    ['more than 52 occurrences', 'FREQ=WEEKLY;COUNT=53'],
    ['an UNTIL making more than 52', 'FREQ=DAILY;UNTIL=20400101T000000Z'],
    ['a COUNT that is no number', 'FREQ=WEEKLY;COUNT=abc'],
    ['an unsupported part', 'FREQ=DAILY;COUNT=3;BYHOUR=5'],
    ['a DTSTART of its own', 'DTSTART:20300101T000000Z\nRRULE:FREQ=DAILY;COUNT=2'],
    ['an unknown weekday', 'FREQ=WEEKLY;COUNT=3;BYDAY=XX'],
    ['an empty rule', ''],
    ['occurrences that overlap each other (26 h daily)', 'FREQ=DAILY;COUNT=3'],
  ])('an invalid RRULE (%s) is a 400 problem naming recurrence.rrule, nothing written', async (_label, rrule) => {
    const roomId = await s.room();
    const before = await s.count();
    const res = await series(roomId, rrule, '2032-01-05T09:00:00Z', rrule === 'FREQ=DAILY;COUNT=3' ? '2032-01-06T11:00:00Z' : '2032-01-05T10:00:00Z').expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['recurrence.rrule']);
    expect(await s.count()).toBe(before);
  });

  it('a series with end before start or without recurrence is a 400', async () => {
    const roomId = await s.room();
    await series(roomId, 'FREQ=DAILY;COUNT=2', '2032-01-05T10:00:00Z', '2032-01-05T09:00:00Z').expect(400);
    await s.api.post('/api/v1/bookings/series').send({ clientId, roomId, title: 'x', startsAt: '2032-01-05T09:00:00Z', endsAt: '2032-01-05T10:00:00Z' }).expect(400);
  });
});
