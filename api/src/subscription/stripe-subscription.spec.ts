import type Stripe from 'stripe';
import { periodEndOf, standingOf, subscriptionRefsOf } from './stripe-subscription.js';

describe("Stripe's subscription → the studio's standing", () => {
  it('maps every Stripe status as docs/stripe.md says: money owed is past_due, a subscription that never started changes nothing', () => {
    const mapped = Object.fromEntries(
      (['trialing', 'active', 'past_due', 'canceled', 'unpaid', 'paused', 'incomplete', 'incomplete_expired', 'some_future_status'] as const).map((s) => [s, standingOf(s)]),
    );
    expect(mapped).toEqual({
      trialing: 'trialing',
      active: 'active',
      past_due: 'past_due',
      canceled: 'canceled',
      unpaid: 'past_due',
      paused: 'past_due',
      incomplete: null,
      incomplete_expired: null,
      some_future_status: null,
    });
  });

  it('takes the period end from the items (current API), else the legacy field, else the trial end', () => {
    const items = (...ends: number[]) => ({ data: ends.map((current_period_end) => ({ current_period_end })) });
    expect(periodEndOf({ items: items(1_800_000_000, 1_800_000_100) } as unknown as Stripe.Subscription)).toEqual(new Date(1_800_000_100_000));
    expect(periodEndOf({ items: items(), current_period_end: 1_700_000_000 } as unknown as Stripe.Subscription)).toEqual(new Date(1_700_000_000_000));
    expect(periodEndOf({ items: items(), trial_end: 1_750_000_000 } as unknown as Stripe.Subscription)).toEqual(new Date(1_750_000_000_000));
    expect(periodEndOf({ items: items(), trial_end: null } as unknown as Stripe.Subscription)).toBeNull();
  });

  it("finds the customer and subscription where each event keeps them; other events and one-off invoices are not the subscription's", () => {
    const event = (type: string, object: object) => ({ type, data: { object } }) as unknown as Stripe.Event;
    expect(subscriptionRefsOf(event('checkout.session.completed', { mode: 'subscription', customer: 'cus_1', subscription: 'sub_1' }))).toEqual({ customerId: 'cus_1', subscriptionId: 'sub_1' });
    expect(subscriptionRefsOf(event('checkout.session.completed', { mode: 'payment', customer: 'cus_1' }))).toBeNull();
    expect(subscriptionRefsOf(event('customer.subscription.deleted', { id: 'sub_2', customer: { id: 'cus_2' } }))).toEqual({ customerId: 'cus_2', subscriptionId: 'sub_2' });
    expect(subscriptionRefsOf(event('invoice.payment_failed', { customer: 'cus_3', parent: { subscription_details: { subscription: 'sub_3' } } }))).toEqual({ customerId: 'cus_3', subscriptionId: 'sub_3' });
    expect(subscriptionRefsOf(event('invoice.paid', { customer: 'cus_4', subscription: 'sub_4', parent: null }))).toEqual({ customerId: 'cus_4', subscriptionId: 'sub_4' });
    expect(subscriptionRefsOf(event('invoice.paid', { customer: 'cus_5', parent: null }))).toBeNull();
    expect(subscriptionRefsOf(event('charge.refunded', { customer: 'cus_6' }))).toBeNull();
  });
});
