import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { MailModule } from '../mail/mail.module.js';
import { BookingReminders } from './booking-reminders.job.js';
import { EventMails } from './event-mails.js';
import { MailDeliveries } from './mail-deliveries.service.js';

/**
 * Issue 13, mailnotify: email per notification preference, the client's booking mails with .ics, and
 * reminders before a session, all through one per-studio mail queue (mail_deliveries) sent by MailDeliveries.
 */
@Module({
  imports: [JobsModule, MailModule],
  providers: [EventMails, MailDeliveries, BookingReminders],
  exports: [EventMails, MailDeliveries, BookingReminders],
})
export class NotificationMailModule {}
