import { describe, expect, it } from 'vitest';
import type { Settled } from '#lib/api/client.ts';
import { DocumentDraft, optionalText } from './document-draft.svelte.ts';

const failure = (status: number | null): Settled<never> => ({
	ok: false,
	status,
	error: { message: 'Check the highlighted fields.', fieldErrors: { notes: 'Too long' }, status, requestId: 'r1' }
});

function draft() {
	let loggedOut = 0;
	const d = new DocumentDraft<'save' | 'send'>(null, { value: 'c1', label: 'The Owls' }, 'en', () => loggedOut++);
	return { d, loggedOut: () => loggedOut };
}

describe('DocumentDraft', () => {
	it('starts a new document from the client it was given', () => {
		const { d } = draft();
		expect(d.clientId).toBe('c1');
		expect(d.client).toEqual({ value: 'c1', label: 'The Owls' });
		expect(d.lines).toEqual([]);
	});

	it('runs one save at a time, with its button marked while it runs', async () => {
		const { d } = draft();
		let finish: (value: string) => void = () => {};
		const first = d.run('send', () => new Promise<string>((resolve) => (finish = resolve)));
		expect(d.saving).toBe('send');
		expect(await d.run('save', async () => 'second')).toBeNull();
		finish('first');
		expect(await first).toBe('first');
		expect(d.saving).toBeNull();
		expect(await d.run('save', async () => 'again')).toBe('again');
	});

	it('shows a refusal in the form and beside its fields; a 401 sends the user to log in instead', () => {
		const { d, loggedOut } = draft();
		expect(d.saved({ ok: true, status: 200, data: 'doc' })).toBe('doc');
		expect(d.saved(failure(422))).toBeNull();
		expect(d.error?.requestId).toBe('r1');
		expect(d.fieldErrors).toEqual({ notes: 'Too long' });
		d.beginValidation();
		expect(d.error).toBeNull();
		expect(d.fieldErrors).toEqual({});
		expect(d.showLineErrors).toBe(true);
		expect(d.saved(failure(401))).toBeNull();
		expect(loggedOut()).toBe(1);
		expect(d.error).toBeNull();
	});
});

describe('optionalText', () => {
	it('trims, and sends an empty field as null', () => {
		expect(optionalText('  Thanks ')).toBe('Thanks');
		expect(optionalText('   ')).toBeNull();
	});
});
