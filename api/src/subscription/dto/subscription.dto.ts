import { ApiProperty } from '@nestjs/swagger';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../../control/organization.entity.js';

/** What every member sees of the studio's subscription (in GET /auth/me): enough for the read-only banner. */
export class SubscriptionStandingDto {
  @ApiProperty({ enum: SUBSCRIPTION_STATUSES, enumName: 'SubscriptionStatus' })
  status: SubscriptionStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'End of the trial (while trialing) or of the paid period' })
  currentPeriodEnd: string | null;

  @ApiProperty({ description: 'The subscription lapsed past its grace period: writes answer 402 subscription-past-due until it is paid; reads work' })
  readOnly: boolean;
}

/** GET /billing (owner): the studio's own subscription to the platform. */
export class SubscriptionDto extends SubscriptionStandingDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the subscription became past due' })
  pastDueSince: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When writes stop unless it is paid (past due or trial end + grace); null when nothing is due' })
  readOnlyFrom: string | null;

  @ApiProperty({ description: 'Days a lapsed subscription keeps writing (SUBSCRIPTION_GRACE_DAYS)' })
  graceDays: number;

  @ApiProperty({ description: 'Whether this platform takes subscriptions online (STRIPE_SECRET_KEY and STRIPE_PRICE_ID); otherwise checkout and portal answer 409 online-billing-off and the studio is not charged here' })
  billingAvailable: boolean;

  @ApiProperty({ description: 'A Stripe subscription exists (the owner can manage it in the customer portal)' })
  subscribed: boolean;
}

/** POST /billing/checkout and /billing/portal: where to send the owner (a Stripe-hosted page). */
export class BillingRedirectDto {
  @ApiProperty({ maxLength: 2048, description: 'The Stripe-hosted page (Checkout, or the Customer Portal); it returns to /settings/subscription' })
  url: string;
}
