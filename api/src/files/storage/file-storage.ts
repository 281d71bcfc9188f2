import type { Readable } from 'node:stream';
import type { StorageBackend } from '../stored-file.entity.js';

/** Inclusive byte range, as HTTP Range requests count them. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where blobs live: the local data directory or an S3-compatible store. Keys are chosen by the server
 * (`<tenant id>/…`), never derived from a client's file name.
 */
export interface FileStorage {
  readonly backend: StorageBackend;
  /** Streams `body` to `key`. Resolves once stored; on any error (or abort) rejects and leaves no blob. */
  write(key: string, body: Readable): Promise<void>;
  /** Opens the blob, whole or a byte range. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Removes the blob; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
}
