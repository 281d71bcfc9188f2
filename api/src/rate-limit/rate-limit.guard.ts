import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/auth.types.js';
import { ApiRateLimits } from './api-rate-limits.service.js';
import { clientAddressKey } from './rate-limit-keys.js';
import { ROUTE_RATE_LIMIT, type RouteRateLimit } from './rate-limit.decorator.js';
import { setRateLimitHeaders, withRateLimitHeaders } from './rate-limit.problem.js';

/**
 * The general limit covers the API only: health checks, metrics and static files are exempt. Matched
 * on the route Fastify resolved, never the raw URL: `/%61pi/v1/…` reaches the same handler as
 * `/api/v1/…` and must spend the same budget.
 */
export const isLimitedRoute = (request: { routeOptions?: { url?: string } }) => request.routeOptions?.url?.startsWith('/api/v1/') ?? false;

/**
 * The one place request budgets are enforced: a global guard, so every Nest route passes through it.
 *
 * It is registered (RateLimitModule, imported after AuthModule) to run after the global
 * SessionAuthGuard, because the budget is per user: it needs the principal the session guard
 * resolved (not the raw cookie, which anyone could vary to get a fresh budget). Requests that guard
 * refuses (401) spend their IP's anonymous budget there (SessionAuthGuard); login and sign-up are public,
 * so they pass here and spend the anonymous per-IP budget. It runs before route guards and pipes,
 * so a refused sign-up is never validated or written. Login's brute-force limits need the outcome
 * of the password check and live in LocalAuthGuard (LoginThrottle). Static files are served by
 * Fastify before Nest and never reach this guard.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: ApiRateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!isLimitedRoute(request)) return true;
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const route = this.reflector.getAllAndOverride<RouteRateLimit | undefined>(ROUTE_RATE_LIMIT, [context.getHandler(), context.getClass()]);
    const client = clientAddressKey(request.ip);
    // Issue 12, portal: a signed-in portal client spends its account's budget, like a member their user's.
    const budgetOwner = request.user?.userId ?? (request.portal && `portal:${request.portal.organizationId}:${request.portal.accountId}`);

    const state = await withRateLimitHeaders(reply, async () => {
      const general = await this.limits.consumeGeneral(budgetOwner, client);
      // A route's own limit is the tighter one: its numbers go in the headers.
      return (route && (await this.limits.consumeRoute(route, client, budgetOwner))) ?? general;
    });
    if (state) setRateLimitHeaders(reply, state);
    return true;
  }
}
