import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { DeliverableVersion } from './deliverable-version.entity.js';

const numericAsNumber = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/**
 * A review comment on a version, at a time position (`atSeconds`, optionally to `endSeconds`), or a
 * reply in its thread (`parentId`, one level: replies have no position of their own). Written by
 * staff or (portal issue) the client; `authorName` is kept as written so the thread reads the same
 * after an account is renamed or removed.
 */
@Entity('review_comments')
@Check('CHK_review_comments_position', `("parent_id" IS NULL) = ("at_seconds" IS NOT NULL)`)
@Check('CHK_review_comments_range', `"at_seconds" >= 0 AND ("end_seconds" IS NULL OR "end_seconds" > "at_seconds")`)
@Check('CHK_review_comments_body', `char_length("body") BETWEEN 1 AND 5000`)
@Check('CHK_review_comments_author', `"author_user_id" IS NOT NULL OR "author_portal_account_id" IS NOT NULL`)
@Index('idx_review_comments_version', ['versionId', 'atSeconds'])
@Index('idx_review_comments_parent', ['parentId'])
export class ReviewComment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'version_id', type: 'uuid' })
  versionId: string;

  @ManyToOne(() => DeliverableVersion, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'version_id' })
  version?: DeliverableVersion;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => ReviewComment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parent_id' })
  parent?: ReviewComment;

  /** Seconds from the start, to the millisecond. */
  @Column({ name: 'at_seconds', type: 'numeric', precision: 10, scale: 3, nullable: true, transformer: numericAsNumber })
  atSeconds: number | null;

  @Column({ name: 'end_seconds', type: 'numeric', precision: 10, scale: 3, nullable: true, transformer: numericAsNumber })
  endSeconds: number | null;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'boolean', default: false })
  resolved: boolean;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ name: 'author_user_id', type: 'uuid', nullable: true })
  authorUserId: string | null;

  /** Portal issue: no foreign key until the portal accounts table exists. */
  @Column({ name: 'author_portal_account_id', type: 'uuid', nullable: true })
  authorPortalAccountId: string | null;

  @Column({ name: 'author_name', type: 'varchar', length: 200 })
  authorName: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
