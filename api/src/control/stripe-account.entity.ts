import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Organization } from './organization.entity.js';

export const STRIPE_ACCOUNT_STATUSES = ['onboarding', 'active', 'restricted', 'disconnected'] as const;
export type StripeAccountStatus = (typeof STRIPE_ACCOUNT_STATUSES)[number];

/**
 * Issue 11: a studio's connected Stripe account (acct_…). Connect webhooks are routed to a tenant by
 * this map, never by event metadata alone. At most one live (not disconnected) account per studio.
 */
@Entity('stripe_accounts')
@Check('CHK_stripe_accounts_status', `"status" IN ('onboarding', 'active', 'restricted', 'disconnected')`)
@Index('UQ_stripe_accounts_live_org', ['organizationId'], { unique: true, where: `"status" <> 'disconnected'` })
export class StripeAccount {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 255 })
  accountId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  @Column({ type: 'varchar', length: 20, default: 'onboarding' })
  status: StripeAccountStatus;

  @Column({ name: 'charges_enabled', type: 'boolean', default: false })
  chargesEnabled: boolean;

  @Column({ name: 'payouts_enabled', type: 'boolean', default: false })
  payoutsEnabled: boolean;

  @Column({ name: 'details_submitted', type: 'boolean', default: false })
  detailsSubmitted: boolean;

  @Column({ name: 'disconnected_at', type: 'timestamptz', nullable: true })
  disconnectedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
