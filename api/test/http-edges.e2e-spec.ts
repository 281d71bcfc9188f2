import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../src/app.factory.js';
import { encodeCursor } from '../src/common/pagination.js';
import { withDatabase } from '../src/database/postgres-url.js';
import { connectTenantDatabase, createTestApp, newStudio, registerStudio, type TestApp } from './support/test-app.js';

type Res = { status: number; headers: Record<string, string>; body: Record<string, unknown> };

function expectProblem(res: Res, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), requestId: expect.any(String) });
}

/** Sends raw bytes on a new connection; resolves with everything the server wrote once it closes. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve(received) : reject(err)));
    socket.on('close', () => resolve(received));
    socket.write(bytes);
  });
}

const problemOf = (raw: string) => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;

describe('HTTP edges: inputs that used to answer 500', () => {
  let t: TestApp;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  let tenantDb: pg.Client;
  beforeAll(async () => {
    t = await createTestApp();
    studio = await registerStudio(t, 'Edges');
    tenantDb = await connectTenantDatabase(t, studio.organizationId);
  });
  afterAll(async () => {
    await tenantDb.end();
    await t?.close();
  });

  const clientRows = async () => Number((await tenantDb.query('SELECT count(*) FROM clients')).rows[0].count);
  const users = async () => Number((await t.control.query('SELECT count(*) FROM users')).rows[0].count);
  const post = (url: string, raw: string) => t.http().post(url).set('cookie', studio.cookie).set('content-type', 'application/json').send(raw);

  it('a NUL character anywhere in a JSON body (values and keys) is a 400 problem that writes nothing', async () => {
    const before = await clientRows();
    expectProblem(await post('/api/v1/clients', '{"name":"a\\u0000b"}'), 400);
    expectProblem(await post('/api/v1/clients', '{"name":"ok","notes":"x\\u0000"}'), 400);
    expectProblem(await post('/api/v1/clients', '{"name":"ok","a\\u0000":1}'), 400);
    const { body: client } = await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Target' }).expect(201);
    expectProblem(await t.http().patch(`/api/v1/clients/${client.id}`).set('cookie', studio.cookie).set('content-type', 'application/json').send('{"notes":"\\u0000"}'), 400);
    expect(await clientRows()).toBe(before + 1);
    const usersBefore = await users();
    const signUp = newStudio('Nul');
    expectProblem(await t.http().post('/api/v1/auth/register').set('content-type', 'application/json').send(JSON.stringify({ ...signUp, studioName: 'Nul\u0000Studio' })), 400);
    expectProblem(await t.http().post('/api/v1/auth/login').send({ email: 'a@b.test', password: 'pass\u0000word' }), 400);
    expect(await users()).toBe(usersBefore);
  });

  it('a lone UTF-16 surrogate in a JSON string is a 400 problem (it could not be stored as sent)', async () => {
    const before = await clientRows();
    expectProblem(await post('/api/v1/clients', '{"name":"a\\ud800b"}'), 400);
    expectProblem(await post('/api/v1/clients', '{"name":"ok","company":"\\udfff"}'), 400);
    expect(await clientRows()).toBe(before);
    await post('/api/v1/clients', JSON.stringify({ name: 'Ok 🎸' })).expect(201); // a proper pair is fine
  });

  it('a NUL in a query value, a path parameter or inside a cursor is a 400 problem', async () => {
    expectProblem(await t.http().get('/api/v1/clients?q=%00').set('cookie', studio.cookie), 400);
    expectProblem(await t.http().get('/api/v1/clients?q=a%00b').set('cookie', studio.cookie), 400);
    expectProblem(await t.http().get('/api/v1/clients?%00=1').set('cookie', studio.cookie), 400);
    expectProblem(await t.http().get('/api/v1/clients/%00').set('cookie', studio.cookie), 400);
    const cursor = encodeCursor(['a\u0000', '00000000-0000-4000-8000-000000000000']);
    expectProblem(await t.http().get(`/api/v1/clients?cursor=${cursor}`).set('cookie', studio.cookie), 400);
    const surrogateCursor = Buffer.from('["\\ud800","00000000-0000-4000-8000-000000000000"]').toString('base64url');
    expectProblem(await t.http().get(`/api/v1/clients?cursor=${surrogateCursor}`).set('cookie', studio.cookie), 400);
  });

  it('JSON nested thousands of levels deep is a 400 problem on login, register and clients, writing nothing', async () => {
    const deep = `{"a":${'['.repeat(2000)}${']'.repeat(2000)}}`;
    const before = await clientRows();
    const usersBefore = await users();
    for (const url of ['/api/v1/auth/login', '/api/v1/auth/register', '/api/v1/clients']) {
      const res = await post(url, deep);
      expectProblem(res, 400);
      expect(res.body.detail).toMatch(/nested/i);
    }
    expectProblem(await post('/api/v1/clients', `{"name":"x","notes":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`), 400);
    expect(await clientRows()).toBe(before);
    expect(await users()).toBe(usersBefore);
  });
});

describe('HTTP edges: every error is a problem, whoever raises it', () => {
  let t: TestApp;
  let port: number;
  let web: string;
  beforeAll(async () => {
    web = mkdtempSync(join(tmpdir(), 'rsm-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>RSM</title><div id="app"></div>');
    t = await createTestApp({ WEB_DIST_DIR: web, REQUEST_TIMEOUT_MS: '1500', HEADERS_TIMEOUT_MS: '1000' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('414 for a 5,000-character id', async () => {
    expectProblem(await t.http().get(`/api/v1/clients/${'a'.repeat(5000)}`), 414);
  });

  it('400 for a malformed percent-encoding in the URL', async () => {
    expectProblem(await t.http().get('/api/v1/clients/%E0%A4%A'), 400);
  });

  it('431 for a 20 KB header, written by the server itself', async () => {
    const raw = await rawExchange(port, `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 431 /);
    expect(raw).toMatch(/content-type: application\/problem\+json/i);
    expect(problemOf(raw)).toMatchObject({ status: 431, requestId: expect.any(String) });
  });

  it('400 for a request line the HTTP parser rejects', async () => {
    const raw = await rawExchange(port, 'GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(problemOf(raw)).toMatchObject({ status: 400, requestId: expect.any(String) });
  });

  it('404 for unknown API routes and unknown methods, with a request id', async () => {
    expectProblem(await t.http().get('/api/v1/nope'), 404);
    expectProblem(await t.http().put('/api/v1/clients').send({}), 404);
    expectProblem(await t.http().get('/_app/immutable/missing.js'), 404);
  });

  it('415 for a body that is not JSON', async () => {
    expectProblem(await t.http().post('/api/v1/auth/login').set('content-type', 'application/xml').send('<a/>'), 415);
  });

  it('/robots.txt is a real text file that keeps crawlers out of the API; /favicon.ico is never the SPA page', async () => {
    const robots = await t.http().get('/robots.txt').expect(200);
    expect(robots.headers['content-type']).toMatch(/^text\/plain/);
    expect(robots.text).toMatch(/User-agent: \*/);
    expect(robots.text).toMatch(/Disallow: \/api\//);
    const favicon = await t.http().get('/favicon.ico');
    expect(favicon.headers['content-type']).not.toMatch(/html/);
    expectProblem(favicon, 404); // this web build ships no icon
    const page = await t.http().get('/clients').expect(200); // the SPA fallback itself still works
    expect(page.headers['content-type']).toMatch(/html/);
  });

  it('a body slower than REQUEST_TIMEOUT_MS is answered 408 and the connection closed', async () => {
    // Declares 100 bytes, sends 10, then waits: the server must give up on its own.
    const raw = await rawExchange(port, 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":"');
    expect(raw).toMatch(/^HTTP\/1\.1 408 /);
    expect(problemOf(raw)).toMatchObject({ status: 408, requestId: expect.any(String) });
  });

  it('headers that never finish are dropped after HEADERS_TIMEOUT_MS', async () => {
    const raw = await rawExchange(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(raw).toMatch(/^HTTP\/1\.1 408 /);
  });
});

describe('HTTP edges: the favicon of the web build', () => {
  it("/favicon.ico serves the web app's SVG icon when the build has one", async () => {
    const web = mkdtempSync(join(tmpdir(), 'rsm-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>RSM</title>');
    writeFileSync(join(web, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>');
    const withIcon = await createTestApp({ WEB_DIST_DIR: web });
    try {
      const res = await withIcon.http().get('/favicon.ico').expect(200);
      expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(res.body.toString()).toContain('<svg');
    } finally {
      await withIcon.close();
    }
  });
});

describe('HTTP edges: a statement over DB_STATEMENT_TIMEOUT_MS', () => {
  let t: TestApp;
  let busy: NestFastifyApplication;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  beforeAll(async () => {
    t = await createTestApp();
    studio = await registerStudio(t, 'Timeout'); // sign-up (CREATE DATABASE) under the usual timeout
    // The same databases served with a tiny statement timeout, so sign-up above is not subject to
    // it. Only `busy` serves requests from here on: passport strategies live on the global passport
    // instance, so the app created last authenticates for every app in the process.
    busy = await createApp({ ...t.config, tenancy: { ...t.config.tenancy, statementTimeoutMs: 300 } });
    await busy.init();
    await busy.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await busy.close();
    await t?.close();
  });

  it('is a 503 busy problem with Retry-After, and writes nothing', async () => {
    const { body: client } = await request(busy.getHttpServer()).post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Locked' }).expect(201);
    const { rows } = await t.control.query(`SELECT database_name FROM tenant_databases WHERE organization_id = $1`, [studio.organizationId]);
    const locker = new pg.Client({ connectionString: withDatabase(t.config.databaseUrl!, rows[0].database_name) });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM clients WHERE id = $1 FOR UPDATE', [client.id]);
      const res = await request(busy.getHttpServer()).patch(`/api/v1/clients/${client.id}`).set('cookie', studio.cookie).send({ notes: 'while locked' });
      expectProblem(res, 503);
      expect(res.headers['retry-after']).toBeDefined();
      await locker.query('COMMIT');
      const after = await locker.query('SELECT notes FROM clients WHERE id = $1', [client.id]);
      expect(after.rows[0].notes).toBeNull();
    } finally {
      await locker.end();
    }
  });
});
