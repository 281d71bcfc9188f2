import { connect } from 'node:net';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { withDatabase } from '../src/database/postgres-url.js';
import { LogCapture, settle } from './support/log-capture.js';
import { connectTenantDatabase, createTestApp, newStudio, registerStudio, type TestApp } from './support/test-app.js';

/** Failing writes happen for real (a trigger makes PostgreSQL reject them); the logs must not carry the data. */
const FAIL_ON_INSERT = `
  CREATE FUNCTION rsm_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`;

describe('logs keep secrets and personal data out', () => {
  let t: TestApp;
  const logs = new LogCapture();
  let web: string;
  beforeAll(async () => {
    web = mkdtempSync(join(tmpdir(), 'rsm-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>RSM</title>');
    mkdirSync(join(web, '_app'));
    writeFileSync(join(web, '_app', 'start.js'), 'export {};');
    t = await createTestApp({ LOG_LEVEL: 'debug', WEB_DIST_DIR: web, REQUEST_TIMEOUT_MS: '1500', HEADERS_TIMEOUT_MS: '1500' }, { logDestination: logs });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a sign-up that fails in the database logs neither the password, nor its hash, nor the email', async () => {
    await t.control.query(FAIL_ON_INSERT);
    await t.control.query('CREATE TRIGGER rsm_test_fail BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION rsm_test_fail()');
    try {
      const signUp = { ...newStudio('Leak'), password: 'Sup3r-Secret-Passphrase' };
      logs.clear();
      const res = await t.http().post('/api/v1/auth/register').send(signUp);
      expect(res.status).toBe(500);
      await settle();
      expect(logs.text()).toContain('injected failure'); // the failure itself is logged...
      expect(logs.text()).not.toContain(signUp.password); // ...without the secrets
      expect(logs.text()).not.toContain('$argon2');
      expect(logs.text()).not.toContain(signUp.email);
      expect(logs.text()).not.toContain(signUp.name);
    } finally {
      await t.control.query('DROP TRIGGER rsm_test_fail ON users; DROP FUNCTION rsm_test_fail()');
    }
  });

  it("a client write that fails in the database does not log the client's personal data", async () => {
    const studio = await registerStudio(t, 'LeakClient');
    const { rows } = await t.control.query(`SELECT database_name FROM tenant_databases WHERE organization_id = $1`, [studio.organizationId]);
    const tenantDb = new pg.Client({ connectionString: withDatabase(t.config.databaseUrl!, rows[0].database_name) });
    await tenantDb.connect();
    try {
      await tenantDb.query(FAIL_ON_INSERT);
      await tenantDb.query('CREATE TRIGGER rsm_test_fail BEFORE INSERT ON clients FOR EACH ROW EXECUTE FUNCTION rsm_test_fail()');
      logs.clear();
      const client = { name: 'Jane Privateperson', email: 'jane.private@example.org', phone: '+44 7700 900123', notes: 'allergic to brass' };
      const res = await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send(client);
      expect(res.status).toBe(500);
      await settle();
      expect(logs.text()).toContain('injected failure');
      for (const value of Object.values(client)) expect(logs.text()).not.toContain(value);
    } finally {
      await tenantDb.end();
    }
  });

  it('search terms and the session cookie never reach the logs; the query keys do', async () => {
    const studio = await registerStudio(t, 'LeakSearch');
    const token = studio.cookie.split('=')[1];
    logs.clear();
    await t.http().get('/api/v1/clients?q=findme%40private.example&limit=5').set('cookie', studio.cookie).set('authorization', 'Bearer sekrit-bearer').expect(200);
    const login = await t.http().post('/api/v1/auth/login').send({ email: studio.credentials.email, password: studio.credentials.password }).expect(200);
    const newToken = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0].split('=')[1];
    await settle();
    const text = logs.text();
    expect(text).not.toContain('findme');
    expect(text).not.toContain(token);
    expect(text).not.toContain(newToken);
    expect(text).not.toContain('sekrit-bearer');
    expect(text).not.toContain(studio.credentials.password);
    const urls = logs.lines().map((l) => (l.req as { url?: string } | undefined)?.url).filter(Boolean);
    expect(urls).toContain('/api/v1/clients?q=[redacted]&limit=[redacted]');
  });

  it('web app asset requests are logged at debug level, API requests at info', async () => {
    logs.clear();
    await t.http().get('/_app/start.js').expect(200);
    await t.http().get('/health/live').expect(200);
    await settle();
    const requestLines = logs.lines().filter((l) => l.req && l.res);
    const levelOf = (url: string) => requestLines.find((l) => (l.req as { url: string }).url === url)?.level;
    expect(levelOf('/_app/start.js')).toBe(20);
    expect(levelOf('/health/live')).toBe(30);
  });

  it('a request the client gives up on before its answer still gets its access line (request aborted)', async () => {
    const studio = await registerStudio(t, 'Aborts');
    const id = (await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Held' }).expect(201)).body.id as string;
    const held = await connectTenantDatabase(t, studio.organizationId);
    await held.query('BEGIN');
    await held.query('SELECT 1 FROM clients WHERE id = $1 FOR UPDATE', [id]);
    try {
      await t.app.listen(0, '127.0.0.1');
      const { port } = t.app.getHttpServer().address() as { port: number };
      logs.clear();
      const controller = new AbortController();
      const patch = fetch(`http://127.0.0.1:${port}/api/v1/clients/${id}`, {
        method: 'PATCH',
        headers: { cookie: studio.cookie, 'content-type': 'application/json', origin: `http://127.0.0.1:${port}` },
        body: JSON.stringify({ notes: 'waits on the lock' }),
        signal: controller.signal,
      }).catch(() => 'aborted');
      for (let i = 0; i < 100 && !logs.lines().some((l) => l.tenantId === studio.organizationId); i++) await settle();
      await new Promise((resolve) => setTimeout(resolve, 200)); // the PATCH is waiting on the row lock
      controller.abort();
      expect(await patch).toBe('aborted');
      for (let i = 0; i < 50 && !logs.lines().some((l) => l.msg === 'request aborted'); i++) await settle();
      const aborted = logs.lines().filter((l) => l.msg === 'request aborted');
      expect(aborted).toEqual([expect.objectContaining({ level: 30, req: expect.objectContaining({ method: 'PATCH', url: `/api/v1/clients/${id}` }) })]);
    } finally {
      await held.query('ROLLBACK');
      await held.end();
    }
  });
  it('a body that misses its deadline is logged once as `request timed out` with its 408, not as aborted', async () => {
    await t.app.listen(0, '127.0.0.1').catch(() => undefined); // listening already when the abort test ran first
    const { port } = t.app.getHttpServer().address() as { port: number };
    logs.clear();
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', () => undefined);
    const closed = new Promise((resolve) => socket.on('close', resolve));
    // Declares 100 bytes, sends 10, then waits: the server gives up after REQUEST_TIMEOUT_MS.
    socket.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":"');
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    const loginLines = () => logs.lines().filter((l) => (l.req as { url?: string } | undefined)?.url === '/api/v1/auth/login');
    for (let i = 0; i < 50 && !loginLines().length; i++) await settle();
    const lines = loginLines();
    expect(lines).toEqual([expect.objectContaining({ msg: 'request timed out', level: 30, res: { statusCode: 408 } })]);
  });
});
