import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Organization } from './organization.entity.js';
import { TenantServer } from './tenant-server.entity.js';

export const TENANT_DATABASE_STATUSES = ['provisioning', 'ready', 'migrating', 'failed', 'archived'] as const;
export type TenantDatabaseStatus = (typeof TENANT_DATABASE_STATUSES)[number];
/** Issue 8, ops-cli: outcome of the last migration run on a tenant database. */
export type TenantMigrationStatus = 'running' | 'done' | 'failed';

/** The registry: which database (on which server) holds an organization's data. */
@Entity('tenant_databases')
export class TenantDatabase {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @OneToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  @Column({ name: 'database_name', type: 'varchar', length: 63, unique: true })
  databaseName: string;

  /** Logical server name (tenant_servers); 'default' is the server of DATABASE_URL unless TENANT_SERVERS says otherwise. */
  @Column({ type: 'varchar', length: 100, default: 'default' })
  server: string;

  /** Issue 8, ops-servers: the server must be one `tenant_servers` knows. */
  @ManyToOne(() => TenantServer, { onDelete: 'RESTRICT', onUpdate: 'CASCADE' })
  @JoinColumn({ name: 'server' })
  serverEntry?: TenantServer;

  /** Timestamp of the last tenant migration applied (TypeORM migration timestamp). */
  @Column({ name: 'schema_version', type: 'bigint' })
  schemaVersion: string;

  @Column({ type: 'enum', enum: TENANT_DATABASE_STATUSES, enumName: 'tenant_database_status' })
  status: TenantDatabaseStatus;

  // --- issue 8, ops-cli: the last migration run on this database (`rsm migrate` or start-up) ---
  /** 'running' while a migration holds it, then 'done' or 'failed'; null before the first run. */
  @Column({ name: 'migration_status', type: 'varchar', length: 20, nullable: true })
  migrationStatus?: TenantMigrationStatus | null;

  /** The failed run's error message (null after a success). */
  @Column({ name: 'migration_error', type: 'text', nullable: true })
  migrationError?: string | null;

  /** When the last run ended (either way). */
  @Column({ name: 'migrated_at', type: 'timestamptz', nullable: true })
  migratedAt?: Date | null;
  // --- end of ops-cli ---

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
