import { Module } from '@nestjs/common';
import { SubscriptionController } from './subscription.controller.js';
import { SubscriptionService } from './subscription.service.js';

/** Issue 11: the studio's own subscription (standing for every member, details for the owner). */
@Module({ controllers: [SubscriptionController], providers: [SubscriptionService], exports: [SubscriptionService] })
export class SubscriptionModule {}
