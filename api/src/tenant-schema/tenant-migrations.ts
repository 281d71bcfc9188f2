import { CreateClients1764000000001 } from './migrations/1764000000001-CreateClients.js';
import { CreateAuditLog1764600000001 } from './migrations/1764600000001-CreateAuditLog.js';
import { ClientsCreatedOrder1795680000000 } from './migrations/1795680000000-ClientsCreatedOrder.js';
import { CreateStudioResources1796000000000 } from './migrations/1796000000000-CreateStudioResources.js';
import { CreateBookings1796100000000 } from './migrations/1796100000000-CreateBookings.js';
import { CreateRecallSheets1796150000000 } from './migrations/1796150000000-CreateRecallSheets.js';
import { CreateCalendarFeeds1796160000000 } from './migrations/1796160000000-CreateCalendarFeeds.js';
import { CreateProjects1796500000000 } from './migrations/1796500000000-CreateProjects.js';
import { VersionDecisionNote1796510000000 } from './migrations/1796510000000-VersionDecisionNote.js';
import { CreateMoney1796600000000 } from './migrations/1796600000000-CreateMoney.js';
import { CreateQuotes1796610000000 } from './migrations/1796610000000-CreateQuotes.js';
import { SharesDetachOnDelete1796620000000 } from './migrations/1796620000000-SharesDetachOnDelete.js';
import { QuoteSentAt1796630000000 } from './migrations/1796630000000-QuoteSentAt.js';
import { CreateNotifications1796800000000 } from './migrations/1796800000000-CreateNotifications.js'; // issue 13, realtime
import { CreatePortal1796810000000 } from './migrations/1796810000000-CreatePortal.js'; // issue 12, portal
import { CreateMailDeliveries1796930000000 } from './migrations/1796930000000-CreateMailDeliveries.js'; // issue 13, mailnotify
import { CreateWebhooks1796940000000 } from './migrations/1796940000000-CreateWebhooks.js'; // issue 13, webhooks
import { CreateBookingRequests1796900000000 } from './migrations/1796900000000-CreateBookingRequests.js'; // issue 12, bookreq
import { CreatePortalNotifications1796950000000 } from './migrations/1796950000000-CreatePortalNotifications.js'; // issue 13, board
import { WebhookDeliveryLease1796960000000 } from './migrations/1796960000000-WebhookDeliveryLease.js'; // issue 13, webhooks

/** Every tenant database's migrations, oldest first. The last one's timestamp is the schema version. */
export const TENANT_MIGRATIONS = [
  CreateClients1764000000001,
  CreateAuditLog1764600000001,
  ClientsCreatedOrder1795680000000,
  CreateStudioResources1796000000000,
  CreateBookings1796100000000,
  CreateRecallSheets1796150000000,
  CreateCalendarFeeds1796160000000,
  CreateProjects1796500000000,
  VersionDecisionNote1796510000000,
  CreateMoney1796600000000,
  CreateQuotes1796610000000,
  SharesDetachOnDelete1796620000000,
  QuoteSentAt1796630000000,
  CreateNotifications1796800000000, // issue 13, realtime
  CreatePortal1796810000000, // issue 12, portal
  CreateBookingRequests1796900000000, // issue 12, bookreq
  CreateMailDeliveries1796930000000, // issue 13, mailnotify
  CreateWebhooks1796940000000, // issue 13, webhooks
  CreatePortalNotifications1796950000000, // issue 13, board
  WebhookDeliveryLease1796960000000, // issue 13, webhooks: redelivery while in flight
];

/** Timestamp of the newest tenant migration: what a tenant database must be at to be served. */
export const LATEST_TENANT_SCHEMA_VERSION = String(
  Math.max(...TENANT_MIGRATIONS.map((m) => Number(/(\d{13})$/.exec(m.name)![1]))),
);
