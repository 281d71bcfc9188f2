import { createHash, randomBytes } from 'node:crypto';
import { NotificationDispatcher } from '../src/notifications/notification-dispatcher.service.js';
import { at, bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { eventually } from './support/sse-client.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 13: the notification centre's REST routes (list with since/unread/cursor, unread count, mark read,
 * read all, preferences, announcements), who gets which event (roles, assignment, preferences, never the
 * actor), member joined through an invitation, and bad input: a 400 problem that writes nothing.
 */
describe('notifications: REST', () => {
  let t: TestApp;
  let s: BookingStudio;
  let roomId: string;
  let clientId: string;
  let admin: { id: string; cookie: string };
  let viewer: { id: string; cookie: string };
  let slot = 0;

  const as = (cookie: string) => ({
    get: (url: string) => t.http().get(url).set('cookie', cookie),
    post: (url: string) => t.http().post(url).set('cookie', cookie),
    put: (url: string) => t.http().put(url).set('cookie', cookie),
  });
  const book = async (engineerIds: string[] = []) => {
    slot++;
    const res = await s.api.post('/api/v1/bookings').send({ clientId, roomId, title: `Mix ${slot}`, startsAt: at(10 + slot * 3), endsAt: at(11 + slot * 3), engineerIds });
    if (res.status !== 201) throw new Error(`booking: ${res.status}`);
    return res.body.id as string;
  };
  const countFor = async (userId: string, where = 'true') => Number((await s.db.query(`SELECT count(*) FROM notifications WHERE recipient_user_id = $1 AND ${where}`, [userId])).rows[0].count);
  const settled = () => eventually('every event dispatched', async () => (await s.count('outbox', 'dispatched_at IS NULL')) === 0);

  beforeAll(async () => {
    t = await createTestApp();
    s = await bookingStudio(t, 'Centre');
    roomId = await s.room();
    clientId = await s.client();
    const adminId = await s.member('admin');
    admin = { id: adminId, cookie: await s.cookieOf(adminId) };
    const viewerId = await s.member('viewer');
    viewer = { id: viewerId, cookie: await s.cookieOf(viewerId) };
    // Ids cross from one digit to two early on: an order by the id as text ("10" < "9") shows in the list.
    await s.db.query(`ALTER TABLE notifications ALTER COLUMN id RESTART WITH 8`);
  });
  afterAll(async () => {
    await s?.close();
    await t?.close();
  });

  it('a booking made, changed and cancelled reaches the managers and its engineers, never its actor nor the others', async () => {
    const engineer = await s.member('engineer');
    const bystander = await s.member('engineer');
    const id = await book([engineer]);
    await s.api.patch(`/api/v1/bookings/${id}`).send({ title: 'Mix, changed' }).expect(200);
    await s.api.post(`/api/v1/bookings/${id}/cancel`).send({ reason: 'band ill' }).expect(200);
    await settled();
    const types = async (userId: string) => (await s.db.query(`SELECT type FROM notifications WHERE recipient_user_id = $1 AND subject_id = $2 ORDER BY id`, [userId, id])).rows.map((r: { type: string }) => r.type);
    expect(await types(admin.id)).toEqual(['booking.created', 'booking.changed', 'booking.cancelled']);
    expect(await types(engineer)).toEqual(['booking.created', 'booking.changed', 'booking.cancelled']);
    expect(await types(s.userId)).toEqual([]); // the owner made them
    expect(await types(bystander)).toEqual([]);
    expect(await types(viewer.id)).toEqual([]);
  });

  it('a member joining through an invitation is announced to the managers', async () => {
    const token = randomBytes(32).toString('base64url');
    const email = `joiner-${randomBytes(3).toString('hex')}@centre.test`;
    await t.control.query(`INSERT INTO invites (organization_id, email, role, token_hash, invited_by, expires_at) VALUES ($1, $2, 'engineer', $3, $4, now() + interval '1 day')`, [
      s.organizationId,
      email,
      createHash('sha256').update(token).digest('hex'),
      s.userId,
    ]);
    await t.http().post('/api/v1/invites/accept').send({ token, name: 'New Joiner', password: 'a long enough password' }).expect(200);
    await settled();
    const res = await as(admin.cookie).get('/api/v1/notifications').expect(200);
    expect(res.body.items[0]).toMatchObject({ type: 'member.joined', category: 'members', title: `${email} joined the studio`, subjectType: 'user' });
  });

  it('lists newest first with keyset paging, since and unread; counts, marks read (idempotent), reads all', async () => {
    const api = as(admin.cookie);
    for (let i = 0; i < 3; i++) await book();
    await settled();
    const all = (await s.db.query(`SELECT id::text FROM notifications WHERE recipient_user_id = $1 ORDER BY notifications.id DESC`, [admin.id])).rows.map((r: { id: string }) => r.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    type Page = { body: { items: Array<{ id: string }>; nextCursor: string | null } };
    do {
      const page: Page = await api.get(`/api/v1/notifications?limit=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      seen.push(...page.body.items.map((n) => n.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    const since = await api.get(`/api/v1/notifications?since=${all[2]}`).expect(200);
    expect(since.body.items.map((n: { id: string }) => n.id)).toEqual(all.slice(0, 2));
    expect((await api.get('/api/v1/notifications/unread-count').expect(200)).body).toEqual({ count: all.length });
    await api.post(`/api/v1/notifications/${all[0]}/read`).expect(204);
    const readAt = (await s.db.query(`SELECT read_at FROM notifications WHERE id = $1`, [all[0]])).rows[0].read_at;
    await api.post(`/api/v1/notifications/${all[0]}/read`).expect(204);
    expect((await s.db.query(`SELECT read_at FROM notifications WHERE id = $1`, [all[0]])).rows[0].read_at).toEqual(readAt);
    const unread = await api.get('/api/v1/notifications?unread=true&limit=100').expect(200);
    expect(unread.body.items.map((n: { id: string }) => n.id)).toEqual(all.slice(1));
    expect((await api.get('/api/v1/notifications/unread-count').expect(200)).body).toEqual({ count: all.length - 1 });
    expect((await api.post('/api/v1/notifications/read-all').expect(200)).body).toEqual({ marked: all.length - 1 });
    expect((await api.get('/api/v1/notifications/unread-count').expect(200)).body).toEqual({ count: 0 });
  });

  it("another user's notification is a 404 to read, and stays unread", async () => {
    await book();
    await settled();
    const [row] = (await s.db.query(`SELECT id::text FROM notifications WHERE recipient_user_id = $1 AND read_at IS NULL ORDER BY notifications.id DESC LIMIT 1`, [admin.id])).rows;
    const res = await as(viewer.cookie).post(`/api/v1/notifications/${row.id}/read`).expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await s.db.query(`SELECT read_at FROM notifications WHERE id = $1`, [row.id])).rows[0].read_at).toBeNull();
    expect((await as(viewer.cookie).get('/api/v1/notifications?limit=100').expect(200)).body.items.map((n: { id: string }) => n.id)).not.toContain(row.id);
  });

  it('preferences: defaults, a partial PUT keeps the rest, and `none` or `email` stops in-app notifications of that category', async () => {
    const api = as(admin.cookie);
    const defaults = await api.get('/api/v1/notifications/preferences').expect(200);
    expect(defaults.body.preferences).toEqual(['bookings', 'members', 'money', 'reviews', 'announcements'].map((category) => ({ category, channel: 'in_app' })));
    const put = await api.put('/api/v1/notifications/preferences').send({ preferences: [{ category: 'bookings', channel: 'none' }, { category: 'money', channel: 'both' }] }).expect(200);
    expect(put.body.preferences).toContainEqual({ category: 'bookings', channel: 'none' });
    expect(put.body.preferences).toContainEqual({ category: 'money', channel: 'both' });
    expect(put.body.preferences).toContainEqual({ category: 'reviews', channel: 'in_app' });
    const before = await countFor(admin.id);
    await book();
    await settled();
    expect(await countFor(admin.id)).toBe(before);
    await api.put('/api/v1/notifications/preferences').send({ preferences: [{ category: 'bookings', channel: 'email' }] }).expect(200);
    await book();
    await settled();
    expect(await countFor(admin.id)).toBe(before);
    await api.put('/api/v1/notifications/preferences').send({ preferences: [{ category: 'bookings', channel: 'in_app' }] }).expect(200);
    await book();
    await settled();
    expect(await countFor(admin.id)).toBe(before + 1);
  });

  it('an announcement (admins and owners) reaches every member, its author included', async () => {
    const res = await as(admin.cookie).post('/api/v1/notifications').send({ title: '  Studio closed Monday  ', body: 'Power works' }).expect(202);
    expect(res.body.eventId).toMatch(/^\d+$/);
    await settled();
    for (const userId of [admin.id, viewer.id, s.userId]) expect(await countFor(userId, `type = 'announcement' AND title = 'Studio closed Monday' AND body = 'Power works'`)).toBe(1);
    await as(viewer.cookie).post('/api/v1/notifications').send({ title: 'Not allowed' }).expect(403);
  });

  it('the dispatcher runs each event once, however many sweeps race', async () => {
    t.app.get(NotificationDispatcher).paused = true;
    try {
      await book();
      await book();
    } finally {
      t.app.get(NotificationDispatcher).paused = false;
    }
    const before = await countFor(admin.id);
    const dispatcher = t.app.get(NotificationDispatcher);
    await Promise.all([dispatcher.dispatch(s.organizationId), dispatcher.dispatch(s.organizationId), dispatcher.sweep(), dispatcher.sweep()]);
    expect(await countFor(admin.id)).toBe(before + 2);
    expect(Number((await s.db.query(`SELECT count(*) FROM (SELECT event_id, recipient_user_id FROM notifications GROUP BY 1, 2 HAVING count(*) > 1) d`)).rows[0].count)).toBe(0);
  });

  describe('bad input: a 400 problem that writes nothing', () => {
    const snapshot = async () =>
      JSON.stringify([
        (await s.db.query(`SELECT id, read_at FROM notifications ORDER BY id`)).rows,
        (await s.db.query(`SELECT user_id, category, channel FROM notification_preferences ORDER BY 1, 2`)).rows,
        (await s.db.query(`SELECT count(*) FROM outbox`)).rows,
        (await s.db.query(`SELECT count(*) FROM audit_log`)).rows,
      ]);
    const refused = async (request: Promise<{ status: number; headers: Record<string, string>; body: { errors?: Array<{ field: string }> } }>, field: string) => {
      const before = await snapshot();
      const res = await request;
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors?.map((e) => e.field)).toContain(field);
      expect(await snapshot()).toBe(before);
    };

    it('GET /notifications', async () => {
      const api = as(admin.cookie);
      await refused(api.get('/api/v1/notifications?since=abc'), 'since');
      await refused(api.get('/api/v1/notifications?since=-1'), 'since');
      await refused(api.get('/api/v1/notifications?unread=yes'), 'unread');
      await refused(api.get('/api/v1/notifications?cursor=bm90LWEtY3Vyc29y'), 'cursor');
      await refused(api.get(`/api/v1/notifications?cursor=${Buffer.from(JSON.stringify(['x1'])).toString('base64url')}`), 'cursor');
      await refused(api.get('/api/v1/notifications?limit=0'), 'limit');
    });

    it('POST /notifications/{id}/read', async () => {
      await refused(as(admin.cookie).post('/api/v1/notifications/abc/read'), 'notificationId');
      await refused(as(admin.cookie).post('/api/v1/notifications/1234567890123456789/read'), 'notificationId');
    });

    it('PUT /notifications/preferences', async () => {
      const api = as(admin.cookie);
      await refused(api.put('/api/v1/notifications/preferences').send({ preferences: [{ category: 'weather', channel: 'in_app' }] }), 'preferences.0.category');
      await refused(api.put('/api/v1/notifications/preferences').send({ preferences: [{ category: 'bookings', channel: 'pigeon' }] }), 'preferences.0.channel');
      await refused(api.put('/api/v1/notifications/preferences').send({ preferences: [] }), 'preferences');
      await refused(api.put('/api/v1/notifications/preferences').send({ preferences: [{ category: 'bookings', channel: 'none' }, { category: 'bookings', channel: 'email' }] }), 'preferences');
      await refused(api.put('/api/v1/notifications/preferences').send({}), 'preferences');
    });

    it('POST /notifications (announcement)', async () => {
      const api = as(admin.cookie);
      await refused(api.post('/api/v1/notifications').send({ title: '   ' }), 'title');
      await refused(api.post('/api/v1/notifications').send({ title: 'x'.repeat(201) }), 'title');
      await refused(api.post('/api/v1/notifications').send({ title: 'Ok', body: 'x'.repeat(5001) }), 'body');
      await refused(api.post('/api/v1/notifications').send({}), 'title');
    });
  });
});
