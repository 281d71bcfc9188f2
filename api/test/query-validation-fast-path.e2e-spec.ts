import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 14, perf: a query seen valid before skips class-transformer and class-validator (StrictValidationPipe's
 * fast path). The remembered answer must be the transformed one (limit a number, not the string), and bad
 * queries must answer exactly the problems of the full pipe whatever came before.
 */
describe('query validation fast path', () => {
  let t: TestApp;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  const BAD = ['/api/v1/clients?limit=0', '/api/v1/clients?limit=abc', '/api/v1/clients?limit=5&bogus=1', '/api/v1/clients?sort=sideways', '/api/v1/clients?limit=5&limit=6'];
  const problem = async (path: string) => {
    const res = await t.http().get(path).set('cookie', studio.cookie);
    const { instance: _instance, requestId: _id, ...body } = res.body as Record<string, unknown>;
    return { status: res.status, body };
  };
  let fresh: Array<{ status: number; body: unknown }>;

  beforeAll(async () => {
    t = await createTestApp();
    studio = await registerStudio(t, 'FastPath');
    for (let i = 0; i < 7; i++) await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: `Client ${i}` }).expect(201);
    fresh = [];
    for (const path of BAD) fresh.push(await problem(path)); // before any valid query was remembered
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the same valid query, again and again, gets the transformed values (a page of 5, then the rest through its cursor)', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await t.http().get('/api/v1/clients?limit=5').set('cookie', studio.cookie).expect(200);
      expect(res.body.items).toHaveLength(5);
      expect(res.body.total).toBe(7);
      const next = await t.http().get(`/api/v1/clients?limit=5&cursor=${encodeURIComponent(res.body.nextCursor)}`).set('cookie', studio.cookie).expect(200);
      expect(next.body.items).toHaveLength(2);
      expect(next.body.nextCursor).toBeNull();
    }
  });

  it('bad queries answer the same 400 problems after valid ones as before any', async () => {
    for (let i = 0; i < 2; i++) await t.http().get('/api/v1/clients?limit=5').set('cookie', studio.cookie).expect(200);
    const after = [];
    for (const path of BAD) after.push(await problem(path));
    expect(after).toEqual(fresh);
    for (const answer of after) expect(answer.status).toBe(400);
  });
});
