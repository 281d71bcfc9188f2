import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Issue 11: a platform Stripe event (the studios' subscriptions; Connect account updates) whose
 * effect committed, recorded in the same transaction: a replay finds it and is a 200 no-op.
 */
@Entity('platform_stripe_events')
export class PlatformStripeEvent {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  type: string;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt: Date;
}
