import request from 'supertest';
import { createTestApp, type TestApp } from './support/test-app.js';

/** /metrics is for the monitoring network; /api/docs is documentation, public unless turned off. */
describe('operator endpoints', () => {
  const apps: TestApp[] = [];
  const app = async (env: Record<string, string>) => {
    const t = await createTestApp(env);
    apps.push(t);
    return t;
  };
  afterAll(async () => {
    for (const t of apps) await t.close();
  });

  const expectNotFoundProblem = (res: { status: number; headers: Record<string, string> }) => {
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  };

  it('with METRICS_TOKEN, /metrics on the main port needs that bearer token', async () => {
    const t = await app({ METRICS_TOKEN: 'scrape-token-0123456789' });
    const anonymous = await t.http().get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(anonymous.text).not.toContain('rsm_');
    expect((await t.http().get('/metrics').set('authorization', 'Bearer wrong-token-0123456789')).status).toBe(401);
    expect((await t.http().get('/metrics').set('authorization', 'Basic scrape-token-0123456789')).status).toBe(401);
    const ok = await t.http().get('/metrics').set('authorization', 'Bearer scrape-token-0123456789').expect(200);
    expect(ok.text).toContain('rsm_tenant_pools_open');
  });

  it('with METRICS_PORT, /metrics is served there only, not on the main port', async () => {
    const t = await app({ METRICS_PORT: '0' });
    expectNotFoundProblem(await t.http().get('/metrics'));
    const { MetricsServer } = await import('../src/metrics/metrics-server.js');
    const address = t.app.get(MetricsServer).address();
    expect(address).toBeTruthy();
    const res = await request(`http://127.0.0.1:${address!.port}`).get('/metrics').expect(200);
    expect(res.text).toContain('rsm_tenant_pools_open');
    await request(`http://127.0.0.1:${address!.port}`).get('/api/v1/clients').expect(404);
  });

  it('with METRICS_PORT and METRICS_TOKEN, the metrics port wants the token too', async () => {
    const token = 'metrics-token-0123456789';
    const t = await app({ METRICS_PORT: '0', METRICS_TOKEN: token });
    const { MetricsServer } = await import('../src/metrics/metrics-server.js');
    const base = `http://127.0.0.1:${t.app.get(MetricsServer).address()!.port}`;
    const refused = await request(base).get('/metrics').expect(401);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    await request(base).get('/metrics').set('authorization', 'Bearer metrics-token-0123456780').expect(401);
    expect((await request(base).get('/metrics').set('authorization', `Bearer ${token}`).expect(200)).text).toContain('rsm_tenant_pools_open');
  });

  it('in production with neither configured, /metrics is not served on the main port', async () => {
    const t = await app({ NODE_ENV: 'production', COOKIE_SECURE: 'false', PUBLIC_URL: 'http://127.0.0.1' });
    expectNotFoundProblem(await t.http().get('/metrics'));
  });

  it('in development and test with neither configured, /metrics stays open on the main port', async () => {
    const t = await app({});
    expect((await t.http().get('/metrics').expect(200)).text).toContain('rsm_tenant_pools_open');
  });

  it('/api/docs is public by default and gone with API_DOCS=false', async () => {
    const on = await app({});
    await on.http().get('/api/docs/openapi.json').expect(200);
    const off = await app({ API_DOCS: 'false' });
    expectNotFoundProblem(await off.http().get('/api/docs/openapi.json'));
    expectNotFoundProblem(await off.http().get('/api/docs'));
  });
});
