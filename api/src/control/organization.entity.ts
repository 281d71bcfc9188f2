import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const SUBSCRIPTION_STATUSES = ['trialing', 'active', 'past_due', 'canceled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** A studio: one tenant of the platform. */
@Entity('organizations')
@Index('UQ_organizations_stripe_customer', ['stripeCustomerId'], { unique: true, where: `"stripe_customer_id" IS NOT NULL` })
@Check('CHK_organizations_subscription_status', `"subscription_status" IN ('trialing', 'active', 'past_due', 'canceled')`)
export class Organization {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 80, unique: true })
  slug: string;

  /**
   * Until when the studio may be used while its owner's email is unverified; null once verified
   * (and for studios that predate verification). Past it the studio is suspended, and a grace
   * period later its database is dropped (see UnverifiedStudios).
   */
  @Index()
  @Column({ name: 'unverified_until', type: 'timestamptz', nullable: true })
  unverifiedUntil: Date | null;

  /** When the maintenance job recorded the suspension; null while the studio is in good standing. */
  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true })
  suspendedAt: Date | null;

  // --- Issue 11: the studio's own subscription to the platform (Stripe Billing on the platform account) ---
  @Column({ name: 'stripe_customer_id', type: 'varchar', length: 255, nullable: true })
  stripeCustomerId: string | null;

  @Column({ name: 'stripe_subscription_id', type: 'varchar', length: 255, nullable: true })
  stripeSubscriptionId: string | null;

  /** trialing (14 days from sign-up) | active | past_due | canceled. */
  @Column({ name: 'subscription_status', type: 'varchar', length: 20, default: 'trialing' })
  subscriptionStatus: SubscriptionStatus;

  /** End of the paid period or, while trialing, of the trial. */
  @Column({ name: 'current_period_end', type: 'timestamptz', nullable: true })
  currentPeriodEnd: Date | null;

  /** When the subscription became past_due; past the grace period writes answer 402 (nothing is hidden or lost). */
  @Column({ name: 'past_due_since', type: 'timestamptz', nullable: true })
  pastDueSince: Date | null;
  // --- end of issue 11 ---

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
