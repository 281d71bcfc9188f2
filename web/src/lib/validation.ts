/**
 * Client-side checks generated from the API's own constraints (openapi.json, read at build time by
 * vite/api-constraints.ts): the same required fields, lengths and formats, so a form refuses what
 * the server would refuse (e.g. `a@b`) before sending, with the same sentences (api/problem.ts).
 */
import constraints, { type BodyConstraints, type FieldConstraint } from 'virtual:api-constraints';
import { fieldRuleMessage, type FieldRule } from './api/problem.ts';

/**
 * class-validator's isEmail (the API's rule) in its default options: a local part, a domain with
 * at least one dot, and a top-level domain of two or more letters.
 */
const EMAIL = /^[^\s@"]+@(?:[^\s@.]+\.)+(?:[a-z\u00a1-\uffff]{2,}|xn--[a-z0-9-]{2,})$/i;

export function isEmail(value: string): boolean {
	return EMAIL.test(value);
}

/** The first rule `value` breaks, or null. Empty optional values are fine ("none"). */
export function checkField(value: string, constraint: FieldConstraint, required: boolean): FieldRule | null {
	const text = value.trim();
	if (text === '') return required ? { rule: 'required' } : null;
	const length = [...text].length;
	if (constraint.minLength !== undefined && length < constraint.minLength) {
		return constraint.minLength <= 1 ? { rule: 'required' } : { rule: 'tooShort', min: constraint.minLength };
	}
	if (constraint.maxLength !== undefined && length > constraint.maxLength) return { rule: 'tooLong', max: constraint.maxLength };
	if (constraint.format === 'email' && !isEmail(text)) return { rule: 'email' };
	if (constraint.pattern && !new RegExp(constraint.pattern).test(text)) return { rule: 'invalid' };
	return null;
}

function checkRaw(value: string, constraint: FieldConstraint, required: boolean): FieldRule | null {
	if (value === '') return required ? { rule: 'required' } : null;
	const length = [...value].length;
	if (constraint.minLength !== undefined && length < constraint.minLength) return { rule: 'tooShort', min: constraint.minLength };
	if (constraint.maxLength !== undefined && length > constraint.maxLength) return { rule: 'tooLong', max: constraint.maxLength };
	return null;
}

export function bodyConstraints(schema: string): BodyConstraints {
	const found = constraints[schema];
	if (!found) throw new Error(`openapi.json has no request body schema named ${schema}`);
	return found;
}

/**
 * Check `values` against a request-body schema of openapi.json (e.g. 'CreateClientDto'). Only the
 * fields given are checked.
 */
export function validateAgainst<F extends string>(schema: string, values: Partial<Record<F, string>>): Partial<Record<F, string>> {
	const { required, properties } = bodyConstraints(schema);
	const errors: Partial<Record<F, string>> = {};
	for (const [field, value] of Object.entries(values) as [F, string | undefined][]) {
		const constraint = properties[field];
		if (!constraint || value === undefined) continue;
		// Passwords are sent as typed (the API does not trim them), so their spaces count.
		const broken = field === 'password' ? checkRaw(value, constraint, required.includes(field)) : checkField(value, constraint, required.includes(field));
		if (broken) errors[field] = fieldRuleMessage(broken);
	}
	return errors;
}

/** The limits an input should announce (maxlength etc.), from the same schema. */
export function inputLimits(schema: string, field: string): { maxlength?: number; minlength?: number; required: boolean } {
	const { required, properties } = bodyConstraints(schema);
	const constraint = properties[field] ?? {};
	return { maxlength: constraint.maxLength, minlength: constraint.minLength, required: required.includes(field) };
}
