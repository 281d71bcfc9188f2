import { Inject, Injectable } from '@nestjs/common';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterPostgres } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';

export interface LimiterOptions {
  /** Names the limiter; keys are stored as `${keyPrefix}:${key}`. */
  keyPrefix: string;
  points: number;
  /** Window in seconds. */
  duration: number;
  /**
   * Once a key is over its points, answer it from process memory for the rest of the window
   * instead of asking the database again (a flood over the limit then costs no queries).
   */
  blockFloodsInMemory?: boolean;
}

const TABLE = 'rate_limits';

/**
 * Makes rate-limiter-flexible limiters on the configured store. Memory (the default) is per process;
 * `postgres` keeps every counter in the control database's `rate_limits` table (created by a control
 * migration, hence `tableCreated`) so all instances enforce one limit. A PostgreSQL limiter falls
 * back to an in-memory one while the database errors, so an outage degrades to per-instance limits
 * instead of failing every request. Expired rows are swept by the maintenance job (once across all
 * instances), not by a timer in each.
 */
@Injectable()
export class RateLimitStore {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {}

  private get shared(): boolean {
    return this.config.rateLimit.store === 'postgres';
  }

  limiter({ blockFloodsInMemory, ...options }: LimiterOptions): RateLimiterAbstract {
    const memory = new RateLimiterMemory(options);
    if (!this.shared) return memory;
    return new RateLimiterPostgres({
      ...options,
      storeClient: this.control,
      storeType: 'typeorm',
      tableName: TABLE,
      tableCreated: true,
      clearExpiredByTimeout: false,
      insuranceLimiter: memory,
      ...(blockFloodsInMemory ? { inMemoryBlockOnConsumed: options.points + 1 } : {}),
    });
  }

  /** Deletes counters an hour past expiry, like the library's own sweep (maintenance job). Returns how many. */
  async deleteExpired(): Promise<number> {
    const [, count] = (await this.control.query(`DELETE FROM ${TABLE} WHERE expire < $1`, [Date.now() - 3_600_000])) as [unknown, number];
    return count;
  }
}
