import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const CALENDAR_FEED_KINDS = ['room', 'engineer'] as const;
export type CalendarFeedKind = (typeof CALENDAR_FEED_KINDS)[number];

/**
 * A secret ICS feed URL of one room or one engineer (issue 9). Only the SHA-256 of its 32-byte random
 * token is kept: the URL is shown once, at creation. At most one live feed per resource (the partial
 * unique index): creating a new one revokes the old one in the same transaction (rotation).
 */
@Entity('calendar_feeds')
@Check('CHK_calendar_feeds_kind', `"kind" IN ('room', 'engineer')`)
@Index('UQ_calendar_feeds_token_hash', ['tokenHash'], { unique: true })
@Index('UQ_calendar_feeds_live', ['kind', 'resourceId'], { unique: true, where: '"revoked_at" IS NULL' })
export class CalendarFeed {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 20 })
  kind: CalendarFeedKind;

  /** The room id, or the engineer's user id (control database, no foreign key). */
  @Column({ name: 'resource_id', type: 'uuid' })
  resourceId: string;

  /** hex SHA-256 of the token. */
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
