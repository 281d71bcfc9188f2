import { Injectable, Logger } from '@nestjs/common';
import { JobQueue } from '../../jobs/job-queue.service.js';
import { TenantConnection } from '../../tenancy/tenant-connection.js';
import { FILE_PEAKS_QUEUE, type FilePeaksJobData } from '../audio-types.js';
import { fileNotFound } from '../files.service.js';
import type { PeaksStatus } from '../stored-file.entity.js';
import type { FilePeaksDto } from './dto/file-peaks.dto.js';


/** A file pending for longer than this has most likely lost its job (see `get`). */
const STALE_PENDING_SECONDS = 120;

/** Reads a file's peaks (the job writes them: file-peaks.job.ts). Another studio's file is simply not in this database: 404. */
@Injectable()
export class FilePeaksService {
  private readonly logger = new Logger('FilePeaks');

  constructor(
    private readonly tenant: TenantConnection,
    private readonly jobs: JobQueue,
  ) {}

  async get(fileId: string): Promise<FilePeaksDto> {
    // One statement: the status and the peaks row as of the same snapshot (the job writes both in one transaction).
    const [row] = (await this.tenant.run((m) =>
      m.query(
        `SELECT f.peaks_status, p.duration_seconds, p.sample_rate, p.channels, p.peaks,
                f.peaks_status = 'pending' AND f.created_at < now() - make_interval(secs => $2) AS stale
           FROM files f LEFT JOIN file_peaks p ON p.file_id = f.id
          WHERE f.id = $1`,
        [fileId, STALE_PENDING_SECONDS],
      ),
    )) as Array<{ peaks_status: PeaksStatus; duration_seconds: number | null; sample_rate: number | null; channels: number | null; peaks: number[] | null; stale: boolean }>;
    if (!row) throw fileNotFound();
    if (row.stale) await this.requeue(fileId);
    if (row.peaks_status !== 'ready' || row.peaks === null) return { status: row.peaks_status === 'ready' ? 'pending' : row.peaks_status };
    return { status: 'ready', durationSeconds: row.duration_seconds!, sampleRate: row.sample_rate!, channels: row.channels!, peaks: row.peaks };
  }

  /**
   * The upload queues the job after its commit, so a failed send or a crash in between leaves the file
   * pending with no job. The player asks for the peaks until they are ready: a file still pending long
   * after its upload gets its job again (once per window across instances: singletonKey; the job
   * computes only pending files, so a duplicate costs nothing).
   */
  private async requeue(fileId: string): Promise<void> {
    const data: FilePeaksJobData = { tenantId: this.tenant.tenantId, fileId };
    await this.jobs
      .sendAfter(FILE_PEAKS_QUEUE, data, new Date(), { singletonKey: `peaks:${fileId}`, singletonSeconds: STALE_PENDING_SECONDS })
      .catch((err: unknown) => this.logger.warn({ err: String(err), fileId }, 'Could not queue the peaks job again'));
  }
}
