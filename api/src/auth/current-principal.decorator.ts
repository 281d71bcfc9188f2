import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type AuthenticatedRequest, type Caller, isApiKeyCaller, type Principal } from './auth.types.js';

/**
 * The session principal of the request: routes declared `@Access('member')` (or session-only), where
 * the guard has already refused API keys and anonymous callers.
 */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const caller = ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!caller) throw new Error('CurrentPrincipal used on a public route');
  if (isApiKeyCaller(caller)) throw new Error('CurrentPrincipal used on a route open to API keys: use CurrentCaller');
  return caller;
});

/** The authenticated caller, session or API key (routes behind the session guard only). */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!caller) throw new Error('CurrentCaller used on a public route');
  return caller;
});

/**
 * The principal when the request carried a valid session, else undefined (routes marked
 * @OptionalSession(), where the guard drops an API key: a key is not a browser session).
 */
export const OptionalPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal | undefined => {
  const caller = ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
  return caller && !isApiKeyCaller(caller) ? caller : undefined;
});
