import { afterEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '../paraglide/runtime.js';
import { fieldRuleMessage, ruleOfServerMessage, toUiError } from './problem';

const problemResponse = (status: number, headers: Record<string, string> = {}) =>
	new Response(null, { status, headers: { 'content-type': 'application/problem+json', ...headers } });
const T = 'https://rsm.dev/problems/';

function inLocale(locale: 'en' | 'fr') {
	overwriteGetLocale(() => locale);
}
afterEach(() => inLocale('en'));

describe('problem types → sentences', () => {
	it('says just "wrong email or password" for bad credentials, without a request id', () => {
		const ui = toUiError(
			{ type: T + 'invalid-credentials', title: 'Unauthorized', status: 401, detail: 'The email or password is incorrect.', requestId: 'req-1' },
			{ response: problemResponse(401, { 'x-request-id': 'req-1' }) }
		);
		expect(ui).toEqual({ message: 'Wrong email or password.', fieldErrors: {}, status: 401, requestId: null });
	});

	it('speaks French too, and never shows the API’s English detail', () => {
		inLocale('fr');
		const ui = toUiError({ type: T + 'invalid-credentials', status: 401, detail: 'The email or password is incorrect.' }, { response: problemResponse(401) });
		expect(ui.message).toBe('E-mail ou mot de passe incorrect.');
		expect(toUiError({ type: T + 'email-taken', status: 409, detail: 'An account with this email already exists.' }).message).toBe(
			'Un compte existe déjà avec cet e-mail. Connectez-vous plutôt.'
		);
	});

	it('keeps the request id behind details only for server-side failures', () => {
		const busy = toUiError({ type: T + 'database-busy', status: 503, detail: 'x', requestId: 'r-503' }, { response: problemResponse(503) });
		expect(busy).toMatchObject({ message: 'The service is busy or down for a moment. Try again shortly.', requestId: 'r-503' });
		const crash = toUiError('<html>Bad gateway</html>', { response: problemResponse(502, { 'x-request-id': 'r-502' }) });
		expect(crash).toMatchObject({ message: 'Something went wrong on our side (error 502). Try again.', requestId: 'r-502' });
		expect(toUiError({ type: T + 'not-found', status: 404, requestId: 'r-404' }).requestId).toBeNull();
	});

	it("names the subscription's billing problems (issue 11): online billing off, already subscribed, nothing to manage yet", () => {
		expect(toUiError({ type: T + 'online-billing-off', status: 409, detail: 'x' }).message).toBe('Online billing is off on this platform: there is nothing to pay here.');
		expect(toUiError({ type: T + 'already-subscribed', status: 409, detail: 'x' }).message).toMatch(/^The studio already has a subscription/);
		inLocale('fr');
		expect(toUiError({ type: T + 'no-billing-customer', status: 409, detail: 'x' }).message).toBe("Le studio ne s'est pas encore abonné : abonnez-vous d'abord.");
	});

	it('falls back on the status for unknown types', () => {
		expect(toUiError({ type: T + 'brand-new', status: 429 }).message).toBe('Too many attempts. Wait a moment and try again.');
		expect(toUiError(undefined, { response: problemResponse(404) }).message).toBe('This item no longer exists. It may have been deleted.');
		expect(toUiError(undefined, { response: problemResponse(418) }).message).toBe('Some information is not valid.');
	});

	it('reports unreachable servers and cancelled requests', () => {
		expect(toUiError(new TypeError('Failed to fetch'))).toEqual({
			message: 'Could not reach the server. Check your connection and try again.',
			fieldErrors: {},
			status: null,
			requestId: null
		});
		expect(toUiError(new DOMException('x', 'AbortError')).message).toBe('The request was cancelled.');
	});
});

describe('field errors → sentences', () => {
	const validation = (errors: unknown) => ({
		type: T + 'validation',
		title: 'Bad Request',
		status: 400,
		detail: 'The request is invalid: see errors for each field.',
		errors
	});

	it('turns class-validator messages into plain sentences, one per field', () => {
		const ui = toUiError(
			validation([
				{ field: 'email', messages: ['email must be an email'] },
				{ field: 'password', messages: ['password must be shorter than or equal to 200 characters', 'password must be a string'] },
				{ field: 'name', messages: ['name must be longer than or equal to 1 characters'] }
			]),
			{ response: problemResponse(400) }
		);
		expect(ui.message).toBe('Check the highlighted fields.');
		expect(ui.fieldErrors).toEqual({
			email: 'Enter an email address like name@example.com.',
			password: 'Use at most 200 characters.',
			name: 'Fill in this field.'
		});
	});

	it('in French as well', () => {
		inLocale('fr');
		const ui = toUiError(validation([{ field: 'email', messages: ['email must be an email'] }]));
		expect(ui.fieldErrors.email).toBe('Saisissez une adresse e-mail comme nom@exemple.fr.');
		expect(ui.message).toBe('Vérifiez les champs signalés.');
	});

	it('folds errors of fields the form does not show into the main message', () => {
		const ui = toUiError(validation([{ field: 'name', messages: ['name should not be empty'] }, { field: 'tenant', messages: ['property tenant should not exist'] }]), {
			fields: ['name', 'email']
		});
		expect(ui.fieldErrors).toEqual({ name: 'Fill in this field.' });
		expect(ui.message).toBe('Some information is not valid. This field is not accepted.');
	});

	it('ignores malformed entries', () => {
		const ui = toUiError(validation([null, { field: 'name' }, { field: 'email', messages: ['nonsense'] }]));
		expect(ui.fieldErrors).toEqual({ email: 'This value is not valid.' });
	});

	it('maps each known rule', () => {
		expect(ruleOfServerMessage('password must be longer than or equal to 10 characters')).toEqual({ rule: 'tooShort', min: 10 });
		expect(ruleOfServerMessage('name must be a string')).toEqual({ rule: 'required' });
		expect(fieldRuleMessage({ rule: 'tooShort', min: 10 })).toBe('Use at least 10 characters.');
	});
});
