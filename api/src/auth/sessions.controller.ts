import { AllowWhileReadOnly } from './allow-while-read-only.decorator.js';
import { Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from './access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { ValidationProblem } from '../common/problem.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Principal } from './auth.types.js';
import { CurrentPrincipal } from './current-principal.decorator.js';
import { SessionListDto } from './dto/session.dto.js';
import { UserSessions } from './user-sessions.service.js';

const idPipe = new ParseUUIDPipe({
  exceptionFactory: () => new ValidationProblem([{ field: 'id', messages: ['id must be a UUID'] }]),
});

/**
 * Issue 7, accounts-mail: the signed-in user's sessions (OWASP ASVS 5.0 V7.5). "Sign out everywhere
 * else" is `POST /auth/sessions/sign-out-others`: an action, not a filter on DELETE.
 */
@ApiTags('auth')
// Issue 7: for any signed-in member, by session (an API key may not touch passwords or sessions) unless @Public().
@Access('member')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/auth/sessions')
export class SessionsController {
  constructor(
    private readonly sessions: UserSessions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The signed-in user's live sessions: device, IP address, started, last seen, and which one is this",
    description: 'Newest first, at most 100. Last seen is updated at most once a minute.',
  })
  @ApiOkResponse({ type: SessionListDto })
  listSessions(@CurrentPrincipal() principal: Principal): Promise<SessionListDto> {
    return this.sessions.list(principal);
  }

  @Delete(':id')
  @AllowWhileReadOnly() // the account's own security, even while the subscription has lapsed
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'End one of your sessions (sign that device out)',
    description: "Ending the current session is a logout (the cookie is cleared). Another user's session, or an unknown id, is a 404.",
  })
  @ApiNoContentResponse({ description: 'Ended' })
  @ApiProblems(400)
  async endSession(
    @CurrentPrincipal() principal: Principal,
    @Param('id', idPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.sessions.end(principal, id);
    if (id === principal.sessionId) {
      const { secure, domain, name } = this.config.cookie;
      reply.clearCookie(name, { path: '/', httpOnly: true, sameSite: 'lax', secure, ...(domain ? { domain } : {}) });
    }
  }

  @Post('sign-out-others')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Sign out everywhere else: end every session of yours but this one',
    description: 'Every other device of yours has to sign in again; this session stays.',
  })
  @ApiNoContentResponse({ description: 'Every other session has ended' })
  async signOutOtherSessions(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.sessions.endOthers(principal);
  }
}
