import { Body, Controller, Get, Header, HttpCode, HttpStatus, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PortalAccess } from '../auth/access.decorator.js';
import { AllowWhileSuspended } from '../auth/allow-while-suspended.decorator.js';
import type { PortalPrincipal } from '../auth/auth.types.js';
import { Public } from '../auth/public.decorator.js';
import { publicUrlOf } from '../auth/session-cookie.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ApiRateLimits } from '../rate-limit/api-rate-limits.service.js';
import { LoginThrottle } from '../rate-limit/login-throttle.service.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { withRateLimitHeaders } from '../rate-limit/rate-limit.problem.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { CurrentPortalPrincipal } from './current-portal-principal.decorator.js';
import { PortalAcceptedDto, PortalAcceptInviteDto, PortalLoginDto, PortalMagicLinkRequestDto, PortalMeDto, PortalTokenDto } from './dto/portal-auth.dto.js';
import { slugOf, StudioSlugParam } from './studio-slug.js';
import { PortalAuthService, type PortalSignedIn, type PortalSignIn } from './portal-auth.service.js';
import { PortalSessions } from '../auth/portal-sessions.service.js';


/**
 * Issue 12, portal: signing in to a studio's client portal (under its slug: public, rate-limited per IP
 * and per email) and the signed-in client's own session (portal cookie). See docs/portal.md.
 */
@ApiTags('portal')
@Controller('api/v1/portal')
export class PortalAuthController {
  constructor(
    private readonly auth: PortalAuthService,
    private readonly sessions: PortalSessions,
    private readonly limits: ApiRateLimits,
    private readonly throttle: LoginThrottle,
    private readonly tenant: TenantConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @RateLimit('portal-auth')
  @Post(':studioSlug/auth/login')
  @StudioSlugParam()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "Sign in to a studio's client portal with email and password; starts a portal session",
    description: 'A wrong email, a wrong password, an account without a password yet or a disabled one get the same 401. Sets the portal cookie (Path /api/v1/portal).',
  })
  @ApiOkResponse({ type: PortalMeDto, description: 'Signed in; a new portal cookie is set' })
  @ApiProblems(400, 401, 503)
  async portalLogin(@Param('studioSlug') studioSlug: string, @Body() dto: PortalLoginDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<PortalMeDto> {
    const slug = slugOf(studioSlug);
    // The staff login's brute-force rule, for this studio's portal account of the address: failures
    // count (a success resets them) and an IP the client signed in from before is not held back.
    const attempt = await withRateLimitHeaders(reply, () => this.throttle.begin(dto.email, request.ip, `portal:${slug}`));
    const signedIn = await this.auth.login(slug, dto, this.signInOf(request));
    await attempt.succeeded();
    return this.answer(reply, signedIn);
  }

  @Public()
  @RateLimit('portal-auth')
  @Post(':studioSlug/auth/magic-link')
  @StudioSlugParam()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Email a one-time sign-in link; the same 202 whether or not the address has an account',
    description: `The link works once, for ${'`PORTAL_MAGIC_LINK_MINUTES`'} (15 minutes by default); a newer link replaces it.`,
  })
  @ApiAcceptedResponse({ type: PortalAcceptedDto })
  @ApiProblems(400, 503)
  async requestPortalMagicLink(@Param('studioSlug') studioSlug: string, @Body() dto: PortalMagicLinkRequestDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<PortalAcceptedDto> {
    const slug = slugOf(studioSlug);
    await withRateLimitHeaders(reply, () => this.limits.consumePortalMagicLinkForEmail(slug, dto.email));
    this.auth.requestMagicLink(slug, dto.email, publicUrlOf(this.config, request));
    return { accepted: true };
  }

  @Public()
  @RateLimit('portal-auth')
  @Post(':studioSlug/auth/magic-link/verify')
  @StudioSlugParam()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign in with the token of an emailed link; the token works once', description: 'A used, replaced or expired link is a 410.' })
  @ApiOkResponse({ type: PortalMeDto, description: 'Signed in; a new portal cookie is set' })
  @ApiProblems(400, 410, 503)
  async verifyPortalMagicLink(@Param('studioSlug') studioSlug: string, @Body() dto: PortalTokenDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<PortalMeDto> {
    return this.answer(reply, await this.auth.verifyMagicLink(slugOf(studioSlug), dto.token, this.signInOf(request)));
  }

  @Public()
  @RateLimit('portal-auth')
  @Post(':studioSlug/auth/accept-invite')
  @StudioSlugParam()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Accept a portal invitation: choose a password and sign in', description: 'The token comes from the invitation email and works once. A used, replaced or expired one is a 410.' })
  @ApiOkResponse({ type: PortalMeDto, description: 'Password set and signed in; a new portal cookie is set' })
  @ApiProblems(400, 410, 503)
  async acceptPortalInvite(@Param('studioSlug') studioSlug: string, @Body() dto: PortalAcceptInviteDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<PortalMeDto> {
    return this.answer(reply, await this.auth.acceptInvite(slugOf(studioSlug), dto, this.signInOf(request)));
  }

  @PortalAccess()
  @Get(':studioSlug/auth/session')
  @StudioSlugParam()
  @Header('Cache-Control', 'no-store')
  @ApiCookieAuth('portal')
  @ApiOperation({
    summary: "The portal client signed in to this studio's portal",
    description: "What the portal's pages ask on load: a 401 when the portal cookie is missing, ended, or another studio's.",
  })
  @ApiOkResponse({ type: PortalMeDto })
  portalSession(@Param('studioSlug') _studioSlug: string, @CurrentPortalPrincipal() principal: PortalPrincipal): Promise<PortalMeDto> {
    return this.meOf(principal);
  }

  @PortalAccess()
  @Get('me')
  @Header('Cache-Control', 'no-store')
  @ApiCookieAuth('portal')
  @ApiOperation({ summary: 'The signed-in portal client, their account and the studio', description: 'A 401 when the portal cookie is missing or its session ended (logout, expiry, a disabled account).' })
  @ApiOkResponse({ type: PortalMeDto })
  portalMe(@CurrentPortalPrincipal() principal: PortalPrincipal): Promise<PortalMeDto> {
    return this.meOf(principal);
  }

  @PortalAccess()
  @AllowWhileSuspended() // the way out, as for staff: also while suspended or read-only (AllowWhileSuspended implies both)
  @Post('auth/logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiCookieAuth('portal')
  @ApiOperation({ summary: 'End the portal session', description: "Deletes the session from the studio's database and clears the portal cookie." })
  @ApiNoContentResponse({ description: 'Signed out; the cookie is cleared' })
  async portalLogout(@CurrentPortalPrincipal() principal: PortalPrincipal, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.sessions.revoke(principal);
    this.sessions.clearCookie(reply);
  }

  private meOf(principal: PortalPrincipal): Promise<PortalMeDto> {
    return this.tenant.run((m) => this.auth.me(m, { id: principal.organizationId, slug: principal.studioSlug, name: principal.studioName }, principal.accountId));
  }

  private signInOf(request: FastifyRequest): PortalSignIn {
    return { presentedCookie: request.cookies?.[this.config.portal.cookieName], userAgent: request.headers['user-agent'] };
  }

  private answer(reply: FastifyReply, signedIn: PortalSignedIn): PortalMeDto {
    this.sessions.setCookie(reply, signedIn.cookie);
    return signedIn.body;
  }
}
