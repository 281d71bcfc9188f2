import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { InvoiceDto } from '../invoices/dto/invoice.dto.js';
import { CreateQuoteDto, DeclineQuoteDto, ListQuotesQueryDto, UpdateQuoteDto } from './dto/quote-input.dto.js';
import { QuoteDto, QuoteListDto } from './dto/quote.dto.js';
import { QuoteLifecycleService } from './quote-lifecycle.service.js';
import { QuotesService } from './quotes.service.js';

// Issue 11: every money route, reads included, is for admins and owners.
@ApiTags('quotes')
@ApiCookieAuth()
@ApiProblems(401, 403, 503)
@Controller('api/v1/quotes')
export class QuotesController {
  constructor(
    private readonly quotes: QuotesService,
    private readonly lifecycle: QuoteLifecycleService,
  ) {}

  @Post()
  @Access('admin')
  @ApiOperation({ summary: 'Create a draft quote', description: 'Lines are priced by the money rules, as invoice lines are. `deposit`: a percent of the total or a fixed amount, tax included.' })
  @ApiCreatedResponse({ type: QuoteDto })
  @ApiProblems(400)
  createQuote(@Body() dto: CreateQuoteDto): Promise<QuoteDto> {
    return this.quotes.create(dto);
  }

  @Get()
  @Access('admin')
  @ApiOperation({ summary: 'List quotes, newest first', description: 'Ordered by creation, newest first, then id. `total` counts every match. A sent quote past validUntil is listed as `expired`.' })
  @ApiOkResponse({ type: QuoteListDto })
  @ApiProblems(400)
  listQuotes(@Query() query: ListQuotesQueryDto): Promise<QuoteListDto> {
    return this.quotes.list(query);
  }

  @Get(':id')
  @Access('admin')
  @ApiOperation({ summary: 'Get one quote with its lines and the invoices made from it', description: 'A sent quote past its validUntil (studio time zone) reads as `expired`.' })
  @ApiOkResponse({ type: QuoteDto })
  @ApiProblems(400, 404)
  getQuote(@Param('id', uuidParam) id: string): Promise<QuoteDto> {
    return this.quotes.get(id);
  }

  @Patch(':id')
  @Access('admin')
  @ApiOperation({ summary: 'Change a draft quote', description: 'Any field of the create body; `lines` replaces the current ones. Not a draft: 409 `quote-not-draft`.' })
  @ApiOkResponse({ type: QuoteDto })
  @ApiProblems(400, 404, 409)
  updateQuote(@Param('id', uuidParam) id: string, @Body() dto: UpdateQuoteDto): Promise<QuoteDto> {
    return this.quotes.update(id, dto);
  }

  @Delete(':id')
  @Access('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a draft quote', description: 'A sent quote is declined, not deleted (409 `quote-not-draft`).' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 404, 409)
  deleteQuote(@Param('id', uuidParam) id: string): Promise<void> {
    return this.quotes.remove(id);
  }

  @Post(':id/accept')
  @Access('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Accept a sent quote', description: 'Creates the invoice draft with the quote\u2019s lines, or a deposit invoice draft first when the quote asks for a deposit. 409 `quote-not-sent`, `quote-expired`, `quote-already-accepted`.' })
  @ApiOkResponse({ type: QuoteDto })
  @ApiProblems(400, 404, 409)
  acceptQuote(@Param('id', uuidParam) id: string): Promise<QuoteDto> {
    return this.lifecycle.accept(id);
  }

  @Post(':id/decline')
  @Access('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Record that the client declined a sent (or expired) quote', description: '409 `quote-not-sent`, `quote-already-accepted`.' })
  @ApiOkResponse({ type: QuoteDto })
  @ApiProblems(400, 404, 409)
  declineQuote(@Param('id', uuidParam) id: string, @Body() dto: DeclineQuoteDto): Promise<QuoteDto> {
    return this.lifecycle.decline(id, dto);
  }

  @Post(':id/invoice')
  @Access('admin')
  @ApiOperation({ summary: 'Create the final invoice of an accepted quote with a deposit', description: 'Every line of the quote, deducting its issued deposit invoices (for a quote without a deposit: a new invoice draft when the one accepting made was deleted or voided). 409 `quote-not-accepted`, `quote-already-invoiced`, `quote-deposit-not-issued`.' })
  @ApiCreatedResponse({ type: InvoiceDto })
  @ApiProblems(400, 404, 409)
  createQuoteFinalInvoice(@Param('id', uuidParam) id: string): Promise<InvoiceDto> {
    return this.lifecycle.finalInvoice(id);
  }
}
