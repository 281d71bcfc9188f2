import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { createStripeClient, STRIPE_CLIENT } from './stripe-client.js';

/**
 * The one Stripe client, on its own so both the Connect side (StripeModule) and the studio's own
 * subscription (SubscriptionModule, which StripeModule's platform webhook calls) can use it without
 * importing each other.
 */
@Module({
  providers: [{ provide: STRIPE_CLIENT, useFactory: (config: AppConfig) => createStripeClient(config.stripe), inject: [APP_CONFIG] }],
  exports: [STRIPE_CLIENT],
})
export class StripeClientModule {}
