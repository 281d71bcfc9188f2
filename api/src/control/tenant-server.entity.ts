import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const TENANT_SERVER_STATUSES = ['active', 'draining', 'offline'] as const;
export type TenantServerStatus = (typeof TENANT_SERVER_STATUSES)[number];

/**
 * Issue 8, ops-servers: a PostgreSQL server tenant databases may live on. Its connection URL is NOT
 * here (it carries a password): configuration (TENANT_SERVERS, or a secret file it names) gives it by
 * name. `active` servers take new tenants; `draining` ones keep serving theirs but take no new ones
 * (move them away); `offline` ones take none.
 */
@Entity('tenant_servers')
export class TenantServer {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  name: string;

  /** At most this many (non-archived) tenants are placed here. */
  @Column({ type: 'integer', default: 5000 })
  capacity: number;

  @Column({ type: 'enum', enum: TENANT_SERVER_STATUSES, enumName: 'tenant_server_status', default: 'active' })
  status: TenantServerStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
