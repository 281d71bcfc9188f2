import { Body, Controller, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import { publicUrlOf } from '../auth/session-cookie.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CheckoutService } from './checkout.service.js';
import { CheckoutDto, CreateCheckoutDto } from './dto/stripe.dto.js';

// Issue 11: money routes are for admins.
@ApiTags('stripe')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/invoices')
export class CheckoutController {
  constructor(
    private readonly checkout: CheckoutService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post(':id/checkout')
  @Access('admin')
  @ApiOperation({
    summary: 'A Stripe checkout link for an invoice balance or one share',
    description:
      "A Checkout Session on the studio's connected account for the balance (or the share's open amount). The invoice is paid when Stripe's webhook confirms it. " +
      '409 `online-payment-off` (no Stripe key), `stripe-not-connected`, `invoice-not-payable` (draft, void, credit note, nothing left to pay).',
  })
  @ApiCreatedResponse({ type: CheckoutDto })
  @ApiProblems(400, 404, 409, 502)
  createCheckout(@Param('id', uuidParam) id: string, @Body() dto: CreateCheckoutDto, @Req() request: FastifyRequest): Promise<CheckoutDto> {
    return this.checkout.create(id, dto, publicUrlOf(this.config, request));
  }
}
