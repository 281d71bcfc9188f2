import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { addMemberWithSession } from './support/studio-members.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/** Issue 9, resources: /api/v1/engineers, their working hours and time off. */
describe('engineers', () => {
  let t: TestApp;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  let tenantDb: pg.Client;
  let viewer: Awaited<ReturnType<typeof addMemberWithSession>>;
  let engineer: Awaited<ReturnType<typeof addMemberWithSession>>;
  let engineer2: Awaited<ReturnType<typeof addMemberWithSession>>;
  let admin: Awaited<ReturnType<typeof addMemberWithSession>>;

  beforeAll(async () => {
    t = await createTestApp();
    studio = await registerStudio(t, 'Engineers');
    tenantDb = await connectTenantDatabase(t, studio.organizationId);
    viewer = await addMemberWithSession(t, studio.organizationId, 'viewer');
    engineer = await addMemberWithSession(t, studio.organizationId, 'engineer');
    engineer2 = await addMemberWithSession(t, studio.organizationId, 'engineer');
    admin = await addMemberWithSession(t, studio.organizationId, 'admin');
  });
  afterAll(async () => {
    await tenantDb.end();
    await t?.close();
  });

  const as = (cookie: string) => ({
    post: (url: string, body: unknown) => t.http().post(url).set('cookie', cookie).send(body as object),
    put: (url: string, body: unknown) => t.http().put(url).set('cookie', cookie).send(body as object),
    get: (url: string) => t.http().get(url).set('cookie', cookie),
    delete: (url: string) => t.http().delete(url).set('cookie', cookie),
  });
  const snapshot = async () => ({
    profiles: (await tenantDb.query('SELECT user_id, working_hours FROM engineer_profiles ORDER BY user_id')).rows,
    timeOff: (await tenantDb.query('SELECT * FROM engineer_time_off ORDER BY id')).rows,
    audit: (await tenantDb.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n,
  });
  const hours = (userId: string) => `/api/v1/engineers/${userId}/working-hours`;
  const timeOff = (userId: string) => `/api/v1/engineers/${userId}/time-off`;
  const week = [
    { weekday: 5, opens: '12:00', closes: '24:00' },
    { weekday: 1, opens: '09:00', closes: '17:30' },
  ];

  it('requires authentication on every route', async () => {
    const id = randomUUID();
    await t.http().get('/api/v1/engineers').expect(401);
    await t.http().get(hours(id)).expect(401);
    await t.http().put(hours(id)).send({ workingHours: [] }).expect(401);
    await t.http().get(timeOff(id)).expect(401);
    await t.http().post(timeOff(id)).send({}).expect(401);
    await t.http().delete(`${timeOff(id)}/${randomUUID()}`).expect(401);
  });

  it('lists the members who can run a session (engineer, admin, owner), not viewers, by email, with cursor pages', async () => {
    const res = await as(viewer.cookie).get('/api/v1/engineers').expect(200);
    const emails = [studio.credentials.email, engineer.email, engineer2.email, admin.email].sort();
    expect(res.body.items.map((e: { email: string }) => e.email)).toEqual(emails);
    expect(res.body.items.find((e: { userId: string }) => e.userId === engineer.userId)).toEqual({
      userId: engineer.userId,
      name: 'engineer member',
      email: engineer.email,
      role: 'engineer',
      workingHours: [],
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ email: string }>; nextCursor: string | null } } = await as(viewer.cookie)
        .get(`/api/v1/engineers?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      seen.push(...page.body.items.map((e) => e.email));
      cursor = page.body.nextCursor;
    } while (cursor && seen.length < 10);
    expect(seen).toEqual(emails);
    await as(viewer.cookie).get('/api/v1/engineers?cursor=bad').expect(400);
    // Another studio lists its own members only.
    const other = await registerStudio(t, 'Other engineers');
    expect((await as(other.cookie).get('/api/v1/engineers').expect(200)).body.items.map((e: { email: string }) => e.email)).toEqual([other.credentials.email]);
  });

  describe('working hours', () => {
    it('an engineer sets their own week; everyone reads it, sorted by weekday; the list shows it; audited', async () => {
      const res = await as(engineer.cookie).put(hours(engineer.userId), { workingHours: week }).expect(200);
      expect(res.body).toEqual({ userId: engineer.userId, workingHours: [week[1], week[0]] });
      expect((await as(viewer.cookie).get(hours(engineer.userId)).expect(200)).body).toEqual(res.body);
      const listed = (await as(viewer.cookie).get('/api/v1/engineers').expect(200)).body.items.find((e: { userId: string }) => e.userId === engineer.userId);
      expect(listed.workingHours).toEqual([week[1], week[0]]);
      // A second PUT replaces the whole week.
      expect((await as(engineer.cookie).put(hours(engineer.userId), { workingHours: [] }).expect(200)).body.workingHours).toEqual([]);
      const audit = await tenantDb.query(`SELECT actor_id, details FROM audit_log WHERE action = 'engineer.working_hours_set' AND target_id = $1 ORDER BY occurred_at`, [engineer.userId]);
      expect(audit.rows).toEqual([
        { actor_id: engineer.userId, details: { weekdays: [1, 5] } },
        { actor_id: engineer.userId, details: { weekdays: [] } },
      ]);
    });

    it("an engineer may not set another engineer's hours (403, nothing written); an admin may", async () => {
      const before = await snapshot();
      const res = await as(engineer.cookie).put(hours(engineer2.userId), { workingHours: week }).expect(403);
      expect(res.body).toMatchObject({ type: 'https://rsm.dev/problems/own-schedule-only' });
      await as(viewer.cookie).put(hours(viewer.userId), { workingHours: week }).expect(403);
      expect(await snapshot()).toEqual(before);
      await as(admin.cookie).put(hours(engineer2.userId), { workingHours: week }).expect(200);
      expect((await as(engineer.cookie).get(hours(engineer2.userId)).expect(200)).body.workingHours).toHaveLength(2);
    });

    it('is a 404 for a viewer member, an unknown user and another studio’s engineer, and writes nothing', async () => {
      const other = await registerStudio(t, 'Foreign engineer');
      const before = await snapshot();
      for (const userId of [viewer.userId, randomUUID(), other.userId]) {
        const read = await as(admin.cookie).get(hours(userId)).expect(404);
        expect(read.body.detail).toMatch(/^No engineer with this id in your studio/);
        await as(admin.cookie).put(hours(userId), { workingHours: week }).expect(404);
        await as(admin.cookie).get(timeOff(userId)).expect(404);
        await as(admin.cookie).post(timeOff(userId), { startsAt: '2030-01-01T00:00:00Z', endsAt: '2030-01-02T00:00:00Z' }).expect(404);
      }
      // The other studio's owner cannot reach this studio's engineers either.
      await as(other.cookie).get(hours(engineer.userId)).expect(404);
      await as(other.cookie).put(hours(engineer.userId), { workingHours: week }).expect(404);
      expect(await snapshot()).toEqual(before);
    });

    it.each([
      ['no week', {}, 'workingHours'],
      ['a week that is not a list', { workingHours: 'mon-fri' }, 'workingHours'],
      ['a weekday twice', { workingHours: [week[0], week[0]] }, 'workingHours'],
      ['ending before starting', { workingHours: [{ weekday: 2, opens: '17:00', closes: '09:00' }] }, 'workingHours'],
      ['weekday 8', { workingHours: [{ weekday: 8, opens: '09:00', closes: '17:00' }] }, 'workingHours.0.weekday'],
      ['a time with seconds', { workingHours: [{ weekday: 2, opens: '09:00:00', closes: '17:00' }] }, 'workingHours.0.opens'],
      ['a missing closing time', { workingHours: [{ weekday: 2, opens: '09:00' }] }, 'workingHours.0.closes'],
      ['an unknown field', { workingHours: [], userId: randomUUID() }, 'userId'],
    ])('PUT refuses %s with a 400 naming the field and writes nothing', async (_label, body, field) => {
      const before = await snapshot();
      const res = await as(engineer.cookie).put(hours(engineer.userId), body).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await snapshot()).toEqual(before);
    });

    it('answers 400 for a malformed user id', async () => {
      expect((await as(admin.cookie).get(hours('me')).expect(400)).body.errors).toEqual([{ field: 'userId', messages: ['userId must be a UUID'] }]);
    });
  });

  describe('time off', () => {
    it('an engineer adds, lists and removes their own time off; audited', async () => {
      const created = await as(engineer.cookie).post(timeOff(engineer.userId), { startsAt: '2030-08-03T00:00:00+02:00', endsAt: '2030-08-17T00:00:00+02:00', reason: ' Holiday ' }).expect(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        userId: engineer.userId,
        startsAt: '2030-08-02T22:00:00.000Z',
        endsAt: '2030-08-16T22:00:00.000Z',
        reason: 'Holiday',
        createdAt: expect.any(String),
      });
      expect((await as(viewer.cookie).get(timeOff(engineer.userId)).expect(200)).body).toEqual({ items: [created.body], nextCursor: null });
      await as(engineer.cookie).delete(`${timeOff(engineer.userId)}/${created.body.id}`).expect(204);
      await as(engineer.cookie).delete(`${timeOff(engineer.userId)}/${created.body.id}`).expect(404);
      const audit = await tenantDb.query(`SELECT action FROM audit_log WHERE details->>'timeOffId' = $1 ORDER BY occurred_at`, [created.body.id]);
      expect(audit.rows.map((r) => r.action)).toEqual(['engineer.time_off_added', 'engineer.time_off_removed']);
    });

    it('lists by start with cursor pages, and endsAfter keeps current and later periods', async () => {
      const starts = ['2031-03-01', '2031-01-01', '2031-02-01', '2031-04-01', '2031-05-01'];
      for (const day of starts) await as(admin.cookie).post(timeOff(engineer2.userId), { startsAt: `${day}T00:00:00Z`, endsAt: `${day}T12:00:00Z` }).expect(201);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ startsAt: string }>; nextCursor: string | null } } = await as(viewer.cookie)
          .get(`${timeOff(engineer2.userId)}?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .expect(200);
        seen.push(...page.body.items.map((p) => p.startsAt.slice(0, 10)));
        cursor = page.body.nextCursor;
      } while (cursor && seen.length < 20);
      expect(seen).toEqual([...starts].sort());
      const current = await as(viewer.cookie).get(`${timeOff(engineer2.userId)}?endsAfter=2031-03-01T06:00:00Z`).expect(200);
      expect(current.body.items.map((p: { startsAt: string }) => p.startsAt.slice(0, 10))).toEqual(['2031-03-01', '2031-04-01', '2031-05-01']);
      for (const query of ['?endsAfter=yesterday', '?cursor=x', '?limit=0']) await as(viewer.cookie).get(`${timeOff(engineer2.userId)}${query}`).expect(400);
    });

    it.each([
      ['an end before the start', { startsAt: '2030-01-02T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' }, 'endsAt'],
      ['zero length', { startsAt: '2030-01-02T00:00:00Z', endsAt: '2030-01-02T00:00:00Z' }, 'endsAt'],
      ['more than a year', { startsAt: '2030-01-01T00:00:00Z', endsAt: '2031-01-01T00:00:01Z' }, 'endsAt'],
      ['ten years', { startsAt: '2030-01-01T00:00:00Z', endsAt: '2040-01-01T00:00:00Z' }, 'endsAt'],
      ['a start without an offset', { startsAt: '2030-01-01T00:00:00', endsAt: '2030-01-02T00:00:00Z' }, 'startsAt'],
      ['a date without a time', { startsAt: '2030-01-01', endsAt: '2030-01-02T00:00:00Z' }, 'startsAt'],
      ['30 February', { startsAt: '2030-02-30T00:00:00Z', endsAt: '2030-03-02T00:00:00Z' }, 'startsAt'],
      ['a missing end', { startsAt: '2030-01-01T00:00:00Z' }, 'endsAt'],
      ['a reason over 200 characters', { startsAt: '2030-01-01T00:00:00Z', endsAt: '2030-01-02T00:00:00Z', reason: 'x'.repeat(201) }, 'reason'],
      ['an unknown field', { startsAt: '2030-01-01T00:00:00Z', endsAt: '2030-01-02T00:00:00Z', userId: randomUUID() }, 'userId'],
    ])('POST refuses %s with a 400 naming the field and writes nothing', async (_label, body, field) => {
      const before = await snapshot();
      const res = await as(engineer.cookie).post(timeOff(engineer.userId), body).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await snapshot()).toEqual(before);
    });

    it('accepts exactly a year', async () => {
      await as(engineer.cookie).post(timeOff(engineer.userId), { startsAt: '2032-01-01T00:00:00Z', endsAt: '2033-01-01T00:00:00Z' }).expect(201);
    });

    it("an engineer may not add or remove another engineer's time off; nobody removes it through another engineer's id", async () => {
      const theirs = (await as(admin.cookie).post(timeOff(engineer2.userId), { startsAt: '2030-06-01T00:00:00Z', endsAt: '2030-06-02T00:00:00Z' }).expect(201)).body;
      const other = await registerStudio(t, 'Foreign time off');
      const before = await snapshot();
      await as(engineer.cookie).post(timeOff(engineer2.userId), { startsAt: '2030-06-03T00:00:00Z', endsAt: '2030-06-04T00:00:00Z' }).expect(403);
      await as(engineer.cookie).delete(`${timeOff(engineer2.userId)}/${theirs.id}`).expect(403);
      await as(viewer.cookie).delete(`${timeOff(engineer2.userId)}/${theirs.id}`).expect(403);
      // Through their own id: the period is not theirs, so it is not found.
      await as(engineer.cookie).delete(`${timeOff(engineer.userId)}/${theirs.id}`).expect(404);
      await as(other.cookie).delete(`${timeOff(engineer2.userId)}/${theirs.id}`).expect(404);
      await as(other.cookie).get(timeOff(engineer2.userId)).expect(404);
      expect(await snapshot()).toEqual(before);
      await as(admin.cookie).delete(`${timeOff(engineer2.userId)}/${theirs.id}`).expect(204);
    });
  });
});
