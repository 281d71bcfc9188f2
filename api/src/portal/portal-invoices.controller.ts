import { Controller, Get, HttpStatus, HttpCode, Inject, Param, Post, Req, StreamableFile } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyRequest } from 'fastify';
import { PortalAccess } from '../auth/access.decorator.js';
import type { PortalPrincipal } from '../auth/auth.types.js';
import { publicUrlOf } from '../auth/session-cookie.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { PDF_CONTENT } from '../documents/documents.controller.js';
import { CheckoutDto } from '../stripe/dto/stripe.dto.js';
import { CurrentPortalPrincipal } from './current-portal-principal.decorator.js';
import { PortalInvoiceDto, PortalInvoiceListDto } from './dto/portal-invoices.dto.js';
import { PortalInvoicesService } from './portal-invoices.service.js';

/** Issue 12, portal: the signed-in client's own invoices (another client's id is a 404). */
@ApiTags('portal')
@ApiCookieAuth('portal')
@PortalAccess()
@Controller('api/v1/portal/invoices')
export class PortalInvoicesController {
  constructor(
    private readonly invoices: PortalInvoicesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: "The client's issued invoices and what is due", description: 'Drafts are not shown. `balances`: the open amount of issued invoices, per currency.' })
  @ApiOkResponse({ type: PortalInvoiceListDto })
  listPortalInvoices(@CurrentPortalPrincipal() principal: PortalPrincipal): Promise<PortalInvoiceListDto> {
    return this.invoices.list(principal);
  }

  @Get(':id')
  @ApiOperation({ summary: "One of the client's invoices, with its lines and payments", description: "Another client's invoice, a draft or an unknown id is a 404." })
  @ApiOkResponse({ type: PortalInvoiceDto })
  @ApiProblems(400)
  getPortalInvoice(@CurrentPortalPrincipal() principal: PortalPrincipal, @Param('id', uuidParam) id: string): Promise<PortalInvoiceDto> {
    return this.invoices.get(principal, id);
  }

  @Get(':id/pdf')
  @ApiOperation({ summary: "One of the client's invoices as a PDF", description: 'The same document staff send.' })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: 'The PDF', content: PDF_CONTENT })
  @ApiProblems(400)
  async getPortalInvoicePdf(@CurrentPortalPrincipal() principal: PortalPrincipal, @Param('id', uuidParam) id: string): Promise<StreamableFile> {
    const { pdf, fileName } = await this.invoices.pdf(principal, id);
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: contentDisposition(fileName, { type: 'inline' }), length: pdf.length });
  }

  @Post(':id/checkout')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: "Pay the invoice's balance: a Stripe Checkout link",
    description:
      "A Checkout Session on the studio's connected account for the balance; Stripe sends the payer back to the portal's invoice page. The invoice is paid when Stripe's webhook confirms it. " +
      '409 `online-payment-off`, `stripe-not-connected`, `invoice-not-payable`; 409 `invoice-split` for an invoice split into shares (each payer pays their share from the studio\'s link).',
  })
  @ApiCreatedResponse({ type: CheckoutDto })
  @ApiProblems(400, 409, 502)
  payPortalInvoice(@CurrentPortalPrincipal() principal: PortalPrincipal, @Param('id', uuidParam) id: string, @Req() request: FastifyRequest): Promise<CheckoutDto> {
    return this.invoices.pay(principal, id, publicUrlOf(this.config, request));
  }

  @Post(':id/shares/:shareId/checkout')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: "Pay one's own share of a split invoice: a Stripe Checkout link",
    description:
      "For the share whose payer email is the signed-in account's (`mine` in the invoice's shares): a Checkout Session for the share's open amount, the same one a staff link for that share hands out. " +
      "403 `share-not-yours` (another payer's share); 409 `online-payment-off`, `stripe-not-connected`, `invoice-not-payable` (also: the share is paid).",
  })
  @ApiCreatedResponse({ type: CheckoutDto })
  @ApiProblems(400, 403, 409, 502)
  payPortalInvoiceShare(
    @CurrentPortalPrincipal() principal: PortalPrincipal,
    @Param('id', uuidParam) id: string,
    @Param('shareId', uuidParam) shareId: string,
    @Req() request: FastifyRequest,
  ): Promise<CheckoutDto> {
    return this.invoices.payShare(principal, id, shareId, publicUrlOf(this.config, request));
  }
}
