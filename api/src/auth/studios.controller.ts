import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { Access } from './access.decorator.js';
import { AllowWhileSuspended } from './allow-while-suspended.decorator.js';
import type { Principal } from './auth.types.js';
import { CurrentPrincipal } from './current-principal.decorator.js';
import { AuthSessionDto } from './dto/auth-session.dto.js';
import { StudioListDto, SwitchStudioDto } from './dto/studios.dto.js';
import { sessionClientOf, setSessionCookie } from './session-cookie.js';
import { StudiosService } from './studios.service.js';

/** A user may belong to several studios (issue 7): list them and move the session between them. */
@ApiTags('auth')
@ApiCookieAuth()
@Controller('api/v1/auth')
export class StudiosController {
  constructor(
    private readonly studios: StudiosService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('organizations')
  @Access('member')
  @AllowWhileSuspended() // a member of a suspended studio must still be able to find and switch to another
  @ApiOperation({ summary: 'The studios the signed-in user belongs to, with their role in each', description: 'Ordered by name; `current` marks the session\'s studio.' })
  @ApiOkResponse({ type: StudioListDto })
  listOrganizations(@CurrentPrincipal() principal: Principal): Promise<StudioListDto> {
    return this.studios.list(principal);
  }

  @Post('switch')
  @Access('member')
  @AllowWhileSuspended()
  @RateLimit('switch')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Move the session to another of your studios',
    description: 'Sets a new session cookie for that studio and ends the current session. A studio you are not a member of is a 404.',
  })
  @ApiOkResponse({ type: AuthSessionDto, description: 'Switched; a new session cookie is set and the old one no longer works' })
  @ApiProblems(400, 404)
  async switchOrganization(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: SwitchStudioDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthSessionDto> {
    const { token, body } = await this.studios.switch(principal, dto.organizationId, sessionClientOf(request));
    setSessionCookie(reply, this.config, token);
    return body;
  }
}
