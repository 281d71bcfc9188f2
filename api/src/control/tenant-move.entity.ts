import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const TENANT_MOVE_STATUSES = ['copying', 'done', 'failed'] as const;
export type TenantMoveStatus = (typeof TENANT_MOVE_STATUSES)[number];

/**
 * Issue 8, ops-servers: one move of a tenant database to another server, kept as the record of the
 * old copy: it is dropped once `drop_after` has passed (`dropped_at` then set), by the sweep.
 */
@Entity('tenant_moves')
@Index('idx_tenant_moves_pending_drop', ['dropAfter'], { where: '"dropped_at" IS NULL' })
export class TenantMove {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'database_name', type: 'varchar', length: 63 })
  databaseName: string;

  @Column({ name: 'from_server', type: 'varchar', length: 100 })
  fromServer: string;

  @Column({ name: 'to_server', type: 'varchar', length: 100 })
  toServer: string;

  @Column({ type: 'enum', enum: TENANT_MOVE_STATUSES, enumName: 'tenant_move_status' })
  status: TenantMoveStatus;

  /**
   * What the old copy (on from_server) was renamed to after the move, so that nothing that names the
   * tenant's database (pools, migrations, grants) can reach it again; the sweep drops it by this name.
   */
  @Column({ name: 'retired_database', type: 'varchar', length: 63, nullable: true })
  retiredDatabase: string | null;

  /** Per table: rows copied and the checksum both sides agreed on (JSON), or why it failed. */
  @Column({ type: 'jsonb', nullable: true })
  report: unknown;

  @CreateDateColumn({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** When the old copy (on from_server) may be dropped; null while the move is not done. */
  @Column({ name: 'drop_after', type: 'timestamptz', nullable: true })
  dropAfter: Date | null;

  @Column({ name: 'dropped_at', type: 'timestamptz', nullable: true })
  droppedAt: Date | null;
}
