import { api, settle } from '#lib/api/client.ts';
import type { Option } from '#lib/components/Combobox.svelte';

/** Clients matching `term`, as Combobox options (the invoice filters and the editor's client picker). */
export async function searchClients(term: string): Promise<Option[]> {
	const query: { limit: number; q?: string } = { limit: 20 };
	if (term.trim()) query.q = term.trim();
	const result = await settle(api.GET('/api/v1/clients', { params: { query } }));
	return result.ok ? result.data.items.map((c) => ({ value: c.id, label: c.name })) : [];
}
