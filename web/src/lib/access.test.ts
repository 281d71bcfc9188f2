import access from 'virtual:api-access';
import { describe, expect, it } from 'vitest';
import { can, CAPABILITIES, rolesFor, type Capability } from './access.ts';

describe('roles from openapi.json', () => {
	it('are read for every operation, public ones with none', () => {
		expect(access['GET /api/v1/clients']).toEqual(['owner', 'admin', 'engineer', 'viewer']);
		expect(access['POST /api/v1/auth/login']).toEqual([]);
	});

	it('name a real operation for every capability', () => {
		for (const operation of Object.values(CAPABILITIES)) expect(() => rolesFor(operation), operation).not.toThrow();
		expect(() => rolesFor('GET /api/v1/nothing')).toThrow(/no operation/);
	});
});

describe('can', () => {
	const table: Record<Capability, string[]> = {
		'clients.write': ['owner', 'admin', 'engineer'],
		'members.manage': ['owner', 'admin'],
		'members.remove': ['owner', 'admin'],
		'invites.manage': ['owner', 'admin'],
		'apiKeys.manage': ['owner', 'admin'],
		'webhooks.manage': ['owner', 'admin'], // issue 13, webhooks
		'audit.read': ['owner', 'admin'],
		'bookings.write': ['owner', 'admin', 'engineer'],
		'studio.write': ['owner', 'admin'],
		'rooms.write': ['owner', 'admin'],
		'equipment.write': ['owner', 'admin'],
		'schedule.writeOwn': ['owner', 'admin', 'engineer'],
		'recallSheets.write': ['owner', 'admin', 'engineer'],
		'rooms.feed': ['owner', 'admin'],
		'engineers.feedOwn': ['owner', 'admin', 'engineer'],
		// Files (issue 10).
		'files.upload': ['owner', 'admin', 'engineer'],
		'files.delete': ['owner', 'admin', 'engineer'],
		// Projects (issue 10).
		'projects.write': ['owner', 'admin', 'engineer'],
		'projects.delete': ['owner', 'admin'],
		// Mix reviews (issue 10, review-web).
		'deliverables.write': ['owner', 'admin', 'engineer'],
		'reviews.write': ['owner', 'admin', 'engineer'],
		// The studio's own subscription (issue 11).
		'subscription.read': ['owner'],
		// Reports (issue 11).
		'reports.read': ['owner', 'admin'],
		// Money (issue 11, money-web).
		'money.manage': ['owner', 'admin'],
		'billing.manage': ['owner', 'admin'],
		'stripe.connect': ['owner'],
		'portal.manage': ['owner', 'admin'], // issue 12, portal
		'bookingRequests.read': ['owner', 'admin', 'engineer'], // issue 12, bookreq
		'bookingRequests.decide': ['owner', 'admin']
	};

	it('follows the levels the API declares', () => {
		for (const [capability, allowed] of Object.entries(table) as [Capability, string[]][]) {
			for (const role of ['owner', 'admin', 'engineer', 'viewer'] as const) {
				expect(can(role, capability), `${role} ${capability}`).toBe(allowed.includes(role));
			}
		}
	});

	it('gives nothing to someone without a role', () => {
		expect(can(undefined, 'clients.write')).toBe(false);
		expect(can(null, 'audit.read')).toBe(false);
	});
});
