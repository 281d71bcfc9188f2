import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { DateRangeQueryDto } from './dto/document-input.dto.js';
import { ExportsService } from './exports.service.js';

const CSV_CONTENT = { 'text/csv': { schema: { type: 'string', maxLength: 500_000_000 } } };
const CSV_NOTE =
  'UTF-8 with a byte order mark, a header row, one row per record; amounts as decimals in the currency\'s exponent (JPY 1500, EUR 12.50) beside a `currency` column. ' +
  "Cells starting with = + - @ TAB or CR are prefixed with ' (no formula runs when opened in a spreadsheet). `from`/`to` are inclusive and optional.";

// Issue 11, documents: the accountant's exports (admin, like every money route).
@ApiTags('exports')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  /** Headers of a CSV download; the body is the service's string. */
  private static csv(reply: FastifyReply, name: string, range: DateRangeQueryDto): void {
    const period = [range.from ?? 'start', range.to ?? 'today'].join('-');
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', contentDisposition(`${name}-${period}.csv`, { type: 'attachment' }));
  }

  @Get('invoices.csv')
  @Access('admin')
  @ApiOperation({ summary: 'Issued invoices and deposit invoices as CSV, by issue date', description: `${CSV_NOTE} Drafts are left out; void ones are listed with their status.` })
  @ApiProduces('text/csv')
  @ApiResponse({ status: 200, description: 'The CSV', content: CSV_CONTENT })
  @ApiProblems(400)
  async exportInvoices(@Query() range: DateRangeQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const body = await this.exports.invoices(range);
    ExportsController.csv(reply, 'invoices', range);
    return body;
  }

  @Get('credit-notes.csv')
  @Access('admin')
  @ApiOperation({ summary: 'Issued credit notes as CSV, by issue date', description: `${CSV_NOTE} Each names the invoice it credits.` })
  @ApiProduces('text/csv')
  @ApiResponse({ status: 200, description: 'The CSV', content: CSV_CONTENT })
  @ApiProblems(400)
  async exportCreditNotes(@Query() range: DateRangeQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const body = await this.exports.creditNotes(range);
    ExportsController.csv(reply, 'credit-notes', range);
    return body;
  }

  @Get('payments.csv')
  @Access('admin')
  @ApiOperation({ summary: 'Payments as CSV, by the day received', description: `${CSV_NOTE} With the refunded amount and whether a dispute is open.` })
  @ApiProduces('text/csv')
  @ApiResponse({ status: 200, description: 'The CSV', content: CSV_CONTENT })
  @ApiProblems(400)
  async exportPayments(@Query() range: DateRangeQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const body = await this.exports.payments(range);
    ExportsController.csv(reply, 'payments', range);
    return body;
  }
}
