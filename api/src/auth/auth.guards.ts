import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyReply } from 'fastify';
import { ApiRateLimits } from '../rate-limit/api-rate-limits.service.js';
import { LoginThrottle } from '../rate-limit/login-throttle.service.js';
import { clientAddressKey } from '../rate-limit/rate-limit-keys.js';
import { isLimitedRoute } from '../rate-limit/rate-limit.guard.js';
import { withRateLimitHeaders } from '../rate-limit/rate-limit.problem.js';
import { validateBody } from '../common/validation.js';
import type { AuthenticatedRequest } from './auth.types.js';
import { LoginDto } from './dto/login.dto.js';
import { roleTooLow, sessionRequired, studioSuspended, subscriptionPastDue, unauthenticated } from './auth.errors.js';
import { type AccessRule, isPortalRule, roleAtLeast, routeRuleOf } from './access.decorator.js';
import { apiKeyIn } from './session.strategy.js';
import { PortalSessions } from './portal-sessions.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { type Caller, isApiKeyCaller } from './auth.types.js';
import { ALLOWED_WHILE_SUSPENDED } from './allow-while-suspended.decorator.js';
import { allowedWhileReadOnly } from './allow-while-read-only.decorator.js';
import { OPTIONAL_SESSION } from './optional-session.decorator.js';
import { ProblemException } from '../common/problem.js';

/** Methods that change nothing: a read-only studio may still use them. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The global guard of every route: authenticates the caller (session cookie or API key, see
 * SessionStrategy) and enforces the route's declared rule (@Public() or @Access(), see
 * access.decorator.ts): a role too low or an API key on a session-only route is a 403. A route with
 * no rule never gets here (AccessRulesCheck stops start-up); if one did, it would be refused.
 * @OptionalSession() routes are public but read a valid session when one is presented.
 */
@Injectable()
export class SessionAuthGuard extends AuthGuard('session') {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: ApiRateLimits,
    private readonly portalSessions: PortalSessions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const rule = routeRuleOf(this.reflector, context.getHandler(), context.getClass());
    const optional = this.reflector.getAllAndOverride<boolean>(OPTIONAL_SESSION, targets) === true;
    if (rule === 'public' && !optional) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // Issue 12, portal: a portal route reads the portal cookie and nothing else; a staff route never reads it.
    if (isPortalRule(rule)) {
      request.portal = await this.refusingSpendsBudget(context, () => this.portalPrincipal(request));
      return this.checkStanding(request, request.portal, targets);
    }
    try {
      await super.canActivate(context);
    } catch (err) {
      // No valid session on a route where that is an answer, not an error; an API key, valid or not,
      // is no browser session either (see below). Anything else (the control database down) still fails.
      if (optional && err instanceof ProblemException && ['unauthenticated', 'invalid-api-key'].includes(err.problemType)) return true;
      await this.spendRefusalBudget(context);
      throw err;
    }
    // @OptionalSession() asks whether a browser is signed in: an API key is not a browser session.
    if (optional && request.user && isApiKeyCaller(request.user)) {
      request.user = undefined;
      return true;
    }
    const user = request.user;
    // Every later log line of this request carries who and which studio: read from request.user by the
    // logger's mixin (common/logging.ts), nothing to bind here (issue 14, perf).
    this.checkStanding(request, user, targets);
    if (rule !== 'public') authorize(rule, user!);
    return true;
  }

  /**
   * The studio's standing, for staff and portal callers alike. A suspended studio keeps only the way
   * out (me, logout, resend the verification link): checked here once for every route rather than route
   * by route. A lapsed subscription makes the studio read-only (issue 11): the same single check, for every write.
   */
  private checkStanding(request: AuthenticatedRequest, caller: { studioSuspended: boolean; studioReadOnly: boolean } | undefined, targets: Function[]): true {
    if (caller?.studioSuspended && !this.reflector.getAllAndOverride<boolean>(ALLOWED_WHILE_SUSPENDED, targets)) throw studioSuspended();
    if (caller?.studioReadOnly && !SAFE_METHODS.has(request.method) && !allowedWhileReadOnly(this.reflector, targets)) throw subscriptionPastDue();
    return true;
  }

  /**
   * Issue 12, portal: the portal client of a portal route. Only the portal cookie counts: an API key is
   * refused outright (a request says who it is once), a staff cookie is simply not read. A route under a
   * studio's slug (`:studioSlug`) also needs the cookie to be that studio's: another studio's portal
   * session is no session here.
   */
  private async portalPrincipal(request: AuthenticatedRequest) {
    if (apiKeyIn(request.headers.authorization) !== undefined) throw unauthenticated();
    const principal = await this.portalSessions.resolve(request.cookies?.[this.config.portal.cookieName]);
    if (!principal) throw unauthenticated();
    const slug = (request.params as Record<string, string | undefined> | undefined)?.studioSlug;
    if (slug !== undefined && slug !== principal.studioSlug) throw unauthenticated();
    return principal;
  }

  private async refusingSpendsBudget<T>(context: ExecutionContext, resolve: () => Promise<T>): Promise<T> {
    try {
      return await resolve();
    } catch (err) {
      if (err instanceof ProblemException && err.problemType === 'unauthenticated') await this.spendRefusalBudget(context);
      throw err;
    }
  }

  /**
   * A refused session costs a control-database lookup: it spends the IP's anonymous budget, so
   * made-up cookies cannot be sent without limit (over it, the 429 replaces the 401).
   */
  private async spendRefusalBudget(context: ExecutionContext): Promise<void> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (isLimitedRoute(request)) {
      await withRateLimitHeaders(context.switchToHttp().getResponse<FastifyReply>(), () => this.limits.consumeGeneral(undefined, clientAddressKey(request.ip)));
    }
  }

  handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw unauthenticated();
    return user;
  }
}

/** The access decision for an authenticated caller (a missing rule fails closed). */
function authorize(rule: AccessRule | undefined, caller: Caller): void {
  if (!rule) throw roleTooLow('a declared access rule');
  if (rule.sessionOnly && isApiKeyCaller(caller)) throw sessionRequired();
  // Issue 12: a portal rule is never met by a staff caller (the guard handles portal routes before this).
  if (rule.level === 'portal') throw unauthenticated();
  if (rule.level !== 'member' && !roleAtLeast(caller.role, rule.level)) throw roleTooLow(rule.level);
}

/**
 * Login: validates the body like any DTO (guards run before pipes), then the passport local strategy.
 * The brute-force limits sit here because this is where the outcome of the password check is known:
 * the attempt is counted (or refused with 429) before the strategy's argon2 work, and a success
 * resets it.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  constructor(private readonly throttle: LoginThrottle) {
    super();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const body = await validateBody(LoginDto, request.body);
    request.body = body;
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const attempt = await withRateLimitHeaders(reply, () => this.throttle.begin(body.email, request.ip));
    const ok = (await super.canActivate(context)) as boolean;
    await attempt.succeeded();
    return ok;
  }

  handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw unauthenticated();
    return user;
  }
}
