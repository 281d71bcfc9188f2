import { type DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AuthModule } from './auth/auth.module.js';
import { ClientsModule } from './clients/clients.module.js';
import { ProjectsModule } from './projects/projects.module.js'; // issue 10, projects
// Issue 9, bookings.
import { BookingsModule } from './bookings/bookings.module.js';
// Issue 9, booking-extras: recall sheets and ICS feeds.
import { RecallSheetsModule } from './recall-sheets/recall-sheets.module.js';
import { CalendarFeedsModule } from './calendar-feeds/calendar-feeds.module.js';
// Issue 10, reviews: deliverables, versions, review comments.
import { DeliverablesModule } from './deliverables/deliverables.module.js';
// Issue 10, files: uploads, downloads and the blob stores.
import { FilesModule } from './files/files.module.js';
// Issue 7, accounts-access: members, invites, API keys, the audit log.
import { ApiKeysModule } from './api-keys/api-keys.module.js';
import { AuditModule } from './audit/audit.module.js';
import { InvitesModule } from './invites/invites.module.js';
import { MembersModule } from './members/members.module.js';
import { ShutdownState } from './common/graceful-shutdown.js';
// Issue 9, resources: studio settings, rooms, equipment, engineers.
import { EngineersModule } from './engineers/engineers.module.js';
import { EquipmentModule } from './equipment/equipment.module.js';
import { RoomsModule } from './rooms/rooms.module.js';
import { StudioModule } from './studio/studio.module.js';
import { pinoHttpOptions } from './common/logging.js';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { ControlModule } from './control/control.module.js';
import { HealthController } from './health/health.controller.js';
import { JobsModule } from './jobs/jobs.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { TenancyModule } from './tenancy/tenancy.module.js';
// Issue 10, peaks: the waveform job and GET /files/{id}/peaks.
import { FilePeaksModule } from './files/peaks/file-peaks.module.js';
// Issue 11, documents: PDFs (invoices, credit notes, statements), sending invoices, CSV exports.
import { DocumentsModule } from './documents/documents.module.js';
// Issue 11, settlements: tax rates, billing settings (logo included), manual payments and split shares.
import { BillingSettingsModule } from './billing-settings/billing-settings.module.js';
import { PaymentsModule } from './payments/payments.module.js';
import { TaxRatesModule } from './tax-rates/tax-rates.module.js';
// Issue 11, reports: revenue, receivables and utilisation (read-only, admin).
import { ReportsModule } from './reports/reports.module.js';
// Issue 11, invoices: drafts, finalization, credit notes, deposits, from bookings, client balance, late notices.
import { InvoicesModule } from './invoices/invoices.module.js';
// Issue 11, stripe: Connect account, checkout, webhooks.
import { StripeModule } from './stripe/stripe.module.js';
import { QuotesModule } from './quotes/quotes.module.js'; // issue 11, quotes
import { PortalModule } from './portal/portal.module.js'; // issue 12, portal
import { BookingRequestsModule } from './booking-requests/booking-requests.module.js'; // issue 12, bookreq
import { NotificationsModule } from './notifications/notifications.module.js'; // issue 13, realtime
import { WebhooksModule } from './webhooks/webhooks.module.js'; // issue 13, webhooks

@Global()
@Module({})
class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}

export { requestIdFrom } from './common/request-id.js';

@Module({})
export class AppModule {
  static register(config: AppConfig, logDestination?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          // Issue 14, perf: no per-request pino-http middleware (a child logger per request, another per
          // assign): the request's fields come from the logger's mixin, the access line from an onResponse
          // hook (logRequests in common/logging.ts).
          forRoutes: [],
          pinoHttp: logDestination ? [pinoHttpOptions(config), logDestination] : pinoHttpOptions(config),
        }),
        MetricsModule,
        ControlModule,
        TenancyModule,
        AuthModule,
        RateLimitModule, // after AuthModule: its global guard must run after the session guard
        AuditModule,
        ClientsModule,
        MembersModule,
        InvitesModule,
        ApiKeysModule,
        JobsModule,
        BookingsModule, // issue 9, bookings
        // Issue 9, resources.
        StudioModule,
        RoomsModule,
        EquipmentModule,
        EngineersModule,
        RecallSheetsModule, // issue 9, booking-extras
        CalendarFeedsModule, // issue 9, booking-extras
        ProjectsModule, // issue 10, projects
        DeliverablesModule, // issue 10, reviews
        FilesModule, // issue 10, files
        FilePeaksModule, // issue 10, peaks
        DocumentsModule, // issue 11, documents
        // Issue 11, settlements.
        TaxRatesModule,
        BillingSettingsModule,
        PaymentsModule,
        ReportsModule, // issue 11, reports
        InvoicesModule, // issue 11, invoices
        StripeModule, // issue 11, stripe
        QuotesModule, // issue 11, quotes
        PortalModule, // issue 12, portal
        BookingRequestsModule, // issue 12, bookreq: booking requests and the portal's sessions
        NotificationsModule, // issue 13, realtime
        WebhooksModule, // issue 13, webhooks
      ],
      controllers: [HealthController],
      providers: [ShutdownState], // issue 8, ops-deploy: graceful shutdown (main.ts, health)
    };
  }
}
