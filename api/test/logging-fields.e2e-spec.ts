import pg from 'pg';
import { withDatabase } from '../src/database/postgres-url.js';
import { LogCapture, settle, type LogLine } from './support/log-capture.js';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 14, perf: the request's log fields are bound once (no child logger per request and per
 * assign), and its lines must keep every field they had: the access line's request id (the same as the
 * x-request-id header and problem bodies), method, redacted URL, status, response time, and, once the
 * caller is known, the studio and user; a line logged while serving a request carries them too.
 * Its own file: nestjs-pino keeps one logger per process, made by the first app.
 */
describe('request log lines keep their fields', () => {
  let t: TestApp;
  const logs = new LogCapture();
  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'debug' }, { logDestination: logs });
  });
  afterAll(async () => {
    await t?.close();
  });

  const accessLine = (id: string) => logs.lines().find((l) => l.res && (l.req as { id?: string } | undefined)?.id === id);

  it('a signed-in request: id, method, redacted URL, status, response time, studio and user', async () => {
    const studio = await registerStudio(t, 'LogFields');
    logs.clear();
    const res = await t.http().get('/api/v1/clients?limit=5').set('cookie', studio.cookie).expect(200);
    await settle();
    const line = accessLine(res.headers['x-request-id']);
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { id: res.headers['x-request-id'], method: 'GET', url: '/api/v1/clients?limit=[redacted]' },
      res: { statusCode: 200 },
      tenantId: studio.organizationId,
      userId: studio.userId,
    });
    expect(typeof line?.responseTime).toBe('number');
  });

  it('an anonymous refused request: its id and status, no studio or user', async () => {
    logs.clear();
    const res = await t.http().get('/api/v1/clients').expect(401);
    await settle();
    const line = accessLine(res.headers['x-request-id']) as LogLine;
    expect(line).toMatchObject({ level: 30, msg: 'request completed', req: { id: res.headers['x-request-id'], method: 'GET', url: '/api/v1/clients' }, res: { statusCode: 401 } });
    expect(line.tenantId).toBeUndefined();
    expect(line.userId).toBeUndefined();
  });

  it('a line logged while serving a request (the 500 the problem filter logs) carries the request id, studio and user', async () => {
    const studio = await registerStudio(t, 'LogInside');
    const { rows } = await t.control.query(`SELECT database_name FROM tenant_databases WHERE organization_id = $1`, [studio.organizationId]);
    const tenantDb = new pg.Client({ connectionString: withDatabase(t.config.databaseUrl!, rows[0].database_name) });
    await tenantDb.connect();
    try {
      await tenantDb.query(`CREATE FUNCTION rsm_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
      await tenantDb.query('CREATE TRIGGER rsm_test_fail BEFORE INSERT ON clients FOR EACH ROW EXECUTE FUNCTION rsm_test_fail()');
      logs.clear();
      const res = await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Nobody' }).expect(500);
      await settle();
      const id = res.headers['x-request-id'];
      const inside = logs.lines().filter((l) => l.level >= 50 && !l.res);
      expect(inside.length).toBeGreaterThan(0);
      for (const line of inside) expect(line).toMatchObject({ req: { id, method: 'POST', url: '/api/v1/clients' }, tenantId: studio.organizationId, userId: studio.userId });
      expect(accessLine(id)).toMatchObject({ level: 30, msg: 'request errored', res: { statusCode: 500 }, tenantId: studio.organizationId });
    } finally {
      await tenantDb.end();
    }
  });
});
