/**
 * The submit flow shared by the app's forms: client-side validation, one
 * request at a time, the server's error shown in the form's alert and next to
 * its fields, and focus moved to the first invalid field.
 */
import { settle, type FetchResult, type UiError } from './api/client';

/** Field name → message, for the fields that are invalid. */
export type FieldErrors<F extends string> = Partial<Record<F, string>>;
export type FieldElement = HTMLInputElement | HTMLTextAreaElement;

/** A failed submission, as `settle` reports it. */
export interface FormFailure {
	error: UiError;
	status: number | null;
}

export interface ApiFormOptions<F extends string, R extends FetchResult> {
	/** Client-side rules, checked before anything is sent. */
	validate?: () => FieldErrors<F>;
	/** The API call, e.g. `() => api.POST('/api/v1/…', { body })`. */
	request: () => Promise<R>;
	/** Runs with the response data; the form stays busy until it settles. */
	onsuccess: (data: Exclude<R['data'], undefined>) => unknown;
	/** Return true when the failure is handled here (e.g. a 401), to show nothing. */
	onfailure?: (failure: FormFailure) => boolean | void;
}

/** The first of `fields` (in form order) that has an error. */
export function firstInvalid<F extends string>(fields: readonly F[], errors: FieldErrors<F>): F | undefined {
	return fields.find((f) => errors[f]);
}

export class ApiForm<F extends string, R extends FetchResult> {
	/** The alert's error, or null. */
	error = $state<UiError | null>(null);
	fieldErrors = $state<FieldErrors<F>>({});
	submitting = $state(false);
	/** Bind each field's element here (`bind:element={form.elements.name}`) so it can be focused. */
	elements = $state<Partial<Record<F, FieldElement | null>>>({});

	readonly fields: readonly F[];
	#options: ApiFormOptions<F, R>;

	constructor(fields: readonly F[], options: ApiFormOptions<F, R>) {
		this.fields = fields;
		this.#options = options;
	}

	/** Focus the first field in `errors`; returns whether there was one. */
	focusFirstInvalid(errors: FieldErrors<F> = this.fieldErrors): boolean {
		const first = firstInvalid(this.fields, errors);
		if (first) this.elements[first]?.focus();
		return first !== undefined;
	}

	/** The form's `onsubmit` handler. */
	submit = async (event?: Event): Promise<void> => {
		event?.preventDefault();
		if (this.submitting) return;
		const { validate, request, onsuccess, onfailure } = this.#options;
		this.error = null;
		this.fieldErrors = validate?.() ?? {};
		if (this.focusFirstInvalid()) return;

		this.submitting = true;
		const result = await settle(request(), { fields: this.fields });
		if (result.ok) {
			try {
				await onsuccess(result.data);
			} finally {
				this.submitting = false;
			}
			return;
		}
		this.submitting = false;
		if (onfailure?.({ error: result.error, status: result.status })) return;
		this.error = result.error;
		this.fieldErrors = result.error.fieldErrors as FieldErrors<F>;
		this.focusFirstInvalid();
	};
}
