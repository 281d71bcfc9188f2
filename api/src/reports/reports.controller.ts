import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Caller } from '../auth/auth.types.js';
import { CurrentCaller } from '../auth/current-principal.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { ReportFormatQueryDto, ReportRangeQueryDto, RevenueQueryDto } from './dto/report-query.dto.js';
import { ReceivablesReportDto, RevenueReportDto, UtilisationReportDto } from './dto/report.dto.js';
import { receivablesCsv, revenueCsv, utilisationCsv } from './reports.csv.js';
import { ReportsService } from './reports.service.js';

/** JSON, or with `?format=csv` the same figures as a CSV download. */
function answer<T>(reply: FastifyReply, format: string | undefined, report: T, csv: (report: T) => string, filename: string): T | string {
  if (format !== 'csv') return report;
  reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}.csv"`);
  return csv(report);
}

/** 200: the report as JSON, or its CSV text with `?format=csv`. */
const jsonOrCsv = (dto: Function) => ({
  description: 'The report (JSON), or with `format=csv` its CSV (UTF-8 with a BOM, one header row; amounts as decimal text)',
  content: { 'application/json': { schema: { $ref: getSchemaPath(dto) } }, 'text/csv': { schema: { type: 'string', maxLength: 500_000_000 } } },
});

const RANGE_NOTE = 'Days in the studio time zone, both included; `from` and `to` together (both omitted: the last 12 months), at most 366 days apart (400 otherwise).';

// Issue 11: money figures are for admins and owners (the money contract: every money route is admin).
@ApiTags('reports')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('revenue')
  @Access('admin')
  @ApiOperation({
    summary: 'Revenue invoiced (net of tax) and paid, by month, room or engineer, per currency',
    description: `${RANGE_NOTE} The rules (deposits, credit notes, refunds, split sessions) are in docs/reports.md.`,
  })
  @ApiExtraModels(RevenueReportDto)
  @ApiOkResponse(jsonOrCsv(RevenueReportDto))
  @ApiProblems(400)
  async getRevenueReport(@CurrentCaller() caller: Caller, @Query() query: RevenueQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<RevenueReportDto | string> {
    const report = await this.reports.revenue(caller, query);
    return answer(reply, query.format, report, revenueCsv, `revenue-by-${report.groupBy}-${report.from}-${report.to}`);
  }

  @Get('receivables')
  @Access('admin')
  @ApiOperation({ summary: 'Outstanding and overdue balances by client, with aging buckets, per currency', description: 'As of today in the studio time zone.' })
  @ApiExtraModels(ReceivablesReportDto)
  @ApiOkResponse(jsonOrCsv(ReceivablesReportDto))
  @ApiProblems(400)
  async getReceivablesReport(@Query() query: ReportFormatQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<ReceivablesReportDto | string> {
    const report = await this.reports.receivables();
    return answer(reply, query.format, report, receivablesCsv, `receivables-${report.asOf}`);
  }

  @Get('utilisation')
  @Access('admin')
  @ApiOperation({ summary: 'Room utilisation: booked against open hours per room', description: RANGE_NOTE })
  @ApiExtraModels(UtilisationReportDto)
  @ApiOkResponse(jsonOrCsv(UtilisationReportDto))
  @ApiProblems(400)
  async getUtilisationReport(@Query() query: ReportRangeQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<UtilisationReportDto | string> {
    const report = await this.reports.utilisation(query);
    return answer(reply, query.format, report, utilisationCsv, `utilisation-${report.from}-${report.to}`);
  }
}
