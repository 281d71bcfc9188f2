import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Client } from '../clients/client.entity.js';

export const PROJECT_TYPES = ['album', 'ep', 'single', 'podcast', 'soundtrack', 'other'] as const;
export type ProjectType = (typeof PROJECT_TYPES)[number];
export const PROJECT_STATUSES = ['planned', 'in_progress', 'delivered', 'archived'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/**
 * A body of work for one client (album, EP, single, podcast…). Bookings, files and deliverables hang
 * off it; later quotes and invoices link to it. `includedRevisionRounds` applies to each deliverable of
 * the project: the rounds a client may ask for before further ones are billable extras.
 */
@Entity('projects')
@Check('CHK_projects_type', `"type" IN ('album', 'ep', 'single', 'podcast', 'soundtrack', 'other')`)
@Check('CHK_projects_status', `"status" IN ('planned', 'in_progress', 'delivered', 'archived')`)
@Check('CHK_projects_rounds', `"included_revision_rounds" >= 0 AND "included_revision_rounds" <= 100`)
@Check('CHK_projects_budget', `("budget_minor" IS NULL AND "budget_currency" IS NULL) OR ("budget_minor" >= 0 AND "budget_currency" IS NOT NULL)`)
@Index('idx_projects_client', ['clientId', 'createdAt'])
@Index('idx_projects_status_order', ['status', 'createdAt', 'id'])
export class Project {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId: string;

  @ManyToOne(() => Client, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client?: Client;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 20 })
  type: ProjectType;

  @Column({ type: 'varchar', length: 20, default: 'planned' })
  status: ProjectStatus;

  @Column({ name: 'included_revision_rounds', type: 'integer', default: 2 })
  includedRevisionRounds: number;

  /** Minor units of `budgetCurrency` (bigint: an album budget can pass 2^31 cents in some currencies). */
  @Column({ name: 'budget_minor', type: 'bigint', nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  budgetMinor: number | null;

  @Column({ name: 'budget_currency', type: 'character', length: 3, nullable: true })
  budgetCurrency: string | null;

  /** A calendar date (no time zone): the day the client expects delivery. */
  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
