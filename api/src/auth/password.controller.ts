import { AllowWhileReadOnly } from './allow-while-read-only.decorator.js';
import { Body, Controller, HttpCode, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCookieAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from './access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ApiRateLimits } from '../rate-limit/api-rate-limits.service.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { withRateLimitHeaders } from '../rate-limit/rate-limit.problem.js';
import { AccountPasswords } from './account-passwords.service.js';
import type { Principal } from './auth.types.js';
import { CurrentPrincipal } from './current-principal.decorator.js';
import { ChangePasswordDto, PasswordResetAcceptedDto, PasswordResetConfirmDto, PasswordResetRequestDto } from './dto/password.dto.js';
import { publicUrlOf } from './session-cookie.js';
import { Public } from './public.decorator.js';

const RESET_ACCEPTED: PasswordResetAcceptedDto = { detail: 'If an account uses this address, a link to reset its password is on its way.' };

/** Issue 7, accounts-mail: forgotten password (reset by email link) and password change. */
@ApiTags('auth')
// Issue 7: for any signed-in member, by session (an API key may not touch passwords or sessions) unless @Public().
@Access('member')
@Controller('api/v1/auth')
export class PasswordController {
  constructor(
    private readonly passwords: AccountPasswords,
    private readonly limits: ApiRateLimits,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @RateLimit('password-reset')
  @Post('password-reset')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Email a password reset link; the same answer whether or not the address has an account',
    description:
      'Always 202 with the same body: the address is looked up, and the link sent, after the answer. Limited per client IP and per address (429 with Retry-After).',
  })
  @ApiAcceptedResponse({ type: PasswordResetAcceptedDto })
  async requestPasswordReset(
    @Body() dto: PasswordResetRequestDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PasswordResetAcceptedDto> {
    await withRateLimitHeaders(reply, () => this.limits.consumePasswordResetForEmail(dto.email));
    this.passwords.requestReset(dto.email, publicUrlOf(this.config, request));
    return RESET_ACCEPTED;
  }

  @Public()
  @RateLimit('password-reset-confirm')
  @Post('password-reset/confirm')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Set a new password with the token from a reset link; ends every session of the user',
    description: 'The link works once, for an hour, and only the newest one. A used, replaced or expired token is a 410; a weak password a 400.',
  })
  @ApiNoContentResponse({ description: 'The password is set; every session of the user has ended (sign in again)' })
  @ApiProblems(410, 503)
  confirmPasswordReset(@Body() dto: PasswordResetConfirmDto, @Req() request: FastifyRequest): Promise<void> {
    return this.passwords.confirmReset(dto.token, dto.password, publicUrlOf(this.config, request));
  }

  @Post('password')
  @AllowWhileReadOnly() // the account's own security, even while the subscription has lapsed
  @RateLimit('password-change')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiCookieAuth()
  @ApiOperation({
    summary: "Change the signed-in user's password; ends their other sessions",
    description: 'Needs the current password (a wrong one is a 400 on currentPassword). This session stays signed in; every other one ends.',
  })
  @ApiNoContentResponse({ description: 'Changed; the other sessions have ended' })
  @ApiProblems(401)
  changePassword(@CurrentPrincipal() principal: Principal, @Body() dto: ChangePasswordDto, @Req() request: FastifyRequest): Promise<void> {
    return this.passwords.change(principal, dto.currentPassword, dto.newPassword, publicUrlOf(this.config, request));
  }
}
