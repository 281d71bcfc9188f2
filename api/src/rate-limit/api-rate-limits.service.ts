import { Inject, Injectable } from '@nestjs/common';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { RouteRateLimit } from './rate-limit.decorator.js';
import { type RateLimitState, RateLimitedProblem } from './rate-limit.problem.js';
import { RateLimitStore } from './rate-limit.store.js';
import { accountKey } from './rate-limit-keys.js';

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
 * The request budgets: per user (authenticated) or per client IP (anonymous) on /api/v1, and the
 * named route limits. A limit configured as 0 has no limiter and always passes.
 */
@Injectable()
export class ApiRateLimits {
  private readonly perUser?: RateLimiterAbstract;
  private readonly perAnonymousIp?: RateLimiterAbstract;
  private readonly routes: Partial<Record<RouteRateLimit, Array<{ limiter: RateLimiterAbstract; per: 'ip' | 'user' }>>>;
  /** Issue 7, accounts-mail: reset emails per address (whether or not it has an account). */
  private readonly passwordResetPerEmail?: RateLimiterAbstract;
  /** Issue 12, portal: magic-link emails per studio and address (known or not); logins go through LoginThrottle. */
  private readonly portalMagicLinkPerEmail?: RateLimiterAbstract;

  constructor(store: RateLimitStore, @Inject(APP_CONFIG) config: AppConfig) {
    const { apiPerUserPerMinute, apiPerIpPerMinute, registerPerIpPerHour, verificationResendPerUserPerHour } = config.rateLimit;
    const make = (keyPrefix: string, points: number, duration: number) =>
      points > 0 ? store.limiter({ keyPrefix, points, duration, blockFloodsInMemory: true }) : undefined;
    this.perUser = make('api-user', apiPerUserPerMinute, 60);
    this.perAnonymousIp = make('api-ip', apiPerIpPerMinute, 60);
    const route = (...dimensions: Array<[RateLimiterAbstract | undefined, 'ip' | 'user']>) =>
      dimensions.filter(([limiter]) => limiter).map(([limiter, per]) => ({ limiter: limiter!, per }));
    this.routes = {
      register: route([make('register-ip', registerPerIpPerHour, 3600), 'ip']),
      // Each one sends an email to the user's address, which a sign-up may have borrowed from someone else.
      'verification-resend': route([make('verification-resend-user', verificationResendPerUserPerHour, 3600), 'user']),
      // Issue 7, accounts-mail: each reset request may send an email; each confirm tries a token; a
      // change checks the current password (a stolen session must not guess it at leisure).
      'password-reset': route([make('password-reset-ip', config.rateLimit.passwordResetPerIpPerHour, 3600), 'ip']),
      'password-reset-confirm': route([make('password-reset-confirm-ip', config.rateLimit.passwordResetConfirmPerIpPerHour, 3600), 'ip']),
      'password-change': route([make('password-change-user', config.rateLimit.passwordChangePerUserPerHour, 3600), 'user']),
      // Issue 7, accounts-access: each invite is an email to an address of the inviter's choosing;
      // accepting is anonymous and may check a password; switching mints sessions.
      invite: route([make('invite-user', config.rateLimit.invitesPerUserPerHour, 3600), 'user'], [make('invite-ip', config.rateLimit.invitesPerIpPerHour, 3600), 'ip']),
      'invite-accept': route([make('invite-accept-ip', config.rateLimit.inviteAcceptPerIpPerHour, 3600), 'ip']),
      // Issue 12, portal: each login checks a password, each magic link may send an email.
      'portal-auth': route([make('portal-auth-ip', config.portal.authPerIpPerHour, 3600), 'ip']),
      switch: route([make('switch-user', config.rateLimit.switchPerUserPerHour, 3600), 'user'], [make('switch-ip', config.rateLimit.switchPerIpPerHour, 3600), 'ip']),
    };
    this.portalMagicLinkPerEmail = make('portal-magic-link-email', config.portal.authPerEmailPerHour, 3600); // issue 12, portal
    this.passwordResetPerEmail = make('password-reset-email', config.rateLimit.passwordResetPerEmailPerHour, 3600);
  }

  /**
   * Issue 7, accounts-mail: one reset request for this address. Counted for unknown addresses exactly
   * like known ones (keyed by a hash of the normalized address), so a 429 says nothing about accounts.
   */
  async consumePasswordResetForEmail(email: string): Promise<RateLimitState | undefined> {
    return this.passwordResetPerEmail && consumePoint(this.passwordResetPerEmail, accountKey(email));
  }

  /**
   * Issue 12, portal: one magic-link request (an email) for this address at this studio, counted alike
   * for unknown ones. Only mail sending: a login is not counted here (LoginThrottle counts its failures),
   * so requests for a client's address cannot lock them out of signing in with their password.
   */
  async consumePortalMagicLinkForEmail(organizationSlug: string, email: string): Promise<RateLimitState | undefined> {
    return this.portalMagicLinkPerEmail && consumePoint(this.portalMagicLinkPerEmail, `${organizationSlug}:${accountKey(email)}`);
  }

  /**
   * One request against the caller's general budget: its user's when signed in (all their sessions
   * together, so logging in again buys no extra budget), else its IP's.
   */
  async consumeGeneral(userId: string | undefined, client: string): Promise<RateLimitState | undefined> {
    const limiter = userId ? this.perUser : this.perAnonymousIp;
    return limiter && consumePoint(limiter, userId ?? client);
  }

  /**
   * One request against a route's own limits: per client IP, and per user on routes behind a session.
   * Every dimension is counted; the state with the fewest requests left goes in the headers.
   */
  async consumeRoute(name: RouteRateLimit, client: string, userId: string | undefined): Promise<RateLimitState | undefined> {
    let tightest: RateLimitState | undefined;
    for (const { limiter, per } of this.routes[name] ?? []) {
      const state = await consumePoint(limiter, per === 'user' && userId ? userId : client);
      if (!tightest || state.remaining < tightest.remaining) tightest = state;
    }
    return tightest;
  }
}
