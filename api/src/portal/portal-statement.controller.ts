import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { create as contentDisposition } from 'content-disposition';
import { PortalAccess } from '../auth/access.decorator.js';
import type { PortalPrincipal } from '../auth/auth.types.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { PDF_CONTENT } from '../documents/documents.controller.js';
import { DateRangeQueryDto } from '../documents/dto/document-input.dto.js';
import { CurrentPortalPrincipal } from './current-portal-principal.decorator.js';
import { PortalInvoicesService } from './portal-invoices.service.js';

/** Issue 12, portal: the client's statement of account, the document staff download for the client. */
@ApiTags('portal')
@ApiCookieAuth('portal')
@PortalAccess()
@Controller('api/v1/portal/statement')
export class PortalStatementController {
  constructor(private readonly invoices: PortalInvoicesService) {}

  @Get()
  @ApiOperation({ summary: "The client's statement of account as a PDF", description: 'Invoices, credit notes and payments between `from` and `to` (default: from the start, up to today in the studio time zone).' })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: 'The PDF', content: PDF_CONTENT })
  @ApiProblems(400)
  async getPortalStatement(@CurrentPortalPrincipal() principal: PortalPrincipal, @Query() range: DateRangeQueryDto): Promise<StreamableFile> {
    const { pdf, fileName } = await this.invoices.statement(principal, range);
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: contentDisposition(fileName, { type: 'inline' }), length: pdf.length });
  }
}
