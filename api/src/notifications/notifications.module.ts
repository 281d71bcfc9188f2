import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { NotificationMailModule } from '../notification-mail/notification-mail.module.js'; // issue 13, mailnotify
import { NotificationBus } from './notification-bus.service.js';
import { NotificationDispatcher } from './notification-dispatcher.service.js';
import { NotificationStreams } from './notification-streams.service.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';
import { PortalNotificationsController } from './portal-notifications.controller.js'; // issue 13, board

/** Issue 13, realtime: the dispatcher (outbox → notifications), the bus across instances, the streams and the REST routes. */
@Module({
  imports: [JobsModule, NotificationMailModule],
  controllers: [NotificationsController, PortalNotificationsController],
  providers: [NotificationsService, NotificationBus, NotificationDispatcher, NotificationStreams],
  exports: [NotificationBus, NotificationDispatcher, NotificationStreams],
})
export class NotificationsModule {}
