import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import type { S3StorageConfig } from '../../config/app-config.js';
import type { ByteRange, FileStorage } from './file-storage.js';

/** 5 MiB, S3's smallest part: lib-storage buffers at most QUEUE_SIZE parts of this size per upload. */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;

/**
 * Blobs in an S3-compatible bucket. Writes stream through lib-storage's Upload: one PUT for a small
 * file, a multipart upload for a larger one, with at most QUEUE_SIZE parts in memory. A failed upload
 * is aborted by lib-storage (leavePartsOnError is false), so no object appears under the key.
 */
export class S3FileStorage implements FileStorage {
  readonly backend = 's3' as const;
  private readonly client: S3Client;

  constructor(private readonly config: S3StorageConfig) {
    this.client = new S3Client({
      endpoint: config.endpoint,
      region: config.region,
      credentials: config.credentials,
      forcePathStyle: config.forcePathStyle,
    });
  }

  async write(key: string, body: Readable): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.config.bucket, Key: key, Body: body },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    // A source that fails mid-way must fail the upload too (lib-storage only reads it).
    const failed = new Promise<never>((_, reject) => body.once('error', reject));
    const done = upload.done();
    done.catch(() => undefined); // the race below reports the first failure; the other must not go unhandled
    try {
      await Promise.race([done, failed]);
    } catch (err) {
      await upload.abort().catch(() => undefined);
      throw err;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const result = await this.client.send(
      new GetObjectCommand({ Bucket: this.config.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
    );
    if (!(result.Body instanceof Readable)) throw new Error('S3 returned no readable body');
    return result.Body;
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: key }));
  }

  destroy(): void {
    this.client.destroy();
  }
}
