import { describe, expect, it, vi } from 'vitest';
import { networkErrorMessage } from './api/problem';
import { ApiForm, firstInvalid, type ApiFormOptions, type FieldElement, type FieldErrors } from './forms.svelte';

const FIELDS = ['name', 'email', 'notes'] as const;
type Field = (typeof FIELDS)[number];
type Saved = { id: string };
type Result = { data?: Saved; error?: unknown; response: Response };

const ok = (data: Saved): Result => ({ data, response: new Response(null, { status: 201 }) });
const problem = (status: number, body: unknown): Result => ({
	error: body,
	response: new Response(null, { status, headers: { 'x-request-id': 'req-1' } })
});

function deferred<T>() {
	let resolve!: (value: T) => void;
	const promise = new Promise<T>((r) => (resolve = r));
	return { promise, resolve };
}

/** A form whose fields are fake elements that record focus. */
function setup(options: Partial<ApiFormOptions<Field, Result>> = {}) {
	const request = vi.fn(async () => ok({ id: 'c1' }));
	const onsuccess = vi.fn();
	const form = new ApiForm<Field, Result>(FIELDS, { request, onsuccess, ...options });
	const focused: Field[] = [];
	for (const f of FIELDS) form.elements[f] = { focus: () => focused.push(f) } as unknown as FieldElement;
	return { form, request: options.request ?? request, onsuccess: options.onsuccess ?? onsuccess, focused };
}

describe('firstInvalid', () => {
	it('picks the first invalid field in form order, not error order', () => {
		const errors: FieldErrors<Field> = { notes: 'Too long.', email: 'Not an email.' };
		expect(firstInvalid(FIELDS, errors)).toBe('email');
		expect(firstInvalid(FIELDS, { name: '' })).toBeUndefined();
		expect(firstInvalid(FIELDS, {})).toBeUndefined();
	});
});

describe('ApiForm', () => {
	it('stops at client-side errors, shows them and focuses the first invalid field', async () => {
		const { form, request, focused } = setup({ validate: () => ({ notes: 'Too long.', email: 'Not an email.' }) });
		const event = new Event('submit', { cancelable: true });
		await form.submit(event);
		expect(event.defaultPrevented).toBe(true);
		expect(request).not.toHaveBeenCalled();
		expect(form.fieldErrors).toEqual({ notes: 'Too long.', email: 'Not an email.' });
		expect(focused).toEqual(['email']);
		expect(form.submitting).toBe(false);
	});

	it('sends once, stays busy until the success handler is done, then hands over the data', async () => {
		const response = deferred<Result>();
		const navigation = deferred<void>();
		const request = vi.fn(() => response.promise);
		const onsuccess = vi.fn(() => navigation.promise);
		const { form, focused } = setup({ validate: () => ({}), request, onsuccess });

		const first = form.submit();
		expect(form.submitting).toBe(true);
		await form.submit(); // a second click while busy is ignored
		expect(request).toHaveBeenCalledTimes(1);

		response.resolve(ok({ id: 'c9' }));
		await vi.waitFor(() => expect(onsuccess).toHaveBeenCalledWith({ id: 'c9' }));
		expect(form.submitting).toBe(true);
		navigation.resolve();
		await first;
		expect(form.submitting).toBe(false);
		expect(form.error).toBeNull();
		expect(focused).toEqual([]);
	});

	it('shows server field errors, folds unknown fields into the message and focuses the first one', async () => {
		const { form, onsuccess, focused } = setup({
			request: async () =>
				problem(400, {
					title: 'Bad Request',
					status: 400,
					errors: [
						{ field: 'notes', messages: ['notes must be shorter than or equal to 5000 characters'] },
						{ field: 'email', messages: ['email must be an email'] },
						{ field: 'tenant', messages: ['property tenant should not exist'] }
					]
				})
		});
		await form.submit();
		expect(onsuccess).not.toHaveBeenCalled();
		expect(form.submitting).toBe(false);
		expect(form.fieldErrors).toEqual({ notes: 'Use at most 5000 characters.', email: 'Enter an email address like name@example.com.' });
		expect(form.error).toMatchObject({ message: 'Some information is not valid. This field is not accepted.', status: 400, requestId: null });
		expect(focused).toEqual(['email']);
	});

	it('clears the previous error when submitting again', async () => {
		let fail = true;
		const { form } = setup({
			request: async () => (fail ? problem(400, { type: 'https://rsm.dev/problems/validation', errors: [{ field: 'name', messages: ['name should not be empty'] }] }) : ok({ id: 'c1' }))
		});
		await form.submit();
		expect(form.error?.message).toBe('Check the highlighted fields.');
		expect(form.fieldErrors).toEqual({ name: 'Fill in this field.' });
		fail = false;
		await form.submit();
		expect(form.error).toBeNull();
		expect(form.fieldErrors).toEqual({});
	});

	it('lets the caller take over a failure, and shows the ones it declines', async () => {
		const onfailure = vi.fn((failure: { status: number | null }) => failure.status === 401);
		let status = 401;
		const { form, focused } = setup({
			onfailure,
			request: async () => problem(status, { type: 'https://rsm.dev/problems/forbidden', detail: 'Nope', errors: [{ field: 'name', messages: ['bad'] }] })
		});
		await form.submit();
		expect(onfailure).toHaveBeenCalledWith(expect.objectContaining({ status: 401 }));
		expect(form.error).toBeNull();
		expect(form.fieldErrors).toEqual({});
		expect(focused).toEqual([]);
		expect(form.submitting).toBe(false);

		status = 403;
		await form.submit();
		expect(form.error).toMatchObject({ message: 'Check the highlighted fields.', status: 403 });
		expect(focused).toEqual(['name']);
	});

	it('reports a network failure instead of throwing', async () => {
		const { form } = setup({ request: () => Promise.reject(new TypeError('fetch failed')) });
		await form.submit();
		expect(form.error).toMatchObject({ message: networkErrorMessage(), status: null });
		expect(form.submitting).toBe(false);
	});
});
