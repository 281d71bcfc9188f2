import { signatureHeader } from './signature.mjs';

/**
 * Sends events the way Stripe does: a POST of the event's JSON to the endpoint, signed with that
 * endpoint's secret. Events on a connected account (`account` set) go to the Connect endpoint, the
 * others to the platform endpoint. Each attempt is kept (status, answer) so tests and people can see
 * what the API said; an endpoint that is not configured is recorded as skipped.
 */
export class WebhookSender {
  constructor({ platform, connect, timeoutMs = 10_000 }) {
    this.endpoints = { platform, connect };
    this.timeoutMs = timeoutMs;
    this.deliveries = [];
  }

  endpointFor(event) {
    return event.account ? this.endpoints.connect : this.endpoints.platform;
  }

  async deliver(event) {
    const endpoint = this.endpointFor(event);
    const kind = event.account ? 'connect' : 'platform';
    if (!endpoint?.url || !endpoint.secret) {
      const skipped = { eventId: event.id, type: event.type, endpoint: kind, url: null, status: null, skipped: true };
      this.deliveries.push(skipped);
      return skipped;
    }
    const payload = JSON.stringify(event, null, 2);
    const delivery = { eventId: event.id, type: event.type, endpoint: kind, url: endpoint.url, status: null, body: null, error: null };
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)', 'stripe-signature': signatureHeader(payload, endpoint.secret) },
        body: payload,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      delivery.status = response.status;
      delivery.body = await response.text();
    } catch (err) {
      delivery.error = String(err?.cause ?? err);
    }
    this.deliveries.push(delivery);
    return delivery;
  }

  async deliverAll(events) {
    const results = [];
    for (const event of events) results.push(await this.deliver(event)); // in order, like one Stripe endpoint usually does
    return results;
  }
}
