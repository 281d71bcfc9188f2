import { createHmac } from 'node:crypto';
import { NotificationDispatcher } from '../src/notifications/notification-dispatcher.service.js';
import { WebhookDeliveryWorker } from '../src/webhooks/webhook-delivery.worker.js';
import { at, bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { eventually } from './support/sse-client.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { StudioSweep } from '../src/jobs/studio-sweep.service.js';
import { type Receiver, startReceiver } from './support/webhook-receiver.js';

/**
 * Issue 13, webhooks: from the outbox to a real receiver on 127.0.0.1. Signed bodies, the event filter,
 * retries that stop at the first success, a stalled receiver that delays no other, exactly one delivery
 * per event and endpoint however many dispatch runs race, give-up after the retry window, and an endpoint
 * failing for 3 days disabled with its managers told.
 */
describe('webhooks: delivery', () => {
  let t: TestApp;
  let s: BookingStudio;
  let dispatcher: NotificationDispatcher;
  let worker: WebhookDeliveryWorker;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    t = await createTestApp({ WEBHOOKS_TIMEOUT_MS: '20000' });
    s = await bookingStudio(t, 'Hooks');
    dispatcher = t.app.get(NotificationDispatcher);
    worker = t.app.get(WebhookDeliveryWorker);
  });
  afterEach(async () => {
    await worker.drain();
    for (const r of receivers.splice(0)) await r.close();
    await s.db.query(`DELETE FROM webhook_endpoints`);
  });
  afterAll(async () => {
    await s?.close();
    await t?.close();
  });

  const receiver = async (respond?: Parameters<typeof startReceiver>[0]) => {
    const r = await startReceiver(respond);
    receivers.push(r);
    return r;
  };
  const endpoint = async (url: string, events: string[] = ['*']) =>
    (await s.api.post('/api/v1/webhook-endpoints').send({ url, events }).expect(201)).body as { id: string; secret: string };
  /** An event as a service records it (the outbox), then one dispatch and every attempt it leads to. */
  const raise = async (type = 'booking.created', payload: object = { title: 'Mix' }) =>
    (await s.db.query(`INSERT INTO outbox (type, subject_type, subject_id, payload) VALUES ($1, 'booking', gen_random_uuid(), $2) RETURNING id::text`, [type, JSON.stringify(payload)])).rows[0].id as string;
  const deliver = async () => {
    await dispatcher.dispatch(s.organizationId);
    await worker.drain();
  };
  /** Makes every scheduled retry due now and runs it. */
  const retryNow = async () => {
    await s.db.query(`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE status IN ('pending', 'failed')`);
    worker.kick(s.organizationId);
    await worker.drain();
  };
  const deliveriesOf = async (endpointId: string) =>
    (await s.db.query(`SELECT status, attempt_count, last_response_code, last_duration_ms, last_error, next_attempt_at, event_type FROM webhook_deliveries WHERE endpoint_id = $1`, [endpointId])).rows;

  it('a booking made through the API reaches a matching endpoint, signed over timestamp.body; a filtered-out endpoint gets nothing', async () => {
    const all = await receiver();
    const invoicesOnly = await receiver();
    const hook = await endpoint(all.url, ['*']);
    await endpoint(invoicesOnly.url, ['invoice.paid']);
    const roomId = await s.room();
    const clientId = await s.client();
    const booking = await s.api.post('/api/v1/bookings').send({ clientId, roomId, title: 'Album tracking', startsAt: at(10), endsAt: at(12) }).expect(201);
    await eventually('the delivery', () => all.received.length === 1);
    await worker.drain();
    const [got] = all.received;
    const message = JSON.parse(got.body);
    expect(message).toMatchObject({ type: 'booking.created', data: { subjectType: 'booking', subjectId: booking.body.id, title: 'Album tracking' } });
    expect(message.id).toMatch(/^evt_\d+$/);
    expect(new Date(message.createdAt).toISOString()).toBe(message.createdAt);
    const [delivery] = (await s.db.query(`SELECT id FROM webhook_deliveries WHERE endpoint_id = $1`, [hook.id])).rows;
    expect(got.headers['webhook-id']).toBe(delivery.id);
    const ts = got.headers['webhook-timestamp'] as string;
    const expected = createHmac('sha256', hook.secret).update(`${ts}.${got.body}`).digest('hex');
    expect(got.headers['webhook-signature']).toBe(`t=${ts},v1=${expected}`);
    expect(got.headers['content-type']).toBe('application/json');
    expect(await deliveriesOf(hook.id)).toEqual([expect.objectContaining({ status: 'succeeded', attempt_count: 1, last_response_code: 200, last_error: null, next_attempt_at: null })]);
    expect((await deliveriesOf(hook.id))[0].last_duration_ms).toEqual(expect.any(Number));
    expect(invoicesOnly.received).toEqual([]);
    // The filter lets its own type through.
    await raise('invoice.paid', { number: 'INV-1' });
    await deliver();
    expect(invoicesOnly.received.map((r) => JSON.parse(r.body).type)).toEqual(['invoice.paid']);
  });

  it('internal events (announcements) never leave the studio, even to a `*` endpoint', async () => {
    const r = await receiver();
    await endpoint(r.url, ['*']);
    await raise('announcement', { title: 'Staff only' });
    await deliver();
    expect(r.received).toEqual([]);
  });

  it('a failing receiver is retried with backoff, with the same id and body, until its first success; then never again', async () => {
    const r = await receiver((n) => (n <= 2 ? 500 : 204));
    const hook = await endpoint(r.url);
    await raise();
    await deliver();
    let [d] = await deliveriesOf(hook.id);
    expect(d).toMatchObject({ status: 'failed', attempt_count: 1, last_response_code: 500, last_error: 'HTTP 500' });
    // About a minute later (1 min ± 20 %), not now.
    expect(new Date(d.next_attempt_at).getTime()).toBeGreaterThan(Date.now() + 30_000);
    expect((await s.db.query(`SELECT failing_since FROM webhook_endpoints WHERE id = $1`, [hook.id])).rows[0].failing_since).not.toBeNull();
    await retryNow();
    [d] = await deliveriesOf(hook.id);
    expect(d).toMatchObject({ status: 'failed', attempt_count: 2 });
    await retryNow();
    [d] = await deliveriesOf(hook.id);
    expect(d).toMatchObject({ status: 'succeeded', attempt_count: 3, last_response_code: 204, next_attempt_at: null });
    expect((await s.db.query(`SELECT failing_since FROM webhook_endpoints WHERE id = $1`, [hook.id])).rows[0].failing_since).toBeNull();
    await retryNow();
    await retryNow();
    expect(r.received).toHaveLength(3);
    expect(new Set(r.received.map((x) => x.headers['webhook-id'])).size).toBe(1);
    expect(new Set(r.received.map((x) => x.body)).size).toBe(1);
  });

  it('a failed attempt wakes its studio for the retry time; the studio sweep then retries it (issue 14)', async () => {
    const r = await receiver((n) => (n <= 1 ? 500 : 204));
    const hook = await endpoint(r.url);
    const sweep = t.app.get(StudioSweep);
    const hintVsRetry = async (retryAt: Date) => {
      const [wake] = (await t.control.query(`SELECT due_at FROM studio_wakeups WHERE organization_id = $1`, [s.organizationId])).rows;
      return Math.abs(new Date(wake.due_at).getTime() - retryAt.getTime());
    };
    await sweep.run(); // the studio's hint: nothing due for a while
    await raise('quote.sent', { number: 'Q-2026-0001' }); // not a booking event: only the failure wakes the studio
    await deliver();
    const [d] = await deliveriesOf(hook.id);
    expect(d).toMatchObject({ status: 'failed', attempt_count: 1 });
    expect(await hintVsRetry(new Date(d.next_attempt_at))).toBeLessThan(2_000);
    // A visit for another reason reads the retry time back as the studio's next work.
    await t.control.query(`UPDATE studio_wakeups SET due_at = now() WHERE organization_id = $1`, [s.organizationId]);
    await sweep.run();
    expect(await hintVsRetry(new Date(d.next_attempt_at))).toBeLessThan(2_000);
    // Time passes: the retry and the studio's hint come due; the per-minute sweep sends it.
    await s.db.query(`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE endpoint_id = $1`, [hook.id]);
    await t.control.query(`UPDATE studio_wakeups SET due_at = now() WHERE organization_id = $1`, [s.organizationId]);
    await sweep.run();
    await worker.drain();
    expect((await deliveriesOf(hook.id))[0]).toMatchObject({ status: 'succeeded', attempt_count: 2 });
    expect(r.received).toHaveLength(2);
  });

  it('a disabled endpoint\'s waiting deliveries do not keep its studio due; enabling it again sends them at once (issue 14)', async () => {
    const r = await receiver(() => 500);
    const hook = await endpoint(r.url);
    const sweep = t.app.get(StudioSweep);
    await raise('quote.sent', { number: 'Q-2026-0002' });
    await deliver();
    await s.api.patch(`/api/v1/webhook-endpoints/${hook.id}`).send({ enabled: false }).expect(200);
    await s.db.query(`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE endpoint_id = $1`, [hook.id]);
    await t.control.query(`UPDATE studio_wakeups SET due_at = now() WHERE organization_id = $1`, [s.organizationId]);
    await sweep.run();
    await worker.drain();
    const [wake] = (await t.control.query(`SELECT extract(epoch FROM due_at - now())::float AS in_seconds FROM studio_wakeups WHERE organization_id = $1`, [s.organizationId])).rows;
    expect(wake.in_seconds).toBeGreaterThan(60); // not due every minute for good
    expect(r.received).toHaveLength(1);
    await s.api.patch(`/api/v1/webhook-endpoints/${hook.id}`).send({ enabled: true }).expect(200);
    await eventually('the waiting delivery sent', () => r.received.length === 2);
  });

  it('a receiver that never answers does not delay a healthy one, nor the events after it', async () => {
    const stalled = await receiver((n) => (n === 1 ? 'hang' : 200)); // the first request hangs until released
    const slow = await endpoint(stalled.url);
    await raise();
    await dispatcher.dispatch(s.organizationId);
    await eventually('the stalled receiver holds its request', () => stalled.open === 1);
    // Added while that attempt hangs: the next event must not wait behind it.
    const healthy = await receiver();
    const fine = await endpoint(healthy.url);
    await raise();
    await dispatcher.dispatch(s.organizationId);
    await eventually('the healthy delivery succeeded', async () => (await deliveriesOf(fine.id))[0]?.status === 'succeeded');
    expect(healthy.received).toHaveLength(1);
    expect(stalled.open).toBe(1); // still waiting for its answer
    expect((await deliveriesOf(slow.id)).map((d) => d.status)).toContain('pending');
    stalled.release();
    await worker.drain();
    expect((await deliveriesOf(slow.id)).map((d) => d.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('a redelivery while an attempt is in flight is a 409 and sends nothing more; after the answer it sends again', async () => {
    const held = await receiver((n) => (n === 1 ? 'hang' : 200));
    const ep = await endpoint(held.url);
    await raise();
    await dispatcher.dispatch(s.organizationId);
    await eventually('the receiver holds the first request', () => held.open === 1);
    const [{ id }] = (await s.db.query(`SELECT id FROM webhook_deliveries WHERE endpoint_id = $1`, [ep.id])).rows;
    const before = await s.db.query(`SELECT status, attempt_count, next_attempt_at, leased_until FROM webhook_deliveries WHERE id = $1`, [id]);
    const refused = await s.api.post(`/api/v1/webhook-deliveries/${id}/redeliver`).expect(409);
    expect(refused.body).toMatchObject({ type: expect.stringMatching(/webhook-delivery-in-flight$/), status: 409 });
    // Nothing written, and no second request while the first is held (the worker is woken to try).
    expect((await s.db.query(`SELECT status, attempt_count, next_attempt_at, leased_until FROM webhook_deliveries WHERE id = $1`, [id])).rows).toEqual(before.rows);
    worker.kick(s.organizationId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(held.received).toHaveLength(1);
    held.release();
    await worker.drain();
    expect(await deliveriesOf(ep.id)).toMatchObject([{ status: 'succeeded', attempt_count: 1 }]);
    expect((await s.db.query(`SELECT leased_until FROM webhook_deliveries WHERE id = $1`, [id])).rows).toEqual([{ leased_until: null }]);
    // Its outcome recorded, the delivery may be sent again: same Webhook-Id.
    await s.api.post(`/api/v1/webhook-deliveries/${id}/redeliver`).expect(202);
    await worker.drain();
    expect(held.received.map((r) => r.headers['webhook-id'])).toEqual([id, id]);
  });

  it('exactly one delivery per event and endpoint, with two dispatch runs at once and after a re-dispatch', async () => {
    const r = await receiver();
    const one = await endpoint(r.url);
    const two = await endpoint(r.url, ['booking.created']);
    dispatcher.paused = true; // no kick on commit: the two runs below are the only ones
    try {
      for (let i = 0; i < 40; i++) await raise('booking.created', { title: `Take ${i}` });
      await Promise.all([dispatcher.dispatch(s.organizationId), dispatcher.dispatch(s.organizationId)]);
      // A dispatcher that crashed after the fan-out but before its commit was recorded would dispatch again.
      await s.db.query(`UPDATE outbox SET dispatched_at = NULL WHERE type = 'booking.created' AND payload->>'title' LIKE 'Take %'`);
      await dispatcher.dispatch(s.organizationId);
    } finally {
      dispatcher.paused = false;
    }
    await worker.drain();
    const counts = (await s.db.query(`SELECT endpoint_id, count(*)::int AS n, count(DISTINCT event_id)::int AS events FROM webhook_deliveries GROUP BY endpoint_id`)).rows;
    expect(counts).toEqual(expect.arrayContaining([{ endpoint_id: one.id, n: 40, events: 40 }, { endpoint_id: two.id, n: 40, events: 40 }]));
    expect(r.received).toHaveLength(80);
  });

  it('gives up (abandoned) when the next retry would fall after the 3-day window', async () => {
    const r = await receiver(() => 503);
    const hook = await endpoint(r.url);
    await raise();
    await deliver();
    await s.db.query(`UPDATE webhook_deliveries SET give_up_at = now() + interval '10 seconds' WHERE endpoint_id = $1`, [hook.id]);
    await retryNow();
    expect(await deliveriesOf(hook.id)).toEqual([expect.objectContaining({ status: 'abandoned', attempt_count: 2, next_attempt_at: null, last_response_code: 503 })]);
    await retryNow();
    expect(r.received).toHaveLength(2);
  });

  it('an endpoint failing for 3 days is disabled, its queue abandoned, and the managers are told; one failing for 2 days is not', async () => {
    const down = await receiver(() => 500);
    const dead = await endpoint(down.url);
    const shaky = await endpoint(down.url);
    const admin = await s.member('admin');
    await raise();
    await deliver();
    await s.db.query(`UPDATE webhook_endpoints SET failing_since = now() - interval '3 days 1 minute' WHERE id = $1`, [dead.id]);
    await s.db.query(`UPDATE webhook_endpoints SET failing_since = now() - interval '2 days' WHERE id = $1`, [shaky.id]);
    await raise('booking.changed'); // fails too, and waits for its retry: abandoned with the endpoint
    await deliver();
    // The first event's retry is due: the 3-day endpoint fails once more and is disabled.
    await s.db.query(`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE event_type = 'booking.created'`);
    worker.kick(s.organizationId);
    await worker.drain();
    const endpoints = (await s.db.query(`SELECT id, enabled, disabled_reason FROM webhook_endpoints ORDER BY enabled`)).rows;
    expect(endpoints).toEqual([
      { id: dead.id, enabled: false, disabled_reason: expect.stringMatching(/^Failing since \d{4}-/) },
      { id: shaky.id, enabled: true, disabled_reason: null },
    ]);
    expect((await deliveriesOf(dead.id)).map((d) => d.status).sort()).toEqual(['abandoned', 'abandoned']);
    await eventually('the disabled event dispatched', async () => (await s.count('outbox', `type = 'webhook.endpoint_disabled' AND dispatched_at IS NOT NULL`)) === 1);
    const told = await s.db.query(`SELECT recipient_user_id, title FROM notifications WHERE type = 'webhook.endpoint_disabled'`);
    expect(told.rows.map((r: { recipient_user_id: string }) => r.recipient_user_id).sort()).toEqual([admin, s.userId].sort());
    // The endpoint's origin only: a token in its path or query stays in the endpoint row.
    expect(told.rows[0].title).toBe(`Webhook endpoint ${new URL(down.url).origin} disabled after 3 days of failures`);
    expect(await s.count('audit_log', `action = 'webhook_endpoint.disabled' AND target_id = '${dead.id}' AND actor_type = 'system'`)).toBe(1);
    // The still-enabled endpoint (2 days) hears of it too ('*'); the disabled one does not.
    await worker.drain();
    const before = down.received.length;
    await raise();
    await deliver();
    expect(down.received.length).toBe(before + 1);
  });
});
