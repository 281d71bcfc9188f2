import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ByteRange, FileStorage } from './file-storage.js';

/** Server-chosen keys only: `<tenant id>/<shard>/<uuid>`, never anything a client could steer outside the root. */
const SAFE_KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

/**
 * Blobs under `RSM_DATA_DIR/files/<key>`. A write goes to a temporary name in the same directory and is
 * renamed into place only once complete (rename is atomic on one file system), so a failed or aborted
 * upload never leaves a blob under its key: the temporary file is removed on error. A process killed
 * mid-write can leave a `*.part-*` file; no row ever points at one.
 */
export class LocalFileStorage implements FileStorage {
  readonly backend = 'local' as const;

  constructor(private readonly root: string) {}

  async write(key: string, body: Readable): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.part-${randomBytes(6).toString('hex')}`;
    try {
      await pipeline(body, createWriteStream(temporary, { flags: 'wx' }));
      await rename(temporary, path);
    } catch (err) {
      await rm(temporary, { force: true });
      throw err;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    // Opened here, not lazily by the stream, so a missing blob fails before any header is sent.
    const handle = await open(this.pathOf(key), 'r');
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    if (!SAFE_KEY.test(key)) throw new Error(`Refusing storage key ${JSON.stringify(key)}`);
    const root = resolve(this.root);
    const path = resolve(join(root, key));
    if (!path.startsWith(root + sep)) throw new Error(`Refusing storage key ${JSON.stringify(key)}`);
    return path;
  }
}
