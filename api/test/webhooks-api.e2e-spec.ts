import type pg from 'pg';
import { WebhookDeliveryWorker } from '../src/webhooks/webhook-delivery.worker.js';
import { bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { connectTenantDatabase, createTestApp, type TestApp } from './support/test-app.js';
import { type Receiver, startReceiver } from './support/webhook-receiver.js';

const PROBLEM = /^application\/problem\+json/;
const NO_SUCH = '00000000-0000-4000-8000-000000000000';

/**
 * Issue 13, webhooks: the admin API. Create (secret once), list/get (never the secret), change, roll the
 * secret, delete; test pings, the delivery log and redelivery; audit entries; bad input on every route
 * (a 400 problem that writes nothing); another studio's endpoints and deliveries (404); concurrent PATCHes.
 */
describe('webhooks: admin API', () => {
  let t: TestApp;
  let s: BookingStudio;
  let other: BookingStudio;
  let worker: WebhookDeliveryWorker;
  let r: Receiver;

  beforeAll(async () => {
    t = await createTestApp();
    s = await bookingStudio(t, 'Hook API');
    other = await bookingStudio(t, 'Hook Other');
    worker = t.app.get(WebhookDeliveryWorker);
    r = await startReceiver();
  });
  afterAll(async () => {
    await worker?.drain();
    await r?.close();
    await s?.close();
    await other?.close();
    await t?.close();
  });

  const create = async (studio = s, body: object = { url: r.url, events: ['*'] }) => (await studio.api.post('/api/v1/webhook-endpoints').send(body).expect(201)).body;
  const audits = async (action: string, id: string) => s.count('audit_log', `action = '${action}' AND target_id = '${id}'`);

  it('creates an endpoint with its secret shown once; reads never show it; every write is audited', async () => {
    const created = await create(s, { url: r.url, description: 'Accounting sync', events: ['invoice.paid', 'payment.recorded'] });
    expect(created).toMatchObject({ url: r.url, description: 'Accounting sync', events: ['invoice.paid', 'payment.recorded'], enabled: true, disabledReason: null, failingSince: null });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.secretHint).toBe(`whsec_…${created.secret.slice(-4)}`);
    const got = await s.api.get(`/api/v1/webhook-endpoints/${created.id}`).expect(200);
    const list = await s.api.get('/api/v1/webhook-endpoints').expect(200);
    for (const shown of [got.body, list.body.items.find((e: { id: string }) => e.id === created.id)]) {
      expect(shown).not.toHaveProperty('secret');
      expect(JSON.stringify(shown)).not.toContain(created.secret);
    }
    expect(await audits('webhook_endpoint.created', created.id)).toBe(1);
    const changed = await s.api.patch(`/api/v1/webhook-endpoints/${created.id}`).send({ events: ['*'], enabled: false }).expect(200);
    expect(changed.body).toMatchObject({ events: ['*'], enabled: false, description: 'Accounting sync', url: r.url });
    expect(await audits('webhook_endpoint.updated', created.id)).toBe(1);
    const rolled = await s.api.post(`/api/v1/webhook-endpoints/${created.id}/roll-secret`).expect(200);
    expect(rolled.body.secret).toMatch(/^whsec_/);
    expect(rolled.body.secret).not.toBe(created.secret);
    expect((await s.db.query(`SELECT secret FROM webhook_endpoints WHERE id = $1`, [created.id])).rows[0].secret).toBe(rolled.body.secret);
    expect(await audits('webhook_endpoint.secret_rolled', created.id)).toBe(1);
    expect(JSON.stringify((await s.db.query(`SELECT details FROM audit_log WHERE target_id = $1`, [created.id])).rows)).not.toContain('whsec_');
    // Audit entries keep the URL's origin, never its path or query (where receivers put tokens).
    expect(JSON.stringify((await s.db.query(`SELECT details FROM audit_log WHERE target_id = $1`, [created.id])).rows)).not.toContain(new URL(r.url).pathname);
    await s.api.delete(`/api/v1/webhook-endpoints/${created.id}`).expect(204);
    await s.api.get(`/api/v1/webhook-endpoints/${created.id}`).expect(404);
    expect(await audits('webhook_endpoint.deleted', created.id)).toBe(1);
  });

  it('a test ping is delivered and logged; redelivery sends the same delivery again; a disabled endpoint refuses both (409)', async () => {
    const hook = await create();
    const ping = await s.api.post(`/api/v1/webhook-endpoints/${hook.id}/test`).expect(202);
    expect(ping.body).toMatchObject({ endpointId: hook.id, eventType: 'ping', status: 'pending', messageId: `ping_${ping.body.id}` });
    await worker.drain();
    const log = await s.api.get(`/api/v1/webhook-endpoints/${hook.id}/deliveries`).expect(200);
    expect(log.body.items).toEqual([expect.objectContaining({ id: ping.body.id, status: 'succeeded', attemptCount: 1, lastResponseCode: 200, lastError: null, lastDurationMs: expect.any(Number) })]);
    const sent = r.received.filter((x) => x.headers['webhook-id'] === ping.body.id);
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0].body)).toMatchObject({ id: `ping_${ping.body.id}`, type: 'ping' });
    expect(await audits('webhook_endpoint.tested', hook.id)).toBe(1);

    const again = await s.api.post(`/api/v1/webhook-deliveries/${ping.body.id}/redeliver`).expect(202);
    expect(again.body).toMatchObject({ id: ping.body.id, status: 'pending' });
    await worker.drain();
    const resent = r.received.filter((x) => x.headers['webhook-id'] === ping.body.id);
    expect(resent).toHaveLength(2);
    expect(resent[1].body).toBe(resent[0].body);
    expect((await s.api.get(`/api/v1/webhook-endpoints/${hook.id}/deliveries`).expect(200)).body.items[0]).toMatchObject({ status: 'succeeded', attemptCount: 2 });
    expect(await audits('webhook_delivery.redelivered', ping.body.id)).toBe(1);

    await s.api.patch(`/api/v1/webhook-endpoints/${hook.id}`).send({ enabled: false }).expect(200);
    const refused = await s.api.post(`/api/v1/webhook-deliveries/${ping.body.id}/redeliver`).expect(409);
    expect(refused.body.type).toMatch(/webhook-endpoint-disabled$/);
    await s.api.post(`/api/v1/webhook-endpoints/${hook.id}/test`).expect(409);
  });

  it('the delivery log pages newest first with a cursor', async () => {
    const hook = await create();
    for (let i = 0; i < 3; i++) await s.api.post(`/api/v1/webhook-endpoints/${hook.id}/test`).expect(202);
    await worker.drain();
    const first = await s.api.get(`/api/v1/webhook-endpoints/${hook.id}/deliveries?limit=2`).expect(200);
    expect(first.body.items).toHaveLength(2);
    const second = await s.api.get(`/api/v1/webhook-endpoints/${hook.id}/deliveries?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body).toMatchObject({ items: [expect.any(Object)], nextCursor: null });
    const all = [...first.body.items, ...second.body.items];
    expect(new Set(all.map((d: { id: string }) => d.id)).size).toBe(3);
    expect(all.map((d: { createdAt: string }) => d.createdAt)).toEqual(all.map((d: { createdAt: string }) => d.createdAt).sort().reverse());
  });

  it.each([
    ['no url', { events: ['*'] }],
    ['an ftp url', { url: 'ftp://hooks.test/x', events: ['*'] }],
    ['a url without scheme', { url: 'hooks.test/x', events: ['*'] }],
    ['a url with credentials', { url: 'https://user:pass@hooks.test/x', events: ['*'] }],
    ['a url too long', { url: `https://hooks.test/${'a'.repeat(2040)}`, events: ['*'] }],
    ['no events', { url: 'https://hooks.test/x' }],
    ['an empty filter', { url: 'https://hooks.test/x', events: [] }],
    ['an unknown event type', { url: 'https://hooks.test/x', events: ['booking.exploded'] }],
    ['a repeated event type', { url: 'https://hooks.test/x', events: ['invoice.paid', 'invoice.paid'] }],
    ['events not a list', { url: 'https://hooks.test/x', events: '*' }],
    ['a description too long', { url: 'https://hooks.test/x', events: ['*'], description: 'd'.repeat(501) }],
    ['enabled not a boolean', { url: 'https://hooks.test/x', events: ['*'], enabled: 'yes' }],
    ['an unknown field', { url: 'https://hooks.test/x', events: ['*'], secret: 'whsec_mine' }],
  ])('create with %s: 400 problem, nothing written', async (_label, body) => {
    const before = [await s.count('webhook_endpoints'), await s.count('audit_log')];
    const res = await s.api.post('/api/v1/webhook-endpoints').send(body).expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect([await s.count('webhook_endpoints'), await s.count('audit_log')]).toEqual(before);
  });

  it('bad input on every other route: 400 problem, nothing written', async () => {
    const hook = await create();
    const snapshot = async () => [await s.count('webhook_endpoints'), await s.count('webhook_deliveries'), await s.count('audit_log'), (await s.db.query(`SELECT url, events, secret, enabled FROM webhook_endpoints WHERE id = $1`, [hook.id])).rows[0]];
    const before = await snapshot();
    const bad = [
      s.api.get('/api/v1/webhook-endpoints?limit=0'),
      s.api.get('/api/v1/webhook-endpoints?cursor=not-a-cursor'),
      s.api.get('/api/v1/webhook-endpoints/not-a-uuid'),
      s.api.patch('/api/v1/webhook-endpoints/not-a-uuid').send({ enabled: false }),
      s.api.patch(`/api/v1/webhook-endpoints/${hook.id}`).send({ url: 'gopher://x.test' }),
      s.api.patch(`/api/v1/webhook-endpoints/${hook.id}`).send({ events: [] }),
      s.api.patch(`/api/v1/webhook-endpoints/${hook.id}`).send({ events: ['nope'] }),
      s.api.patch(`/api/v1/webhook-endpoints/${hook.id}`).send({ enabled: 'no' }),
      s.api.patch(`/api/v1/webhook-endpoints/${hook.id}`).send({ secret: 'whsec_mine' }),
      s.api.delete('/api/v1/webhook-endpoints/not-a-uuid'),
      s.api.post('/api/v1/webhook-endpoints/not-a-uuid/roll-secret'),
      s.api.post('/api/v1/webhook-endpoints/not-a-uuid/test'),
      s.api.get('/api/v1/webhook-endpoints/not-a-uuid/deliveries'),
      s.api.get(`/api/v1/webhook-endpoints/${hook.id}/deliveries?limit=101`),
      s.api.get(`/api/v1/webhook-endpoints/${hook.id}/deliveries?cursor=%%%`),
      s.api.post('/api/v1/webhook-deliveries/not-a-uuid/redeliver'),
    ];
    for (const [i, res] of (await Promise.all(bad)).entries()) {
      expect({ i, status: res.status }).toEqual({ i, status: 400 });
      expect(res.headers['content-type']).toMatch(PROBLEM);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("another studio's endpoints and deliveries are 404 on every route and absent from lists; nothing of theirs changes", async () => {
    const theirs = await create(other);
    const theirPing = (await other.api.post(`/api/v1/webhook-endpoints/${theirs.id}/test`).expect(202)).body;
    await worker.drain();
    const snapshot = async () => (await other.db.query(`SELECT e.url, e.secret, e.enabled, d.status, d.attempt_count FROM webhook_endpoints e JOIN webhook_deliveries d ON d.endpoint_id = e.id`)).rows;
    const before = await snapshot();
    const tries = [
      s.api.get(`/api/v1/webhook-endpoints/${theirs.id}`),
      s.api.patch(`/api/v1/webhook-endpoints/${theirs.id}`).send({ enabled: false }),
      s.api.delete(`/api/v1/webhook-endpoints/${theirs.id}`),
      s.api.post(`/api/v1/webhook-endpoints/${theirs.id}/roll-secret`),
      s.api.post(`/api/v1/webhook-endpoints/${theirs.id}/test`),
      s.api.get(`/api/v1/webhook-endpoints/${theirs.id}/deliveries`),
      s.api.post(`/api/v1/webhook-deliveries/${theirPing.id}/redeliver`),
      s.api.get(`/api/v1/webhook-endpoints/${NO_SUCH}`),
      s.api.post(`/api/v1/webhook-deliveries/${NO_SUCH}/redeliver`),
    ];
    for (const [i, res] of (await Promise.all(tries)).entries()) {
      expect({ i, status: res.status }).toEqual({ i, status: 404 });
      expect(res.headers['content-type']).toMatch(PROBLEM);
    }
    const mine = await s.api.get('/api/v1/webhook-endpoints?limit=100').expect(200);
    expect(mine.body.items.map((e: { id: string }) => e.id)).not.toContain(theirs.id);
    expect(await snapshot()).toEqual(before);
  });

  it('concurrent PATCHes of different fields, queued on the row lock, all stick', async () => {
    const hook = await create();
    const locker: pg.Client = await connectTenantDatabase(t, s.organizationId);
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM webhook_endpoints WHERE id = $1 FOR UPDATE', [hook.id]);
    const changes = [{ description: 'After' }, { events: ['booking.created'] }, { enabled: false }, { url: `${r.url}?v=2` }];
    const pending = changes.map((c) => s.api.patch(`/api/v1/webhook-endpoints/${hook.id}`).send(c).then((res) => res));
    await new Promise((resolve) => setTimeout(resolve, 300)); // every PATCH waits on the lock
    await locker.query('COMMIT');
    await locker.end();
    for (const res of await Promise.all(pending)) expect(res.status).toBe(200);
    expect((await s.api.get(`/api/v1/webhook-endpoints/${hook.id}`).expect(200)).body).toMatchObject(Object.assign({}, ...changes));
  });
});

/** SSRF: with WEBHOOKS_ALLOW_PRIVATE_URLS=false (production's default), private targets are refused at creation and at send. */
describe('webhooks: private addresses refused (WEBHOOKS_ALLOW_PRIVATE_URLS=false)', () => {
  let t: TestApp;
  let s: BookingStudio;
  let r: Receiver;

  beforeAll(async () => {
    t = await createTestApp({ WEBHOOKS_ALLOW_PRIVATE_URLS: 'false' });
    s = await bookingStudio(t, 'Hook SSRF');
    r = await startReceiver();
  });
  afterAll(async () => {
    await r?.close();
    await s?.close();
    await t?.close();
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://[::1]/hook',
    'http://10.1.2.3/hook',
    'http://172.20.0.5/hook',
    'http://192.168.1.10/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://100.64.0.1/hook',
    'http://0.0.0.0/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[fd00::1]/hook',
    'http://[fe80::1]/hook',
    'http://[::ffff:7f00:1]/hook',
    'http://[64:ff9b::a00:1]/hook', // NAT64 of 10.0.0.1
    'http://[::127.0.0.1]/hook', // IPv4-compatible (deprecated) form of 127.0.0.1
    'http://[2002:7f00:1::1]/hook', // 6to4 of 127.0.0.1
  ])('create and change to %s: 400 webhook-url-private, nothing written', async (url) => {
    const before = [await s.count('webhook_endpoints'), await s.count('audit_log')];
    const res = await s.api.post('/api/v1/webhook-endpoints').send({ url, events: ['*'] }).expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.type).toMatch(/webhook-url-private$/);
    expect([await s.count('webhook_endpoints'), await s.count('audit_log')]).toEqual(before);
  });

  it('a public address is accepted; changing it to a private one is refused', async () => {
    const created = await s.api.post('/api/v1/webhook-endpoints').send({ url: 'https://93.184.215.14/hook', events: ['*'] }).expect(201);
    const res = await s.api.patch(`/api/v1/webhook-endpoints/${created.body.id}`).send({ url: 'http://127.0.0.1/hook' }).expect(400);
    expect(res.body.type).toMatch(/webhook-url-private$/);
    expect((await s.db.query(`SELECT url FROM webhook_endpoints WHERE id = $1`, [created.body.id])).rows[0].url).toBe('https://93.184.215.14/hook');
  });

  it('at send: an endpoint whose host is (now) private is not connected to; the attempt is logged as refused', async () => {
    // As if DNS had changed since the endpoint was created: written behind the API's back.
    const urls = [r.url, `http://localhost:${r.port}/hook`];
    for (const url of urls) await s.db.query(`INSERT INTO webhook_endpoints (url, events, secret) VALUES ($1, '{*}', 'whsec_test')`, [url]);
    const worker = t.app.get(WebhookDeliveryWorker);
    const ids = (await s.db.query(`SELECT id FROM webhook_endpoints WHERE url = ANY($1)`, [urls])).rows;
    for (const { id } of ids) await s.api.post(`/api/v1/webhook-endpoints/${id}/test`).expect(202);
    await worker.drain();
    expect(r.received).toEqual([]);
    const logged = (await s.db.query(`SELECT status, last_response_code, last_error FROM webhook_deliveries WHERE endpoint_id = ANY($1)`, [ids.map((i: { id: string }) => i.id)])).rows;
    expect(logged).toEqual([
      { status: 'failed', last_response_code: null, last_error: expect.stringMatching(/^refused: .* is a private address$/) },
      { status: 'failed', last_response_code: null, last_error: expect.stringMatching(/^refused: .* is a private address$/) },
    ]);
  });
});
