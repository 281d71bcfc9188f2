import { Body, Controller, Get, Header, HttpCode, HttpStatus, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AuthService } from './auth.service.js';
import { LocalAuthGuard } from './auth.guards.js';
import type { Principal } from './auth.types.js';
import { CurrentPrincipal, OptionalPrincipal } from './current-principal.decorator.js';
import { AuthSessionDto, MeDto, SessionStateDto } from './dto/auth-session.dto.js';
import { LoginDto } from './dto/login.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { VerifyEmailDto } from './dto/verify-email.dto.js';
import { EmailVerification } from './email-verification.service.js';
import { AllowWhileSuspended } from './allow-while-suspended.decorator.js';
import { Public } from './public.decorator.js';
import { OptionalSession } from './optional-session.decorator.js';
import { Access } from './access.decorator.js';
import { publicUrlOf, sessionClientOf, sessionCookieOptions, setSessionCookie } from './session-cookie.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';

@ApiTags('auth')
// Issue 7 (accounts-access): every route here is for any signed-in member (by session) unless it says @Public().
@Access('member')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly verification: EmailVerification,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @RateLimit('register')
  @Post('register')
  @ApiOperation({
    summary: 'Sign up a studio and its owner; starts a session',
    description: 'Creates the studio (organization), its own database and the owner account, then sets the session cookie.',
  })
  @ApiCreatedResponse({ type: AuthSessionDto, description: 'Created; the session cookie is set' })
  @ApiProblems(409, 503)
  async register(
    @Body() dto: RegisterDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthSessionDto> {
    const { body, token } = await this.auth.register(dto, this.publicUrl(request), sessionClientOf(request));
    this.setSessionCookie(reply, token);
    reply.status(HttpStatus.CREATED);
    return body;
  }

  @Public()
  @UseGuards(LocalAuthGuard)
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiBody({ type: LoginDto })
  @ApiOperation({
    summary: 'Log in with email and password; starts a new session',
    description: 'A wrong email and a wrong password get the same 401. Any session cookie sent along is replaced.',
  })
  @ApiOkResponse({ type: AuthSessionDto, description: 'Logged in; a new session cookie is set' })
  @ApiProblems(401, 503)
  async login(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthSessionDto> {
    const { body, token } = await this.auth.login(principal, request.cookies?.[this.config.cookie.name], sessionClientOf(request));
    this.setSessionCookie(reply, token);
    return body;
  }

  @Post('logout')
  @AllowWhileSuspended()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiCookieAuth()
  @ApiOperation({ summary: 'End the current session', description: 'Deletes the session on the server and clears the cookie.' })
  @ApiNoContentResponse({ description: 'Logged out; the cookie is cleared' })
  async logout(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.auth.logout(principal);
    reply.clearCookie(this.config.cookie.name, this.cookieOptions());
  }

  @Get('me')
  @AllowWhileSuspended()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'The signed-in user, their studio and role', description: 'What the web app shows after loading; a 401 means log in.' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentPrincipal() principal: Principal): Promise<MeDto> {
    return this.auth.me(principal);
  }

  @Get('session')
  @OptionalSession()
  // Says who is signed in right now: never from a cache, shared or the browser's.
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Whether this browser is signed in, and as whom; never a 401',
    description:
      'What the web app asks on load: `authenticated: false` without a live session (no cookie, an unknown or expired one), ' +
      'else `authenticated: true` and `me`, the object GET /api/v1/auth/me returns (also for a suspended studio).',
  })
  @ApiOkResponse({ type: SessionStateDto })
  @ApiProblems(503)
  async session(@OptionalPrincipal() principal: Principal | undefined): Promise<SessionStateDto> {
    return principal ? { authenticated: true, me: await this.auth.me(principal) } : { authenticated: false };
  }

  @Public()
  @Post('verify-email')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: "Verify the owner's email with the token from the link; the token works once",
    description: 'The token comes from the link emailed at sign-up (or by resend). A used, replaced or expired token is a 410.',
  })
  @ApiNoContentResponse({ description: 'Verified; the studio is no longer on probation' })
  @ApiProblems(410)
  verifyEmail(@Body() dto: VerifyEmailDto): Promise<void> {
    return this.verification.verify(dto.token);
  }

  @Post('verify-email/resend')
  @RateLimit('verification-resend')
  @AllowWhileSuspended()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiCookieAuth()
  @ApiOperation({
    summary: 'Send a new verification link to the signed-in user; earlier links stop working',
    description: 'Allowed while the studio is suspended, since verifying is the way out. A 409 when the email is already verified.',
  })
  @ApiNoContentResponse({ description: 'A new link was sent' })
  @ApiProblems(401, 409)
  resendVerification(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    return this.verification.resend(principal.userId, this.publicUrl(request));
  }

  private publicUrl(request: FastifyRequest): string {
    return publicUrlOf(this.config, request);
  }

  private cookieOptions() {
    return sessionCookieOptions(this.config);
  }

  private setSessionCookie(reply: FastifyReply, token: string): void {
    setSessionCookie(reply, this.config, token);
  }
}
