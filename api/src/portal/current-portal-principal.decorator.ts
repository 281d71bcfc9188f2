import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest, PortalPrincipal } from '../auth/auth.types.js';

/** Issue 12: the portal client of a @PortalAccess() route (the guard has resolved it from the portal cookie). */
export const CurrentPortalPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): PortalPrincipal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().portal;
  if (!principal) throw new Error('CurrentPortalPrincipal used on a route without @PortalAccess()');
  return principal;
});
