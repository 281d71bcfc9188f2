import { Injectable } from '@nestjs/common';
import parseRange from 'range-parser';
import type { Readable } from 'node:stream';
import type { ByteRange } from './storage/file-storage.js';
import { FileStores } from './storage/file-stores.service.js';
import type { StoredFile } from './stored-file.entity.js';
import { FilesService } from './files.service.js';

/** The conditional and range headers of a download, as the client sent them. */
export interface ContentRequest {
  range?: string;
  ifNoneMatch?: string;
  ifRange?: string;
}

export type ContentResult =
  | { kind: 'not-modified'; file: StoredFile; etag: string }
  | { kind: 'unsatisfiable'; file: StoredFile; etag: string }
  | { kind: 'content'; file: StoredFile; etag: string; stream: Readable; range: ByteRange | undefined };

/** The strong validator of a file: its SHA-256 (the bytes never change under an id). */
export const etagOf = (file: StoredFile) => `"${file.sha256}"`;

/** If-None-Match: `*` or a list of tags, weak ones compared weakly (RFC 9110 §13.1.2). */
function matchesAny(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * Issue 10: what GET /files/{id}/content sends: 304 when the client's copy is current, one byte range
 * (206) or the whole file (200), 416 for a range past the end. Several ranges at once are answered
 * with the whole file (RFC 9110 lets a server ignore Range; players ask for one).
 */
@Injectable()
export class FileContentService {
  constructor(
    private readonly files: FilesService,
    private readonly stores: FileStores,
  ) {}

  async open(id: string, request: ContentRequest): Promise<ContentResult> {
    const file = await this.files.find(id);
    const etag = etagOf(file);
    if (request.ifNoneMatch && matchesAny(request.ifNoneMatch, etag)) return { kind: 'not-modified', file, etag };
    let range: ByteRange | undefined;
    // If-Range: the range only applies to the representation the client already has part of.
    if (request.range && (request.ifRange === undefined || request.ifRange.trim() === etag)) {
      const parsed = parseRange(file.sizeBytes, request.range, { combine: true });
      if (parsed === -1) return { kind: 'unsatisfiable', file, etag };
      // -2 (malformed) or several ranges: the whole file.
      if (parsed !== -2 && parsed.type === 'bytes' && parsed.length === 1) range = { start: parsed[0].start, end: parsed[0].end };
    }
    const stream = await this.stores.get(file.storage).read(file.storageKey, range);
    return { kind: 'content', file, etag, stream, range };
  }
}
