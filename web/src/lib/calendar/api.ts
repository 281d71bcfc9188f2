/**
 * The calendar's calls to the scheduling API (bookings, rooms, engineers, equipment, studio), in
 * one place. Bookings go through the generated client; a refusal keeps the 409 problem's
 * `conflicts`, which the generic UiError has no room for.
 */
import { m } from '#lib/paraglide/messages.js';
import { api, settle, toUiError, type Booking, type CreateBookingBody, type FetchResult, type UiError, type UpdateBookingBody, type Room, type Engineer, type Equipment, type StudioSettings } from '#lib/api/client.ts';

export type { Booking, BookingStatus, CreateBookingBody, UpdateBookingBody } from '#lib/api/client.ts';
/**
 * One thing a refused booking collides with: an item of the 409 `booking-conflict` problem's
 * `conflicts` (the bookings contract; openapi.json describes that response only as a generic
 * problem, so the shape is written here and every item is checked before use).
 */
export interface Conflict {
	resource: 'room' | 'engineer' | 'equipment';
	resourceId: string;
	bookingId: string | null;
	/** The other booking's times, buffers included; null when it could not be read back. */
	startsAt: string | null;
	endsAt: string | null;
	occurrenceStart?: string;
}

export type { Room } from '#lib/api/client.ts';

/** A person or an item a booking can take: what the dialog and the drawer show. */
export interface Named {
	id: string;
	name: string;
}

export type Result<T> = { ok: true; data: T } | { ok: false; status: number | null; error: UiError; conflicts: Conflict[] };

function isConflict(value: unknown): value is Conflict {
	if (typeof value !== 'object' || value === null) return false;
	const c = value as Record<string, unknown>;
	return (c.resource === 'room' || c.resource === 'engineer' || c.resource === 'equipment') && typeof c.resourceId === 'string';
}

/** The `conflicts` of a 409 booking-conflict problem body; [] for anything else. */
export function conflictsOf(body: unknown): Conflict[] {
	const list = typeof body === 'object' && body !== null ? (body as { conflicts?: unknown }).conflicts : undefined;
	return Array.isArray(list) ? list.filter(isConflict) : [];
}

const BOOKING_FIELDS = ['clientId', 'roomId', 'title', 'startsAt', 'endsAt', 'holdExpiresAt', 'notes', 'engineerIds', 'equipmentIds'] as const;

/** The sentence for a `booking-rule` problem's `rule`, or null for another problem. */
function ruleMessage(body: unknown): string | null {
	const rule = typeof body === 'object' && body !== null ? (body as { rule?: unknown }).rule : undefined;
	switch (rule) {
		case 'min_notice':
			return m.booking_rule_min_notice();
		case 'min_length':
			return m.booking_rule_min_length();
		case 'max_length':
			return m.booking_rule_max_length();
		case 'opening_hours':
			return m.booking_rule_opening_hours();
		case 'engineer_time_off':
			return m.booking_rule_engineer_time_off();
		default:
			return null;
	}
}

/** Await an openapi-fetch call; never throws. A refusal keeps its conflicts and names a broken booking rule. */
async function run<T>(request: Promise<FetchResult>, fields: readonly string[] = BOOKING_FIELDS): Promise<Result<T>> {
	let result: FetchResult;
	try {
		result = await request;
	} catch (thrown) {
		return { ok: false, status: null, error: toUiError(thrown), conflicts: [] };
	}
	const { response } = result;
	if (response.ok) return { ok: true, data: result.data as T };
	const error = toUiError(result.error, { response, fields });
	const rule = ruleMessage(result.error);
	return { ok: false, status: response.status, error: rule ? { ...error, message: rule } : error, conflicts: conflictsOf(result.error) };
}

const ALL_STATUSES = ['hold', 'confirmed', 'in_progress', 'completed', 'cancelled', 'no_show'] as const;
const path = (id: string) => ({ params: { path: { id } } });

export const bookingsApi = {
	/** Bookings overlapping [from, to) (at most 42 days), cancelled ones only when asked. */
	// `scope` is this occurrence only: the calendar changes one session at a time.
	list(from: string, to: string, includeCancelled: boolean) {
		const query = { from, to, ...(includeCancelled ? { status: [...ALL_STATUSES] } : {}) };
		return run<{ items: Booking[] }>(api.GET('/api/v1/bookings', { params: { query } }));
	},
	get: (id: string) => run<Booking>(api.GET('/api/v1/bookings/{id}', path(id))),
	create: (body: CreateBookingBody) => run<Booking>(api.POST('/api/v1/bookings', { body })),
	update: (id: string, body: Omit<UpdateBookingBody, 'scope'>) => run<Booking>(api.PATCH('/api/v1/bookings/{id}', { ...path(id), body: { scope: 'this', ...body } })),
	cancel: (id: string) => run<Booking>(api.POST('/api/v1/bookings/{id}/cancel', { ...path(id), body: { scope: 'this' } })),
	checkIn: (id: string) => run<Booking>(api.POST('/api/v1/bookings/{id}/check-in', path(id))),
	checkOut: (id: string) => run<Booking>(api.POST('/api/v1/bookings/{id}/check-out', path(id)))
};

/** Every item of a cursor-paged list (rooms, engineers, equipment: a studio's handful, 100 a page). */
async function allItems<T>(fetchPage: (cursor: string | undefined) => Promise<FetchResult>): Promise<Result<T[]>> {
	const items: T[] = [];
	let cursor: string | undefined;
	for (let page = 0; page < 20; page++) {
		const result = await run<{ items: T[]; nextCursor: string | null }>(fetchPage(cursor), []);
		if (!result.ok) return result;
		items.push(...result.data.items);
		cursor = result.data.nextCursor ?? undefined;
		if (!cursor) break;
	}
	return { ok: true, data: items };
}

const PAGE = 100;

export const resourcesApi = {
	rooms: () => allItems<Room>((cursor) => api.GET('/api/v1/rooms', { params: { query: { limit: PAGE, cursor } } })),
	/** Engineers are members: a booking names them by their user id. */
	async engineers(): Promise<Result<Named[]>> {
		const result = await allItems<Engineer>((cursor) => api.GET('/api/v1/engineers', { params: { query: { limit: PAGE, cursor } } }));
		return result.ok ? { ok: true, data: result.data.map((e) => ({ id: e.userId, name: e.name })) } : result;
	},
	/** Retired equipment takes no bookings. */
	async equipment(): Promise<Result<Named[]>> {
		const result = await allItems<Equipment>((cursor) => api.GET('/api/v1/equipment', { params: { query: { limit: PAGE, cursor } } }));
		return result.ok ? { ok: true, data: result.data.filter((e) => e.status !== 'retired').map(({ id, name }) => ({ id, name })) } : result;
	},
	studio: () => run<StudioSettings>(api.GET('/api/v1/studio'), [])
};

/** Clients matching `term`, for the booking dialog's combobox. */
export async function searchClients(term: string): Promise<{ value: string; label: string }[]> {
	const query: { limit: number; q?: string } = { limit: 20 };
	if (term.trim()) query.q = term.trim();
	const result = await settle(api.GET('/api/v1/clients', { params: { query } }));
	return result.ok ? result.data.items.map((c) => ({ value: c.id, label: c.name })) : [];
}
