/**
 * Issue 13, board: the room board's figures between two fetches, ticked on the client from the server's
 * clock (the answer's `serverTime`), never from the device's: a wall screen with a wrong clock still shows
 * the right elapsed and remaining time.
 */
import type { components } from '#lib/api/schema.d.ts';

export type RoomBoard = components['schemas']['RoomBoardDto'];
export type BoardRoom = components['schemas']['RoomBoardEntryDto'];
export type BoardSession = components['schemas']['BoardSessionDto'];

export interface SessionFigures {
	elapsedSeconds: number;
	remainingSeconds: number;
	overtime: boolean;
	overtimeSeconds: number;
	/** 0..1 of the scheduled time gone (1 in overtime). */
	progress: number;
}

/** The server's time now, from the offset measured at the last fetch. */
export const serverNow = (offsetMs: number, deviceNow = Date.now()) => deviceNow + offsetMs;

/** The offset to add to the device's clock to get the server's, measured when a board arrives. */
export const clockOffset = (serverTime: string, deviceNow = Date.now()) => Date.parse(serverTime) - deviceNow;

const seconds = (ms: number) => Math.max(0, Math.floor(ms / 1000));

export function figuresAt(session: BoardSession, now: number): SessionFigures {
	const start = Date.parse(session.startsAt);
	const end = Date.parse(session.endsAt);
	const overtime = session.status === 'in_progress' && now > end;
	return {
		elapsedSeconds: seconds(now - Date.parse(session.actualStartAt ?? session.startsAt)),
		remainingSeconds: seconds(end - now),
		overtime,
		overtimeSeconds: overtime ? seconds(now - end) : 0,
		progress: overtime ? 1 : Math.min(1, Math.max(0, (now - start) / Math.max(1, end - start)))
	};
}

/**
 * The next instant at which the board changes by the clock alone (a booking's time begins or ends without
 * anyone touching it): the page re-fetches then, instead of polling.
 */
export function nextBoundary(board: RoomBoard, now: number): number | null {
	const times: number[] = [];
	for (const room of board.rooms) {
		if (room.current && room.current.status !== 'in_progress') times.push(Date.parse(room.current.endsAt));
		if (room.next) times.push(Date.parse(room.next.startsAt));
	}
	const future = times.filter((t) => t > now);
	return future.length ? Math.min(...future) : null;
}

/** 3725 → "1:02:05"; 125 → "2:05". */
export function formatDuration(totalSeconds: number): string {
	const h = Math.floor(totalSeconds / 3600);
	const min = Math.floor((totalSeconds % 3600) / 60);
	const sec = totalSeconds % 60;
	const two = (n: number) => String(n).padStart(2, '0');
	return h > 0 ? `${h}:${two(min)}:${two(sec)}` : `${min}:${two(sec)}`;
}
