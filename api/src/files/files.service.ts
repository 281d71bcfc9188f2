import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { Booking } from '../bookings/booking.entity.js';
import { RequestContext } from '../common/request-context.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { onForeignKeyViolation } from '../common/pg-errors.js';
import { ProblemException, ValidationProblem } from '../common/problem.js';
import { DeliverableVersion } from '../deliverables/deliverable-version.entity.js';
import { JobQueue } from '../jobs/job-queue.service.js';
import { Project } from '../projects/project.entity.js';
import { projectNotFound } from '../projects/projects.service.js';
import { Track } from '../projects/track.entity.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { FILE_PEAKS_QUEUE, type FilePeaksJobData, isDecodableAudio } from './audio-types.js';
import type { FileDto, FileListDto, StorageUsageDto } from './dto/file.dto.js';
import { displayName } from './file-names.js';
import { FileStores } from './storage/file-stores.service.js';
import { StoredFile } from './stored-file.entity.js';
import { UploadInspector, UploadTooLargeError } from './upload-inspector.js';

/** Who an upload belongs to: a project (optionally one of its tracks) or a booking. */
export type FileOwner = { projectId: string; trackId?: string } | { bookingId: string };

/** What the controller hands over from the multipart request: the bytes as a stream, and what the client said. */
export interface UploadSource {
  stream: Readable;
  /** The client's file name (display only). */
  fileName: string;
  /** The client's Content-Type for the part (kept for support, never served). */
  declaredType: string | undefined;
  /** True when the multipart parser cut the file at its size limit. */
  truncated: () => boolean;
}

export const fileNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No file with this id in your studio.');
const bookingNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No booking with this id in your studio.');
export const fileTooLarge = (maxBytes: number) =>
  new ProblemException(HttpStatus.PAYLOAD_TOO_LARGE, 'file-too-large', `The file is larger than the ${Math.floor(maxBytes / 1024 / 1024)} MB upload limit.`);

export function toFileDto(f: StoredFile): FileDto {
  return {
    id: f.id,
    projectId: f.projectId,
    trackId: f.trackId,
    bookingId: f.bookingId,
    name: f.originalName,
    sizeBytes: f.sizeBytes,
    contentType: f.contentType,
    sha256: f.sha256,
    peaksStatus: f.peaksStatus,
    uploadedBy: f.uploadedBy,
    createdAt: f.createdAt.toISOString(),
    contentUrl: `/api/v1/files/${f.id}/content`,
  };
}

/**
 * Issue 10: the studio's files. Blobs go to storage first and the row is inserted only once the blob
 * is complete; deletes remove the row first and the blob after. Either way a row never points at a
 * missing blob; the worst a crash leaves is an orphan blob (space, not a broken download).
 */
@Injectable()
export class FilesService {
  private readonly logger = new Logger('Files');

  constructor(
    private readonly tenant: TenantConnection,
    private readonly stores: FileStores,
    private readonly audit: AuditLog,
    private readonly context: RequestContext,
    private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async upload(owner: FileOwner, source: UploadSource): Promise<FileDto> {
    const maxBytes = this.config.files.maxUploadBytes;
    // Before a byte is stored: an unknown owner is a 404 without the upload.
    await this.tenant.run((m) => this.checkOwner(m, owner));
    const storage = this.stores.current;
    const tenantId = this.tenant.tenantId;
    const id = randomUUID();
    // Server-chosen: the tenant, a two-character shard (a directory never holds millions of files), the row id.
    const storageKey = `${tenantId}/${id.slice(0, 2)}/${id}`;
    const inspector = new UploadInspector(maxBytes);
    const removeBlob = () => storage.delete(storageKey).catch((err: unknown) => this.logger.error({ err: String(err), storageKey }, 'Could not remove a refused upload'));
    // busboy stops a file at MAX_UPLOAD_MB and says so with 'limit': fail the upload there, so the store
    // aborts its write instead of keeping (and then deleting) MAX_UPLOAD_MB of a file that is refused anyway.
    source.stream.once('limit', () => source.stream.destroy(new UploadTooLargeError(maxBytes)));
    // pipeline() carries an error either way (a source that breaks, a store that fails) and destroys both sides.
    const inspecting = pipeline(source.stream, inspector);
    inspecting.catch(() => undefined); // Promise.all reports it; not an unhandled rejection when the store failed first
    try {
      await Promise.all([storage.write(storageKey, inspector), inspecting]);
    } catch (err) {
      // The store may have finished before the source failed (or failed before reading a byte, which
      // would leave the source paused): stop both, and remove whatever was stored under the key.
      inspector.destroy(err as Error);
      await removeBlob();
      if (err instanceof UploadTooLargeError) throw fileTooLarge(maxBytes);
      throw err;
    }
    if (source.truncated() || inspector.bytes > maxBytes) {
      await removeBlob();
      throw fileTooLarge(maxBytes);
    }
    if (inspector.bytes === 0) {
      await removeBlob();
      throw new ValidationProblem([{ field: 'file', messages: ['file must not be empty'] }], 'The file is empty.');
    }
    const contentType = await inspector.sniffedType();
    const peaksPending = isDecodableAudio(contentType);
    let saved: StoredFile;
    try {
      saved = await this.tenant.transaction(async (m) => {
        await this.checkOwner(m, owner); // it could have been deleted while the bytes streamed (the foreign keys hold it from here)
        const repo = m.getRepository(StoredFile);
        await repo.insert({
          id,
          projectId: 'projectId' in owner ? owner.projectId : null,
          trackId: 'projectId' in owner ? (owner.trackId ?? null) : null,
          bookingId: 'bookingId' in owner ? owner.bookingId : null,
          originalName: displayName(source.fileName),
          storage: storage.backend,
          storageKey,
          sizeBytes: inspector.bytes,
          contentType,
          declaredType: source.declaredType?.slice(0, 127) || null,
          sha256: inspector.sha256(),
          peaksStatus: peaksPending ? 'pending' : 'none',
          uploadedBy: this.context.principal()?.userId ?? null,
        });
        await this.audit.record(m, {
          action: 'file.uploaded',
          targetType: 'file',
          targetId: id,
          details: { name: displayName(source.fileName), sizeBytes: inspector.bytes, contentType, ...owner },
        });
        return repo.findOneByOrFail({ id });
      });
    } catch (err) {
      await removeBlob();
      throw err;
    }
    if (peaksPending) await this.queuePeaks({ tenantId, fileId: id });
    return toFileDto(saved);
  }

  async listForProject(projectId: string, trackId: string | undefined): Promise<FileListDto> {
    return this.tenant.run(async (m) => {
      if (!(await m.getRepository(Project).existsBy({ id: projectId }))) throw projectNotFound();
      const files = await m.getRepository(StoredFile).find({ where: { projectId, ...(trackId ? { trackId } : {}) }, order: { createdAt: 'DESC', id: 'DESC' } });
      return { items: files.map(toFileDto) };
    });
  }

  async listForBooking(bookingId: string): Promise<FileListDto> {
    return this.tenant.run(async (m) => {
      if (!(await m.getRepository(Booking).existsBy({ id: bookingId }))) throw bookingNotFound();
      const files = await m.getRepository(StoredFile).find({ where: { bookingId }, order: { createdAt: 'DESC', id: 'DESC' } });
      return { items: files.map(toFileDto) };
    });
  }

  async find(id: string): Promise<StoredFile> {
    const file = await this.tenant.withRepository(StoredFile, (repo) => repo.findOneBy({ id }));
    if (!file) throw fileNotFound();
    return file;
  }

  async get(id: string): Promise<FileDto> {
    return toFileDto(await this.find(id));
  }

  async usage(): Promise<StorageUsageDto> {
    const row = await this.tenant.withRepository(StoredFile, (repo) =>
      repo.createQueryBuilder('f').select('COALESCE(SUM(f.size_bytes), 0)', 'used').addSelect('COUNT(*)', 'count').getRawOne<{ used: string; count: string }>(),
    );
    return { usedBytes: Number(row?.used ?? 0), fileCount: Number(row?.count ?? 0) };
  }

  /**
   * Row first (in its transaction, with the audit entry), blob after the commit. The other order could
   * leave a row whose blob is gone (a broken download, a deliverable version that cannot play) when
   * the row's delete fails or the process stops in between; this one at worst leaves an orphan blob,
   * which costs space and is logged.
   */
  async remove(id: string): Promise<void> {
    const removed = await this.tenant
      .transaction(async (m) => {
        const file = await m.getRepository(StoredFile).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!file) throw fileNotFound();
        if (await m.getRepository(DeliverableVersion).existsBy({ fileId: id })) throw fileInUse();
        await m.getRepository(StoredFile).delete({ id });
        await this.audit.record(m, { action: 'file.deleted', targetType: 'file', targetId: id, details: { name: file.originalName, sizeBytes: file.sizeBytes } });
        return file;
      })
      // A version added after our check (foreign key RESTRICT)
      .catch(onForeignKeyViolation(fileInUse));
    try {
      await this.stores.get(removed.storage).delete(removed.storageKey);
    } catch (err) {
      this.logger.error({ err: String(err), fileId: id, storage: removed.storage, storageKey: removed.storageKey }, 'File row deleted but its blob could not be removed (orphan blob)');
    }
  }

  /** 404 for an owner that is not in this studio; 400 for a track of another project. */
  private async checkOwner(m: EntityManager, owner: FileOwner): Promise<void> {
    if ('bookingId' in owner) {
      if (!(await m.getRepository(Booking).existsBy({ id: owner.bookingId }))) throw bookingNotFound();
      return;
    }
    if (!(await m.getRepository(Project).existsBy({ id: owner.projectId }))) throw projectNotFound();
    if (owner.trackId && !(await m.getRepository(Track).existsBy({ id: owner.trackId, projectId: owner.projectId }))) {
      throw new ValidationProblem([{ field: 'trackId', messages: ['trackId must be a track of this project'] }]);
    }
  }

  /** After the commit: the job names a row that exists. A failed send leaves the file `pending` (logged), not the upload failed. */
  private async queuePeaks(data: FilePeaksJobData): Promise<void> {
    try {
      await this.jobs.sendAfter(FILE_PEAKS_QUEUE, data, new Date());
    } catch (err) {
      this.logger.error({ err: String(err), fileId: data.fileId }, 'Could not queue the peaks job');
    }
  }
}

const fileInUse = () => new ProblemException(HttpStatus.CONFLICT, 'file-in-use', 'A deliverable version uses this file: it cannot be deleted.');
