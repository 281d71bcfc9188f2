import { Module } from '@nestjs/common';
import { DeliverableViews } from './deliverable-views.js';
import { DeliverablesController } from './deliverables.controller.js';
import { DeliverablesService } from './deliverables.service.js';
import { ReviewCommentsController } from './review-comments.controller.js';
import { ReviewCommentsService } from './review-comments.service.js';
import { ReviewPeople } from './review-people.js';
import { VersionsController } from './versions.controller.js';
import { VersionsService } from './versions.service.js';

/** Issue 10, reviews: deliverables, their versions, review decisions (revision rounds) and time-stamped comments. */
@Module({
  controllers: [DeliverablesController, VersionsController, ReviewCommentsController],
  providers: [DeliverablesService, VersionsService, ReviewCommentsService, DeliverableViews, ReviewPeople],
  // Issue 12: the portal's reviews go through the same services (one path for decisions and comments).
  exports: [VersionsService, ReviewCommentsService, DeliverableViews],
})
export class DeliverablesModule {}
