import { describe, expect, it } from 'vitest';
import { NETWORK_ERROR_MESSAGE, toUiError } from './problem';

const problemResponse = (status: number, headers: Record<string, string> = {}) =>
	new Response(null, { status, headers: { 'content-type': 'application/problem+json', ...headers } });

describe('toUiError', () => {
	it('shows the problem detail', () => {
		const ui = toUiError(
			{ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Invalid email or password', requestId: 'req-1' },
			{ response: problemResponse(401) }
		);
		expect(ui).toEqual({ message: 'Invalid email or password', fieldErrors: {}, status: 401, requestId: 'req-1' });
	});

	it('maps field errors to their fields and keeps the detail as the main message', () => {
		const ui = toUiError(
			{
				type: 'https://rsm.dev/problems/validation',
				title: 'Bad Request',
				status: 400,
				detail: 'Validation failed',
				errors: [
					{ field: 'email', messages: ['email must be an email'] },
					{ field: 'password', messages: ['too short', 'must contain letters.'] }
				]
			},
			{ response: problemResponse(400) }
		);
		expect(ui.message).toBe('Validation failed');
		expect(ui.fieldErrors).toEqual({
			email: 'Email must be an email.',
			password: 'Too short. Must contain letters.'
		});
	});

	it('folds errors for fields the form does not show into the main message', () => {
		const ui = toUiError(
			{ title: 'Bad Request', status: 400, errors: [{ field: 'name', messages: ['required'] }, { field: 'tenant', messages: ['unknown'] }] },
			{ fields: ['name', 'email'] }
		);
		expect(ui.fieldErrors).toEqual({ name: 'Required.' });
		expect(ui.message).toBe('Bad Request tenant: Unknown.');
		expect(ui.status).toBe(400);
	});

	it('falls back to the title, then to a generic message by status', () => {
		expect(toUiError({ type: 'x', title: 'Conflict', status: 409 }).message).toBe('Conflict');
		expect(toUiError('<html>Bad gateway</html>', { response: problemResponse(502) }).message).toMatch(/error 502/);
		expect(toUiError(undefined, { response: problemResponse(404) }).message).toMatch(/could not be found/);
		expect(toUiError({ type: 'x', title: ' ', status: 400, errors: [{ field: 'name', messages: ['required'] }] }).message).toBe(
			'Please fix the highlighted fields.'
		);
	});

	it('reports unreachable servers as network errors', () => {
		const ui = toUiError(new TypeError('Failed to fetch'));
		expect(ui).toEqual({ message: NETWORK_ERROR_MESSAGE, fieldErrors: {}, status: null, requestId: null });
	});

	it('takes the request id from the header when the body has none', () => {
		const ui = toUiError({ title: 'Oops', status: 500 }, { response: problemResponse(500, { 'x-request-id': 'abc' }) });
		expect(ui.requestId).toBe('abc');
		expect(ui.status).toBe(500);
	});

	it('ignores malformed field error entries', () => {
		const ui = toUiError({ detail: 'Nope', errors: [null, { field: 'name' }, { field: 'email', messages: ['bad'] }] });
		expect(ui.fieldErrors).toEqual({ email: 'Bad.' });
	});
});
