import { SetMetadata } from '@nestjs/common';

export const ROUTE_RATE_LIMIT = 'rsm:routeRateLimit';

/** Route limits on top of the general API budget; each is configured in AppConfig.rateLimit. */
export type RouteRateLimit =
  | 'register'
  | 'verification-resend'
  // Issue 7, accounts-mail.
  | 'password-reset'
  | 'password-reset-confirm'
  | 'password-change'
  // Issue 7, accounts-access.
  | 'invite'
  | 'invite-accept'
  | 'switch'
  // Issue 12, portal: login, accept-invite and magic links (per IP; per email in PortalAuthService).
  | 'portal-auth';

/** Puts a route under a named limit, per client IP or per signed-in user (see ApiRateLimits). */
export const RateLimit = (name: RouteRateLimit) => SetMetadata(ROUTE_RATE_LIMIT, name);
