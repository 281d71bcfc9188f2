import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { BookingChangesService } from './booking-changes.service.js';
import { BookingReferences } from './booking-references.js';
import { BookingWrites } from './booking-writes.js';
import { BookingsController } from './bookings.controller.js';
import { BookingsService } from './bookings.service.js';
import { HoldExpiryJob } from './hold-expiry.job.js';

/** Issue 9: bookings, their conflicts (PostgreSQL exclusion constraints), holds that expire, recurring series. */
@Module({
  imports: [JobsModule],
  controllers: [BookingsController],
  providers: [BookingsService, BookingChangesService, BookingWrites, BookingReferences, HoldExpiryJob],
  exports: [BookingsService], // issue 12, bookreq: approving a booking request makes its booking
})
export class BookingsModule {}
