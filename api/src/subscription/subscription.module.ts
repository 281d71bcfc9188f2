import { Module } from '@nestjs/common';
import { StripeClientModule } from '../stripe/stripe-client.module.js';
import { SubscriptionBillingService } from './subscription-billing.service.js';
import { SubscriptionController } from './subscription.controller.js';
import { SubscriptionEvents } from './subscription-events.service.js';
import { SubscriptionService } from './subscription.service.js';

/**
 * Issue 11: the studio's own subscription (standing for every member, details, checkout and portal for
 * the owner; SubscriptionEvents applies the platform webhook's subscription events).
 */
@Module({
  imports: [StripeClientModule],
  controllers: [SubscriptionController],
  providers: [SubscriptionService, SubscriptionBillingService, SubscriptionEvents],
  exports: [SubscriptionService, SubscriptionEvents],
})
export class SubscriptionModule {}
