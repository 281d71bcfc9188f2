import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PortalAccount } from './portal-account.entity.js';

export const PORTAL_TOKEN_PURPOSES = ['invite', 'magic-link'] as const;
export type PortalTokenPurpose = (typeof PORTAL_TOKEN_PURPOSES)[number];

/** Issue 12: a one-time link of a portal account (an invitation, a magic link). Only its SHA-256 is stored. */
@Entity('client_portal_tokens')
@Check('CHK_client_portal_tokens_purpose', `"purpose" IN ('invite', 'magic-link')`)
@Index('UQ_client_portal_tokens_hash', ['tokenHash'], { unique: true })
@Index('idx_client_portal_tokens_account', ['accountId', 'purpose'])
export class PortalToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @ManyToOne(() => PortalAccount, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: PortalAccount;

  @Column({ type: 'varchar', length: 20 })
  purpose: PortalTokenPurpose;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
