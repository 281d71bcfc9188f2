import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import { publicUrlOf } from '../auth/session-cookie.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { ValidationProblem } from '../common/problem.js';
import { uuidParam } from '../common/uuid-param.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CreatePortalInviteDto, PortalAccountDto, PortalAccountListDto } from './dto/portal-accounts.dto.js';
import { PortalAccountsService } from './portal-accounts.service.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';

const accountIdParam = new ParseUUIDPipe({ exceptionFactory: () => new ValidationProblem([{ field: 'accountId', messages: ['accountId must be a UUID'] }]) });

// Issue 12, portal: viewers see who has portal access; admins invite and disable (the portal shows money).
@ApiTags('portal-accounts')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/clients/:id')
export class PortalAccountsController {
  constructor(
    private readonly accounts: PortalAccountsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('portal-invites')
  @Access('admin')
  @RateLimit('invite')
  @ApiOperation({
    summary: "Invite a client's contact to the client portal",
    description:
      'Creates the portal account (or finds the client\'s existing one for this address) and emails a one-time link to choose a password; ' +
      'an earlier unused invitation link stops working. 409 `portal-email-taken` when the address belongs to another client of the studio; ' +
      '409 `portal-account-disabled` when its account is disabled (nothing is mailed). The mail server failing → 502 `mail-not-sent`: ' +
      'the account exists and inviting again sends a new link.',
  })
  @ApiCreatedResponse({ type: PortalAccountDto })
  @ApiProblems(400, 404, 409, 502)
  invitePortalContact(@Param('id', uuidParam) id: string, @Body() dto: CreatePortalInviteDto, @Req() request: FastifyRequest): Promise<PortalAccountDto> {
    return this.accounts.invite(id, dto, publicUrlOf(this.config, request));
  }

  @Get('portal-accounts')
  @Access('viewer')
  @ApiOperation({ summary: "A client's portal accounts, with their status and last login", description: 'Oldest first. `invited`: no password chosen yet; `disabled`: refused everywhere, its sessions ended.' })
  @ApiOkResponse({ type: PortalAccountListDto })
  @ApiProblems(400, 404)
  listPortalAccounts(@Param('id', uuidParam) id: string): Promise<PortalAccountListDto> {
    return this.accounts.list(id);
  }

  @Post('portal-accounts/:accountId/disable')
  @Access('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Disable a portal account: its sessions and unused links end at once', description: 'Disabling a disabled account changes nothing.' })
  @ApiOkResponse({ type: PortalAccountDto })
  @ApiProblems(400, 404)
  disablePortalAccount(@Param('id', uuidParam) id: string, @Param('accountId', accountIdParam) accountId: string): Promise<PortalAccountDto> {
    return this.accounts.setDisabled(id, accountId, true);
  }

  @Post('portal-accounts/:accountId/enable')
  @Access('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Enable a disabled portal account again', description: 'It signs in again with its password or a new link; ended sessions stay ended.' })
  @ApiOkResponse({ type: PortalAccountDto })
  @ApiProblems(400, 404)
  enablePortalAccount(@Param('id', uuidParam) id: string, @Param('accountId', accountIdParam) accountId: string): Promise<PortalAccountDto> {
    return this.accounts.setDisabled(id, accountId, false);
  }
}
