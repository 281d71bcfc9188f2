import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { SessionLifetimeColumns } from '../common/session-lifetime-columns.js';
import { Organization } from './organization.entity.js';
import { User } from './user.entity.js';

/** A staff session. Only the SHA-256 of the cookie token is stored. */
@Entity('sessions')
@Index(['expiresAt']) // the maintenance job deletes expired sessions
export class Session extends SessionLifetimeColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true })
  tokenHash: string;

  @Index()
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Index()
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  // Issue 7, accounts-mail: what the user sees in their list of sessions (recorded at sign-in).
  /** The browser's User-Agent, cut to 512 characters; null when none was sent. */
  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  /** The client address the session was started from (as TRUST_PROXY resolves it). */
  @Column({ name: 'ip_address', type: 'varchar', length: 64, nullable: true })
  ipAddress: string | null;
}
