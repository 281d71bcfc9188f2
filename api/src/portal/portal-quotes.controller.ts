import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, StreamableFile } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { create as contentDisposition } from 'content-disposition';
import { PortalAccess } from '../auth/access.decorator.js';
import type { PortalPrincipal } from '../auth/auth.types.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { PDF_CONTENT } from '../documents/documents.controller.js';
import { DeclineQuoteDto } from '../quotes/dto/quote-input.dto.js';
import { CurrentPortalPrincipal } from './current-portal-principal.decorator.js';
import { PortalQuoteDto, PortalQuoteListDto } from './dto/portal-quotes.dto.js';
import { PortalQuotesService } from './portal-quotes.service.js';

/** Issue 12, portal: the signed-in client's quotes, and their answer to them (another client's id is a 404). */
@ApiTags('portal')
@ApiCookieAuth('portal')
@PortalAccess()
@Controller('api/v1/portal/quotes')
export class PortalQuotesController {
  constructor(private readonly quotes: PortalQuotesService) {}

  @Get()
  @ApiOperation({ summary: "The client's quotes", description: 'Sent quotes and those already answered, newest first; drafts are not shown. A sent quote past validUntil is `expired`.' })
  @ApiOkResponse({ type: PortalQuoteListDto })
  listPortalQuotes(@CurrentPortalPrincipal() principal: PortalPrincipal): Promise<PortalQuoteListDto> {
    return this.quotes.list(principal);
  }

  @Get(':id')
  @ApiOperation({ summary: "One of the client's quotes, with its lines", description: "Another client's quote, a draft or an unknown id is a 404." })
  @ApiOkResponse({ type: PortalQuoteDto })
  @ApiProblems(400)
  getPortalQuote(@CurrentPortalPrincipal() principal: PortalPrincipal, @Param('id', uuidParam) id: string): Promise<PortalQuoteDto> {
    return this.quotes.get(principal, id);
  }

  @Get(':id/pdf')
  @ApiOperation({ summary: "One of the client's quotes as a PDF", description: 'The same document staff send.' })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: 'The PDF', content: PDF_CONTENT })
  @ApiProblems(400)
  async getPortalQuotePdf(@CurrentPortalPrincipal() principal: PortalPrincipal, @Param('id', uuidParam) id: string): Promise<StreamableFile> {
    const { pdf, fileName } = await this.quotes.pdf(principal, id);
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: contentDisposition(fileName, { type: 'inline' }), length: pdf.length });
  }

  @Post(':id/accept')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Accept a sent quote',
    description: 'As when the studio records it: the invoice is prepared, or a deposit invoice first when the quote asks for a deposit. 409 `quote-not-sent` (declined), `quote-expired`, `quote-already-accepted`.',
  })
  @ApiOkResponse({ type: PortalQuoteDto })
  @ApiProblems(400, 409)
  acceptPortalQuote(@CurrentPortalPrincipal() principal: PortalPrincipal, @Param('id', uuidParam) id: string): Promise<PortalQuoteDto> {
    return this.quotes.accept(principal, id);
  }

  @Post(':id/decline')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Decline a sent (or expired) quote', description: '`reason` is shown to the studio. 409 `quote-not-sent` (already declined), `quote-already-accepted`.' })
  @ApiOkResponse({ type: PortalQuoteDto })
  @ApiProblems(400, 409)
  declinePortalQuote(@CurrentPortalPrincipal() principal: PortalPrincipal, @Param('id', uuidParam) id: string, @Body() dto: DeclineQuoteDto): Promise<PortalQuoteDto> {
    return this.quotes.decline(principal, id, dto);
  }
}
