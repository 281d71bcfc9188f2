import { Inject, Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { DataSource, type EntityManager } from 'typeorm';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { callStripe } from '../stripe/stripe-calls.js';
import { STRIPE_CLIENT, type StripeClient } from '../stripe/stripe-client.js';
import { badWebhook } from '../stripe/stripe-problems.js';
import { periodEndOf, standingOf, subscriptionRefsOf } from './stripe-subscription.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const idOf = (value: string | { id: string } | null | undefined): string | null => (typeof value === 'string' ? value : (value?.id ?? null));

/**
 * The platform webhook's effects on the studios' own subscriptions (docs/stripe.md, "The studio's own
 * subscription"). An event belongs to the studio whose stored `stripe_customer_id` it names — never
 * to whatever its metadata says. The subscription is read again from Stripe, so stale or out-of-order
 * events converge on Stripe's current state, and the event id is recorded in the same control
 * transaction as the change: a replay is a no-op, a failure leaves neither and Stripe retries.
 */
@Injectable()
export class SubscriptionEvents {
  private readonly logger = new Logger('SubscriptionEvents');

  constructor(
    @Inject(STRIPE_CLIENT) private readonly stripe: StripeClient,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {}

  async apply(event: Stripe.Event): Promise<void> {
    const refs = subscriptionRefsOf(event);
    if (!refs?.customerId) return this.recordOnly(event);
    if (await this.seen(event.id)) return; // a replay: answered before calling Stripe at all
    const organizationId = (await this.organizationOf(refs.customerId)) ?? (event.type === 'checkout.session.completed' ? await this.bindFirstCheckout(event, refs.customerId) : null);
    if (!organizationId) {
      this.logger.warn({ eventId: event.id, type: event.type, customer: refs.customerId }, 'A platform event for a customer of no studio: ignored');
      return this.recordOnly(event);
    }
    const stripe = this.stripe!; // the webhook was verified, so billing is configured
    await this.control.transaction(async (manager) => {
      // One studio's events are applied one at a time, each reading Stripe after the previous one
      // committed: the last to commit wrote what Stripe said last. The lock is the studio's only and
      // blocks no request (sessions read the organizations row without locking it).
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`rsm-subscription:${organizationId}`]);
      const inserted = (await manager.query(`INSERT INTO platform_stripe_events (id, type) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id`, [event.id, event.type])) as unknown[];
      if (!inserted.length) return; // delivered twice at once: the other delivery applied it
      const subscriptionId =
        refs.subscriptionId ?? idOf((await callStripe('read the checkout session', () => stripe.checkout.sessions.retrieve((event.data.object as { id: string }).id))).subscription);
      if (!subscriptionId) return;
      const fresh = await callStripe('read the subscription', () => stripe.subscriptions.retrieve(subscriptionId));
      if (idOf(fresh.customer) !== refs.customerId) throw badWebhook("The event's subscription belongs to another customer than the event names.");
      await this.applySubscription(manager, organizationId, fresh);
    });
  }

  /**
   * Copies Stripe's subscription onto the studio. past_due_since is set on entering past_due and kept
   * while it stays there (the grace period runs from the first failure), cleared on leaving it. A
   * canceled subscription that is not the studio's current one (an old one, after subscribing again)
   * changes nothing; an incomplete one never started, so it changes nothing either.
   */
  private async applySubscription(manager: EntityManager, organizationId: string, subscription: Stripe.Subscription): Promise<void> {
    const status = standingOf(subscription.status);
    if (!status) {
      this.logger.log({ organizationId, subscription: subscription.id, status: subscription.status }, 'A subscription that has not started: standing unchanged');
      return;
    }
    await manager.query(
      `UPDATE organizations
          SET stripe_subscription_id = $2,
              subscription_status = $3,
              current_period_end = COALESCE($4, current_period_end),
              past_due_since = CASE WHEN $3 <> 'past_due' THEN NULL
                                    WHEN subscription_status = 'past_due' AND past_due_since IS NOT NULL THEN past_due_since
                                    ELSE now() END
        WHERE id = $1 AND (stripe_subscription_id IS NULL OR stripe_subscription_id = $2 OR $3 <> 'canceled')`,
      [organizationId, subscription.id, status, periodEndOf(subscription)],
    );
  }

  /**
   * The first checkout of a studio whose customer id was not stored (the store failed after Stripe made
   * the customer). The session names the studio (client_reference_id), but that is only believed when
   * the customer Stripe has — read again, not the event's copy — is the one this platform made for
   * that studio (its metadata, set by us at creation), and the studio has no other customer.
   */
  private async bindFirstCheckout(event: Stripe.Event, customerId: string): Promise<string | null> {
    const stripe = this.stripe!;
    const session = await callStripe('read the checkout session', () => stripe.checkout.sessions.retrieve((event.data.object as { id: string }).id));
    const claimed = session.client_reference_id;
    if (!claimed || !UUID.test(claimed) || idOf(session.customer) !== customerId) return null;
    const customer = await callStripe('read the customer', () => stripe.customers.retrieve(customerId));
    if (customer.deleted || customer.metadata?.organizationId !== claimed) {
      this.logger.warn({ eventId: event.id, customer: customerId, claimed }, 'A checkout names a studio its customer was not made for: refused');
      throw badWebhook("The checkout's studio is not the one its customer was made for.");
    }
    const [bound] = (await this.control.query(`UPDATE organizations SET stripe_customer_id = $2 WHERE id = $1 AND stripe_customer_id IS NULL RETURNING id`, [claimed, customerId])) as [
      Array<{ id: string }>,
      number,
    ];
    if (bound.length) return claimed;
    // Either no such studio, or it already has another customer: never re-point a studio's billing from an event.
    if ((await this.organizationOf(customerId)) === claimed) return claimed;
    throw badWebhook('The checkout names a studio that is billed through another customer.');
  }

  private async organizationOf(customerId: string): Promise<string | null> {
    const [row] = (await this.control.query(`SELECT id FROM organizations WHERE stripe_customer_id = $1`, [customerId])) as Array<{ id: string }>;
    return row?.id ?? null;
  }

  private async seen(eventId: string): Promise<boolean> {
    return ((await this.control.query(`SELECT 1 FROM platform_stripe_events WHERE id = $1`, [eventId])) as unknown[]).length > 0;
  }

  /** Events with no effect on a studio are still recorded once (what the platform received). */
  private async recordOnly(event: Stripe.Event): Promise<void> {
    await this.control.query(`INSERT INTO platform_stripe_events (id, type) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, [event.id, event.type]);
  }
}
