import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Client } from '../clients/client.entity.js';

/**
 * Issue 12: a contact of a client who may sign in to the studio's client portal. The email is stored
 * normalized (trimmed, lower case: the CHECK holds it to that), so the unique index makes it unique in
 * the studio case-insensitively. No password until the invitation is accepted (magic links work
 * before that).
 */
@Entity('client_portal_accounts')
@Check('CHK_client_portal_accounts_email', `"email" = lower(btrim("email"))`)
@Index('UQ_client_portal_accounts_email', ['email'], { unique: true })
@Index('idx_client_portal_accounts_client', ['clientId', 'createdAt'])
export class PortalAccount {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId: string;

  @ManyToOne(() => Client, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id' })
  client?: Client;

  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name: string | null;

  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true })
  passwordHash: string | null;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
