import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ROLES, type Role } from './membership.entity.js';
import { Organization } from './organization.entity.js';
import { User } from './user.entity.js';

/**
 * An integrator's API key: `rsm_live_<prefix>_<secret>`. The prefix finds the row; only the SHA-256 of
 * the 256-bit secret is stored (a fast hash is enough for a secret of that entropy). A revoked key is
 * deleted; the audit log keeps its history.
 */
@Entity('api_keys')
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  /** The member who created it: the key works only while they are a member, and never above their role. */
  @Index()
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'created_by' })
  creator?: User;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'char', length: 12, unique: true })
  prefix: string;

  @Column({ name: 'secret_hash', type: 'char', length: 64 })
  secretHash: string;

  @Column({ type: 'enum', enum: ROLES, enumName: 'membership_role' })
  role: Role;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;
}
