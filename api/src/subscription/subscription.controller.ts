import { Controller, Get, Inject, Post, Req } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import { AllowWhileReadOnly } from '../auth/allow-while-read-only.decorator.js';
import { isApiKeyCaller, type Caller } from '../auth/auth.types.js';
import { CurrentCaller } from '../auth/current-principal.decorator.js';
import { publicUrlOf } from '../auth/session-cookie.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BillingRedirectDto, SubscriptionDto } from './dto/subscription.dto.js';
import { SubscriptionBillingService } from './subscription-billing.service.js';
import { SubscriptionService } from './subscription.service.js';

// Issue 11: the studio's own subscription is the owner's. Paying works while the studio is read-only
// (a lapsed studio must be able to pay its way out), so checkout and portal are @AllowWhileReadOnly.
@ApiTags('billing')
@ApiCookieAuth()
@Controller('api/v1/billing')
export class SubscriptionController {
  constructor(
    private readonly subscription: SubscriptionService,
    private readonly billing: SubscriptionBillingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Access('owner')
  @ApiOperation({
    summary: "The studio's own subscription to the platform",
    description: 'Trial or paid period, past-due state and when the studio would become read-only (writes → 402) unless it is paid.',
  })
  @ApiOkResponse({ type: SubscriptionDto })
  @ApiProblems()
  getSubscription(@CurrentCaller() caller: Caller): Promise<SubscriptionDto> {
    return this.subscription.details(caller.organizationId);
  }

  @Post('checkout')
  @Access('owner')
  @AllowWhileReadOnly()
  @ApiOperation({
    summary: 'Subscribe: a Stripe Checkout link',
    description:
      "Creates the studio's billing customer on the platform's Stripe account the first time, then a Checkout Session (subscription mode, the configured price) that returns to /settings/subscription. " +
      'The studio becomes active when Stripe\'s signed webhook says it paid. Works while the studio is read-only. 409 `online-billing-off` (no Stripe key or price), `already-subscribed` (use the portal).',
  })
  @ApiCreatedResponse({ type: BillingRedirectDto })
  @ApiProblems(409, 502)
  createSubscriptionCheckout(@CurrentCaller() caller: Caller, @Req() request: FastifyRequest): Promise<BillingRedirectDto> {
    return this.billing.checkout(caller.organizationId, isApiKeyCaller(caller) ? undefined : caller.label, publicUrlOf(this.config, request));
  }

  @Post('portal')
  @Access('owner')
  @AllowWhileReadOnly()
  @ApiOperation({
    summary: 'Manage billing: a Stripe Customer Portal link',
    description: 'Payment method, overdue invoice, cancellation; returns to /settings/subscription. Works while the studio is read-only. 409 `no-billing-customer` (never subscribed), `online-billing-off`.',
  })
  @ApiCreatedResponse({ type: BillingRedirectDto })
  @ApiProblems(409, 502)
  createBillingPortalSession(@CurrentCaller() caller: Caller, @Req() request: FastifyRequest): Promise<BillingRedirectDto> {
    return this.billing.portal(caller.organizationId, publicUrlOf(this.config, request));
  }
}
