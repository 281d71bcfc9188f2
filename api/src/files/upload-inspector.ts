import { fileTypeFromBuffer } from 'file-type';
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** How many leading bytes the type is sniffed from (file-type's own sample size). */
const SNIFF_BYTES = 4100;

export class UploadTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The upload is larger than ${maxBytes} bytes`);
  }
}

/**
 * A pass-through the upload streams through on its way to storage: it counts the bytes (and fails
 * past `maxBytes`), hashes them (SHA-256) and keeps only the first few KB to sniff the type from.
 * Nothing else is held in memory, whatever the size of the file.
 */
export class UploadInspector extends Transform {
  private readonly hash = createHash('sha256');
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  bytes = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return callback(new UploadTooLargeError(this.maxBytes));
    this.hash.update(chunk);
    if (this.headBytes < SNIFF_BYTES) {
      const part = chunk.subarray(0, SNIFF_BYTES - this.headBytes);
      this.head.push(Buffer.from(part)); // a copy: the source may reuse its buffers
      this.headBytes += part.length;
    }
    callback(null, chunk);
  }

  /** Call once the stream has finished. */
  sha256(): string {
    return this.hash.digest('hex');
  }

  /** The type the bytes say (file-type, else text/plain for UTF-8 text), application/octet-stream when they say nothing. */
  async sniffedType(): Promise<string> {
    const head = Buffer.concat(this.head);
    try {
      const result = await fileTypeFromBuffer(head);
      if (result) return result.mime;
    } catch {
      // a detector that chokes on odd bytes says nothing about them
    }
    return looksLikeText(head) ? 'text/plain' : 'application/octet-stream';
  }
}

/** Control characters that never appear in text (tab, line feed, form feed and carriage return do). */
const NON_TEXT = /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/;

/**
 * file-type knows binary formats only: lyrics, notes and track sheets are text when their first bytes
 * are valid UTF-8 (ASCII included) without control characters. `stream: true`: a character cut at the
 * end of the sample is not an error.
 */
function looksLikeText(head: Buffer): boolean {
  if (!head.length) return false;
  try {
    return !NON_TEXT.test(new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true }));
  } catch {
    return false;
  }
}
