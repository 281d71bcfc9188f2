import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { create as contentDisposition } from 'content-disposition';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { IdempotencyKeyHeader } from '../idempotency/idempotent-writes.js';
import { QuoteDto } from '../quotes/dto/quote.dto.js';
import { type RenderedDocument, DocumentsService } from './documents.service.js';
import { DateRangeQueryDto, SendInvoiceDto, SendInvoiceResultDto } from './dto/document-input.dto.js';

/** A generated PDF (bounded: a document of thousands of lines stays far below this). */
export const PDF_CONTENT = { 'application/pdf': { schema: { type: 'string', format: 'binary', maxLength: 50_000_000 } } };

/** Inline (the browser's viewer), under the document's own name, never cached by a shared cache. */
const pdfFile = ({ pdf, fileName }: RenderedDocument) =>
  new StreamableFile(pdf, { type: 'application/pdf', disposition: contentDisposition(fileName, { type: 'inline' }), length: pdf.length });

// Issue 11, documents: money documents are admin business (the contract: every money route is admin).
@ApiTags('documents')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get('invoices/:id/pdf')
  @Access('admin')
  @ApiOperation({
    summary: 'An invoice, deposit invoice or credit note as a PDF',
    description:
      'Inline, named after its number (`draft-<id>.pdf` before it has one). Drafts carry a DRAFT mark, void invoices VOID. Fonts are embedded (DejaVu Sans): ' +
      'Latin, Greek and Cyrillic names render. Another studio\'s invoice is a 404.',
  })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: 'The PDF', content: PDF_CONTENT })
  @ApiProblems(400, 404)
  async getInvoicePdf(@Param('id', uuidParam) id: string): Promise<StreamableFile> {
    return pdfFile(await this.documents.invoicePdf(id));
  }

  @Post('invoices/:id/send')
  @Access('admin')
  @HttpCode(HttpStatus.OK)
  @IdempotencyKeyHeader()
  @ApiOperation({
    summary: 'Email an issued invoice with its PDF attached',
    description:
      "To `to` (default: the invoice's bill-to email; none → 400), with `cc` and an optional `message`. Sets `sentAt` and records `invoice.sent`. " +
      'With an `Idempotency-Key`, a retry returns the first answer and mails nothing more; a retry while the first is still mailing → 409 `idempotency-key-in-use` (retry in a moment). ' +
      'A draft → 409 `invoice-not-finalized`; a void invoice → 409 `invoice-void`. The mail server failing → 502 `mail-not-sent`, nothing recorded (a retry, even with the same key, sends).',
  })
  @ApiOkResponse({ type: SendInvoiceResultDto })
  @ApiProblems(400, 404, 409, 422, 502)
  sendInvoice(@Param('id', uuidParam) id: string, @Body() dto: SendInvoiceDto, @Headers('idempotency-key') idempotencyKey: string | undefined): Promise<SendInvoiceResultDto> {
    return this.documents.send(id, dto, idempotencyKey);
  }

  @Get('quotes/:id/pdf')
  @Access('admin')
  @ApiOperation({
    summary: 'A quote as a PDF',
    description:
      'Inline, named after its number (`quote-draft-<id>.pdf` before it is sent). Lines and totals by tax rate as on an invoice, the validity date and the deposit asked. ' +
      "Drafts carry a DRAFT mark, expired quotes EXPIRED, declined ones DECLINED. Another studio's quote is a 404.",
  })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: 'The PDF', content: PDF_CONTENT })
  @ApiProblems(400, 404)
  async getQuotePdf(@Param('id', uuidParam) id: string): Promise<StreamableFile> {
    return pdfFile(await this.documents.quotePdf(id));
  }

  @Post('quotes/:id/send')
  @Access('admin')
  @HttpCode(HttpStatus.OK)
  @IdempotencyKeyHeader()
  @ApiOperation({
    summary: 'Send a draft quote: number, issue date and the email with its PDF',
    description:
      "One action: takes the next number of the quote sequence and mails the quote to `to` (default: the client's email; none → 400) with `cc` and an optional `message`. " +
      'A refused request (no address, no lines, bad input) consumes no number. The number is committed before the mail: a refused mail (502 `mail-not-sent`) leaves the quote numbered with `sentAt: null`, and sending it again mails it. ' +
      'Needs lines and a validUntil not in the past. With an `Idempotency-Key`, a retry returns the first answer and mails nothing more. ' +
      '409 `quote-not-draft` (already mailed), `quote-empty`.',
  })
  @ApiOkResponse({ type: QuoteDto })
  @ApiProblems(400, 404, 409, 422, 502)
  sendQuote(@Param('id', uuidParam) id: string, @Body() dto: SendInvoiceDto, @Headers('idempotency-key') idempotencyKey: string | undefined): Promise<QuoteDto> {
    return this.documents.sendQuote(id, dto, idempotencyKey);
  }

  @Get('clients/:id/statement.pdf')
  @Access('admin')
  @ApiOperation({
    summary: "A client's statement of account as a PDF",
    description:
      'Per currency: the balance before `from`, then every issued invoice (less the deposits it deducts), credit note and payment (less refunds) ' +
      "up to `to` (default: today in the studio's time zone), with the running balance. Another studio's client is a 404.",
  })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: 'The PDF', content: PDF_CONTENT })
  @ApiProblems(400, 404)
  async getClientStatement(@Param('id', uuidParam) id: string, @Query() range: DateRangeQueryDto): Promise<StreamableFile> {
    return pdfFile(await this.documents.statementPdf(id, range));
  }
}
