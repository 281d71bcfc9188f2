import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Project } from '../projects/project.entity.js';
import { Track } from '../projects/track.entity.js';

export const DELIVERABLE_STATUSES = ['open', 'approved'] as const;
export type DeliverableStatus = (typeof DELIVERABLE_STATUSES)[number];

/**
 * Something the studio delivers for review ("Track 3 — mix"), in versions v1, v2… Approving a version
 * closes it. `roundsUsed` counts "changes requested" decisions; it is updated under the deliverable's
 * row lock, so two decisions at once can't both take the same round number.
 */
@Entity('deliverables')
@Check('CHK_deliverables_status', `"status" IN ('open', 'approved')`)
@Check('CHK_deliverables_rounds', `"rounds_used" >= 0`)
@Index('idx_deliverables_project', ['projectId', 'createdAt'])
export class Deliverable {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'project_id', type: 'uuid' })
  projectId: string;

  @ManyToOne(() => Project, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project?: Project;

  @Column({ name: 'track_id', type: 'uuid', nullable: true })
  trackId: string | null;

  @ManyToOne(() => Track, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'track_id' })
  track?: Track;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 20, default: 'open' })
  status: DeliverableStatus;

  @Column({ name: 'rounds_used', type: 'integer', default: 0 })
  roundsUsed: number;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
