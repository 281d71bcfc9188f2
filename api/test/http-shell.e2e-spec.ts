import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestApp, registerStudio, type TestApp } from './support/test-app.js';

// RSM_REPO_ROOT: set by `npm run mutate`, whose Stryker sandbox holds a copy of api/ only.
const root = process.env.RSM_REPO_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('HTTP shell', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reports liveness and readiness', async () => {
    expect((await t.http().get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
    expect((await t.http().get('/health/ready').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('serves Swagger UI and the spec under /api/docs: the committed openapi.json, built on the first request', async () => {
    const ui = await t.http().get('/api/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger');
    const spec = await t.http().get('/api/docs/openapi.json').expect(200);
    expect(spec.body).toEqual(JSON.parse(readFileSync(resolve(root, 'openapi.json'), 'utf8')));
    expect((await t.http().get('/api/docs/openapi.json').expect(200)).body).toEqual(spec.body); // built once, served again
  });

  it('sends security headers and a request id (echoing a sane incoming one)', async () => {
    const res = await t.http().get('/health/live').set('x-request-id', 'lb-1234');
    expect(res.headers['x-request-id']).toBe('lb-1234');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
    const generated = await t.http().get('/health/live').set('x-request-id', 'bad id with spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown API route with a 404 problem carrying the request id', async () => {
    const res = await t.http().get('/api/v1/nope').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, title: 'Not Found', instance: '/api/v1/nope', requestId: res.headers['x-request-id'] });
  });

  it('exposes Prometheus metrics, and tenant connections carry the tenant id as application_name', async () => {
    const studio = await registerStudio(t, 'Metrics');
    await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
    const { rows } = await t.admin.query(`SELECT DISTINCT application_name FROM pg_stat_activity WHERE datname LIKE $1`, [
      `${t.config.tenancy.databasePrefix}%`,
    ]);
    expect(rows.map((r: { application_name: string }) => r.application_name)).toEqual([`rsm:${studio.organizationId}`]);
    const metrics = await t.http().get('/metrics').expect(200);
    for (const name of ['rsm_tenant_pools_open', 'rsm_tenant_connections_in_use', 'rsm_tenant_connections_waiting', 'rsm_tenant_pool_evictions_total', 'rsm_tenant_pool_cold_starts_total', 'rsm_tenant_lease_wait_seconds_bucket']) {
      expect(metrics.text).toContain(name);
    }
  });
});
