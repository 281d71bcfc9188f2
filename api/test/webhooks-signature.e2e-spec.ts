import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookDeliveryWorker } from '../src/webhooks/webhook-delivery.worker.js';
import { bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { type Receiver, startReceiver } from './support/webhook-receiver.js';

/**
 * Issue 13, webhooks: an integrator's receiver written from docs/webhooks.md alone ("Verifying a
 * delivery"): `verifyWebhook` below is the documentation's example, copied as it stands. It accepts what
 * the API sends and refuses a tampered body, an old timestamp, another secret and the secret before a roll.
 */

// ---- from docs/webhooks.md, verbatim (types added) ----
function verifyWebhook(secret: string, signatureHeader: string | undefined, rawBody: string | Buffer, toleranceSeconds = 300, now = Date.now()): boolean {
  const parts = Object.fromEntries(String(signatureHeader ?? '').split(',').map((p) => p.split('=', 2)));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || typeof parts.v1 !== 'string') return false;
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
// ---- end of the documentation's code ----

describe('webhooks: the documented signature recipe', () => {
  let t: TestApp;
  let s: BookingStudio;
  let r: Receiver;

  beforeAll(async () => {
    t = await createTestApp();
    s = await bookingStudio(t, 'Hook Sig');
    r = await startReceiver();
  });
  afterAll(async () => {
    await r?.close();
    await s?.close();
    await t?.close();
  });

  const ping = async (id: string) => {
    await s.api.post(`/api/v1/webhook-endpoints/${id}/test`).expect(202);
    await t.app.get(WebhookDeliveryWorker).drain();
    return r.received.at(-1)!;
  };

  it('verifies a real delivery, and refuses a tampered body, an old timestamp, another secret and a rolled-away secret', async () => {
    const endpoint = (await s.api.post('/api/v1/webhook-endpoints').send({ url: r.url, events: ['*'] }).expect(201)).body;
    const got = await ping(endpoint.id);
    const signature = got.headers['webhook-signature'] as string;
    expect(verifyWebhook(endpoint.secret, signature, got.body)).toBe(true);
    expect(verifyWebhook(endpoint.secret, signature, Buffer.from(got.body))).toBe(true);
    expect(got.headers['webhook-timestamp']).toBe(/t=(\d+)/.exec(signature)![1]);

    expect(verifyWebhook(endpoint.secret, signature, got.body.replace('"ping"', '"pong"'))).toBe(false);
    expect(verifyWebhook(endpoint.secret, signature, `${got.body} `)).toBe(false);
    expect(verifyWebhook(endpoint.secret, signature, got.body, 300, Date.now() + 6 * 60_000)).toBe(false); // replayed 6 minutes later
    expect(verifyWebhook(`${endpoint.secret}x`, signature, got.body)).toBe(false);
    expect(verifyWebhook(endpoint.secret, signature.replace(/t=\d+/, (m) => `t=${Number(m.slice(2)) + 1}`), got.body)).toBe(false);
    expect(verifyWebhook(endpoint.secret, undefined, got.body)).toBe(false);

    const rolled = (await s.api.post(`/api/v1/webhook-endpoints/${endpoint.id}/roll-secret`).expect(200)).body.secret as string;
    const after = await ping(endpoint.id);
    expect(verifyWebhook(rolled, after.headers['webhook-signature'] as string, after.body)).toBe(true);
    expect(verifyWebhook(endpoint.secret, after.headers['webhook-signature'] as string, after.body)).toBe(false);
  });
});
