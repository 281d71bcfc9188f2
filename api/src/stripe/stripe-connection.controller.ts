import { Controller, Delete, Get, HttpCode, HttpStatus, Inject, Post, Req } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import { publicUrlOf } from '../auth/session-cookie.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { StripeConnectionDto, StripeOnboardingDto } from './dto/stripe.dto.js';
import { StripeConnectionService } from './stripe-connection.service.js';

// Issue 11, stripe: admins see whether online payment works; only the owner connects or disconnects the account.
@ApiTags('stripe')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/stripe/connection')
export class StripeConnectionController {
  constructor(
    private readonly connection: StripeConnectionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Access('admin')
  @ApiOperation({ summary: "The studio's Stripe connection", description: '`enabled` is false when online payment is off on this installation (no Stripe key).' })
  @ApiOkResponse({ type: StripeConnectionDto })
  getStripeConnection(): Promise<StripeConnectionDto> {
    return this.connection.get();
  }

  @Post()
  @Access('owner')
  @ApiOperation({
    summary: 'Connect a Stripe account (or continue its onboarding)',
    description: "Creates the studio's connected account when it has none, and answers a fresh Stripe onboarding link. 409 `online-payment-off` without a Stripe key.",
  })
  @ApiCreatedResponse({ type: StripeOnboardingDto })
  @ApiProblems(409, 502)
  connectStripe(@Req() request: FastifyRequest): Promise<StripeOnboardingDto> {
    return this.connection.connect(publicUrlOf(this.config, request));
  }

  @Post('refresh')
  @Access('owner')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Re-read the account's state from Stripe", description: 'After onboarding, or when a webhook was missed. 404 when the studio has no connected account.' })
  @ApiOkResponse({ type: StripeConnectionDto })
  @ApiProblems(404, 409, 502)
  refreshStripeConnection(): Promise<StripeConnectionDto> {
    return this.connection.refresh();
  }

  @Delete()
  @Access('owner')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Disconnect the Stripe account', description: 'No new checkouts; past payments, refunds and disputes are kept. 404 when nothing is connected.' })
  @ApiNoContentResponse({ description: 'Disconnected' })
  @ApiProblems(404)
  disconnectStripe(): Promise<void> {
    return this.connection.disconnect();
  }
}
