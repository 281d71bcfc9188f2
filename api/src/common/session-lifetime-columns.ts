import { Column, CreateDateColumn } from 'typeorm';

/**
 * The lifetime columns every session table shares (staff `sessions` in the control database, portal
 * `client_portal_sessions` in each studio's): when it started, when it was last seen (written at most
 * once a minute), when it ends for idleness and when it ends regardless. One definition, so the two
 * kinds of session cannot drift apart in the rules they follow.
 */
export abstract class SessionLifetimeColumns {
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt: Date;

  @Column({ name: 'idle_expires_at', type: 'timestamptz' })
  idleExpiresAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
