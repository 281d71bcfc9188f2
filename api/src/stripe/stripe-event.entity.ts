import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A Stripe event (evt_…) whose effect on this studio committed: inserted in the same transaction as
 * that effect, so a replayed or duplicated delivery finds it and changes nothing.
 */
@Entity('stripe_events')
export class StripeEvent {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  type: string;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt: Date;
}
