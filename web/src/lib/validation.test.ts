import constraints from 'virtual:api-constraints';
import { afterEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from './paraglide/runtime.js';
import { isEmail, validateAgainst } from './validation.ts';

afterEach(() => overwriteGetLocale(() => 'en'));

describe('constraints from openapi.json', () => {
	it('are read for request bodies', () => {
		expect(constraints.CreateClientDto.required).toEqual(['name']);
		expect(constraints.CreateClientDto.properties.email).toMatchObject({ format: 'email', maxLength: 320 });
		expect(constraints.RegisterDto.properties.password).toMatchObject({ minLength: 12, maxLength: 200 });
		// Responses are left out of the bundle.
		expect(constraints.ClientDto).toBeUndefined();
	});
});

describe('isEmail (the API’s rule)', () => {
	it('refuses addresses without a top-level domain', () => {
		for (const bad of ['a@b', 'a@b.c', 'a b@c.de', '@example.com', 'name@', 'name@@x.com', 'name@.com']) expect(isEmail(bad), bad).toBe(false);
		for (const good of ['a@b.co', 'band@owls.test', 'first.last+tag@sub.example.org', 'zoë@exemple.fr']) expect(isEmail(good), good).toBe(true);
	});
});

describe('validateAgainst', () => {
	it('catches a@b before anything is sent', () => {
		expect(validateAgainst('CreateClientDto', { name: 'Ada', email: 'a@b' })).toEqual({ email: 'Enter an email address like name@example.com.' });
		overwriteGetLocale(() => 'fr');
		expect(validateAgainst('CreateClientDto', { name: 'Ada', email: 'a@b' })).toEqual({ email: 'Saisissez une adresse e-mail comme nom@exemple.fr.' });
	});

	it('applies required, lengths and optional fields like the API', () => {
		expect(validateAgainst('CreateClientDto', { name: '   ', email: '', phone: '' })).toEqual({ name: 'Fill in this field.' });
		expect(validateAgainst('CreateClientDto', { name: 'x'.repeat(201) })).toEqual({ name: 'Use at most 200 characters.' });
		expect(validateAgainst('CreateClientDto', { name: 'x'.repeat(200), phone: '1'.repeat(51) })).toEqual({ phone: 'Use at most 50 characters.' });
		// Characters, not UTF-16 units: 200 emoji are 200 characters.
		expect(validateAgainst('CreateClientDto', { name: '🎸'.repeat(200) })).toEqual({});
	});

	it('counts passwords as typed, spaces included', () => {
		expect(validateAgainst('RegisterDto', { password: 'short' })).toEqual({ password: 'Use at least 12 characters.' });
		expect(validateAgainst('RegisterDto', { password: '   twelve   ' })).toEqual({});
		expect(validateAgainst('LoginDto', { email: 'ada@example.com', password: '' })).toEqual({ password: 'Fill in this field.' });
	});

	it('fails loudly for a schema the API does not have', () => {
		expect(() => validateAgainst('NoSuchDto', {})).toThrow(/no request body schema named NoSuchDto/);
	});
});
