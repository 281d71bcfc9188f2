import { HttpStatus, Injectable } from '@nestjs/common';
import { ProblemException } from '../../common/problem.js';
import { TenantConnection } from '../../tenancy/tenant-connection.js';
import type { PeaksStatus } from '../stored-file.entity.js';
import type { FilePeaksDto } from './dto/file-peaks.dto.js';

const notFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No file with this id in your studio.');

/** Reads a file's peaks (the job writes them: file-peaks.job.ts). Another studio's file is simply not in this database: 404. */
@Injectable()
export class FilePeaksService {
  constructor(private readonly tenant: TenantConnection) {}

  async get(fileId: string): Promise<FilePeaksDto> {
    // One statement: the status and the peaks row as of the same snapshot (the job writes both in one transaction).
    const [row] = (await this.tenant.run((m) =>
      m.query(
        `SELECT f.peaks_status, p.duration_seconds, p.sample_rate, p.channels, p.peaks
           FROM files f LEFT JOIN file_peaks p ON p.file_id = f.id
          WHERE f.id = $1`,
        [fileId],
      ),
    )) as Array<{ peaks_status: PeaksStatus; duration_seconds: number | null; sample_rate: number | null; channels: number | null; peaks: number[] | null }>;
    if (!row) throw notFound();
    if (row.peaks_status !== 'ready' || row.peaks === null) return { status: row.peaks_status === 'ready' ? 'pending' : row.peaks_status };
    return { status: 'ready', durationSeconds: row.duration_seconds!, sampleRate: row.sample_rate!, channels: row.channels!, peaks: row.peaks };
  }
}
