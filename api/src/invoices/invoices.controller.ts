import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { InvoiceDto, InvoiceListDto, InvoicePreviewDto } from './dto/invoice.dto.js';
import {
  CreateCreditNoteDto,
  CreateDepositDto,
  CreateInvoiceDto,
  FinalizeInvoiceDto,
  FromBookingsDto,
  ListInvoicesQueryDto,
  PreviewInvoiceDto,
  UpdateInvoiceDto,
  VoidInvoiceDto,
} from './dto/invoice-input.dto.js';
import { InvoiceFromBookingsService } from './invoice-from-bookings.service.js';
import { InvoiceLifecycleService } from './invoice-lifecycle.service.js';
import { InvoicesService } from './invoices.service.js';

// Issue 11: every money route, reads included, is for admins and owners.
@ApiTags('invoices')
@ApiCookieAuth()
@ApiProblems(401, 403, 503)
@Controller('api/v1/invoices')
export class InvoicesController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly lifecycle: InvoiceLifecycleService,
    private readonly fromBookings: InvoiceFromBookingsService,
  ) {}

  @Post()
  @Access('admin')
  @ApiOperation({ summary: 'Create a draft invoice or deposit invoice', description: 'billTo is copied from the client while the invoice is a draft. Lines are priced by the money rules (per line, half away from zero). A line naming a booking already on a live invoice → 409 `booking-already-invoiced`.' })
  @ApiCreatedResponse({ type: InvoiceDto })
  @ApiProblems(400, 409)
  createInvoice(@Body() dto: CreateInvoiceDto): Promise<InvoiceDto> {
    return this.invoices.create(dto);
  }

  @Get()
  @Access('admin')
  @ApiOperation({ summary: 'List invoices, deposit invoices and credit notes, newest first', description: 'Ordered by creation, newest first, then id. `total` counts every match.' })
  @ApiOkResponse({ type: InvoiceListDto })
  @ApiProblems(400)
  listInvoices(@Query() query: ListInvoicesQueryDto): Promise<InvoiceListDto> {
    return this.invoices.list(query);
  }

  @Post('preview')
  @Access('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Totals of unsaved lines (the editor\u2019s live figures); writes nothing', description: 'The same money rules as saved invoices; `amountDueMinor` = total − the given deposits.' })
  @ApiOkResponse({ type: InvoicePreviewDto })
  @ApiProblems(400, 409)
  previewInvoice(@Body() dto: PreviewInvoiceDto): Promise<InvoicePreviewDto> {
    return this.invoices.preview(dto);
  }

  @Post('from-bookings')
  @Access('admin')
  @ApiOperation({ summary: 'Create a draft invoice from sessions', description: 'One room line per session, one line per rented equipment item; issued deposit invoices of those bookings are deducted. 409 `booking-already-invoiced`.' })
  @ApiCreatedResponse({ type: InvoiceDto })
  @ApiProblems(400, 409)
  createInvoiceFromBookings(@Body() dto: FromBookingsDto): Promise<InvoiceDto> {
    return this.fromBookings.fromBookings(dto);
  }

  @Post('deposits')
  @Access('admin')
  @ApiOperation({ summary: 'Create a draft deposit invoice (fixed amount or percent of a booking)', description: 'One `deposit` line taxed at its own rate (carved out when the rate is inclusive, else added). `percent` needs `bookingId`.' })
  @ApiCreatedResponse({ type: InvoiceDto })
  @ApiProblems(400)
  createDepositInvoice(@Body() dto: CreateDepositDto): Promise<InvoiceDto> {
    return this.fromBookings.createDeposit(dto);
  }

  @Get(':id')
  @Access('admin')
  @ApiOperation({ summary: 'Get one invoice with its lines, deposits, credit notes, payments and shares', description: 'Another studio\u2019s invoice is a 404, like one that does not exist.' })
  @ApiOkResponse({ type: InvoiceDto })
  @ApiProblems(400, 404)
  getInvoice(@Param('id', uuidParam) id: string): Promise<InvoiceDto> {
    return this.invoices.get(id);
  }

  @Patch(':id')
  @Access('admin')
  @ApiOperation({ summary: 'Change a draft', description: 'Any field of the create body; `lines` and `depositInvoiceIds` replace the current ones. Not a draft: 409 `invoice-not-draft`; a line naming a booking already on another live invoice: 409 `booking-already-invoiced`.' })
  @ApiOkResponse({ type: InvoiceDto })
  @ApiProblems(400, 404, 409)
  updateInvoice(@Param('id', uuidParam) id: string, @Body() dto: UpdateInvoiceDto): Promise<InvoiceDto> {
    return this.invoices.update(id, dto);
  }

  @Delete(':id')
  @Access('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a draft', description: 'Issued documents are voided or credited, never deleted (409 `invoice-not-draft`).' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 404, 409)
  deleteInvoice(@Param('id', uuidParam) id: string): Promise<void> {
    return this.invoices.remove(id);
  }

  @Post(':id/finalize')
  @Access('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Issue a draft: number, issue and due dates, frozen bill-to', description: '`issueDate` (default: today in the studio\u2019s time zone) may not be in the future (400) nor before the latest issue date of its number sequence (409 `issue-date-out-of-sequence`). 409 `invoice-not-draft`, `invoice-empty`, `credit-exceeds-invoice`, `deposit-not-deductible`, `booking-already-invoiced`, `number-format-clash`. A refusal consumes no number.' })
  @ApiOkResponse({ type: InvoiceDto })
  @ApiProblems(400, 404, 409)
  finalizeInvoice(@Param('id', uuidParam) id: string, @Body() dto: FinalizeInvoiceDto): Promise<InvoiceDto> {
    return this.lifecycle.finalize(id, dto);
  }

  @Post(':id/void')
  @Access('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Void an issued invoice (it keeps its number)', description: '409 `invoice-has-payments` while payments are not refunded.' })
  @ApiOkResponse({ type: InvoiceDto })
  @ApiProblems(400, 404, 409)
  voidInvoice(@Param('id', uuidParam) id: string, @Body() dto: VoidInvoiceDto): Promise<InvoiceDto> {
    return this.lifecycle.void(id, dto);
  }

  @Post(':id/credit-notes')
  @Access('admin')
  @ApiOperation({ summary: 'Create a draft credit note for an issued invoice (full or some lines)', description: '409 `invoice-not-creditable` for a draft, void invoice or credit note; `credit-exceeds-invoice` when nothing is left to credit (total − deposits − issued credit notes), or when the lines given exceed it. A full copy is drafted even when it exceeds what is left: lower its lines before finalizing, which enforces the limit.' })
  @ApiCreatedResponse({ type: InvoiceDto })
  @ApiProblems(400, 404, 409)
  createCreditNote(@Param('id', uuidParam) id: string, @Body() dto: CreateCreditNoteDto): Promise<InvoiceDto> {
    return this.lifecycle.createCreditNote(id, dto);
  }
}
