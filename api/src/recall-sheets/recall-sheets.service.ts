import { HttpStatus, Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log.service.js';
import { bookingNotFound } from '../bookings/booking-problems.js';
import { Booking } from '../bookings/booking.entity.js';
import { RequestContext } from '../common/request-context.js';
import { pgErrorCode } from '../common/pg-errors.js';
import { ProblemException } from '../common/problem.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { RecallSheetDto, RecallSheetVersionListDto, SaveRecallSheetDto } from './dto/recall-sheet.dto.js';
import { RecallSheet } from './recall-sheet.entity.js';

const noSheet = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'This booking has no recall sheet (version) yet.');
const stale = (latest: number) =>
  new ProblemException(HttpStatus.CONFLICT, 'recall-sheet-stale', `Someone saved the recall sheet since you opened it (latest version: ${latest}). Reload it and apply your changes again.`);

const toDto = (s: RecallSheet): RecallSheetDto => ({
  bookingId: s.bookingId,
  version: s.version,
  tracks: s.tracks,
  settings: s.settings,
  notes: s.notes,
  savedBy: s.savedBy,
  savedAt: s.savedAt.toISOString(),
});

/** Issue 9: a booking's recall / track sheet, one immutable row per save. */
@Injectable()
export class RecallSheetsService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly context: RequestContext,
    private readonly audit: AuditLog,
  ) {}

  async latest(bookingId: string): Promise<RecallSheetDto> {
    const sheet = await this.tenant.run(async (m) => {
      await this.bookingExists(m.getRepository(Booking), bookingId);
      return m.getRepository(RecallSheet).findOne({ where: { bookingId }, order: { version: 'DESC' } });
    });
    if (!sheet) throw noSheet();
    return toDto(sheet);
  }

  async version(bookingId: string, version: number): Promise<RecallSheetDto> {
    const sheet = await this.tenant.run(async (m) => {
      await this.bookingExists(m.getRepository(Booking), bookingId);
      return m.getRepository(RecallSheet).findOneBy({ bookingId, version });
    });
    if (!sheet) throw noSheet();
    return toDto(sheet);
  }

  async versions(bookingId: string): Promise<RecallSheetVersionListDto> {
    const rows = await this.tenant.run(async (m) => {
      await this.bookingExists(m.getRepository(Booking), bookingId);
      return m.getRepository(RecallSheet).find({ select: { version: true, savedBy: true, savedAt: true }, where: { bookingId }, order: { version: 'DESC' } });
    });
    return { items: rows.map((r) => ({ version: r.version, savedBy: r.savedBy, savedAt: r.savedAt.toISOString() })) };
  }

  /**
   * Saves version baseVersion + 1. The check against the latest version gives the 409 its message; the
   * primary key (booking_id, version) is the guarantee: of two saves from the same base, whichever
   * inserts second violates it (23505) and gets the same 409, and its transaction writes nothing.
   */
  async save(bookingId: string, dto: SaveRecallSheetDto): Promise<RecallSheetDto> {
    const savedBy = this.context.principal()?.userId ?? null;
    const sheet = await this.tenant
      .transaction(async (m) => {
        await this.bookingExists(m.getRepository(Booking), bookingId);
        const repo = m.getRepository(RecallSheet);
        const latest = (await repo.maximum('version', { bookingId })) ?? 0;
        if (latest !== dto.baseVersion) throw stale(latest);
        const version = dto.baseVersion + 1;
        await repo.insert({ bookingId, version, tracks: dto.tracks, settings: dto.settings.map(({ label, value }) => ({ label, value })), notes: dto.notes, savedBy });
        await this.audit.record(m, {
          action: 'booking.recall_sheet_saved',
          targetType: 'booking',
          targetId: bookingId,
          details: { version, tracks: dto.tracks.length, settings: dto.settings.length },
        });
        return repo.findOneByOrFail({ bookingId, version });
      })
      .catch(async (err: unknown) => {
        if (pgErrorCode(err) !== '23505') throw err;
        const latest = await this.tenant.withRepository(RecallSheet, (repo) => repo.maximum('version', { bookingId }));
        throw stale(latest ?? 0);
      });
    return toDto(sheet);
  }

  private async bookingExists(bookings: { existsBy(where: { id: string }): Promise<boolean> }, id: string): Promise<void> {
    if (!(await bookings.existsBy({ id }))) throw bookingNotFound();
  }
}
