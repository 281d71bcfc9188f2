/**
 * The one place that turns whatever an API call failed with (an RFC 9457 problem+json body, a
 * non-JSON error body, or a thrown network error) into plain sentences in the user's language:
 * one message for the form's alert, and one per field. The API's `detail`s stay English for
 * integrators; the app shows its own sentence for every problem type and field rule it knows.
 */
import { m } from '../paraglide/messages.js';
import type { components } from './schema';

export type Problem = components['schemas']['ProblemDto'];
export type FieldError = NonNullable<Problem['errors']>[number];

export interface UiError {
	/** The sentence for the form's alert. */
	message: string;
	/** Field name → sentence, for the fields the server refused. */
	fieldErrors: Record<string, string>;
	/** HTTP status, or null when the request never got a response. */
	status: number | null;
	/** Server request id, only for server-side failures (5xx), where support needs it. */
	requestId: string | null;
}

/** Why one field was refused: the API's class-validator rules and the browser's own checks alike. */
export type FieldRule =
	| { rule: 'required' }
	| { rule: 'email' }
	| { rule: 'tooLong'; max: number }
	| { rule: 'tooShort'; min: number }
	| { rule: 'unknownField' }
	| { rule: 'invalid' };

export function fieldRuleMessage(rule: FieldRule): string {
	switch (rule.rule) {
		case 'required':
			return m.field_required();
		case 'email':
			return m.field_email();
		case 'tooLong':
			return m.field_too_long({ max: rule.max });
		case 'tooShort':
			return m.field_too_short({ min: rule.min });
		case 'unknownField':
			return m.field_unknown();
		case 'invalid':
			return m.field_invalid();
	}
}

/** class-validator's English message ("email must be an email") → the rule it reports. */
export function ruleOfServerMessage(message: string): FieldRule {
	let match: RegExpMatchArray | null;
	if (/must be an email/i.test(message)) return { rule: 'email' };
	if ((match = message.match(/shorter than or equal to (\d+)/i))) return { rule: 'tooLong', max: Number(match[1]) };
	if ((match = message.match(/longer than or equal to (\d+)/i))) {
		const min = Number(match[1]);
		return min <= 1 ? { rule: 'required' } : { rule: 'tooShort', min };
	}
	if (/should not be empty|must be a string|is required/i.test(message)) return { rule: 'required' };
	if (/should not exist/i.test(message)) return { rule: 'unknownField' };
	return { rule: 'invalid' };
}

/** The sentence for a problem type (the last segment of `type`), or null for unknown ones. */
function problemTypeMessage(type: string): string | null {
	switch (type) {
		case 'invalid-credentials':
			return m.problem_invalid_credentials();
		case 'unauthenticated':
			return m.problem_unauthenticated();
		case 'email-taken':
			return m.problem_email_taken();
		case 'forbidden':
			return m.problem_forbidden();
		case 'studio-suspended':
			return m.problem_studio_suspended();
		case 'subscription-past-due':
			return m.problem_subscription_past_due();
		case 'not-found':
			return m.problem_not_found();
		case 'conflict':
			return m.problem_conflict();
		case 'rate-limited':
			return m.problem_rate_limited();
		case 'payload-too-large':
			return m.problem_too_large();
		case 'cross-site-request':
			return m.problem_cross_site();
		case 'verification-link-invalid':
			return m.problem_verification_link_invalid();
		case 'studio-removed':
			return m.problem_studio_removed();
		// Scheduling resources (issue 9).
		case 'room-name-taken':
			return m.problem_room_name_taken();
		case 'room-in-use':
		case 'equipment-in-use':
			return m.problem_in_use();
		case 'own-schedule-only':
			return m.problem_own_schedule_only();
		// Files (issue 10).
		case 'file-too-large':
			return m.problem_file_too_large();
		case 'file-in-use':
			return m.problem_file_in_use();
		case 'upload-interrupted':
			return m.problem_upload_interrupted();
		// Money (issue 11).
		case 'invoice-not-draft':
			return m.problem_invoice_not_draft();
		case 'invoice-empty':
			return m.problem_invoice_empty();
		case 'invoice-has-payments':
			return m.problem_invoice_has_payments();
		case 'credit-exceeds-invoice':
			return m.problem_credit_exceeds_invoice();
		case 'booking-already-invoiced':
			return m.problem_booking_already_invoiced();
		case 'deposit-not-deductible':
			return m.problem_deposit_not_deductible();
		case 'number-format-clash':
			return m.problem_number_format_clash();
		case 'overpayment':
			return m.problem_overpayment();
		case 'invoice-not-payable':
			return m.problem_invoice_not_payable();
		case 'shares-locked':
			return m.problem_shares_locked();
		case 'payment-not-deletable':
			return m.problem_payment_not_deletable();
		case 'invoice-not-finalized':
			return m.problem_invoice_not_finalized();
		case 'online-payment-off':
			return m.problem_online_payment_off();
		case 'stripe-not-connected':
			return m.problem_stripe_not_connected();
		// Issue 11, subscription: the owner's checkout and billing portal.
		case 'online-billing-off':
			return m.problem_online_billing_off();
		case 'already-subscribed':
			return m.problem_already_subscribed();
		case 'no-billing-customer':
			return m.problem_no_billing_customer();
		case 'email-already-verified':
			return m.problem_email_already_verified();
		case 'database-busy':
		case 'service-unavailable':
		case 'not-ready':
			return m.problem_unavailable();
		case 'validation':
		case 'bad-request':
			return m.problem_validation();
		default:
			return null;
	}
}

function statusMessage(status: number | null): string {
	if (status === null) return m.problem_network();
	if (status === 401) return m.problem_unauthenticated();
	if (status === 403) return m.problem_forbidden();
	if (status === 404) return m.problem_not_found();
	if (status === 409) return m.problem_conflict();
	if (status === 413) return m.problem_too_large();
	if (status === 429) return m.problem_rate_limited();
	if (status === 503) return m.problem_unavailable();
	if (status >= 500) return m.problem_server({ status });
	return m.problem_validation();
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** Narrow an unknown error body to the problem fields we rely on. */
export function asProblem(body: unknown): Partial<Problem> | null {
	if (!isRecord(body)) return null;
	const looksLikeProblem = 'detail' in body || 'title' in body || ('status' in body && 'type' in body) || 'errors' in body;
	return looksLikeProblem ? (body as Partial<Problem>) : null;
}

function fieldErrorList(problem: Partial<Problem> | null): FieldError[] {
	const errors = problem?.errors;
	if (!Array.isArray(errors)) return [];
	return errors.filter((e): e is FieldError => isRecord(e) && typeof e.field === 'string' && Array.isArray(e.messages));
}

export interface ToUiErrorOptions {
	/** HTTP response (gives the status when the body is not a problem). */
	response?: Response | null;
	/**
	 * Fields the current form shows. Errors for other fields are folded into the main message so
	 * they are never silently dropped.
	 */
	fields?: readonly string[];
}

/**
 * Build a UI error from an openapi-fetch `error` (parsed problem+json, raw text, or undefined) or
 * from a thrown exception (network failure).
 */
export function toUiError(error: unknown, options: ToUiErrorOptions = {}): UiError {
	const response = options.response ?? null;
	if (error instanceof Error && !response) {
		const message = error.name === 'AbortError' ? m.problem_cancelled() : m.problem_network();
		return { message, fieldErrors: {}, status: null, requestId: null };
	}

	const problem = asProblem(error);
	const status = response?.status ?? (typeof problem?.status === 'number' ? problem.status : null);
	const serverSide = status !== null && status >= 500;
	const requestId = serverSide ? (nonEmptyString(problem?.requestId) ?? response?.headers.get('x-request-id') ?? null) : null;

	const fieldErrors: Record<string, string> = {};
	const elsewhere: string[] = [];
	for (const { field, messages } of fieldErrorList(problem)) {
		// One sentence per field: its first rule is what the user fixes first.
		const first = messages.find((text) => typeof text === 'string' && text.trim());
		if (!first || fieldErrors[field]) continue;
		const sentence = fieldRuleMessage(ruleOfServerMessage(first));
		if (options.fields && !options.fields.includes(field)) elsewhere.push(sentence);
		else fieldErrors[field] = sentence;
	}

	const type = nonEmptyString(problem?.type)?.split('/').pop() ?? '';
	let message = problemTypeMessage(type) ?? statusMessage(status);
	if (Object.keys(fieldErrors).length > 0) message = m.problem_fix_fields();
	if (elsewhere.length > 0) message = [m.problem_validation(), ...elsewhere].join(' ');

	return { message, fieldErrors, status, requestId };
}

/** The message for a request that never reached the server. */
export const networkErrorMessage = (): string => m.problem_network();
