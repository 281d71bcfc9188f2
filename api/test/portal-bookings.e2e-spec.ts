import { insertPortalAccount, insertPortalSession } from './support/portal-fixtures.js';
import { bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const HOUR = 3_600_000;
const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString();

/**
 * Issue 12, portal sessions: the client sees their own bookings only (another client's, another
 * studio's: 404), upcoming and past, with room, engineers and project; the door code only from its
 * release time (PORTAL_ACCESS_CODE_RELEASE_HOURS, 24 by default) and never for a hold or a cancelled session.
 */
describe('portal sessions (bookings)', () => {
  let t: TestApp;
  let s: BookingStudio;
  let other: BookingStudio;
  let roomId: string;
  let mine: { clientId: string; accountId: string; cookie: string };
  let neighbourBooking: string;
  let elsewhereBooking: string;

  const book = async (studio: BookingStudio, values: { clientId: string; roomId: string; startsAt: string; endsAt: string; status?: string; title?: string; projectId?: string | null }) =>
    (
      await studio.db.query(
        `INSERT INTO bookings (client_id, room_id, title, starts_at, ends_at, status, hold_expires_at, hourly_rate_minor, currency, access_code, project_id)
         VALUES ($1, $2, $3, $4, $5, $6::varchar, CASE WHEN $6::varchar = 'hold' THEN now() + interval '1 day' END, 5000, 'EUR', '24681357', $7) RETURNING id`,
        [values.clientId, values.roomId, values.title ?? 'Session', values.startsAt, values.endsAt, values.status ?? 'confirmed', values.projectId ?? null],
      )
    ).rows[0].id as string;
  const get = (path: string, cookie = mine.cookie) => t.http().get(path).set('cookie', cookie);

  beforeAll(async () => {
    t = await createTestApp();
    s = await bookingStudio(t, 'Portal sessions');
    other = await bookingStudio(t, 'Portal sessions elsewhere');
    roomId = await s.room();
    const account = await insertPortalAccount(s.db, { clientName: 'Session Band' });
    mine = { ...account, cookie: await insertPortalSession(s.db, s.organizationId, account.accountId) };
    const neighbour = await insertPortalAccount(s.db, { clientName: 'Neighbour Band' });
    neighbourBooking = await book(s, { clientId: neighbour.clientId, roomId, startsAt: inHours(100), endsAt: inHours(102) });
    const inOther = await insertPortalAccount(other.db, { clientName: 'Session Band' });
    elsewhereBooking = await book(other, { clientId: inOther.clientId, roomId: await other.room(), startsAt: inHours(100), endsAt: inHours(102) });
  }, 120_000);
  afterAll(async () => {
    await s.close();
    await other.close();
    await t?.close();
  });

  it('lists upcoming sessions soonest first and past ones latest first, with room, engineers and project; pages with a cursor', async () => {
    const engineer = await s.member('engineer');
    const engineerName = (await t.control.query(`SELECT name FROM users WHERE id = $1`, [engineer])).rows[0].name as string;
    const projectId = (await s.db.query(`INSERT INTO projects (client_id, title, type) VALUES ($1, 'Debut album', 'album') RETURNING id`, [mine.clientId])).rows[0].id as string;
    const later = await book(s, { clientId: mine.clientId, roomId, startsAt: inHours(200), endsAt: inHours(203), title: 'Later' });
    const sooner = await book(s, { clientId: mine.clientId, roomId, startsAt: inHours(150), endsAt: inHours(153), title: 'Sooner', projectId });
    await s.db.query(`INSERT INTO booking_engineers (booking_id, user_id) VALUES ($1, $2)`, [sooner, engineer]);
    const old = await book(s, { clientId: mine.clientId, roomId, startsAt: inHours(-300), endsAt: inHours(-297), title: 'Old' });
    const older = await book(s, { clientId: mine.clientId, roomId, startsAt: inHours(-400), endsAt: inHours(-397), title: 'Older' });

    const upcoming = (await get('/api/v1/portal/bookings?scope=upcoming').expect(200)).body;
    expect(upcoming.items.map((b: { id: string }) => b.id)).toEqual([sooner, later]);
    const roomName = (await s.db.query(`SELECT name FROM rooms WHERE id = $1`, [roomId])).rows[0].name;
    expect(upcoming.items[0]).toMatchObject({ title: 'Sooner', status: 'confirmed', room: { id: roomId, name: roomName }, engineers: [{ name: engineerName }], project: { id: projectId, title: 'Debut album' } });
    expect((await get('/api/v1/portal/bookings').expect(200)).body.items.map((b: { id: string }) => b.id)).toEqual([sooner, later]);

    const first = (await get('/api/v1/portal/bookings?scope=past&limit=1').expect(200)).body;
    expect(first.items.map((b: { id: string }) => b.id)).toEqual([old]);
    const second = (await get(`/api/v1/portal/bookings?scope=past&limit=1&cursor=${first.nextCursor}`).expect(200)).body;
    expect(second.items.map((b: { id: string }) => b.id)).toEqual([older]);
    expect(second.nextCursor).toBeNull();
    expect((await get(`/api/v1/portal/bookings/${sooner}`).expect(200)).body.id).toBe(sooner);
  });

  it("another client's session and another studio's are 404 and never listed", async () => {
    for (const id of [neighbourBooking, elsewhereBooking]) {
      const res = await get(`/api/v1/portal/bookings/${id}`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const listed = JSON.stringify([(await get('/api/v1/portal/bookings').expect(200)).body, (await get('/api/v1/portal/bookings?scope=past').expect(200)).body]);
    expect(listed).not.toContain(neighbourBooking);
    expect(listed).not.toContain(elsewhereBooking);
  });

  it('the door code is null until 24 hours before the start, then shown (the booking moved with SQL, not waited for)', async () => {
    const id = await book(s, { clientId: mine.clientId, roomId, startsAt: inHours(48), endsAt: inHours(51) });
    const before = (await get(`/api/v1/portal/bookings/${id}`).expect(200)).body;
    expect(before.accessCode).toBeNull();
    const startsAt = (await s.db.query(`SELECT starts_at FROM bookings WHERE id = $1`, [id])).rows[0].starts_at as Date;
    expect(before.accessCodeReleasesAt).toBe(new Date(startsAt.getTime() - 24 * HOUR).toISOString());
    expect(JSON.stringify((await get('/api/v1/portal/bookings').expect(200)).body)).not.toContain('24681357');

    await s.db.query(`UPDATE bookings SET starts_at = now() + interval '23 hours', ends_at = now() + interval '26 hours' WHERE id = $1`, [id]);
    const after = (await get(`/api/v1/portal/bookings/${id}`).expect(200)).body;
    expect(after.accessCode).toBe('24681357');
    const listed = (await get('/api/v1/portal/bookings').expect(200)).body.items.find((b: { id: string }) => b.id === id);
    expect(listed.accessCode).toBe('24681357');

    // Once the session is over, the code is gone again.
    await s.db.query(`UPDATE bookings SET starts_at = now() - interval '5 hours', ends_at = now() - interval '1 hour' WHERE id = $1`, [id]);
    expect((await get(`/api/v1/portal/bookings/${id}`).expect(200)).body.accessCode).toBeNull();
  });

  it('never shows the door code of a hold or a cancelled session, even inside the release window', async () => {
    const hold = await book(s, { clientId: mine.clientId, roomId, startsAt: inHours(2), endsAt: inHours(4), status: 'hold' });
    const cancelled = await book(s, { clientId: mine.clientId, roomId, startsAt: inHours(5), endsAt: inHours(7), status: 'cancelled' });
    for (const id of [hold, cancelled]) {
      const body = (await get(`/api/v1/portal/bookings/${id}`).expect(200)).body;
      expect({ id, accessCode: body.accessCode, releasesAt: body.accessCodeReleasesAt }).toEqual({ id, accessCode: null, releasesAt: null });
    }
  });

  it("lists the studio's active rooms (id and name only)", async () => {
    const inactive = await s.room({ active: false });
    const rooms = (await get('/api/v1/portal/rooms').expect(200)).body.items as Array<Record<string, unknown>>;
    expect(rooms.map((r) => r.id)).toContain(roomId);
    expect(rooms.map((r) => r.id)).not.toContain(inactive);
    expect(Object.keys(rooms[0]).sort()).toEqual(['id', 'name']);
  });

  it.each([
    ['an unknown scope', '/api/v1/portal/bookings?scope=soon'],
    ['a zero limit', '/api/v1/portal/bookings?limit=0'],
    ['a cursor the API never gave', '/api/v1/portal/bookings?cursor=bm90LWEtY3Vyc29y'],
    ['an unknown query field', '/api/v1/portal/bookings?clientId=x'],
    ['an id that is not a UUID', '/api/v1/portal/bookings/not-a-uuid'],
  ])('%s is a 400 problem', async (_label, path) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('a staff cookie gets no portal sessions (401)', async () => {
    await t.http().get('/api/v1/portal/bookings').set('cookie', s.cookie).expect(401);
  });
});
