import { AuditEntry } from '../audit/audit-entry.entity.js';
import { BookingEngineer } from '../bookings/booking-engineer.entity.js';
import { BookingEquipment } from '../bookings/booking-equipment.entity.js';
import { Booking } from '../bookings/booking.entity.js';
import { CalendarFeed } from '../calendar-feeds/calendar-feed.entity.js';
import { Client } from '../clients/client.entity.js';
import { DeliverableVersion } from '../deliverables/deliverable-version.entity.js';
import { Deliverable } from '../deliverables/deliverable.entity.js';
import { ReviewComment } from '../deliverables/review-comment.entity.js';
import { EngineerProfile } from '../engineers/engineer-profile.entity.js';
import { EngineerTimeOff } from '../engineers/engineer-time-off.entity.js';
import { Equipment } from '../equipment/equipment.entity.js';
import { FilePeaks } from '../files/file-peaks.entity.js';
import { StoredFile } from '../files/stored-file.entity.js';
import { OutboxEvent } from '../outbox/outbox-event.entity.js';
import { Project } from '../projects/project.entity.js';
import { Track } from '../projects/track.entity.js';
import { RecallSheet } from '../recall-sheets/recall-sheet.entity.js';
import { Room } from '../rooms/room.entity.js';
import { BillingSettings } from '../billing-settings/billing-settings.entity.js';
import { DocumentSequence } from '../billing-settings/document-sequence.entity.js';
import { IdempotencyKey } from '../idempotency/idempotency-key.entity.js';
import { InvoiceDeposit } from '../invoices/invoice-deposit.entity.js';
import { InvoiceLine } from '../invoices/invoice-line.entity.js';
import { Invoice } from '../invoices/invoice.entity.js';
import { InvoiceShare } from '../payments/invoice-share.entity.js';
import { Payment } from '../payments/payment.entity.js';
import { CheckoutSession } from '../stripe/checkout-session.entity.js';
import { StripeEvent } from '../stripe/stripe-event.entity.js';
import { TaxRate } from '../tax-rates/tax-rate.entity.js';
import { StudioSettings } from '../studio/studio-settings.entity.js';
import { NotificationPreference } from '../notifications/notification-preference.entity.js';
import { Notification } from '../notifications/notification.entity.js';
import { PortalNotification } from '../notifications/portal-notification.entity.js'; // issue 13, board
import { QuoteLine } from '../quotes/quote-line.entity.js';
import { Quote } from '../quotes/quote.entity.js';
// Issue 12, portal.
import { PortalAccount } from '../portal/portal-account.entity.js';
import { PortalSession } from '../portal/portal-session.entity.js';
import { PortalToken } from '../portal/portal-token.entity.js';
// Issue 13, mailnotify.
import { MailDelivery } from '../notification-mail/mail-delivery.entity.js';
// Issue 13, webhooks.
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity.js';
import { WebhookEndpoint } from '../webhooks/webhook-endpoint.entity.js';
import { BookingRequest } from '../booking-requests/booking-request.entity.js'; // issue 12, bookreq

/** Every entity that lives in a tenant database. */
export const TENANT_ENTITIES = [
  Client, AuditEntry, StudioSettings, Room, Equipment, EngineerProfile, EngineerTimeOff, Booking, BookingEngineer, BookingEquipment, RecallSheet, CalendarFeed,
  // Issue 10: projects, tracks, files, deliverables and reviews; the outbox (events for the real-time issue).
  Project, Track, StoredFile, FilePeaks, Deliverable, DeliverableVersion, ReviewComment, OutboxEvent,
  // Issue 11: money.
  TaxRate, BillingSettings, DocumentSequence, Invoice, InvoiceLine, InvoiceDeposit, InvoiceShare, Payment, CheckoutSession, StripeEvent, IdempotencyKey,
  // Issue 11, quotes.
  Quote, QuoteLine,
  // Issue 12, portal: client portal accounts, sessions and one-time links.
  PortalAccount, PortalSession, PortalToken,
  // Issue 12, bookreq: booking requests from the portal.
  BookingRequest,
  // Issue 13, realtime: the notification centre.
  Notification, NotificationPreference,
  // Issue 13, mailnotify: the outgoing mail queue.
  MailDelivery,
  // Issue 13, webhooks: integrators' endpoints and the delivery log.
  WebhookEndpoint, WebhookDelivery,
  PortalNotification, // issue 13, board
];
