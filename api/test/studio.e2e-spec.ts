import pg from 'pg';
import { addMemberWithSession } from './support/studio-members.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/** Issue 9, resources: GET/PATCH /api/v1/studio (time zone, default currency, opening hours, buffers). */
describe('studio settings', () => {
  let t: TestApp;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  let tenantDb: pg.Client;

  beforeAll(async () => {
    t = await createTestApp();
    studio = await registerStudio(t, 'Settings');
    tenantDb = await connectTenantDatabase(t, studio.organizationId);
  });
  afterAll(async () => {
    await tenantDb.end();
    await t?.close();
  });

  const patch = (body: unknown, cookie = studio.cookie) => t.http().patch('/api/v1/studio').set('cookie', cookie).send(body as object);
  /** The stored row and how many audit entries there are: what a refused request must leave as it was. */
  const snapshot = async () => ({
    row: (await tenantDb.query('SELECT * FROM studio_settings')).rows,
    audit: (await tenantDb.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n,
  });

  it('requires authentication', async () => {
    await t.http().get('/api/v1/studio').expect(401);
    await t.http().patch('/api/v1/studio').send({ timeZone: 'UTC' }).expect(401);
  });

  it('starts with the defaults of a new studio', async () => {
    const other = await registerStudio(t, 'Fresh');
    const res = await t.http().get('/api/v1/studio').set('cookie', other.cookie).expect(200);
    expect(res.body).toEqual({ timeZone: 'UTC', defaultCurrency: 'EUR', openingHours: [], defaultSetupMinutes: 0, defaultTeardownMinutes: 0, reminderOffsetsMinutes: [1440, 120], updatedAt: expect.any(String) });
  });

  it('changes the fields sent, sorts the week, records an audit entry, and leaves other studios alone', async () => {
    const other = await registerStudio(t, 'Untouched');
    const res = await patch({
      timeZone: 'Europe/Paris',
      defaultCurrency: 'GBP',
      openingHours: [
        { weekday: 6, opens: '10:00', closes: '18:00' },
        { weekday: 1, opens: '09:00', closes: '24:00' },
      ],
      defaultSetupMinutes: 15,
    }).expect(200);
    expect(res.body).toMatchObject({
      timeZone: 'Europe/Paris',
      defaultCurrency: 'GBP',
      openingHours: [
        { weekday: 1, opens: '09:00', closes: '24:00' },
        { weekday: 6, opens: '10:00', closes: '18:00' },
      ],
      defaultSetupMinutes: 15,
      defaultTeardownMinutes: 0,
    });
    expect((await t.http().get('/api/v1/studio').set('cookie', studio.cookie).expect(200)).body).toEqual(res.body);
    // Only the fields sent change.
    expect((await patch({ defaultTeardownMinutes: 240 }).expect(200)).body).toMatchObject({ timeZone: 'Europe/Paris', defaultSetupMinutes: 15, defaultTeardownMinutes: 240 });
    const audit = await tenantDb.query(`SELECT details FROM audit_log WHERE action = 'studio.updated' ORDER BY occurred_at`);
    expect(audit.rows.map((r) => r.details.fields)).toEqual([['defaultCurrency', 'defaultSetupMinutes', 'openingHours', 'timeZone'], ['defaultTeardownMinutes']]);
    expect((await t.http().get('/api/v1/studio').set('cookie', other.cookie).expect(200)).body).toMatchObject({ timeZone: 'UTC', defaultCurrency: 'EUR' });
  });

  it.each([
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
    ['a time zone in the wrong case', { timeZone: 'europe/paris' }, 'timeZone'],
    ['an offset instead of a zone', { timeZone: '+01:00' }, 'timeZone'],
    ['an empty time zone', { timeZone: '' }, 'timeZone'],
    ['null time zone', { timeZone: null }, 'timeZone'],
    ['null opening hours', { openingHours: null }, 'openingHours'],
    ['a null buffer', { defaultTeardownMinutes: null }, 'defaultTeardownMinutes'],
    ['an unknown currency', { defaultCurrency: 'ABC' }, 'defaultCurrency'],
    ['a lower-case currency', { defaultCurrency: 'eur' }, 'defaultCurrency'],
    ['a currency name', { defaultCurrency: 'EURO' }, 'defaultCurrency'],
    ['two entries for one weekday', { openingHours: [{ weekday: 1, opens: '09:00', closes: '12:00' }, { weekday: 1, opens: '13:00', closes: '18:00' }] }, 'openingHours'],
    ['closing before opening', { openingHours: [{ weekday: 2, opens: '18:00', closes: '09:00' }] }, 'openingHours'],
    ['closing when opening', { openingHours: [{ weekday: 2, opens: '09:00', closes: '09:00' }] }, 'openingHours'],
    ['weekday 0', { openingHours: [{ weekday: 0, opens: '09:00', closes: '18:00' }] }, 'openingHours.0.weekday'],
    ['weekday 8', { openingHours: [{ weekday: 8, opens: '09:00', closes: '18:00' }] }, 'openingHours.0.weekday'],
    ['25:00', { openingHours: [{ weekday: 3, opens: '09:00', closes: '25:00' }] }, 'openingHours.0.closes'],
    ['opening at 24:00', { openingHours: [{ weekday: 3, opens: '24:00', closes: '24:00' }] }, 'openingHours.0.opens'],
    ['9:00 without its zero', { openingHours: [{ weekday: 3, opens: '9:00', closes: '18:00' }] }, 'openingHours.0.opens'],
    ['an unknown field in an entry', { openingHours: [{ weekday: 3, opens: '09:00', closes: '18:00', lunch: true }] }, 'openingHours.0.lunch'],
    ['opening hours that are not a list', { openingHours: { weekday: 1 } }, 'openingHours'],
    ['eight entries', { openingHours: [1, 2, 3, 4, 5, 6, 7, 1].map((weekday) => ({ weekday, opens: '09:00', closes: '10:00' })) }, 'openingHours'],
    ['a negative buffer', { defaultSetupMinutes: -1 }, 'defaultSetupMinutes'],
    ['a buffer over 240', { defaultTeardownMinutes: 241 }, 'defaultTeardownMinutes'],
    ['a fractional buffer', { defaultSetupMinutes: 1.5 }, 'defaultSetupMinutes'],
    ['a buffer as text', { defaultSetupMinutes: '10' }, 'defaultSetupMinutes'],
    ['an unknown field', { id: 2 }, 'id'],
  ])('refuses %s with a 400 problem naming the field, and changes nothing', async (_label, body, field) => {
    // A valid field alongside the bad one: it must not be written either.
    const before = await snapshot();
    const res = await patch({ defaultSetupMinutes: 30, ...body }).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a body that is not an object', async () => {
    const before = await snapshot();
    await patch([{ timeZone: 'UTC' }]).expect(400);
    expect(await snapshot()).toEqual(before);
  });

  it('lets every member read and only admins and owners change the settings', async () => {
    const viewer = await addMemberWithSession(t, studio.organizationId, 'viewer');
    const engineer = await addMemberWithSession(t, studio.organizationId, 'engineer');
    const admin = await addMemberWithSession(t, studio.organizationId, 'admin');
    await t.http().get('/api/v1/studio').set('cookie', viewer.cookie).expect(200);
    const before = await snapshot();
    expect((await patch({ timeZone: 'Asia/Tokyo' }, viewer.cookie).expect(403)).headers['content-type']).toMatch(/problem\+json/);
    await patch({ timeZone: 'Asia/Tokyo' }, engineer.cookie).expect(403);
    expect(await snapshot()).toEqual(before);
    expect((await patch({ timeZone: 'Asia/Tokyo' }, admin.cookie).expect(200)).body.timeZone).toBe('Asia/Tokyo');
    expect((await tenantDb.query(`SELECT actor_id FROM audit_log WHERE action = 'studio.updated' ORDER BY occurred_at DESC LIMIT 1`)).rows).toEqual([{ actor_id: admin.userId }]);
  });

  it('accepts UTC and every zone the runtime lists', async () => {
    await patch({ timeZone: 'UTC' }).expect(200);
    const zones = Intl.supportedValuesOf('timeZone');
    for (const zone of [zones[0], 'America/New_York', zones[zones.length - 1]]) await patch({ timeZone: zone }).expect(200);
    expect((await tenantDb.query('SELECT time_zone FROM studio_settings')).rows).toEqual([{ time_zone: zones[zones.length - 1] }]);
  });
});
