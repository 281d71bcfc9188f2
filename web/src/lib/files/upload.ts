/**
 * Issue 10, files: uploads with progress and cancel. fetch() cannot report upload progress, so this
 * one call goes through XMLHttpRequest; its errors become the same UiError every other API call gives
 * (problem+json mapped by toUiError), and aborting the signal cancels the upload on the wire.
 */
import { toUiError, type UiError } from '#lib/api/client.ts';
import type { operations } from '#lib/api/schema.d.ts';

/** The API's File (the files shape of every upload and list). */
export type FileDto = operations['getFile']['responses'][200]['content']['application/json'];

export interface UploadProgress {
	loaded: number;
	total: number;
	/** 0..1 */
	fraction: number;
}

export interface UploadOptions {
	onProgress?: (progress: UploadProgress) => void;
	signal?: AbortSignal;
}

/** Why an upload did not complete: `error` is ready to show; `cancelled` when the user stopped it. */
export class UploadFailed extends Error {
	constructor(
		readonly error: UiError,
		readonly cancelled = false
	) {
		super(error.message);
		this.name = 'UploadFailed';
	}
}

function abortError(): DOMException {
	return new DOMException('The upload was cancelled', 'AbortError');
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/** POSTs `file` as multipart/form-data (one part named `file`) to `url`; resolves with the stored File. */
export function uploadFile(url: string, file: Blob & { name?: string }, options: UploadOptions = {}): Promise<FileDto> {
	const { onProgress, signal } = options;
	return new Promise<FileDto>((resolve, reject) => {
		if (signal?.aborted) {
			reject(new UploadFailed(toUiError(abortError()), true));
			return;
		}
		const xhr = new XMLHttpRequest();
		const body = new FormData();
		body.append('file', file, file.name ?? 'file');
		const onAbortSignal = () => xhr.abort();
		const done = () => signal?.removeEventListener('abort', onAbortSignal);

		xhr.open('POST', url);
		xhr.withCredentials = false; // same origin: the session cookie goes along anyway
		xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
		xhr.upload.addEventListener('progress', (event) => {
			if (!event.lengthComputable) return;
			onProgress?.({ loaded: event.loaded, total: event.total, fraction: event.total ? event.loaded / event.total : 0 });
		});
		xhr.addEventListener('load', () => {
			done();
			const payload = parseJson(xhr.responseText);
			if (xhr.status >= 200 && xhr.status < 300) {
				resolve(payload as FileDto);
				return;
			}
			const headers = new Headers();
			const requestId = xhr.getResponseHeader('x-request-id');
			if (requestId) headers.set('x-request-id', requestId);
			const response = new Response(null, { status: xhr.status, headers });
			reject(new UploadFailed(toUiError(payload, { response })));
		});
		xhr.addEventListener('error', () => {
			done();
			reject(new UploadFailed(toUiError(new TypeError('Network error'))));
		});
		xhr.addEventListener('abort', () => {
			done();
			reject(new UploadFailed(toUiError(abortError()), true));
		});
		signal?.addEventListener('abort', onAbortSignal, { once: true });
		xhr.send(body);
	});
}
