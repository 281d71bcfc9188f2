import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A domain event, written in the same transaction as the change that raised it (recordEvent), so an
 * event exists exactly when its change committed. The real-time issue adds the dispatcher that turns
 * these into notifications, emails and webhooks and sets `dispatchedAt`; until then they are stored.
 */
@Entity('outbox')
@Index('idx_outbox_undispatched', { synchronize: false }) // partial (id) WHERE dispatched_at IS NULL: created by migration
@Index('idx_outbox_board', { synchronize: false }) // partial (dispatched_at) WHERE subject_type IN ('booking', 'booking_series'): the room board's read (issue 13, board)
export class OutboxEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  /** Dotted name, e.g. `revision.extra_round`, `version.uploaded`. */
  @Column({ type: 'varchar', length: 100 })
  type: string;

  /** What the event is about: `project`, `deliverable`, `booking`… and its id. */
  @Column({ name: 'subject_type', type: 'varchar', length: 50 })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  /** The staff user or portal account whose action raised it (null for the system). */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt: Date | null;
}
