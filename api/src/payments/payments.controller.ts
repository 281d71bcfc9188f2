import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { IdempotencyKeyHeader } from '../idempotency/idempotent-writes.js';
import { PaymentDto, PaymentListDto, ShareListDto } from './dto/payment.dto.js';
import { ListPaymentsQueryDto, RecordPaymentDto, SetSharesDto } from './dto/payment-input.dto.js';
import { PaymentsService } from './payments.service.js';
import { SharesService } from './shares.service.js';

// Issue 11, settlements: money routes are for admins (reads included).
@ApiTags('payments')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Access('admin')
@Controller('api/v1/invoices/:id')
export class InvoicePaymentsController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly shares: SharesService,
  ) {}

  @Post('payments')
  @IdempotencyKeyHeader()
  @ApiOperation({
    summary: 'Record a manual payment',
    description:
      'Cash, bank transfer, card terminal, cheque or other. The invoice settles in the same transaction (balance, `partially_paid`/`paid`, paidAt). ' +
      'More than the balance (or the share\'s open amount): 409 `overpayment`; a draft, void invoice or a credit note: 409 `invoice-not-payable`. ' +
      'On a split invoice `shareId` is required. With an Idempotency-Key a retry returns the first answer and records nothing more; the same key with another body is a 422.',
  })
  @ApiCreatedResponse({ type: PaymentDto })
  @ApiProblems(400, 404, 409, 422)
  async recordPayment(@Param('id', uuidParam) invoiceId: string, @Body() dto: RecordPaymentDto, @Headers('idempotency-key') key: string | undefined): Promise<PaymentDto> {
    return (await this.payments.record(invoiceId, dto, key)).body;
  }

  @Put('shares')
  @ApiOperation({
    summary: 'Split the invoice into shares',
    description:
      'Either `equal` (the balance split evenly: 1000 in 3 → 334, 333, 333) or `shares` with amounts summing exactly to the balance (else 400). ' +
      'Replaces any previous split while nothing is paid on a share (else 409 `shares-locked`). The invoice is paid when every share is.',
  })
  @ApiOkResponse({ type: ShareListDto })
  @ApiProblems(400, 404, 409)
  setInvoiceShares(@Param('id', uuidParam) invoiceId: string, @Body() dto: SetSharesDto): Promise<ShareListDto> {
    return this.shares.set(invoiceId, dto);
  }

  @Delete('shares')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove the split', description: 'Only while nothing is paid on a share (else 409 `shares-locked`).' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(400, 404, 409)
  deleteInvoiceShares(@Param('id', uuidParam) invoiceId: string): Promise<void> {
    return this.shares.remove(invoiceId);
  }
}

@ApiTags('payments')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Access('admin')
@Controller('api/v1/payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get()
  @ApiOperation({
    summary: 'Payments received, newest first',
    description: 'By day received (`from`/`to` inclusive), method or invoice; each with its invoice number and client name. Cursor-paginated.',
  })
  @ApiOkResponse({ type: PaymentListDto })
  @ApiProblems(400)
  listPayments(@Query() query: ListPaymentsQueryDto): Promise<PaymentListDto> {
    return this.payments.list(query);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete a mistaken manual payment',
    description: 'The invoice settles again (and its share, if any). A Stripe payment is refunded in Stripe instead: 409 `payment-not-deletable`.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 404, 409)
  deletePayment(@Param('id', uuidParam) id: string): Promise<void> {
    return this.payments.remove(id);
  }
}
