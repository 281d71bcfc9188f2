import { Inject, Injectable } from '@nestjs/common';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { RouteRateLimit } from './rate-limit.decorator.js';
import { type RateLimitState, RateLimitedProblem } from './rate-limit.problem.js';
import { RateLimitStore } from './rate-limit.store.js';

/** Consumes one point; the state for the headers, or a 429 problem when the key is over its points. */
export async function consumePoint(limiter: RateLimiterAbstract, key: string): Promise<RateLimitState> {
  const state = (res: RateLimiterRes) => ({ limit: limiter.points, remaining: res.remainingPoints, msBeforeReset: res.msBeforeNext });
  try {
    return state(await limiter.consume(key));
  } catch (err) {
    // The library rejects with a RateLimiterRes when over the limit, with an Error when the store fails.
    if (err instanceof RateLimiterRes) throw new RateLimitedProblem(state(err));
    throw err;
  }
}

/**
 * The request budgets: per session (authenticated) or per client IP (anonymous) on /api/v1, and the
 * named route limits. A limit configured as 0 has no limiter and always passes.
 */
@Injectable()
export class ApiRateLimits {
  private readonly perSession?: RateLimiterAbstract;
  private readonly perAnonymousIp?: RateLimiterAbstract;
  private readonly routes: Partial<Record<RouteRateLimit, RateLimiterAbstract>>;

  constructor(store: RateLimitStore, @Inject(APP_CONFIG) config: AppConfig) {
    const { apiPerSessionPerMinute, apiPerIpPerMinute, registerPerIpPerHour } = config.rateLimit;
    const make = (keyPrefix: string, points: number, duration: number) =>
      points > 0 ? store.limiter({ keyPrefix, points, duration, blockFloodsInMemory: true }) : undefined;
    this.perSession = make('api-session', apiPerSessionPerMinute, 60);
    this.perAnonymousIp = make('api-ip', apiPerIpPerMinute, 60);
    this.routes = { register: make('register-ip', registerPerIpPerHour, 3600) };
  }

  /** One request against the caller's general budget: its session's when signed in, else its IP's. */
  async consumeGeneral(sessionId: string | undefined, client: string): Promise<RateLimitState | undefined> {
    const limiter = sessionId ? this.perSession : this.perAnonymousIp;
    return limiter && consumePoint(limiter, sessionId ?? client);
  }

  /** One request against a route's own per-IP limit. */
  async consumeRoute(name: RouteRateLimit, client: string): Promise<RateLimitState | undefined> {
    const limiter = this.routes[name];
    return limiter && consumePoint(limiter, client);
  }
}
