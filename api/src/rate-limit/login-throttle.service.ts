import { Inject, Injectable } from '@nestjs/common';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { accountKey, clientAddressKey } from './rate-limit-keys.js';
import { RateLimitedProblem } from './rate-limit.problem.js';
import { RateLimitStore } from './rate-limit.store.js';

/** How long failures are remembered (fixed window from the first one) unless a success resets them. */
const FAILURE_MEMORY_SECONDS = 24 * 3600;
/** How long a successful login vouches for its IP against the account-wide limit. */
const KNOWN_CLIENT_SECONDS = 21 * 24 * 3600; // under the ~24.8-day ceiling of the memory store's timers

/** One counting rule: after `threshold` failures on `key`, each further attempt waits a growing delay. */
interface Policy {
  key: string;
  threshold: number;
  /** The account-wide rule spares IPs the account logged in from before (see begin). */
  sparesKnownClients?: boolean;
  /** Success resets the account rules; the IP rule only takes back this attempt. */
  resetOnSuccess: boolean;
}

export interface LoginAttempt {
  /** The credentials were right: reset the account's counters and remember this IP for the account. */
  succeeded(): Promise<void>;
}

/**
 * Login brute-force protection, on rate-limiter-flexible's counters:
 *  - per account + IP: after N consecutive failures, the next attempt waits 1 s, then 2 s, 4 s, ...
 *    capped (RATE_LIMIT_LOGIN_DELAY_SECONDS, RATE_LIMIT_LOGIN_MAX_DELAY_SECONDS);
 *  - per account from any IP: the same, with a higher threshold, against distributed guessing;
 *  - per IP across accounts: the same, against one client spraying many accounts.
 * Refusals are temporary by construction (the delay is capped, failures are forgotten after a day),
 * and the account-wide rule does not hold back an IP the account logged in from before: an
 * attacker cannot lock the owner out of their usual place.
 *
 * An attempt is counted, and past the threshold takes the one slot of the current delay window, before
 * the password is checked, both atomically in the store: parallel guesses (also across instances)
 * cannot all slip through one free slot, and a refused attempt costs no hashing. While locked, even the right password gets 429, otherwise an
 * attacker would keep guessing and learn the password from the one 200.
 */
@Injectable()
export class LoginThrottle {
  private readonly failures: RateLimiterAbstract;
  private readonly locks: RateLimiterAbstract;
  private readonly knownClients: RateLimiterAbstract;

  constructor(
    store: RateLimitStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.failures = store.limiter({ keyPrefix: 'login-failures', points: Number.MAX_SAFE_INTEGER, duration: FAILURE_MEMORY_SECONDS });
    // A lock key holds one point per delay window: the one attempt allowed in it.
    this.locks = store.limiter({ keyPrefix: 'login-lock', points: 1, duration: 1 }); // each window's length is set per consume
    this.knownClients = store.limiter({ keyPrefix: 'login-known', points: 1, duration: KNOWN_CLIENT_SECONDS });
  }

  /**
   * Starts a login attempt for this email from this IP; throws a 429 problem while locked. `scope` names
   * another kind of account with the same address (issue 12: a studio's client portal, `portal:<slug>`),
   * counted apart from the staff account and from other studios' portals.
   */
  async begin(email: string, ip: string, scope?: string): Promise<LoginAttempt> {
    const { failuresPerAccountIp, failuresPerAccount, failuresPerIp } = this.config.rateLimit.login;
    const account = scope ? `${scope}:${accountKey(email)}` : accountKey(email);
    const client = clientAddressKey(ip);
    const accountClient = `${account}@${client}`;
    const policies: Policy[] = [
      { key: `account-ip:${accountClient}`, threshold: failuresPerAccountIp, resetOnSuccess: true },
      { key: `account:${account}`, threshold: failuresPerAccount, resetOnSuccess: true, sparesKnownClients: true },
      { key: `ip:${client}`, threshold: failuresPerIp, resetOnSuccess: false },
    ].filter((p) => p.threshold > 0);
    if (!policies.length) return { succeeded: async () => undefined };

    const known = policies.some((p) => p.sparesKnownClients) && (await this.knownClients.get(accountClient)) !== null;
    // Count the attempt first: penalty() is one atomic increment in every store, so parallel guesses
    // each get their own number, even across instances sharing PostgreSQL counters.
    const counts = await Promise.all(policies.map((p) => this.failures.penalty(p.key)));
    const refusals: Array<{ policy: Policy; msBeforeNext: number }> = [];
    await Promise.all(
      policies.map(async (policy, i) => {
        const beyond = counts[i].consumedPoints - policy.threshold;
        if (beyond < 0 || (policy.sparesKnownClients && known)) return;
        // From the threshold on, one attempt per delay window, which that attempt opens: consume() on
        // the lock key is atomic too, so exactly one of a burst takes the window, the others are refused.
        try {
          await this.locks.consume(policy.key, 1, { customDuration: this.delaySeconds(beyond) });
        } catch (res) {
          if (!(res instanceof RateLimiterRes)) throw res;
          refusals.push({ policy, msBeforeNext: res.msBeforeNext });
        }
      }),
    );
    if (refusals.length) {
      // A refused attempt checked no password: take its count back, so waiting out the delay is enough.
      await Promise.all(policies.map((p) => this.failures.reward(p.key)));
      const longest = refusals.reduce((a, b) => (b.msBeforeNext > a.msBeforeNext ? b : a));
      throw new RateLimitedProblem(
        { limit: longest.policy.threshold, remaining: 0, msBeforeReset: longest.msBeforeNext },
        'Too many failed sign-in attempts; retry after the time given in Retry-After.',
      );
    }

    return {
      succeeded: async () => {
        await Promise.all<unknown>([
          ...policies.flatMap((p): Array<Promise<unknown>> =>
            p.resetOnSuccess ? [this.failures.delete(p.key), this.locks.delete(p.key)] : [this.failures.reward(p.key)],
          ),
          this.knownClients.set(accountClient, 1, KNOWN_CLIENT_SECONDS),
        ]);
      },
    };
  }

  /** The wait after the threshold was reached `beyond` failures ago: the first delay, doubled each time, capped. */
  private delaySeconds(beyond: number): number {
    // Whole seconds: Retry-After is in seconds, and the PostgreSQL store keeps integer milliseconds.
    const { delaySeconds, maxDelaySeconds } = this.config.rateLimit.login;
    return Math.min(delaySeconds * 2 ** Math.min(beyond, 40), maxDelaySeconds);
  }
}
