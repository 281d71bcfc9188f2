import type pg from 'pg';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/** Issue 11, settlements: the studio's tax rates (one default at most; bad rates write nothing; concurrent edits all stick). */
describe('tax rates', () => {
  let t: TestApp;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  let db: pg.Client;

  beforeAll(async () => {
    t = await createTestApp();
    studio = await registerStudio(t, 'Tax');
    db = await connectTenantDatabase(t, studio.organizationId);
  });
  afterAll(async () => {
    await db.end();
    await t?.close();
  });

  const create = (body: Record<string, unknown>) => t.http().post('/api/v1/tax-rates').set('cookie', studio.cookie).send(body);
  const patch = (id: string, body: Record<string, unknown>) => t.http().patch(`/api/v1/tax-rates/${id}`).set('cookie', studio.cookie).send(body);
  const list = async (query = '') => (await t.http().get(`/api/v1/tax-rates${query}`).set('cookie', studio.cookie).expect(200)).body.items as Array<Record<string, unknown>>;
  const count = async () => (await db.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE is_default)::int AS defaults FROM tax_rates`)).rows[0] as { n: number; defaults: number };
  const defaults = async () => (await db.query(`SELECT name FROM tax_rates WHERE is_default ORDER BY name`)).rows.map((r) => r.name as string);

  it('creates rates as exact decimal text and lists them by name; archived ones only on request', async () => {
    const vat = await create({ name: 'VAT 20', ratePercent: '20.00' }).expect(201);
    expect(vat.body).toMatchObject({ name: 'VAT 20', ratePercent: '20', inclusive: false, isDefault: false, archivedAt: null });
    const reduced = (await create({ name: 'Reduced', ratePercent: '5.5', inclusive: true }).expect(201)).body;
    expect(reduced).toMatchObject({ ratePercent: '5.5', inclusive: true });
    await create({ name: 'alpha zero', ratePercent: '0' }).expect(201);
    expect((await list()).map((r) => r.name)).toEqual(['alpha zero', 'Reduced', 'VAT 20']);
    const archived = await patch(reduced.id, { archived: true }).expect(200);
    expect(archived.body.archivedAt).toEqual(expect.any(String));
    expect((await list()).map((r) => r.name)).toEqual(['alpha zero', 'VAT 20']);
    expect((await list('?includeArchived=true')).map((r) => r.name)).toEqual(['alpha zero', 'Reduced', 'VAT 20']);
    await patch(reduced.id, { archived: false }).expect(200);
    expect((await list()).map((r) => r.name)).toContain('Reduced');
  });

  it('switching the default keeps exactly one default, in one transaction (also under concurrency)', async () => {
    const a = (await create({ name: 'Default A', ratePercent: '20', isDefault: true }).expect(201)).body;
    expect(await defaults()).toEqual(['Default A']);
    const b = (await create({ name: 'Default B', ratePercent: '10', isDefault: true }).expect(201)).body;
    expect(await defaults()).toEqual(['Default B']);
    await patch(a.id, { isDefault: true }).expect(200);
    expect(await defaults()).toEqual(['Default A']);
    // Archiving the default leaves no default; an archived rate cannot become one.
    await patch(a.id, { archived: true }).expect(200);
    expect(await defaults()).toEqual([]);
    expect((await patch(a.id, { isDefault: true }).expect(400)).body.errors.map((e: { field: string }) => e.field)).toEqual(['isDefault']);
    // Eight concurrent switches (creates and patches): all succeed, one default remains.
    const created = await Promise.all(Array.from({ length: 4 }, (_, i) => create({ name: `Racer ${i}`, ratePercent: '7', isDefault: true }).then((r) => r)));
    const patched = await Promise.all([b.id, ...created.map((r) => r.body.id as string)].map((id) => patch(id, { isDefault: true }).then((r) => r)));
    expect([...created, ...patched].map((r) => r.status)).toEqual([201, 201, 201, 201, 200, 200, 200, 200, 200]);
    expect(await defaults()).toHaveLength(1);
  });

  it.each([
    [{ name: 'Over', ratePercent: '100.01' }, 'ratePercent'],
    [{ name: 'Over', ratePercent: '101' }, 'ratePercent'],
    [{ name: 'Five decimals', ratePercent: '5.12345' }, 'ratePercent'],
    [{ name: 'Negative', ratePercent: '-5' }, 'ratePercent'],
    [{ name: 'Number', ratePercent: 20 }, 'ratePercent'],
    [{ name: 'Words', ratePercent: 'twenty' }, 'ratePercent'],
    [{ name: '', ratePercent: '20' }, 'name'],
    [{ name: 'x'.repeat(101), ratePercent: '20' }, 'name'],
    [{ name: 'Flag', ratePercent: '20', isDefault: 'yes' }, 'isDefault'],
    [{ name: 'Extra', ratePercent: '20', organizationId: 'x' }, 'organizationId'],
  ])('POST %j is a 400 naming %s and writes nothing', async (body, field) => {
    const before = await count();
    const res = await create(body).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    expect(await count()).toEqual(before);
  });

  it('a bad PATCH is a 400 naming the field and changes nothing; an unknown id is a 404', async () => {
    const rate = (await create({ name: 'Stable', ratePercent: '20' }).expect(201)).body;
    for (const [body, field] of [
      [{ ratePercent: '100.5' }, 'ratePercent'],
      [{ ratePercent: '1.00001' }, 'ratePercent'],
      [{ name: null }, 'name'],
      [{ inclusive: 'true' }, 'inclusive'],
      [{ archived: 1 }, 'archived'],
    ] as const) {
      const res = await patch(rate.id, body).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    const stored = (await list()).find((r) => r.id === rate.id);
    expect(stored).toEqual(rate);
    await patch('00000000-0000-4000-8000-000000000000', { name: 'Ghost' }).expect(404);
    await t.http().get('/api/v1/tax-rates?includeArchived=maybe').set('cookie', studio.cookie).expect(400);
    const other = await registerStudio(t, 'Tax other');
    await t.http().patch(`/api/v1/tax-rates/${rate.id}`).set('cookie', other.cookie).send({ name: 'Stolen' }).expect(404);
    expect((await list()).find((r) => r.id === rate.id)).toEqual(rate);
  });

  it('concurrent PATCHes of different fields, queued on the row lock, all stick', async () => {
    const rate = (await create({ name: 'Before', ratePercent: '1' }).expect(201)).body;
    const locker = await connectTenantDatabase(t, studio.organizationId);
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM tax_rates WHERE id = $1 FOR UPDATE', [rate.id]);
    const changes = [{ name: 'After' }, { ratePercent: '8.5' }, { inclusive: true }, { isDefault: true }];
    const pending = changes.map((c) => patch(rate.id, c).then((r) => r));
    await new Promise((r) => setTimeout(r, 300)); // every PATCH waits on the lock
    await locker.query('COMMIT');
    await locker.end();
    for (const res of await Promise.all(pending)) expect(res.status).toBe(200);
    expect((await list()).find((r) => r.id === rate.id)).toMatchObject(Object.assign({}, ...changes));
  });
});
