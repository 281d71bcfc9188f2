import { describe, expect, it } from 'vitest';
import { loginUrl, safeNext } from './navigation';

describe('safeNext', () => {
	it('keeps same-origin paths', () => {
		expect(safeNext('/clients?q=abc')).toBe('/clients?q=abc');
	});
	it('rejects other origins and protocol-relative URLs', () => {
		expect(safeNext('https://evil.example/')).toBe('/');
		expect(safeNext('//evil.example/x')).toBe('/');
		expect(safeNext('/\\evil.example')).toBe('/');
		expect(safeNext('javascript:alert(1)')).toBe('/');
		expect(safeNext(null)).toBe('/');
	});
	it('never sends the user back to the auth pages', () => {
		expect(safeNext('/login')).toBe('/');
		expect(safeNext('/signup?x=1')).toBe('/');
		expect(safeNext('/loginhelp')).toBe('/loginhelp');
	});
});

describe('loginUrl', () => {
	it('carries the page to come back to', () => {
		expect(loginUrl('/clients?q=a b')).toBe('/login?next=%2Fclients%3Fq%3Da%20b');
		expect(loginUrl('/clients')).toBe('/login?next=%2Fclients');
		expect(loginUrl('/')).toBe('/login');
		expect(loginUrl()).toBe('/login');
		expect(loginUrl('https://evil.example')).toBe('/login');
	});
});
