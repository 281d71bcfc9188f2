/**
 * Booking extras (issue 9): recall sheets and ICS calendar feeds, through the generated client.
 * A recall sheet's 404 means "none saved yet" (the drawer only opens on a booking we can read).
 */
import { api, settle, type Settled } from '#lib/api/client.ts';
import type { components } from '#lib/api/schema.d.ts';

export type RecallSheet = components['schemas']['RecallSheetDto'];
export type RecallSheetVersion = components['schemas']['RecallSheetVersionDto'];
export type RecallSetting = components['schemas']['RecallSettingDto'];
export type SaveRecallSheet = components['schemas']['SaveRecallSheetDto'];
export type CalendarFeed = components['schemas']['CalendarFeedCreatedDto'];

/** What a feed belongs to: a room (admins) or an engineer (themselves, or an admin). */
export type FeedOwner = { kind: 'room'; id: string } | { kind: 'engineer'; id: string };


/** A PUT answered 409 lost the race (`recall-sheet-stale`, its only 409): someone saved since the base version. */
export const recallSheetsApi = {
	latest: (bookingId: string) => settle(api.GET('/api/v1/bookings/{id}/recall-sheet', { params: { path: { id: bookingId } } })),
	versions: (bookingId: string) => settle(api.GET('/api/v1/bookings/{id}/recall-sheet/versions', { params: { path: { id: bookingId } } })),
	version: (bookingId: string, version: number) =>
		settle(api.GET('/api/v1/bookings/{id}/recall-sheet/versions/{version}', { params: { path: { id: bookingId, version } } })),
	save: (bookingId: string, body: SaveRecallSheet) => settle(api.PUT('/api/v1/bookings/{id}/recall-sheet', { params: { path: { id: bookingId } }, body }))
};

export const calendarFeedsApi = {
	create: (owner: FeedOwner): Promise<Settled<CalendarFeed>> =>
		owner.kind === 'room'
			? settle(api.POST('/api/v1/rooms/{id}/calendar-feed', { params: { path: { id: owner.id } } }))
			: settle(api.POST('/api/v1/engineers/{userId}/calendar-feed', { params: { path: { userId: owner.id } } })),
	revoke: (owner: FeedOwner): Promise<Settled<unknown>> =>
		owner.kind === 'room'
			? settle(api.DELETE('/api/v1/rooms/{id}/calendar-feed', { params: { path: { id: owner.id } } }))
			: settle(api.DELETE('/api/v1/engineers/{userId}/calendar-feed', { params: { path: { userId: owner.id } } }))
};
