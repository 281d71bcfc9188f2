import { Module } from '@nestjs/common';
import { SubscriptionModule } from '../subscription/subscription.module.js';
import { CheckoutController } from './checkout.controller.js';
import { CheckoutService } from './checkout.service.js';
import { StripeClientModule } from './stripe-client.module.js';
import { StripeConnectionController } from './stripe-connection.controller.js';
import { StripeConnectionService } from './stripe-connection.service.js';
import { StripeWebhookEffects } from './stripe-webhook-effects.js';
import { StripeWebhooksController } from './stripe-webhooks.controller.js';
import { StripeWebhooksService } from './stripe-webhooks.service.js';

/** Issue 11, stripe: the connected account, checkout links and Stripe's webhooks. */
@Module({
  imports: [StripeClientModule, SubscriptionModule],
  controllers: [StripeConnectionController, CheckoutController, StripeWebhooksController],
  providers: [
    StripeConnectionService,
    CheckoutService,
    StripeWebhooksService,
    StripeWebhookEffects,
  ],
  exports: [StripeClientModule, CheckoutService], // CheckoutService: issue 12, the portal's Pay
})
export class StripeModule {}
