/**
 * The calendar's calls to the scheduling API (bookings, rooms, engineers, equipment, studio), in
 * one place. Shapes follow the bookings contract (brief/contract-bookings.md) until the generated
 * client has them; every page goes through these functions, so the switch happens here only.
 */
import { api, settle, toUiError, type UiError } from '#lib/api/client.ts';

export type BookingStatus = 'hold' | 'confirmed' | 'in_progress' | 'completed' | 'cancelled' | 'no_show';

export interface Booking {
	id: string;
	title: string;
	status: BookingStatus;
	clientId: string;
	client: { id: string; name: string };
	roomId: string;
	engineerIds: string[];
	equipmentIds: string[];
	projectId: string | null;
	seriesId: string | null;
	startsAt: string;
	endsAt: string;
	setupMinutes: number;
	teardownMinutes: number;
	holdExpiresAt: string | null;
	cancellationReason: string | null;
	notes: string | null;
	rate: { hourlyRateMinor: number; dayRateMinor: number | null; currency: string };
	actualStartAt: string | null;
	actualEndAt: string | null;
	accessCode: string;
	rulesOverridden: boolean;
	createdAt: string;
	updatedAt: string;
}

export interface CreateBookingBody {
	clientId: string;
	roomId: string;
	title: string;
	startsAt: string;
	endsAt: string;
	status?: 'hold' | 'confirmed';
	holdExpiresAt?: string;
	engineerIds?: string[];
	equipmentIds?: string[];
	notes?: string;
}

export interface UpdateBookingBody {
	title?: string;
	startsAt?: string;
	endsAt?: string;
	roomId?: string;
	engineerIds?: string[];
	equipmentIds?: string[];
	notes?: string;
	status?: 'confirmed';
}

/** One thing a refused booking collides with (the 409 problem's `conflicts`). */
export interface Conflict {
	resource: 'room' | 'engineer' | 'equipment';
	resourceId: string;
	bookingId: string;
	startsAt: string;
	endsAt: string;
	occurrenceStart?: string;
}

export interface Room {
	id: string;
	name: string;
	colour: string;
	active: boolean;
}

/** A person or an item a booking can take: what the dialog and the drawer show. */
export interface Named {
	id: string;
	name: string;
}

export type Result<T> = { ok: true; data: T } | { ok: false; status: number | null; error: UiError; conflicts: Conflict[] };

function isConflict(value: unknown): value is Conflict {
	if (typeof value !== 'object' || value === null) return false;
	const c = value as Record<string, unknown>;
	return typeof c.resource === 'string' && typeof c.startsAt === 'string' && typeof c.endsAt === 'string';
}

/** The `conflicts` of a 409 booking-conflict problem body; [] for anything else. */
export function conflictsOf(body: unknown): Conflict[] {
	const list = typeof body === 'object' && body !== null ? (body as { conflicts?: unknown }).conflicts : undefined;
	return Array.isArray(list) ? list.filter(isConflict) : [];
}

const JSON_HEADERS = { Accept: 'application/json, application/problem+json', 'Content-Type': 'application/json' };

/** One request; a refusal keeps the problem's `conflicts`, which the generic UiError drops. */
async function call<T>(method: string, path: string, body?: unknown, fields?: readonly string[]): Promise<Result<T>> {
	let response: Response;
	try {
		response = await fetch(path, {
			method,
			credentials: 'same-origin',
			headers: body === undefined ? { Accept: JSON_HEADERS.Accept } : JSON_HEADERS,
			body: body === undefined ? undefined : JSON.stringify(body)
		});
	} catch (thrown) {
		return { ok: false, status: null, error: toUiError(thrown), conflicts: [] };
	}
	const text = await response.text();
	let parsed: unknown = undefined;
	try {
		parsed = text ? JSON.parse(text) : undefined;
	} catch {
		parsed = text;
	}
	if (response.ok) return { ok: true, data: parsed as T };
	return { ok: false, status: response.status, error: toUiError(parsed, { response, fields }), conflicts: conflictsOf(parsed) };
}

const BOOKING_FIELDS = ['clientId', 'roomId', 'title', 'startsAt', 'endsAt', 'holdExpiresAt', 'notes'] as const;

export const bookingsApi = {
	/** Bookings overlapping [from, to) (at most 42 days), cancelled ones only when asked. */
	list(from: string, to: string, includeCancelled: boolean) {
		const query = new URLSearchParams({ from, to });
		if (includeCancelled) query.set('status', 'hold,confirmed,in_progress,completed,cancelled,no_show');
		return call<{ items: Booking[] }>('GET', `/api/v1/bookings?${query}`);
	},
	get: (id: string) => call<Booking>('GET', `/api/v1/bookings/${encodeURIComponent(id)}`),
	create: (body: CreateBookingBody) => call<Booking>('POST', '/api/v1/bookings', body, BOOKING_FIELDS),
	update: (id: string, body: UpdateBookingBody) => call<Booking>('PATCH', `/api/v1/bookings/${encodeURIComponent(id)}`, body, BOOKING_FIELDS),
	cancel: (id: string) => call<Booking>('POST', `/api/v1/bookings/${encodeURIComponent(id)}/cancel`, {}),
	checkIn: (id: string) => call<Booking>('POST', `/api/v1/bookings/${encodeURIComponent(id)}/check-in`, {}),
	checkOut: (id: string) => call<Booking>('POST', `/api/v1/bookings/${encodeURIComponent(id)}/check-out`, {})
};

/** Every item of a cursor-paged list (rooms, engineers, equipment are a studio's handful). */
async function allItems<T>(path: string): Promise<Result<T[]>> {
	const items: T[] = [];
	let cursor: string | null = null;
	for (let page = 0; page < 20; page++) {
		const query = new URLSearchParams({ limit: '100' });
		if (cursor) query.set('cursor', cursor);
		const result = await call<{ items: T[]; nextCursor?: string | null }>('GET', `${path}?${query}`);
		if (!result.ok) return result;
		items.push(...result.data.items);
		cursor = result.data.nextCursor ?? null;
		if (!cursor) break;
	}
	return { ok: true, data: items };
}

export const resourcesApi = {
	rooms: () => allItems<Room>('/api/v1/rooms'),
	/** Engineers are members: their id is the member's user id. */
	async engineers(): Promise<Result<Named[]>> {
		const result = await allItems<{ userId?: string; id?: string; name?: string; displayName?: string }>('/api/v1/engineers');
		if (!result.ok) return result;
		return { ok: true, data: result.data.map((e) => ({ id: e.userId ?? e.id ?? '', name: e.name ?? e.displayName ?? '' })) };
	},
	async equipment(): Promise<Result<Named[]>> {
		const result = await allItems<Named & { status?: string }>('/api/v1/equipment');
		if (!result.ok) return result;
		return { ok: true, data: result.data.filter((e) => e.status !== 'retired').map(({ id, name }) => ({ id, name })) };
	},
	studio: () => call<{ timeZone: string; defaultCurrency?: string }>('GET', '/api/v1/studio')
};

/** Clients matching `term`, for the booking dialog's combobox. */
export async function searchClients(term: string): Promise<{ value: string; label: string }[]> {
	const query: { limit: number; q?: string } = { limit: 20 };
	if (term.trim()) query.q = term.trim();
	const result = await settle(api.GET('/api/v1/clients', { params: { query } }));
	return result.ok ? result.data.items.map((c) => ({ value: c.id, label: c.name })) : [];
}
