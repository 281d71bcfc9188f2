import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Caller, Principal } from '../auth/auth.types.js';
import { CurrentCaller, CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { AuthSessionDto } from '../auth/dto/auth-session.dto.js';
import { Public } from '../auth/public.decorator.js';
import { publicUrlOf, sessionClientOf, setSessionCookie } from '../auth/session-cookie.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { withRateLimitHeaders } from '../rate-limit/rate-limit.problem.js';
import { AcceptInviteDto, CreateInviteDto, InviteDto, InviteListDto, ListInvitesQueryDto } from './dto/invite.dto.js';
import { InvitesService } from './invites.service.js';

@ApiTags('invites')
@Controller('api/v1/invites')
export class InvitesController {
  constructor(
    private readonly invites: InvitesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @Access('admin', { sessionOnly: true })
  @RateLimit('invite')
  @ApiCookieAuth()
  @ApiOperation({
    summary: 'Invite someone by email',
    description: 'Emails a one-time link valid for 7 days (INVITE_TTL_HOURS). Inviting the same email again replaces the link. Only an owner may invite an owner; a member already in the studio is a 409.',
  })
  @ApiCreatedResponse({ type: InviteDto })
  @ApiProblems(400, 409)
  createInvite(@CurrentPrincipal() principal: Principal, @Body() dto: CreateInviteDto, @Req() request: FastifyRequest): Promise<InviteDto> {
    return this.invites.create(principal, dto, publicUrlOf(this.config, request));
  }

  @Get()
  @Access('admin')
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Pending invitations', description: 'Ordered by email; expired ones stay listed (see expiresAt) until revoked or sent again.' })
  @ApiOkResponse({ type: InviteListDto })
  @ApiProblems(400)
  listInvites(@CurrentCaller() caller: Caller, @Query() query: ListInvitesQueryDto): Promise<InviteListDto> {
    return this.invites.list(caller, query);
  }

  @Delete(':id')
  @Access('admin', { sessionOnly: true })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Revoke a pending invitation', description: 'Its link stops working at once. An invitation as owner only an owner revokes.' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiProblems(400, 404)
  deleteInvite(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam) id: string): Promise<void> {
    return this.invites.revoke(principal, id);
  }

  @Public()
  @Post('accept')
  @RateLimit('invite-accept')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Accept an invitation with the token from its link; starts a session in that studio',
    description:
      'A new email: give `name` and `password` (at least 12 characters, not a common password) to create the account. An email that already has an account: give its current `password` (a wrong one counts as a failed login). The link works once.',
  })
  @ApiOkResponse({ type: AuthSessionDto, description: 'Joined; the session cookie is set' })
  @ApiProblems(400, 401, 409, 410, 503)
  async acceptInvite(@Body() dto: AcceptInviteDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<AuthSessionDto> {
    // The login limits may refuse the password check: their 429 carries Retry-After like any other.
    const { token, body } = await withRateLimitHeaders(reply, () => this.invites.accept(dto, sessionClientOf(request)));
    setSessionCookie(reply, this.config, token);
    return body;
  }
}
