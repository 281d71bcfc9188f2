import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Browser writes: JSON bodies only, and one Origin rule for every unsafe method. Each request of
 * issue 5's CSRF defect is replayed as a browser on another site would send it.
 */
describe('browser writes', () => {
  let t: TestApp;
  const HOST = 'rsm.example:3000';
  const OWN_ORIGIN = `http://${HOST}`;
  const EVIL = 'https://evil.example';
  const TRUSTED = 'https://web.rsm.example';
  beforeAll(async () => {
    t = await createTestApp({ TRUSTED_ORIGINS: `${TRUSTED}, https://other.example` });
  });
  afterAll(async () => {
    await t?.close();
  });

  const clientCount = async (studio: { cookie: string }) =>
    (await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200)).body.items.length as number;

  const expectProblem = (res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, requestId: res.headers['x-request-id'] });
  };

  it('a form-encoded client create from another site with the victim cookie is refused and writes nothing', async () => {
    const victim = await registerStudio(t, 'FormVictim');
    const res = await t.http().post('/api/v1/clients').set('host', HOST).set('origin', EVIL).set('cookie', victim.cookie)
      .set('content-type', 'application/x-www-form-urlencoded').send('name=csrf-form');
    expectProblem(res, 403);
    expect(await clientCount(victim)).toBe(0);
  });

  it('a form-encoded body is 415 even without an Origin (JSON only), and writes nothing', async () => {
    const studio = await registerStudio(t, 'FormNoOrigin');
    const form = await t.http().post('/api/v1/clients').set('cookie', studio.cookie)
      .set('content-type', 'application/x-www-form-urlencoded').send('name=form');
    expectProblem(form, 415);
    expect(form.body.detail).toBe('Request bodies must be JSON (Content-Type: application/json).');
    const text = await t.http().post('/api/v1/clients').set('cookie', studio.cookie).set('content-type', 'text/plain').send('{"name":"plain"}');
    expectProblem(text, 415);
    const multipart = await t.http().post('/api/v1/clients').set('cookie', studio.cookie)
      .set('content-type', 'multipart/form-data; boundary=x').send('--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nm\r\n--x--\r\n');
    expectProblem(multipart, 415);
    expect(await clientCount(studio)).toBe(0);
  });

  it('a cross-site form login is refused: no session cookie', async () => {
    const studio = await registerStudio(t, 'LoginCsrf');
    const { email, password } = studio.credentials;
    const res = await t.http().post('/api/v1/auth/login').set('host', HOST).set('origin', 'http://127.0.0.1:9999')
      .set('content-type', 'application/x-www-form-urlencoded').send(`email=${encodeURIComponent(email)}&password=${encodeURIComponent(password)}`);
    expectProblem(res, 403);
    expect(res.headers['set-cookie']).toBeUndefined();
    const json = await t.http().post('/api/v1/auth/login').set('host', HOST).set('sec-fetch-site', 'cross-site').send({ email, password });
    expectProblem(json, 403);
    expect(json.headers['set-cookie']).toBeUndefined();
  });

  it('a cross-site register is refused and creates no studio', async () => {
    const before = await t.control.query('SELECT count(*)::int AS n FROM organizations');
    const res = await t.http().post('/api/v1/auth/register').set('host', HOST).set('origin', EVIL)
      .send({ studioName: 'Evil Studio', name: 'Eve', email: 'eve@evil.example', password: 'correct horse battery' });
    expectProblem(res, 403);
    expect((await t.control.query('SELECT count(*)::int AS n FROM organizations')).rows[0].n).toBe(before.rows[0].n);
  });

  it('a cross-site JSON POST, PATCH and DELETE are refused and write nothing', async () => {
    const victim = await registerStudio(t, 'JsonVictim');
    const { body: client } = await t.http().post('/api/v1/clients').set('cookie', victim.cookie).send({ name: 'Kept' }).expect(201);
    expectProblem(await t.http().post('/api/v1/clients').set('host', HOST).set('origin', EVIL).set('cookie', victim.cookie).send({ name: 'csrf-json' }), 403);
    expectProblem(await t.http().patch(`/api/v1/clients/${client.id}`).set('host', HOST).set('origin', EVIL).set('cookie', victim.cookie).send({ name: 'changed' }), 403);
    expectProblem(await t.http().delete(`/api/v1/clients/${client.id}`).set('host', HOST).set('sec-fetch-site', 'same-site').set('origin', 'https://sub.rsm.example').set('cookie', victim.cookie), 403);
    const { body } = await t.http().get('/api/v1/clients').set('cookie', victim.cookie).expect(200);
    expect(body.items.map((c: { name: string }) => c.name)).toEqual(['Kept']);
  });

  it('a cross-site logout is refused: the session still works', async () => {
    const victim = await registerStudio(t, 'LogoutVictim');
    expectProblem(await t.http().post('/api/v1/auth/logout').set('host', HOST).set('origin', EVIL).set('cookie', victim.cookie), 403);
    expectProblem(await t.http().post('/api/v1/auth/logout').set('origin', 'null').set('cookie', victim.cookie), 403);
    await t.http().get('/api/v1/auth/me').set('cookie', victim.cookie).expect(200);
  });

  it('same-origin requests pass, by Origin or by Sec-Fetch-Site, and so do clients that send neither', async () => {
    const studio = await registerStudio(t, 'SameOrigin');
    await t.http().post('/api/v1/clients').set('host', HOST).set('origin', OWN_ORIGIN).set('cookie', studio.cookie).send({ name: 'by origin' }).expect(201);
    await t.http().post('/api/v1/clients').set('host', HOST).set('origin', OWN_ORIGIN).set('sec-fetch-site', 'same-origin').set('cookie', studio.cookie).send({ name: 'by fetch metadata' }).expect(201);
    await t.http().post('/api/v1/clients').set('sec-fetch-site', 'none').set('cookie', studio.cookie).send({ name: 'typed by the user' }).expect(201);
    await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'no browser' }).expect(201);
    expect(await clientCount(studio)).toBe(4);
  });

  it('an origin listed in TRUSTED_ORIGINS (a separately hosted web app) passes, login included', async () => {
    const studio = await registerStudio(t, 'Trusted');
    await t.http().post('/api/v1/clients').set('host', HOST).set('origin', TRUSTED).set('sec-fetch-site', 'cross-site').set('cookie', studio.cookie).send({ name: 'from the web host' }).expect(201);
    const { email, password } = studio.credentials;
    const login = await t.http().post('/api/v1/auth/login').set('host', HOST).set('origin', 'https://other.example').send({ email, password }).expect(200);
    expect(login.headers['set-cookie']).toBeDefined();
  });

  it('without TRUST_PROXY, forwarding headers cannot make a foreign origin look like ours', async () => {
    const studio = await registerStudio(t, 'Spoof');
    const res = await t.http().post('/api/v1/clients').set('host', HOST).set('x-forwarded-proto', 'https').set('x-forwarded-host', 'evil.example')
      .set('origin', EVIL).set('cookie', studio.cookie).send({ name: 'spoofed' });
    expectProblem(res, 403);
    expect(await clientCount(studio)).toBe(0);
  });

  it('safe methods are not subject to the rule', async () => {
    const studio = await registerStudio(t, 'SafeMethods');
    await t.http().get('/api/v1/clients').set('host', HOST).set('origin', EVIL).set('sec-fetch-site', 'cross-site').set('cookie', studio.cookie).expect(200);
  });
});

describe('browser writes behind a reverse proxy (TRUST_PROXY=1)', () => {
  let proxied: TestApp;
  beforeAll(async () => {
    proxied = await createTestApp({ TRUST_PROXY: '1' });
  });
  afterAll(async () => {
    await proxied.close();
  });

  it('the origin is the one the client asked for: behind a trusted proxy, X-Forwarded-Proto/Host count', async () => {
    const studio = await registerStudio(proxied, 'Proxied');
    await proxied.http().post('/api/v1/clients').set('host', 'internal:3000').set('x-forwarded-proto', 'https').set('x-forwarded-host', 'studio.example')
      .set('origin', 'https://studio.example').set('cookie', studio.cookie).send({ name: 'via proxy' }).expect(201);
    const res = await proxied.http().post('/api/v1/clients').set('host', 'internal:3000').set('x-forwarded-proto', 'https').set('x-forwarded-host', 'studio.example')
      .set('origin', 'http://internal:3000').set('cookie', studio.cookie).send({ name: 'not the public origin' });
    expect(res.status).toBe(403);
  });
});
