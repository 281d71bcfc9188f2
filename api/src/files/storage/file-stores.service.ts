import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { StorageBackend } from '../stored-file.entity.js';
import type { FileStorage } from './file-storage.js';
import { LocalFileStorage } from './local-file-storage.js';
import { S3FileStorage } from './s3-file-storage.js';

/**
 * The blob stores. New uploads go to `current` (S3 when S3_BUCKET is configured, else the data
 * directory); a stored file is always read and deleted through `get(row.storage)`, so files uploaded
 * before S3 was configured are still served from the disk.
 */
@Injectable()
export class FileStores implements OnApplicationShutdown {
  private readonly local: LocalFileStorage;
  private readonly s3: S3FileStorage | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.local = new LocalFileStorage(join(config.dataDir, 'files'));
    this.s3 = config.files.s3 ? new S3FileStorage(config.files.s3) : undefined;
  }

  get current(): FileStorage {
    return this.s3 ?? this.local;
  }

  get(backend: StorageBackend): FileStorage {
    if (backend === 'local') return this.local;
    if (!this.s3) throw new Error('This file is on S3 storage, but S3_BUCKET is not configured');
    return this.s3;
  }

  onApplicationShutdown(): void {
    this.s3?.destroy();
  }
}
