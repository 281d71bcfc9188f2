import pg from 'pg';
import { withDatabase } from '../src/database/postgres-url.js';
import { connectTenantDatabase, createTestApp, registerStudio, tenantDatabaseOf, type TestApp } from './support/test-app.js';

/** The audit log (issue 7): one helper writes it, in the change's own tenant transaction; admins read it with filters and a cursor. */
describe('audit log', () => {
  let t: TestApp;
  let studio: Awaited<ReturnType<typeof registerStudio>>;

  beforeAll(async () => {
    t = await createTestApp();
    studio = await registerStudio(t, 'Audited');
  });
  afterAll(async () => {
    await t?.close();
  });

  const audit = (query = '') => t.http().get(`/api/v1/audit${query}`).set('cookie', studio.cookie);

  it('records client writes with who, what, which record, when and from where; filters narrow it down', async () => {
    const started = new Date(Date.now() - 1000).toISOString();
    const client = (await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Logged' }).expect(201)).body;
    await t.http().patch(`/api/v1/clients/${client.id}`).set('cookie', studio.cookie).send({ phone: '123', notes: 'x' }).expect(200);
    await t.http().delete(`/api/v1/clients/${client.id}`).set('cookie', studio.cookie).expect(204);

    const entries = (await audit(`?targetId=${client.id}`).expect(200)).body.items;
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['client.deleted', 'client.updated', 'client.created']);
    expect(entries[1]).toEqual({
      id: expect.any(String),
      occurredAt: expect.any(String),
      actor: { type: 'user', id: studio.userId, label: studio.credentials.email },
      action: 'client.updated',
      target: { type: 'client', id: client.id },
      ip: expect.stringMatching(/127\.0\.0\.1/),
      details: { fields: ['notes', 'phone'] },
    });
    expect((await audit(`?action=client.updated&targetType=client&targetId=${client.id}`).expect(200)).body.items).toHaveLength(1);
    expect((await audit(`?actorId=${studio.userId}&actorType=user&from=${started}`).expect(200)).body.items.length).toBeGreaterThanOrEqual(3);
    expect((await audit(`?actorType=api-key`).expect(200)).body.items).toEqual([]);
    expect((await audit(`?to=${started}`).expect(200)).body.items).toEqual([]);
  });

  it('pages newest first with the cursor: every entry exactly once, in order', async () => {
    for (let i = 0; i < 5; i++) await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: `Paged ${i}` }).expect(201);
    const all = (await audit('?limit=100').expect(200)).body.items as Array<{ id: string; occurredAt: string }>;
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await audit(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      paged.push(...page.body.items.map((e) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all.map((e) => e.id));
    const times = all.map((e) => Date.parse(e.occurredAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('is written in the same tenant transaction as the change: when the entry cannot be written, the client is not created either', async () => {
    const tenant = await connectTenantDatabase(t, studio.organizationId);
    // A superuser session on the studio's database, to make the audit insert fail behind the app's back.
    const superuser = new pg.Client({ connectionString: withDatabase(process.env.RSM_TEST_PG_URL!, await tenantDatabaseOf(t, studio.organizationId)) });
    await superuser.connect();
    try {
      const before = (await tenant.query(`SELECT count(*)::int AS n FROM clients`)).rows[0].n;
      await superuser.query(`ALTER TABLE audit_log ADD CONSTRAINT refuse_client_created CHECK (action <> 'client.created') NOT VALID`);
      const res = await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Unaudited' });
      expect(res.status).toBe(500);
      expect((await tenant.query(`SELECT count(*)::int AS n FROM clients`)).rows[0].n).toBe(before);
    } finally {
      await superuser.query(`ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS refuse_client_created`);
      await superuser.end();
      await tenant.end();
    }
  });

  it('bad input is a 400 problem', async () => {
    for (const query of [
      '?from=yesterday',
      '?to=2026-13-01T00:00:00Z',
      '?actorId=not-a-uuid',
      '?actorType=robot',
      '?action=DROP%20TABLE',
      '?targetId=a%20b',
      '?cursor=WyIxMjMiLCJub3QtYS11dWlkIl0',
      '?cursor=WyJhYmMiLCIwMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDAiXQ',
      '?limit=0',
      '?tenant=other',
    ]) {
      const res = await audit(query);
      expect([query, res.status, res.headers['content-type']]).toEqual([query, 400, expect.stringMatching(/^application\/problem\+json/)]);
    }
  });
});
