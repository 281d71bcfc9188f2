/**
 * Turns whatever an API call failed with (an RFC 9457 problem+json body, a
 * non-JSON error body, or a thrown network error) into something the UI can
 * show: one message for an alert, plus per-field messages for form fields.
 */
import type { components } from './schema';

export type Problem = components['schemas']['ProblemDto'];
export type FieldError = NonNullable<Problem['errors']>[number];

export interface UiError {
	/** Main human-readable message (the problem's `detail` when present). */
	message: string;
	/** Field name → message(s) for that field, joined into one sentence. */
	fieldErrors: Record<string, string>;
	/** HTTP status, or null when the request never got a response. */
	status: number | null;
	/** Server request id, handy for support ("quote this id"). */
	requestId: string | null;
}

export const NETWORK_ERROR_MESSAGE =
	'Could not reach the server. Check your connection and try again.';

const STATUS_MESSAGES: Record<number, string> = {
	400: 'The request was not valid.',
	401: 'You need to log in again.',
	403: 'You do not have permission to do that.',
	404: 'That item could not be found. It may have been deleted.',
	409: 'That conflicts with existing data.',
	413: 'That is too large.',
	422: 'Some fields are not valid.',
	429: 'Too many requests. Wait a moment and try again.'
};

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** Narrow an unknown error body to the problem fields we rely on. */
export function asProblem(body: unknown): Partial<Problem> | null {
	if (!isRecord(body)) return null;
	const looksLikeProblem =
		'detail' in body || 'title' in body || ('status' in body && 'type' in body) || 'errors' in body;
	return looksLikeProblem ? (body as Partial<Problem>) : null;
}

function fieldErrorList(problem: Partial<Problem> | null): FieldError[] {
	const errors = problem?.errors;
	if (!Array.isArray(errors)) return [];
	return errors.filter(
		(e): e is FieldError => isRecord(e) && typeof e.field === 'string' && Array.isArray(e.messages)
	);
}

function sentence(messages: string[]): string {
	return messages
		.map((m) => m.trim())
		.filter(Boolean)
		.map((m) => m.charAt(0).toUpperCase() + m.slice(1))
		.map((m) => (/[.!?]$/.test(m) ? m : `${m}.`))
		.join(' ');
}

export function fallbackMessage(status: number | null): string {
	if (status === null) return NETWORK_ERROR_MESSAGE;
	if (STATUS_MESSAGES[status]) return STATUS_MESSAGES[status];
	if (status >= 500) return `Something went wrong on our side (error ${status}). Please try again.`;
	return `The request failed (error ${status}).`;
}

export interface ToUiErrorOptions {
	/** HTTP response (gives the status when the body is not a problem). */
	response?: Response | null;
	/**
	 * Fields the current form shows. Field errors for other fields are folded
	 * into the main message so they are never silently dropped.
	 */
	fields?: readonly string[];
}

/**
 * Build a UI error from an openapi-fetch `error` (parsed problem+json, raw
 * text, or undefined) or from a thrown exception (network failure).
 */
export function toUiError(error: unknown, options: ToUiErrorOptions = {}): UiError {
	const response = options.response ?? null;
	if (error instanceof Error && !response) {
		// fetch() rejects with a TypeError when the server is unreachable.
		if (error.name === 'AbortError') {
			return { message: 'The request was cancelled.', fieldErrors: {}, status: null, requestId: null };
		}
		return { message: NETWORK_ERROR_MESSAGE, fieldErrors: {}, status: null, requestId: null };
	}

	const problem = asProblem(error);
	const status =
		response?.status ?? (typeof problem?.status === 'number' ? problem.status : null);
	const requestId =
		nonEmptyString(problem?.requestId) ?? response?.headers.get('x-request-id') ?? null;

	const fieldErrors: Record<string, string> = {};
	const unmatched: string[] = [];
	for (const { field, messages } of fieldErrorList(problem)) {
		const text = sentence(messages);
		if (!text) continue;
		if (options.fields && !options.fields.includes(field)) {
			unmatched.push(field ? `${field}: ${text}` : text);
			continue;
		}
		fieldErrors[field] = fieldErrors[field] ? `${fieldErrors[field]} ${text}` : text;
	}

	let message =
		nonEmptyString(problem?.detail) ??
		nonEmptyString(problem?.title) ??
		(Object.keys(fieldErrors).length > 0 ? 'Please fix the highlighted fields.' : null) ??
		fallbackMessage(status);
	if (unmatched.length > 0) message = `${message} ${unmatched.join(' ')}`;

	return { message, fieldErrors, status, requestId };
}
