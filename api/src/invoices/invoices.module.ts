import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { MailModule } from '../mail/mail.module.js';
import { ClientBalanceController, ClientBalanceService } from './client-balance.controller.js';
import { InvoiceFromBookingsService } from './invoice-from-bookings.service.js';
import { InvoiceLifecycleService } from './invoice-lifecycle.service.js';
import { InvoicesController } from './invoices.controller.js';
import { InvoicesService } from './invoices.service.js';
import { LateNoticeJob } from './late-notice.job.js';

@Module({
  imports: [MailModule, JobsModule],
  controllers: [InvoicesController, ClientBalanceController],
  providers: [InvoicesService, InvoiceLifecycleService, InvoiceFromBookingsService, ClientBalanceService, LateNoticeJob],
})
export class InvoicesModule {}
