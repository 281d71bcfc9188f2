import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { StoredFile } from '../files/stored-file.entity.js';
import { Deliverable } from './deliverable.entity.js';

export const VERSION_STATUSES = ['awaiting_review', 'changes_requested', 'approved'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/**
 * Version N of a deliverable: one uploaded file and the review decision on it. When changes are
 * requested, `revisionRound` records which round that was and `extraRound` whether it went past the
 * project's included rounds (billable; an `revision.extra_round` event is written to the outbox).
 * Who decided is a staff user or (portal issue) a client's portal account.
 */
@Entity('deliverable_versions')
@Check('CHK_deliverable_versions_status', `"status" IN ('awaiting_review', 'changes_requested', 'approved')`)
@Check('CHK_deliverable_versions_number', `"number" >= 1`)
@Check('CHK_deliverable_versions_round', `("status" = 'changes_requested') = ("revision_round" IS NOT NULL)`)
@Check('CHK_deliverable_versions_decision_note', `char_length("decision_note") <= 2000`)
@Unique('UQ_deliverable_versions_number', ['deliverableId', 'number'])
export class DeliverableVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'deliverable_id', type: 'uuid' })
  deliverableId: string;

  @ManyToOne(() => Deliverable, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'deliverable_id' })
  deliverable?: Deliverable;

  @Column({ type: 'integer' })
  number: number;

  /** The file under review; it can't be deleted while a version uses it. */
  @Column({ name: 'file_id', type: 'uuid' })
  fileId: string;

  @ManyToOne(() => StoredFile, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'file_id' })
  file?: StoredFile;

  @Column({ type: 'varchar', length: 20, default: 'awaiting_review' })
  status: VersionStatus;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ name: 'revision_round', type: 'integer', nullable: true })
  revisionRound: number | null;

  @Column({ name: 'extra_round', type: 'boolean', default: false })
  extraRound: boolean;

  /** What the reviewer wrote with the decision ("vocals up in the chorus"), shown with it. */
  @Column({ name: 'decision_note', type: 'text', nullable: true })
  decisionNote: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decided_by_user_id', type: 'uuid', nullable: true })
  decidedByUserId: string | null;

  /** Portal issue: the client's portal account that decided (no foreign key until that table exists). */
  @Column({ name: 'decided_by_portal_account_id', type: 'uuid', nullable: true })
  decidedByPortalAccountId: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
