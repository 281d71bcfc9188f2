import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../auth/auth.types.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { StudioSettings } from '../studio/studio-settings.entity.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { ReportRangeQueryDto, RevenueQueryDto } from './dto/report-query.dto.js';
import type { ReceivablesReportDto, RevenueReportDto, UtilisationReportDto } from './dto/report.dto.js';
import { receivablesReport } from './receivables.report.js';
import { reportRange, todayIn } from './report-range.js';
import { revenueReport } from './revenue.report.js';
import { utilisationReport } from './utilisation.report.js';

/**
 * Issue 11, reports: read-only figures over the money and scheduling tables of the caller's studio
 * (TenantConnection). Each report reads in one REPEATABLE READ transaction, so its queries see one
 * snapshot (a payment landing mid-report never shows in one figure and not in another).
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly tenant: TenantConnection,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {}

  async revenue(caller: Caller, query: RevenueQueryDto): Promise<RevenueReportDto> {
    const groupBy = query.groupBy ?? 'month';
    return this.snapshot(async (m, studio) => {
      const range = reportRange(query, studio.timeZone);
      const currencies = await revenueReport(m, range, groupBy, (ids) => this.engineerNames(caller, ids));
      return { from: range.from, to: range.to, groupBy, currencies };
    });
  }

  async receivables(): Promise<ReceivablesReportDto> {
    return this.snapshot(async (m, studio) => {
      const asOf = todayIn(studio.timeZone);
      return { asOf, currencies: await receivablesReport(m, asOf) };
    });
  }

  async utilisation(query: ReportRangeQueryDto): Promise<UtilisationReportDto> {
    return this.snapshot(async (m, studio) => {
      const range = reportRange(query, studio.timeZone);
      return { from: range.from, to: range.to, timeZone: studio.timeZone, rooms: await utilisationReport(m, range, studio.openingHours) };
    });
  }

  private snapshot<T>(work: (m: EntityManager, studio: StudioSettings) => Promise<T>): Promise<T> {
    return this.tenant.transaction(async (m) => {
      await m.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return work(m, await m.getRepository(StudioSettings).findOneByOrFail({ id: 1 }));
    });
  }

  /** Engineers' names from the control database: current members of the caller's studio only (a former one is labelled as such). */
  private async engineerNames(caller: Caller, userIds: string[]): Promise<Map<string, string>> {
    if (!userIds.length) return new Map();
    const rows = (await this.control.query(
      `SELECT u.id, u.name FROM users u JOIN memberships m ON m.user_id = u.id AND m.organization_id = $1 WHERE u.id = ANY($2)`,
      [caller.organizationId, userIds],
    )) as Array<{ id: string; name: string }>;
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
