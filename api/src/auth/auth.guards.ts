import { type ExecutionContext, Injectable } from '@nestjs/common';
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
import { type AccessRule, roleAtLeast, routeRuleOf } from './access.decorator.js';
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
  ) {
    super();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const rule = routeRuleOf(this.reflector, context.getHandler(), context.getClass());
    const optional = this.reflector.getAllAndOverride<boolean>(OPTIONAL_SESSION, targets) === true;
    if (rule === 'public' && !optional) return true;
    try {
      await super.canActivate(context);
    } catch (err) {
      // No valid session on a route where that is an answer, not an error; an API key, valid or not,
      // is no browser session either (see below). Anything else (the control database down) still fails.
      if (optional && err instanceof ProblemException && ['unauthenticated', 'invalid-api-key'].includes(err.problemType)) return true;
      // A refused session costs a control-database lookup: it spends the IP's anonymous budget, so
      // made-up cookies cannot be sent without limit (over it, the 429 replaces the 401).
      const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
      if (isLimitedRoute(request)) {
        await withRateLimitHeaders(context.switchToHttp().getResponse<FastifyReply>(), () => this.limits.consumeGeneral(undefined, clientAddressKey(request.ip)));
      }
      throw err;
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // @OptionalSession() asks whether a browser is signed in: an API key is not a browser session.
    if (optional && request.user && isApiKeyCaller(request.user)) {
      request.user = undefined;
      return true;
    }
    const user = request.user;
    // Every later log line of this request carries who and which studio: read from request.user by the
    // logger's mixin (common/logging.ts), nothing to bind here (issue 14, perf).
    // A suspended studio keeps only the way out (me, logout, resend the verification link): checked
    // here once for every staff route rather than route by route.
    if (user?.studioSuspended && !this.reflector.getAllAndOverride<boolean>(ALLOWED_WHILE_SUSPENDED, targets)) {
      throw studioSuspended();
    }
    // A lapsed subscription makes the studio read-only (issue 11): the same single check, for every write.
    if (user?.studioReadOnly && !SAFE_METHODS.has(request.method) && !allowedWhileReadOnly(this.reflector, targets)) throw subscriptionPastDue();
    if (rule !== 'public') authorize(rule, user!);
    return true;
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
