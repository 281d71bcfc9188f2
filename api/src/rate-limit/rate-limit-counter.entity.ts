import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One rate-limit counter when RATE_LIMIT_STORE=postgres. The shape is rate-limiter-flexible's
 * RateLimiterPostgres table (key, points, expire in epoch ms); a control migration creates it, so
 * the library is told `tableCreated` and never runs DDL itself. Keys carry no email or session
 * token in the clear (see rate-limit-keys.ts).
 */
@Entity('rate_limits')
export class RateLimitCounter {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key: string;

  @Column({ type: 'integer', default: 0 })
  points: number;

  /** Epoch milliseconds; the library deletes rows expired for an hour every 5 minutes. */
  @Index()
  @Column({ type: 'bigint', nullable: true })
  expire: string | null;
}
