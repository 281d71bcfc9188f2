import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'pg-boss';
import { RequestContext } from '../../common/request-context.js';
import { JobQueue } from '../../jobs/job-queue.service.js';
import { TenantConnection } from '../../tenancy/tenant-connection.js';
import { FILE_PEAKS_QUEUE, type FilePeaksJobData, isDecodableAudio } from '../audio-types.js';
import { FileStores } from '../storage/file-stores.service.js';
import type { StorageBackend } from '../stored-file.entity.js';
import { type ComputedPeaks, computePeaks } from './compute-peaks.js';
import { UndecodableAudio } from './undecodable-audio.js';

/** Attempts after the first for errors that may pass (storage or database unreachable); undecodable audio is never retried. */
export const FILE_PEAKS_RETRY_LIMIT = 3;

/**
 * Computes a file's waveform peaks after its upload (the files module sends the job with the tenant and
 * file id). The handler enters the job's studio (RequestContext.runForTenant) and reaches its data only
 * through TenantConnection, like a request. Decoding streams the blob from its store without holding a
 * database connection (a long file decodes for a while); the result and `peaks_status = 'ready'` are
 * then written in one transaction. Only a `pending` file is computed, and the write is an upsert on the
 * `file_peaks` primary key, so a duplicate or retried job computes once, or at worst (two instances at
 * the same moment) writes the same peaks twice. Audio that cannot be decoded marks the file `failed`
 * at once; other errors are retried, and the last attempt marks it `failed` so it never stays pending.
 */
@Injectable()
export class FilePeaksJob {
  private readonly logger = new Logger('FilePeaks');

  constructor(
    queue: JobQueue,
    private readonly context: RequestContext,
    private readonly tenant: TenantConnection,
    private readonly stores: FileStores,
  ) {
    queue.register({
      // A 2 GB file may take minutes to decode: expire (and retry) only well after that.
      queue: { name: FILE_PEAKS_QUEUE, policy: 'standard', retryLimit: FILE_PEAKS_RETRY_LIMIT, retryDelay: 10, retryBackoff: true, expireInSeconds: 3600 },
      handler: async (jobs: Job<object>[]) => {
        for (const job of jobs) await this.handle(job as Job<FilePeaksJobData>);
      },
    });
  }

  private async handle(job: Job<FilePeaksJobData>): Promise<void> {
    const { tenantId, fileId } = job.data;
    try {
      await this.context.runForTenant(tenantId, () => this.compute(fileId, job.signal));
    } catch (err) {
      const lastAttempt = job.retryCount >= FILE_PEAKS_RETRY_LIMIT;
      this.logger.error({ tenantId, fileId, err: String(err), lastAttempt }, lastAttempt ? 'Peaks failed for good' : 'Peaks failed (will retry)');
      if (lastAttempt) await this.context.runForTenant(tenantId, () => this.markFailed(fileId)).catch(() => undefined);
      throw err;
    }
  }

  /** Computes and stores the peaks of a pending file; does nothing for a file that is gone or already done. */
  async compute(fileId: string, signal?: AbortSignal): Promise<void> {
    const [file] = (await this.tenant.run((m) =>
      m.query(`SELECT storage, storage_key, content_type, peaks_status FROM files WHERE id = $1`, [fileId]),
    )) as Array<{ storage: StorageBackend; storage_key: string; content_type: string; peaks_status: string }>;
    if (!file || file.peaks_status !== 'pending') return;
    if (!isDecodableAudio(file.content_type)) {
      await this.markFailed(fileId);
      return;
    }
    let peaks: ComputedPeaks;
    const blob = await this.stores.get(file.storage).read(file.storage_key);
    // An expired job (pg-boss aborts it) stops reading: the retry starts over.
    const abort = () => blob.destroy(new Error('The peaks job was aborted'));
    signal?.addEventListener('abort', abort, { once: true });
    try {
      peaks = await computePeaks(blob, file.content_type);
    } catch (err) {
      if (!(err instanceof UndecodableAudio)) throw err;
      this.logger.warn({ tenantId: this.tenant.tenantId, fileId, reason: err.message }, 'Audio could not be decoded: peaks failed');
      await this.markFailed(fileId);
      return;
    } finally {
      signal?.removeEventListener('abort', abort);
      blob.destroy();
    }
    await this.tenant.transaction(async (m) => {
      // The row first, locked: a file deleted meanwhile gets no peaks (and its delete waits for this commit).
      const [, updated] = (await m.query(`UPDATE files SET peaks_status = 'ready' WHERE id = $1 RETURNING id`, [fileId])) as [unknown, number];
      if (!updated) return;
      await m.query(
        `INSERT INTO file_peaks (file_id, duration_seconds, sample_rate, channels, peaks) VALUES ($1, $2, $3, $4, $5::jsonb)
         ON CONFLICT (file_id) DO UPDATE SET duration_seconds = EXCLUDED.duration_seconds, sample_rate = EXCLUDED.sample_rate,
           channels = EXCLUDED.channels, peaks = EXCLUDED.peaks, computed_at = now()`,
        [fileId, peaks.durationSeconds, peaks.sampleRate, peaks.channels, JSON.stringify(peaks.peaks)],
      );
    });
    this.logger.log({ tenantId: this.tenant.tenantId, fileId, durationSeconds: peaks.durationSeconds }, 'Peaks computed');
  }

  private async markFailed(fileId: string): Promise<void> {
    await this.tenant.run((m) => m.query(`UPDATE files SET peaks_status = 'failed' WHERE id = $1 AND peaks_status = 'pending'`, [fileId]));
  }
}
