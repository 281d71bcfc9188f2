import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CheckoutController } from './checkout.controller.js';
import { CheckoutService } from './checkout.service.js';
import { createStripeClient, STRIPE_CLIENT } from './stripe-client.js';
import { StripeConnectionController } from './stripe-connection.controller.js';
import { StripeConnectionService } from './stripe-connection.service.js';
import { StripeWebhookEffects } from './stripe-webhook-effects.js';
import { StripeWebhooksController } from './stripe-webhooks.controller.js';
import { StripeWebhooksService } from './stripe-webhooks.service.js';

/** Issue 11, stripe: the connected account, checkout links and Stripe's webhooks. */
@Module({
  controllers: [StripeConnectionController, CheckoutController, StripeWebhooksController],
  providers: [
    { provide: STRIPE_CLIENT, useFactory: (config: AppConfig) => createStripeClient(config.stripe), inject: [APP_CONFIG] },
    StripeConnectionService,
    CheckoutService,
    StripeWebhooksService,
    StripeWebhookEffects,
  ],
  exports: [STRIPE_CLIENT],
})
export class StripeModule {}
