import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Organization } from './organization.entity.js';
import { TenantServer } from './tenant-server.entity.js';

export const TENANT_DATABASE_STATUSES = ['provisioning', 'ready', 'migrating', 'failed', 'archived'] as const;
export type TenantDatabaseStatus = (typeof TENANT_DATABASE_STATUSES)[number];

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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
