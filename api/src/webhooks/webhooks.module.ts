import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { WebhookDeliveryWorker } from './webhook-delivery.worker.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { WebhooksController } from './webhooks.controller.js';

/** Issue 13, webhooks: integrators' endpoints, fan-out from the outbox dispatch, signed deliveries with retries. */
@Module({
  imports: [JobsModule, NotificationsModule],
  controllers: [WebhooksController],
  providers: [WebhookEndpointsService, WebhookDeliveryWorker],
  exports: [WebhookDeliveryWorker],
})
export class WebhooksModule {}
