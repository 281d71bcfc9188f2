import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { StripeFakeError, invalid } from './errors.mjs';
import { parseForm } from './form.mjs';
import { newId } from './ids.mjs';
import { FakeBilling } from './billing.mjs';
import { checkoutPage, messagePage, onboardingPage, portalPage } from './pages.mjs';
import { FakeState } from './state.mjs';
import { WebhookSender } from './webhooks.mjs';

export { signatureHeader } from './signature.mjs';
export { parseForm } from './form.mjs';

/** The API version events are stamped with when the request did not name one (the stripe SDK 23's). */
const DEFAULT_API_VERSION = '2026-10-28.endive';
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Starts the local Stripe-compatible server on 127.0.0.1 (port 0: a free one) and resolves once it
 * listens. See README.md for what it implements.
 */
export async function startStripeFake(options = {}) {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address();
  const url = `http://${host}:${port}`;
  const state = new FakeState({ baseUrl: options.publicUrl ?? url, apiVersion: options.apiVersion ?? DEFAULT_API_VERSION });
  const billing = new FakeBilling(state);
  const webhooks = new WebhookSender({ platform: options.webhooks?.platform, connect: options.webhooks?.connect });
  const idempotency = new Map(); // "<account>:<key>" → { fingerprint, status, body }
  const log = options.log ?? (() => {});

  const fake = {
    url,
    port,
    state,
    webhooks,
    get events() {
      return state.events;
    },
    get deliveries() {
      return webhooks.deliveries;
    },
    /** Where webhooks go (e.g. once the API under test listens). */
    setWebhookEndpoint(kind, endpoint) {
      webhooks.endpoints[kind] = endpoint;
    },
    /** Pays an open session as the Pay button does; `deliver: false` keeps its events for deliver(). */
    async pay(sessionId, { deliver = true } = {}) {
      const entry = state.objects.get(sessionId);
      const subscriptionMode = entry?.object.object === 'checkout.session' && entry.object.mode === 'subscription';
      if (subscriptionMode && entry.object.status !== 'open') throw invalid(`This Checkout Session is ${entry.object.status}.`, null, 'checkout_session_not_open');
      const result = subscriptionMode ? billing.paySubscriptionSession(entry.object) : state.paySession(sessionId);
      return { ...result, deliveries: deliver ? await webhooks.deliverAll(result.events) : [] };
    },
    /** The subscription's renewal fails: past_due, with invoice.payment_failed and customer.subscription.updated. */
    async pastDue(subscriptionId, { deliver = true } = {}) {
      const result = billing.pastDue(subscriptionId);
      return { ...result, deliveries: deliver ? await webhooks.deliverAll(result.events) : [] };
    },
    /** The overdue invoice is paid: active again, with invoice.paid and customer.subscription.updated. */
    async payOverdue(subscriptionId, { deliver = true } = {}) {
      const result = billing.payOverdue(subscriptionId);
      return { ...result, deliveries: deliver ? await webhooks.deliverAll(result.events) : [] };
    },
    async cancelSubscription(subscriptionId, { deliver = true } = {}) {
      const result = billing.cancelSubscription(subscriptionId);
      return { ...result, deliveries: deliver ? await webhooks.deliverAll(result.events) : [] };
    },
    async completeAccount(accountId, { deliver = true } = {}) {
      const result = state.completeAccount(accountId);
      return { ...result, deliveries: deliver ? await webhooks.deliverAll(result.events) : [] };
    },
    async dispute(chargeId, { deliver = true } = {}) {
      const result = state.disputeCharge(chargeId);
      return { ...result, deliveries: deliver ? await webhooks.deliverAll(result.events) : [] };
    },
    /** Sends (again) an event by id: a replay, or a delivery in an order the test chooses. */
    async deliver(eventId) {
      const event = state.events.find((e) => e.id === eventId);
      if (!event) throw new StripeFakeError(404, 'invalid_request_error', `No such event: '${eventId}'`, { code: 'resource_missing' });
      return webhooks.deliver(event);
    },
    /** Creates and sends an arbitrary event (its object as given). */
    async sendEvent({ type, account, object }, { deliver = true } = {}) {
      const event = state.event(type, object ?? {}, account ?? null);
      return { event, delivery: deliver ? await webhooks.deliver(event) : null };
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };

  server.on('request', (req, res) => {
    handle(req, res).catch((err) => {
      if (err instanceof StripeFakeError) return sendJson(res, err.status, err.body);
      log(`stripe-fake: ${err?.stack ?? err}`);
      sendJson(res, 500, { error: { type: 'api_error', message: 'The fake failed: see its log.' } });
    });
  });

  async function handle(req, res) {
    const { pathname, searchParams } = new URL(req.url, url);
    const body = await readBody(req);
    const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (segments[0] === 'v1') return api(req, res, segments.slice(1), req.method === 'GET' ? parseForm(searchParams.toString()) : parseForm(body), body);
    if (segments[0] === 'checkout') return checkout(req, res, segments.slice(1));
    if (segments[0] === 'connect' && segments[1] === 'onboarding') return onboarding(req, res, segments[2]);
    if (segments[0] === 'billing_portal') return portal(req, res, segments.slice(1));
    if (segments[0] === '_fake') return controls(req, res, segments.slice(1), body);
    return sendJson(res, 404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${pathname}).` } });
  }

  // --- the API (/v1), as the official SDK calls it ---

  async function api(req, res, path, params, rawBody) {
    const auth = req.headers.authorization ?? '';
    if (!/^Bearer sk_(test|live)_\S+$/.test(auth) || (options.secretKey && auth !== `Bearer ${options.secretKey}`)) {
      return sendJson(res, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } });
    }
    const account = headerValue(req.headers['stripe-account']);
    if (account) state.get('account', account, null); // an unknown connected account is a 404 like Stripe's
    const key = req.method === 'POST' ? headerValue(req.headers['idempotency-key']) : null;
    const fingerprint = createHash('sha256').update(`${req.method} /${path.join('/')}\n${rawBody}`).digest('hex');
    const stored = key && idempotency.get(`${account ?? ''}:${key}`);
    if (stored) {
      if (stored.fingerprint !== fingerprint) {
        throw new StripeFakeError(400, 'idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`);
      }
      res.setHeader('idempotent-replayed', 'true');
      return sendJson(res, stored.status, stored.body);
    }
    let status = 200;
    let answer;
    let events = [];
    try {
      ({ answer, events = [] } = route(req.method, path, params, account));
    } catch (err) {
      if (!(err instanceof StripeFakeError)) throw err;
      status = err.status;
      answer = err.body;
    }
    // Stripe stores the first answer (errors included, except 5xx) and replays it for the same key.
    if (key) idempotency.set(`${account ?? ''}:${key}`, { fingerprint, status, body: answer });
    sendJson(res, status, answer);
    if (events.length) webhooks.deliverAll(events).catch((err) => log(`stripe-fake: delivery failed: ${err}`));
  }

  function route(method, path, params, account) {
    const [resource, id, action] = path;
    const is = (m, r, withId, act) => method === m && resource === r && Boolean(id) === withId && action === act;
    if (is('POST', 'accounts', false)) return { answer: state.createAccount(params) };
    if (is('GET', 'accounts', true)) return { answer: state.get('account', id, null) };
    if (is('POST', 'account_links', false)) return { answer: state.createAccountLink(params) };
    if (method === 'POST' && resource === 'checkout' && id === 'sessions' && path.length === 2) {
      return { answer: params.mode === 'subscription' ? billing.createSubscriptionSession(params, account) : state.createCheckoutSession(params, account) };
    }
    // Stripe Billing (platform account only)
    if (is('POST', 'customers', false)) return { answer: billing.createCustomer(params) };
    if (is('GET', 'customers', true)) return { answer: state.get('customer', id, account) };
    if (is('GET', 'prices', true)) return { answer: billing.price(id) };
    if (is('GET', 'subscriptions', true)) return { answer: state.get('subscription', id, account) };
    // Lists, filtered by customer and status as Stripe does (subscriptions: canceled ones only with status=all or =canceled).
    if (is('GET', 'subscriptions', false)) {
      const status = params.status ?? 'active_and_more';
      const keep = (s) => (status === 'all' ? true : status === 'active_and_more' ? s.status !== 'canceled' : s.status === status);
      return { answer: state.list('subscription', account, '/v1/subscriptions', (s) => (!params.customer || s.customer === params.customer) && keep(s), params.limit) };
    }
    if (method === 'GET' && resource === 'checkout' && id === 'sessions' && path.length === 2) {
      const keep = (s) => (!params.customer || s.customer === params.customer) && (!params.status || s.status === params.status);
      return { answer: state.list('checkout.session', account, '/v1/checkout/sessions', keep, params.limit) };
    }
    if (is('POST', 'subscriptions', true)) {
      state.get('subscription', id, account);
      const { subscription, events } = billing.updateSubscription(id, params);
      return { answer: subscription, events };
    }
    if (is('DELETE', 'subscriptions', true)) {
      state.get('subscription', id, account);
      const { subscription, events } = billing.cancelSubscription(id);
      return { answer: subscription, events };
    }
    if (is('GET', 'invoices', true)) return { answer: state.get('invoice', id, account) };
    if (method === 'POST' && resource === 'billing_portal' && id === 'sessions' && path.length === 2) {
      if (account) throw invalid('The Customer Portal is on the platform account.', null);
      return { answer: billing.createPortalSession(params) };
    }
    if (method === 'GET' && resource === 'checkout' && id === 'sessions' && path.length === 3) return { answer: state.get('checkout.session', path[2], account) };
    if (method === 'POST' && resource === 'checkout' && id === 'sessions' && path[3] === 'expire' && path.length === 4) {
      const { session, events } = state.expireCheckoutSession(path[2], account);
      return { answer: session, events };
    }
    if (is('GET', 'payment_intents', true)) return { answer: state.get('payment_intent', id, account) };
    if (is('GET', 'charges', true)) return { answer: state.get('charge', id, account) };
    if (is('POST', 'refunds', false)) {
      const { refund, events } = state.createRefund(params, account);
      return { answer: refund, events };
    }
    if (is('GET', 'events', true)) return { answer: findEvent(id) };
    throw new StripeFakeError(404, 'invalid_request_error', `Unrecognized request URL (${method}: /v1/${path.join('/')}). The local Stripe server does not implement it.`);
  }

  function findEvent(id) {
    const event = state.events.find((e) => e.id === id);
    if (!event) throw new StripeFakeError(404, 'invalid_request_error', `No such event: '${id}'`, { code: 'resource_missing' });
    return event;
  }

  // --- hosted pages ---

  async function checkout(req, res, [id, action]) {
    const entry = state.objects.get(id);
    if (!entry || entry.object.object !== 'checkout.session') return sendHtml(res, 404, messagePage('Not found', 'There is no such checkout session.'));
    const session = entry.object;
    if (req.method === 'GET' && !action) return sendHtml(res, 200, checkoutPage(session, state.pending.get(id).lineItems));
    if (req.method === 'POST' && action === 'pay') {
      if (session.status !== 'open') return sendHtml(res, 409, messagePage('Checkout', `This checkout session is ${session.status}.`));
      await fake.pay(id); // webhooks are delivered before the payer is sent back, so the API knows when the page loads
      return redirect(res, session.success_url.replaceAll('{CHECKOUT_SESSION_ID}', session.id));
    }
    if (req.method === 'POST' && action === 'cancel') {
      // As on Stripe, cancelling leaves the session open (it expires later) and sends the payer back.
      if (session.cancel_url) return redirect(res, session.cancel_url.replaceAll('{CHECKOUT_SESSION_ID}', session.id));
      return sendHtml(res, 200, messagePage('Checkout', 'Payment cancelled.'));
    }
    return sendHtml(res, 405, messagePage('Not allowed', 'Use the buttons on the checkout page.'));
  }

  async function portal(req, res, [sessionId, area, subscriptionId, action]) {
    const entry = state.objects.get(sessionId);
    if (!entry || entry.object.object !== 'billing_portal.session') return sendHtml(res, 404, messagePage('Not found', 'There is no such portal session.'));
    const session = entry.object;
    if (req.method === 'GET' && !area) return sendHtml(res, 200, portalPage(session, billing.subscriptionsOf(session.customer)));
    if (req.method === 'POST' && area === 'subscriptions' && ['cancel', 'pay'].includes(action)) {
      const sub = state.objects.get(subscriptionId)?.object;
      if (sub?.object !== 'subscription' || sub.customer !== session.customer) return sendHtml(res, 404, messagePage('Not found', 'There is no such subscription.'));
      try {
        if (action === 'cancel') await fake.cancelSubscription(sub.id);
        else await fake.payOverdue(sub.id);
      } catch (err) {
        if (err instanceof StripeFakeError) return sendHtml(res, 409, messagePage('Manage billing', err.message));
        throw err;
      }
      // Webhooks were delivered before the page comes back, like the checkout page.
      return redirect(res, `/billing_portal/${session.id}`);
    }
    return sendHtml(res, 405, messagePage('Not allowed', 'Use the buttons on the portal page.'));
  }

  async function onboarding(req, res, linkId) {
    const entry = state.objects.get(linkId);
    if (!entry || entry.object.object !== 'fake.account_link') return sendHtml(res, 404, messagePage('Not found', 'There is no such onboarding link.'));
    const link = entry.object;
    // An account link is single-use and short-lived: Stripe sends the user to refresh_url for a new one.
    if (link.used || link.expires_at < Math.floor(Date.now() / 1000)) return redirect(res, link.refresh_url);
    const account = state.get('account', link.account, null);
    if (req.method === 'GET') return sendHtml(res, 200, onboardingPage(link, account));
    if (req.method === 'POST') {
      link.used = true;
      await fake.completeAccount(account.id);
      return redirect(res, link.return_url);
    }
    return sendHtml(res, 405, messagePage('Not allowed', 'Use the button on the onboarding page.'));
  }

  // --- test controls (JSON) ---

  async function controls(req, res, path, rawBody) {
    const input = rawBody ? JSON.parse(rawBody) : {};
    const [area, id, action] = path;
    if (req.method === 'GET' && area === 'events' && !id) return sendJson(res, 200, { data: state.events });
    if (req.method === 'GET' && area === 'deliveries') return sendJson(res, 200, { data: webhooks.deliveries });
    if (req.method === 'POST' && area === 'events' && !id) {
      if (typeof input.type !== 'string') throw invalid('type is required', 'type');
      return sendJson(res, 200, await fake.sendEvent(input, { deliver: input.deliver !== false }));
    }
    if (req.method === 'POST' && area === 'events' && action === 'deliver') return sendJson(res, 200, { delivery: await fake.deliver(id) });
    if (req.method === 'POST' && area === 'accounts' && action === 'complete') return sendJson(res, 200, await fake.completeAccount(id, { deliver: input.deliver !== false }));
    if (req.method === 'POST' && area === 'checkout' && path[1] === 'sessions' && path[3] === 'pay') {
      return sendJson(res, 200, await fake.pay(path[2], { deliver: input.deliver !== false }));
    }
    if (req.method === 'POST' && area === 'subscriptions' && action === 'past_due') return sendJson(res, 200, await fake.pastDue(id, { deliver: input.deliver !== false }));
    if (req.method === 'POST' && area === 'subscriptions' && action === 'pay') return sendJson(res, 200, await fake.payOverdue(id, { deliver: input.deliver !== false }));
    if (req.method === 'POST' && area === 'charges' && action === 'dispute') return sendJson(res, 200, await fake.dispute(id, { deliver: input.deliver !== false }));
    throw new StripeFakeError(404, 'invalid_request_error', `Unknown test control ${req.method} /_fake/${path.join('/')}`);
  }

  return fake;
}

function headerValue(value) {
  const text = Array.isArray(value) ? value[0] : value;
  return text ? text.trim() : null;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new StripeFakeError(413, 'invalid_request_error', 'Request body too large.'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res, status, body) {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'request-id': newId('req'), 'stripe-version': DEFAULT_API_VERSION });
  res.end(text);
}

function sendHtml(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

function redirect(res, location) {
  res.writeHead(303, { location, 'content-length': 0 });
  res.end();
}
