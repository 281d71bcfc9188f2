/** Issue 10, files: the calls the files pages make, settled into UI-ready results. */
import { api, settle, type Settled } from '#lib/api/client.ts';
import type { FileDto } from './upload.ts';

export function projectFilesUrl(projectId: string, trackId?: string | null): string {
	const base = `/api/v1/projects/${encodeURIComponent(projectId)}/files`;
	return trackId ? `${base}?trackId=${encodeURIComponent(trackId)}` : base;
}

export function listProjectFiles(projectId: string, trackId?: string): Promise<Settled<{ items: FileDto[] }>> {
	return settle(api.GET('/api/v1/projects/{id}/files', { params: { path: { id: projectId }, query: trackId ? { trackId } : {} } }));
}

export function deleteFile(id: string) {
	return settle(api.DELETE('/api/v1/files/{id}', { params: { path: { id } } }));
}

export function storageUsage() {
	return settle(api.GET('/api/v1/files/usage'));
}

/** A track to file an upload under (the projects API's Track, only what this page needs). */
export interface TrackChoice {
	id: string;
	title: string;
	position: number;
}

/**
 * The project's tracks, for the optional track picker. Read without the typed client because the
 * tracks routes belong to the projects module (issue 10, `projects`); an error only hides the picker.
 */
export async function listTrackChoices(projectId: string): Promise<TrackChoice[]> {
	try {
		const response = await fetch(`/api/v1/projects/${encodeURIComponent(projectId)}/tracks`, { headers: { Accept: 'application/json' } });
		if (!response.ok) return [];
		const body = (await response.json()) as { items?: TrackChoice[] };
		return Array.isArray(body.items) ? body.items : [];
	} catch {
		return [];
	}
}
