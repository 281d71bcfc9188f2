import { Module } from '@nestjs/common';
import { BookingsModule } from '../bookings/bookings.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { MailModule } from '../mail/mail.module.js';
import { PortalBookingsController } from '../portal/portal-bookings.controller.js';
import { PortalBookingsService } from '../portal/portal-bookings.service.js';
import { BookingRequestMail } from './booking-request-mail.js';
import { BookingRequestsController } from './booking-requests.controller.js';
import { BookingRequestsService } from './booking-requests.service.js';
import { PortalBookingRequestsService } from './portal-booking-requests.service.js';

/**
 * Issue 12: booking requests (the portal asks, the staff queue decides) and the client's sessions in the
 * portal. Its own module, so the portal module stays as it is.
 */
@Module({
  imports: [BookingsModule, MailModule, IdempotencyModule],
  controllers: [BookingRequestsController, PortalBookingsController],
  providers: [BookingRequestsService, BookingRequestMail, PortalBookingRequestsService, PortalBookingsService],
})
export class BookingRequestsModule {}
