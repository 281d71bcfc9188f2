import type { operations } from '../api/schema';

// Derived from the generated client (operation ids are stable), never hand-written.
export type RevenueReport = operations['getRevenueReport']['responses'][200]['content']['application/json'];
export type RevenueCurrency = RevenueReport['currencies'][number];
export type ReceivablesReport = operations['getReceivablesReport']['responses'][200]['content']['application/json'];
export type ReceivablesCurrency = ReceivablesReport['currencies'][number];
export type UtilisationReport = operations['getUtilisationReport']['responses'][200]['content']['application/json'];
export type RevenueGroup = RevenueReport['groupBy'];

/** The currencies a set of reports has figures in, in order: the picker's choices (amounts are never mixed). */
export function currenciesOf(...lists: Array<Array<{ currency: string }> | undefined>): string[] {
	return [...new Set(lists.flatMap((list) => (list ?? []).map((c) => c.currency)))].sort();
}

/** The default range: the 12 calendar months up to today (as the API's default), as YYYY-MM-DD. */
export function defaultRange(today: Date): { from: string; to: string } {
	const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
	return { from: iso(new Date(today.getFullYear(), today.getMonth() - 11, 1)), to: iso(today) };
}

/** The CSV link of a report: the same URL with `format=csv` (the session cookie authenticates the download). */
export function csvHref(path: string, query: Record<string, string | undefined>): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
	params.set('format', 'csv');
	return `${path}?${params}`;
}

/** "2026-03" → "Mar 2026" in the user's locale (the month's label on the chart and in the table). */
export function monthLabel(key: string, locale: string): string {
	const [year, month] = key.split('-').map(Number);
	if (!year || !month) return key;
	return new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, 1)));
}

/** Minutes → hours with at most one decimal, for utilisation. */
export function hours(minutes: number): number {
	return Math.round(minutes / 6) / 10;
}
