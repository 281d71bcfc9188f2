import { DateTime } from 'luxon';
import ical, { type VEvent } from 'node-ical';
import { bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Issue 9 (booking-extras): secret, revocable ICS feeds per room and per engineer, read without a session. */
describe('calendar feeds (ICS)', () => {
  let t: TestApp;
  let s: BookingStudio;
  let other: BookingStudio;
  let clientId: string;
  let roomId: string;

  beforeAll(async () => {
    t = await createTestApp();
    s = await bookingStudio(t, 'Feeds');
    other = await bookingStudio(t, 'Other studio');
    await s.db.query(`UPDATE studio_settings SET time_zone = 'Europe/Paris' WHERE id = 1`);
    clientId = await s.client('Secret Client Name');
    roomId = await s.room();
  });
  afterAll(async () => {
    await s.close();
    await other.close();
    await t?.close();
  });

  /** An instant from a wall-clock time in Paris (the studio's zone). */
  const paris = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Paris' }).toUTC().toISO({ suppressMilliseconds: false })!;
  /** The next last Sunday of `month` (3 or 10) at least a week from now: a DST change in Paris. */
  const nextDstSunday = (month: number) => {
    for (let year = DateTime.utc().year; ; year++) {
      const lastDay = DateTime.fromObject({ year, month }, { zone: 'Europe/Paris' }).endOf('month').startOf('day');
      const sunday = lastDay.minus({ days: lastDay.weekday % 7 });
      if (sunday > DateTime.utc().plus({ weeks: 1 })) return sunday.toISODate()!;
    }
  };
  const book = async (body: Record<string, unknown>) =>
    (await s.api.post('/api/v1/bookings').send({ clientId, roomId, title: 'Session', overrideRules: true, ...body }).expect(201)).body as {
      id: string;
      startsAt: string;
      endsAt: string;
    };
  const createFeed = (path: string, cookie = s.cookie) => t.http().post(path).set('cookie', cookie);
  const read = (url: string) => t.http().get(new URL(url).pathname);
  const events = (text: string) =>
    Object.values(ical.sync.parseICS(text))
      .filter((c): c is VEvent => c?.type === 'VEVENT')
      .sort((a, b) => a.start.getTime() - b.start.getTime());
  const feedRows = () => s.count('calendar_feeds');

  it("a room's feed parses as RFC 5545 with the bookings' instants, across both Paris DST changes; holds tentative, cancelled left out, no client details", async () => {
    const spring = nextDstSunday(3);
    const autumn = nextDstSunday(10);
    // 01:00 → 05:00 wall clock: 3 hours on the spring-forward night, 5 on the fall-back night.
    const acrossSpring = await book({ title: 'Night tracking', startsAt: paris(`${spring}T01:00`), endsAt: paris(`${spring}T05:00`) });
    const acrossAutumn = await book({ title: 'Overdubs', startsAt: paris(`${autumn}T01:00`), endsAt: paris(`${autumn}T05:00`), status: 'hold', holdExpiresAt: DateTime.utc().plus({ days: 3 }).toISO() });
    const cancelled = await book({ title: 'Cancelled one', startsAt: paris(`${spring}T10:00`), endsAt: paris(`${spring}T12:00`) });
    await s.api.post(`/api/v1/bookings/${cancelled.id}/cancel`).send({}).expect(200);
    expect(new Date(acrossSpring.endsAt).getTime() - new Date(acrossSpring.startsAt).getTime()).toBe(3 * 3_600_000);
    expect(new Date(acrossAutumn.endsAt).getTime() - new Date(acrossAutumn.startsAt).getTime()).toBe(5 * 3_600_000);

    const created = await createFeed(`/api/v1/rooms/${roomId}/calendar-feed`).expect(201);
    expect(created.body.url).toMatch(new RegExp(`/api/v1/calendar-feeds/${s.organizationId}\\.[A-Za-z0-9_-]{43}\\.ics$`));
    const res = await read(created.body.url).expect(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toBe('private, max-age=300');
    expect(res.headers.etag).toMatch(/^".+"$/);
    expect(res.text).toContain('X-WR-TIMEZONE:Europe/Paris');
    expect(res.text).not.toContain('Secret Client Name');

    const parsed = events(res.text);
    expect(parsed.map((e) => ({ uid: e.uid.split('@')[0], start: e.start.toISOString(), end: e.end!.toISOString(), summary: e.summary, status: e.status }))).toEqual([
      { uid: acrossSpring.id, start: acrossSpring.startsAt, end: acrossSpring.endsAt, summary: 'Night tracking', status: 'CONFIRMED' },
      { uid: acrossAutumn.id, start: acrossAutumn.startsAt, end: acrossAutumn.endsAt, summary: 'Overdubs', status: 'TENTATIVE' },
    ]);
    expect(parsed.every((e) => typeof e.location === 'string' && e.location.startsWith('Room '))).toBe(true);
    // The wall-clock times the studio entered, seen in its zone.
    expect(parsed.map((e) => DateTime.fromJSDate(e.start).setZone('Europe/Paris').toFormat('HH:mm') + '-' + DateTime.fromJSDate(e.end!).setZone('Europe/Paris').toFormat('HH:mm'))).toEqual([
      '01:00-05:00',
      '01:00-05:00',
    ]);
    // Unchanged bookings: the same ETag, and If-None-Match gets a 304.
    expect((await read(created.body.url).expect(200)).headers.etag).toBe(res.headers.etag);
    await t.http().get(new URL(created.body.url).pathname).set('if-none-match', res.headers.etag).expect(304);
  });

  it("an engineer's feed has their sessions in every room, with the room in the summary; an engineer manages only their own (403)", async () => {
    const engineerId = await s.member('engineer');
    const engineer = await s.cookieOf(engineerId);
    const colleague = await s.member('engineer');
    const secondRoom = await s.room();
    const day = DateTime.utc().plus({ days: 20 }).startOf('day');
    const mine = await book({ title: 'Mixing', roomId: secondRoom, engineerIds: [engineerId], startsAt: day.plus({ hours: 9 }).toISO(), endsAt: day.plus({ hours: 12 }).toISO() });
    await book({ title: 'Not mine', engineerIds: [colleague], startsAt: day.plus({ hours: 9 }).toISO(), endsAt: day.plus({ hours: 12 }).toISO() });

    const before = await feedRows();
    const refused = await createFeed(`/api/v1/engineers/${colleague}/calendar-feed`, engineer).expect(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    await t.http().delete(`/api/v1/engineers/${colleague}/calendar-feed`).set('cookie', engineer).expect(403);
    expect(await feedRows()).toBe(before);

    const created = await createFeed(`/api/v1/engineers/${engineerId}/calendar-feed`, engineer).expect(201);
    const parsed = events((await read(created.body.url).expect(200)).text);
    const roomName = (await s.db.query(`SELECT name FROM rooms WHERE id = $1`, [secondRoom])).rows[0].name as string;
    expect(parsed.map((e) => ({ uid: e.uid.split('@')[0], summary: e.summary, location: e.location }))).toEqual([{ uid: mine.id, summary: `Mixing (${roomName})`, location: roomName }]);
    // An admin may make one for anyone.
    await createFeed(`/api/v1/engineers/${colleague}/calendar-feed`).expect(201);
    // Made a viewer (or removed), the engineer's feed stops at once.
    await t.control.query(`UPDATE memberships SET role = 'viewer' WHERE organization_id = $1 AND user_id = $2`, [s.organizationId, engineerId]);
    await read(created.body.url).expect(404);
  });

  it('simultaneous creations for one room all succeed as rotations: one live feed remains, the last URL handed out works', async () => {
    const room = await s.room();
    const results = await Promise.all(Array.from({ length: 6 }, () => createFeed(`/api/v1/rooms/${room}/calendar-feed`)));
    expect(results.map((r) => r.status)).toEqual(Array<number>(6).fill(201));
    expect(await s.count('calendar_feeds', `resource_id = '${room}' AND revoked_at IS NULL`)).toBe(1);
    const working = await Promise.all(results.map(async (r) => (await read(r.body.url)).status));
    expect(working.sort()).toEqual([200, 404, 404, 404, 404, 404]);
  });

  it('rotating or revoking a feed makes its old URL a 404, with the same body as an unknown token', async () => {
    const first = (await createFeed(`/api/v1/rooms/${roomId}/calendar-feed`).expect(201)).body.url as string;
    await read(first).expect(200);
    const second = (await createFeed(`/api/v1/rooms/${roomId}/calendar-feed`).expect(201)).body.url as string;
    const rotated = await read(first).expect(404);
    await read(second).expect(200);
    await s.api.delete(`/api/v1/rooms/${roomId}/calendar-feed`).expect(204);
    const revoked = await read(second).expect(404);
    await s.api.delete(`/api/v1/rooms/${roomId}/calendar-feed`).expect(404);
    const unknown = await read(first.replace(/\.[A-Za-z0-9_-]{43}\.ics$/, `.${'A'.repeat(43)}.ics`)).expect(404);
    const malformed = await t.http().get('/api/v1/calendar-feeds/not-a-feed').expect(404);
    const bodyOf = (r: { body: Record<string, unknown>; headers: Record<string, string> }) => {
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      const { instance: _i, requestId: _r, ...rest } = r.body;
      return rest;
    };
    expect([rotated, revoked, malformed].map(bodyOf)).toEqual([bodyOf(unknown), bodyOf(unknown), bodyOf(unknown)]);
    const audit = await s.db.query(`SELECT action FROM audit_log WHERE target_type = 'calendar_feed' ORDER BY occurred_at`);
    expect(audit.rows.map((r: { action: string }) => r.action)).toEqual(expect.arrayContaining(['calendar_feed.created', 'calendar_feed.revoked']));
    expect(await s.count('calendar_feeds', `resource_id = '${roomId}' AND revoked_at IS NULL`)).toBe(0);
  });

  it("a token presented with another studio's id is a 404: the studio part is never trusted alone; a suspended studio publishes nothing", async () => {
    const url = (await createFeed(`/api/v1/rooms/${roomId}/calendar-feed`).expect(201)).body.url as string;
    await read(url).expect(200);
    // Studio B has a live feed of its own: a lookup that trusted the studio part would find it.
    const otherRoom = await other.room();
    const otherUrl = (await createFeed(`/api/v1/rooms/${otherRoom}/calendar-feed`, other.cookie).expect(201)).body.url as string;
    await read(otherUrl).expect(200);
    await read(url.replace(s.organizationId, other.organizationId)).expect(404);
    await read(otherUrl.replace(other.organizationId, s.organizationId)).expect(404);
    await read(url.replace(s.organizationId, '00000000-0000-4000-8000-000000000000')).expect(404);
    // A suspended studio publishes nothing.
    await t.control.query(`UPDATE organizations SET suspended_at = now() WHERE id = $1`, [other.organizationId]);
    await read(otherUrl).expect(404);
    await t.control.query(`UPDATE organizations SET suspended_at = NULL WHERE id = $1`, [other.organizationId]);
    await read(otherUrl).expect(200);
  });

  it("bad input → 400/404 problem and nothing written: a room id that is not a UUID, an unknown room, another studio's room, a non-member engineer", async () => {
    const before = { feeds: await feedRows(), audit: await s.count('audit_log', `target_type = 'calendar_feed'`) };
    const after = async () => ({ feeds: await feedRows(), audit: await s.count('audit_log', `target_type = 'calendar_feed'`) });
    for (const [path, status] of [
      ['/api/v1/rooms/nope/calendar-feed', 400],
      ['/api/v1/engineers/nope/calendar-feed', 400],
      ['/api/v1/rooms/00000000-0000-4000-8000-000000000000/calendar-feed', 404],
      [`/api/v1/engineers/${other.userId}/calendar-feed`, 404],
    ] as const) {
      const res = await createFeed(path).expect(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    // Studio B's owner on studio A's room.
    const otherFeeds = await other.count('calendar_feeds');
    await createFeed(`/api/v1/rooms/${roomId}/calendar-feed`, other.cookie).expect(404);
    expect(await after()).toEqual(before);
    expect(await other.count('calendar_feeds')).toBe(otherFeeds);
  });
});

describe('calendar feeds: rate limit', () => {
  it('the public feed route spends the anonymous per-IP API budget (429 problem when spent)', async () => {
    const t = await createTestApp({ RATE_LIMIT_API_PER_IP_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await t.http().get('/api/v1/calendar-feeds/not-a-feed')).status);
      expect(statuses).toEqual([404, 404, 404, 429, 429]);
    } finally {
      await t?.close();
    }
  });
});
