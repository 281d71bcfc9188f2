import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 14, perf: the security headers are computed once at start-up instead of by @fastify/helmet on
 * every request. Every header of a range of answers (success, 401, 404, 400, 415, documentation, health),
 * in development and with a Secure cookie, must stay exactly what it was: the snapshot next to this file
 * was recorded against the per-request helmet plugin before the change. Only values that differ from one
 * request to the next (date, request id, length) are left out.
 */
const VOLATILE = new Set(['date', 'x-request-id', 'content-length', 'etag', 'last-modified', 'connection', 'keep-alive']);

const REQUESTS: Array<{ name: string; send: (app: TestApp) => Promise<{ status: number; headers: Record<string, string | string[]> }> }> = [
  { name: 'GET /health/live', send: (a) => a.http().get('/health/live') },
  { name: 'GET /api/v1/clients without a session (401)', send: (a) => a.http().get('/api/v1/clients') },
  { name: 'GET /api/v1/auth/session (401)', send: (a) => a.http().get('/api/v1/auth/session') },
  { name: 'GET /api/v1/nothing-here (404)', send: (a) => a.http().get('/api/v1/nothing-here') },
  { name: 'GET /api/docs/openapi.json', send: (a) => a.http().get('/api/docs/openapi.json') },
  { name: 'GET /api/docs', send: (a) => a.http().get('/api/docs') },
  {
    name: 'POST /api/v1/auth/login with broken JSON (400)',
    send: (a) => a.http().post('/api/v1/auth/login').set('content-type', 'application/json').send('{"email":'),
  },
  {
    name: 'POST /api/v1/auth/login as a form (415)',
    send: (a) => a.http().post('/api/v1/auth/login').set('content-type', 'application/x-www-form-urlencoded').send('email=a'),
  },
];

const stable = (headers: Record<string, string | string[]>) =>
  Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !VOLATILE.has(name))
      .sort(([a], [b]) => a.localeCompare(b)),
  );

describe('security headers, every header of each answer (snapshot recorded before they were precomputed)', () => {
  let dev: TestApp;
  let secure: TestApp;
  beforeAll(async () => {
    dev = await createTestApp();
    secure = await createTestApp({ COOKIE_SECURE: 'true' });
  });
  afterAll(async () => {
    await dev.close();
    await secure.close();
  });

  it.each(REQUESTS)('$name, development', async ({ send }) => {
    const res = await send(dev);
    expect({ status: res.status, headers: stable(res.headers) }).toMatchSnapshot();
  });

  it.each(REQUESTS)('$name, Secure cookie (production)', async ({ send }) => {
    const res = await send(secure);
    expect({ status: res.status, headers: stable(res.headers) }).toMatchSnapshot();
  });
});
