import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ROLES, type Role } from './membership.entity.js';
import { Organization } from './organization.entity.js';
import { User } from './user.entity.js';

/**
 * A pending invitation to join a studio. Only the SHA-256 of the 256-bit token in the emailed link is
 * stored. One pending invite per studio and email: inviting again replaces the token (the older link
 * stops working). Accepting or revoking deletes the row; the audit log keeps the history.
 */
@Entity('invites')
@Index(['organizationId', 'email'], { unique: true })
export class Invite {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  /** Lower-cased, like users.email. */
  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'enum', enum: ROLES, enumName: 'membership_role' })
  role: Role;

  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true })
  tokenHash: string;

  @Index()
  @Column({ name: 'invited_by', type: 'uuid', nullable: true })
  invitedBy: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'invited_by' })
  inviter?: User | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
