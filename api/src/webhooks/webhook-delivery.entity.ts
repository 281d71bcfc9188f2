import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';

/** pending: not tried yet; failed: the last attempt failed, next_attempt_at is the retry; succeeded / abandoned: final. */
export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed', 'abandoned'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * Issue 13, webhooks: one event for one endpoint, and the log of its attempts. Created with the outbox
 * dispatch (one transaction, so exactly once; `UQ_webhook_deliveries_endpoint_event` is the second guard),
 * or by a test ping (no outbox event). The event is copied (type, data, time) so the body is the same on
 * every attempt. `next_attempt_at` doubles as the lease of an attempt in flight (see WebhookDeliveryWorker).
 */
@Entity('webhook_deliveries')
@Index('UQ_webhook_deliveries_endpoint_event', ['endpointId', 'eventId'], { unique: true })
@Index('idx_webhook_deliveries_endpoint', ['endpointId', 'createdAt', 'id'])
@Index('idx_webhook_deliveries_due', { synchronize: false }) // partial (next_attempt_at) WHERE status IN ('pending','failed'): created by migration
@Check('CHK_webhook_deliveries_status', `"status" IN ('pending', 'succeeded', 'failed', 'abandoned')`)
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_webhook_deliveries' })
  id: string;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId: string;

  @ManyToOne(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'FK_webhook_deliveries_endpoint' })
  endpoint?: WebhookEndpoint;

  /** The outbox event; null for a test ping. */
  @Column({ name: 'event_id', type: 'bigint', nullable: true })
  eventId: string | null;

  @Column({ name: 'event_type', type: 'varchar', length: 100 })
  eventType: string;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @Column({ name: 'event_created_at', type: 'timestamptz' })
  eventCreatedAt: Date;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status: DeliveryStatus;

  @Column({ name: 'attempt_count', type: 'integer', default: 0 })
  attemptCount: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  /** Set while an attempt is in flight (claimed, outcome not recorded yet); a redelivery then is a 409. */
  @Column({ name: 'leased_until', type: 'timestamptz', nullable: true })
  leasedUntil: Date | null;

  /** Retries stop after this (3 days after the event, or after a manual redelivery). */
  @Column({ name: 'give_up_at', type: 'timestamptz' })
  giveUpAt: Date;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Column({ name: 'last_response_code', type: 'integer', nullable: true })
  lastResponseCode: number | null;

  @Column({ name: 'last_duration_ms', type: 'integer', nullable: true })
  lastDurationMs: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
