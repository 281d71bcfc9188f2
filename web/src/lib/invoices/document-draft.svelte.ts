import type { Settled, UiError } from '#lib/api/client.ts';
import type { Option } from '#lib/components/Combobox.svelte';
import { currencyDigits } from '#lib/format.ts';
import { m } from '#lib/paraglide/messages.js';
import { currencyOptions } from '#lib/resources/resources.ts';
import { studio } from '#lib/studio.svelte.ts';
import { taxRatesApi } from './api.ts';
import type { InvoiceLine, TaxRate } from './contract.ts';
import { emptyLine, lineFromInvoice, toLineInput, validLineInputs, type LineDraft } from './lines.ts';

/** What a draft quote or invoice starts from: the fields both documents have. */
export interface DraftStart {
	client: { id: string; name: string };
	currency: string;
	lines: InvoiceLine[];
	notes: string | null;
	terms: string | null;
}

/**
 * The part of the quote and invoice editors that is the same: client, currency, lines, notes and terms;
 * the studio's tax rates; the form's errors; one save at a time (`Action` names the button that spins).
 * Each editor adds its own fields and builds its own request body.
 */
export class DocumentDraft<Action extends string> {
	taxRates = $state<TaxRate[]>([]);
	clientId = $state('');
	client = $state<Option | null>(null);
	currency = $state('');
	lines = $state<LineDraft[]>([]);
	notes = $state('');
	terms = $state('');

	error = $state<UiError | null>(null);
	fieldErrors = $state<Record<string, string>>({});
	saving = $state<Action | null>(null);
	showLineErrors = $state(false);

	readonly currencies: { value: string; label: string }[];
	readonly exponent = $derived(currencyDigits(this.currency));
	/** The lines as the API takes them (or why not, line by line). */
	readonly converted = $derived(this.lines.map((line) => toLineInput(line, this.exponent)));
	/** The lines to send, or null while one is invalid. */
	readonly validInputs = $derived(validLineInputs(this.converted));

	readonly #start: DraftStart | null;
	readonly #onUnauthorized: () => void;

	constructor(start: DraftStart | null, initialClient: Option | null, locale: string, onUnauthorized: () => void) {
		this.#start = start;
		this.#onUnauthorized = onUnauthorized;
		this.currencies = currencyOptions(locale);
		this.clientId = start?.client.id ?? initialClient?.value ?? '';
		this.client = start ? { value: start.client.id, label: start.client.name } : initialClient;
		this.currency = start?.currency ?? studio.currency;
		this.lines = start ? start.lines.map((l) => lineFromInvoice(l, currencyDigits(start.currency), locale)) : [];
		this.notes = start?.notes ?? '';
		this.terms = start?.terms ?? '';
	}

	/** Loads the studio's tax rates; a new document then starts with one empty line at the default rate. */
	async loadTaxRates(): Promise<void> {
		const result = await taxRatesApi.list(false);
		if (result.ok) this.taxRates = result.data.items;
		else if (result.status === 401) this.#onUnauthorized();
		const defaultRateId = this.taxRates.find((r) => r.isDefault && !r.archivedAt)?.id ?? '';
		if (!this.#start && this.lines.length === 0) this.lines = [emptyLine(defaultRateId)];
	}

	/** Before checking the fields: the last errors go, the lines show theirs. */
	beginValidation(): void {
		this.fieldErrors = {};
		this.error = null;
		this.showLineErrors = true;
	}

	/** The form's alert for fields the user must fix (marked beside them); returns null, the body there is not. */
	invalid(): null {
		this.error = { message: m.problem_fix_fields(), fieldErrors: {}, status: null, requestId: null };
		return null;
	}

	/** The saved document, or null once the failure is shown (a 401 sends the user to log in). */
	saved<T>(result: Settled<T>): T | null {
		if (result.ok) return result.data;
		if (result.status === 401) this.#onUnauthorized();
		else {
			this.error = result.error;
			this.fieldErrors = result.error.fieldErrors;
		}
		return null;
	}

	/** Runs `action` with its button spinning, unless a save is already running (then it resolves to null). */
	async run<T>(kind: Action, action: () => Promise<T | null>): Promise<T | null> {
		if (this.saving) return null;
		this.saving = kind;
		try {
			return await action();
		} finally {
			this.saving = null;
		}
	}
}

/** A text field's value for the API: trimmed, and null when empty. */
export function optionalText(value: string): string | null {
	return value.trim() ? value.trim() : null;
}
