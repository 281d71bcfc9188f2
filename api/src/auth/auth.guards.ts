import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { PinoLogger } from 'nestjs-pino';
import { validateBody } from '../common/validation.js';
import type { AuthenticatedRequest } from './auth.types.js';
import { LoginDto } from './dto/login.dto.js';
import { IS_PUBLIC } from './public.decorator.js';
import { studioSuspended, unauthenticated } from './auth.errors.js';
import { ALLOWED_WHILE_SUSPENDED } from './allow-while-suspended.decorator.js';

/** Global guard: every route needs a staff session unless marked @Public(). */
@Injectable()
export class SessionAuthGuard extends AuthGuard('session') {
  constructor(
    private readonly reflector: Reflector,
    private readonly logger: PinoLogger,
  ) {
    super();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    await super.canActivate(context);
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    // Every later log line of this request carries who and which studio.
    if (user) this.logger.assign({ tenantId: user.organizationId, userId: user.userId });
    // A suspended studio keeps only the way out (me, logout, resend the verification link): checked
    // here once for every staff route rather than route by route.
    if (user?.studioSuspended && !this.reflector.getAllAndOverride<boolean>(ALLOWED_WHILE_SUSPENDED, [context.getHandler(), context.getClass()])) {
      throw studioSuspended();
    }
    return true;
  }

  handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw unauthenticated();
    return user;
  }
}

/** Login: validates the body like any DTO (guards run before pipes), then the passport local strategy. */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.body = await validateBody(LoginDto, request.body);
    return (await super.canActivate(context)) as boolean;
  }

  handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw unauthenticated();
    return user;
  }
}
