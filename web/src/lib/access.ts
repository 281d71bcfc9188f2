/**
 * What the signed-in member's role may do, for hiding actions and pages they could not use. The
 * roles come from openapi.json's `x-rsm-roles` (read at build time by vite/api-access.ts), the
 * same declarations the API's guard enforces, so the app never keeps its own copy of the rules.
 * Hiding is a courtesy: the API refuses regardless.
 */
import access from 'virtual:api-access';
import type { Role } from './api/types.ts';

/** Each thing the app shows or hides → the API operation it stands for. */
export const CAPABILITIES = {
	'clients.write': 'POST /api/v1/clients',
	'members.manage': 'PATCH /api/v1/members/{id}',
	'members.remove': 'DELETE /api/v1/members/{id}',
	'invites.manage': 'POST /api/v1/invites',
	'apiKeys.manage': 'POST /api/v1/api-keys',
	'audit.read': 'GET /api/v1/audit',
	// Scheduling (issue 9): create, move and change bookings in the calendar.
	'bookings.write': 'POST /api/v1/bookings',
	// Scheduling resources (issue 9). An engineer edits only their own schedule (the API checks whose).
	'studio.write': 'PATCH /api/v1/studio',
	'rooms.write': 'POST /api/v1/rooms',
	'equipment.write': 'POST /api/v1/equipment',
	'schedule.writeOwn': 'PUT /api/v1/engineers/{userId}/working-hours',
	// Booking extras (issue 9): recall sheets (engineers+) and ICS feeds (rooms: admins; an engineer: themselves or an admin).
	'recallSheets.write': 'PUT /api/v1/bookings/{id}/recall-sheet',
	'rooms.feed': 'POST /api/v1/rooms/{id}/calendar-feed',
	'engineers.feedOwn': 'POST /api/v1/engineers/{userId}/calendar-feed',
	// Files (issue 10): engineers and above upload and delete.
	'files.upload': 'POST /api/v1/projects/{id}/files',
	'files.delete': 'DELETE /api/v1/files/{id}',
	// Projects (issue 10): engineers create and edit projects and tracks; admins delete projects.
	'projects.write': 'POST /api/v1/projects',
	'projects.delete': 'DELETE /api/v1/projects/{id}',
	// Mix reviews (issue 10, review-web): create deliverables; upload versions, comment and decide.
	'deliverables.write': 'POST /api/v1/projects/{id}/deliverables',
	'reviews.write': 'POST /api/v1/versions/{id}/comments',
	// The studio's own subscription (issue 11): its owner sees and manages it.
	'subscription.read': 'GET /api/v1/billing',
	// Reports (issue 11): money figures, admins and owners.
	'reports.read': 'GET /api/v1/reports/revenue',
	// Money (issue 11, money-web): invoices, payments, tax rates and billing settings are admin work.
	'money.manage': 'GET /api/v1/invoices',
	'billing.manage': 'PATCH /api/v1/billing-settings',
	// Issue 12, portal: who may invite a client's contacts to the portal and disable them.
	'portal.manage': 'POST /api/v1/clients/{id}/portal-invites',
	// Issue 12, bookreq: engineers read the portal's booking requests; admins and owners decide them.
	'bookingRequests.read': 'GET /api/v1/booking-requests',
	'bookingRequests.decide': 'POST /api/v1/booking-requests/{id}/approve',
	// Connecting the studio's own Stripe account is the owner's.
	'stripe.connect': 'POST /api/v1/stripe/connection',
	// Issue 13, webhooks: endpoints and their delivery log are admin work.
	'webhooks.manage': 'POST /api/v1/webhook-endpoints'
} as const;
export type Capability = keyof typeof CAPABILITIES;

/** The roles openapi.json allows for `operation` ("METHOD /path"); throws for an unknown one. */
export function rolesFor(operation: string): readonly string[] {
	const roles = access[operation];
	if (!roles) throw new Error(`openapi.json has no operation ${operation}`);
	return roles;
}

/** Whether `role` may do `capability`; no role (signed out) may do nothing. */
export function can(role: Role | null | undefined, capability: Capability): boolean {
	return !!role && rolesFor(CAPABILITIES[capability]).includes(role);
}
