import { Module } from '@nestjs/common';
import { CalendarFeedReader } from './calendar-feed-reader.service.js';
import { CalendarFeedsController } from './calendar-feeds.controller.js';
import { CalendarFeedsService } from './calendar-feeds.service.js';

/** Issue 9 (booking-extras): secret, revocable ICS feeds per room and per engineer. */
@Module({ controllers: [CalendarFeedsController], providers: [CalendarFeedsService, CalendarFeedReader] })
export class CalendarFeedsModule {}
