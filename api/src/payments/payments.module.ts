import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { InvoicePaymentsController, PaymentsController } from './payments.controller.js';
import { PaymentsService } from './payments.service.js';
import { SharesService } from './shares.service.js';

/** Issue 11: manual payments and split shares. SharesService is exported (the invoice shows its shares). */
@Module({
  imports: [IdempotencyModule],
  controllers: [InvoicePaymentsController, PaymentsController],
  providers: [PaymentsService, SharesService],
  exports: [PaymentsService, SharesService],
})
export class PaymentsModule {}
