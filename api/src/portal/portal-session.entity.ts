import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { SessionLifetimeColumns } from '../common/session-lifetime-columns.js';
import { PortalAccount } from './portal-account.entity.js';

/**
 * Issue 12: a signed-in portal browser, in the studio's own database (DESIGN.md "Auth"). Only the
 * SHA-256 of the cookie's token is stored; idle and absolute expiry as for staff sessions. Deleting
 * the account's sessions (logout, disable) ends them at once: every request looks the row up.
 */
@Entity('client_portal_sessions')
@Index('UQ_client_portal_sessions_token', ['tokenHash'], { unique: true })
@Index('idx_client_portal_sessions_account', ['accountId'])
export class PortalSession extends SessionLifetimeColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @ManyToOne(() => PortalAccount, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: PortalAccount;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;
}
