import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DeliverablesModule } from '../deliverables/deliverables.module.js';
import { FilesModule } from '../files/files.module.js';
import { FilePeaksModule } from '../files/peaks/file-peaks.module.js';
import { DocumentsModule } from '../documents/documents.module.js';
import { MailModule } from '../mail/mail.module.js';
import { StripeModule } from '../stripe/stripe.module.js';
import { PortalActivityController } from './portal-activity.controller.js';
import { PortalActivityService } from './portal-activity.service.js';
import { PortalBrandingController } from './portal-branding.controller.js';
import { PortalAccountsController } from './portal-accounts.controller.js';
import { PortalAccountsService } from './portal-accounts.service.js';
import { PortalAuthController } from './portal-auth.controller.js';
import { PortalAuthService } from './portal-auth.service.js';
import { PortalInvoicesController } from './portal-invoices.controller.js';
import { PortalInvoicesService } from './portal-invoices.service.js';
import { PortalProjectsController } from './portal-projects.controller.js';
import { PortalProjectsService } from './portal-projects.service.js';
import { PortalReviewsController } from './portal-reviews.controller.js';
import { PortalQuotesController } from './portal-quotes.controller.js';
import { PortalQuotesService } from './portal-quotes.service.js';
import { PortalStatementController } from './portal-statement.controller.js';
import { QuotesModule } from '../quotes/quotes.module.js';

/**
 * Issue 12, portal: client portal accounts (staff side), portal sign-in, and the client's own data.
 * PortalSessions lives in AuthModule (auth/portal-sessions.service.ts): the one access guard reads it.
 */
@Module({
  imports: [AuthModule, MailModule, DocumentsModule, StripeModule, DeliverablesModule, FilesModule, FilePeaksModule, QuotesModule],
  controllers: [
    PortalBrandingController,
    PortalAccountsController,
    PortalActivityController,
    PortalAuthController,
    PortalInvoicesController,
    PortalProjectsController,
    PortalReviewsController,
    PortalQuotesController,
    PortalStatementController,
  ],
  providers: [PortalAccountsService, PortalActivityService, PortalAuthService, PortalInvoicesService, PortalProjectsService, PortalQuotesService],
})
export class PortalModule {}
