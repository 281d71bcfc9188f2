import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { toUiError, type UiError, type ToUiErrorOptions } from './problem';

export { toUiError, type UiError } from './problem';
export type * from './types';

export interface ApiClientOptions {
	/** '' (same origin) in the app; absolute in tests. */
	baseUrl?: string;
	fetch?: (input: Request) => Promise<Response>;
}

/** Typed client for the RSM API. Same-origin, session-cookie authenticated. */
export function createApiClient(options: ApiClientOptions = {}) {
	return createClient<paths>({
		baseUrl: options.baseUrl ?? '',
		credentials: 'same-origin',
		headers: { Accept: 'application/json, application/problem+json' },
		...(options.fetch ? { fetch: options.fetch } : {})
	});
}

export const api = createApiClient();
export type ApiClient = typeof api;

export type Settled<T> =
	| { ok: true; data: T; status: number }
	| { ok: false; error: UiError; status: number | null };

/** What an openapi-fetch call resolves to. */
export type FetchResult = { data?: unknown; error?: unknown; response: Response };

/**
 * Await an openapi-fetch call and never throw: network failures and error
 * responses both become `{ ok: false, error }` with a UI-ready message.
 */
export async function settle<R extends FetchResult>(
	request: Promise<R>,
	options: Omit<ToUiErrorOptions, 'response'> = {}
): Promise<Settled<Exclude<R['data'], undefined>>> {
	let result: R;
	try {
		result = await request;
	} catch (thrown) {
		return { ok: false, error: toUiError(thrown, options), status: null };
	}
	const { response } = result;
	if (response.ok) {
		return { ok: true, data: result.data as Exclude<R['data'], undefined>, status: response.status };
	}
	return {
		ok: false,
		error: toUiError(result.error, { ...options, response }),
		status: response.status
	};
}
