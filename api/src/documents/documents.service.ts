import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { ProblemException, ValidationProblem } from '../common/problem.js';
import { RequestContext } from '../common/request-context.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { IdempotentWrites, assertIdempotencyKey } from '../idempotency/idempotent-writes.js';
import { lockInvoice } from '../invoices/invoice-drafts.js';
import { Invoice } from '../invoices/invoice.entity.js';
import { MailOutbox, mailErrorForLog } from '../mail/mail-outbox.service.js';
import { recordEvent } from '../outbox/record-event.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { loadInvoiceDocument } from './document-data.js';
import type { DateRangeQueryDto, SendInvoiceDto, SendInvoiceResultDto } from './dto/document-input.dto.js';
import { invoiceFileName, renderInvoicePdf } from './invoice-pdf.js';
import { invoiceMail } from './invoice-mail.js';
import { documentDate } from './pdf-layout.js';
import { renderStatementPdf } from './statement.js';
import { loadQuoteDocument, quoteFileName, renderQuotePdf } from './quote-document.js';
import { quoteMail } from './quote-mail.js';
import { claimQuoteMailing, issueQuote, markQuoteMailed, numberClash, releaseQuoteMailing, type QuoteRecipients } from '../quotes/quote-sending.js';
import type { Quote } from '../quotes/quote.entity.js';
import { quoteView } from '../quotes/quote-view.js';
import type { QuoteDto } from '../quotes/dto/quote.dto.js';

export interface RenderedDocument {
  fileName: string;
  pdf: Buffer;
}

/** PDFs of invoices, deposit invoices, credit notes and statements, and sending an invoice by email. */
@Injectable()
export class DocumentsService {
  private readonly logger = new Logger('Documents');

  constructor(
    private readonly tenant: TenantConnection,
    private readonly context: RequestContext,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly idempotent: IdempotentWrites,
    private readonly mail: MailOutbox,
    private readonly audit: AuditLog,
  ) {}

  /** The studio's name in the control database (documents print it when billing settings have no legal name). */
  private async organizationName(): Promise<string> {
    const [org] = (await this.control.query(`SELECT name FROM organizations WHERE id = $1`, [this.context.tenantId()])) as Array<{ name: string }>;
    return org?.name ?? '';
  }

  async invoicePdf(invoiceId: string): Promise<RenderedDocument> {
    const name = await this.organizationName();
    const data = await this.tenant.transaction((m) => loadInvoiceDocument(m, invoiceId, name));
    return { fileName: invoiceFileName(data.invoice), pdf: await renderInvoicePdf(data) };
  }

  async quotePdf(quoteId: string): Promise<RenderedDocument> {
    const name = await this.organizationName();
    const data = await this.tenant.transaction((m) => loadQuoteDocument(m, quoteId, name));
    return { fileName: quoteFileName(data.quote), pdf: await renderQuotePdf(data) };
  }

  async statementPdf(clientId: string, range: DateRangeQueryDto): Promise<RenderedDocument> {
    const name = await this.organizationName();
    // Without `to`: up to today in the studio's time zone.
    const pdf = await this.tenant.transaction(async (m) => {
      const [{ time_zone }] = (await m.query(`SELECT time_zone FROM studio_settings WHERE id = 1`)) as Array<{ time_zone: string }>;
      const to = range.to ?? documentDate(new Date(), time_zone);
      if (range.from && range.from > to) throw new ValidationProblem([{ field: 'from', messages: ['from must not be after today when to is omitted'] }]);
      return renderStatementPdf(m, clientId, { from: range.from, to }, name);
    });
    return { fileName: `statement-${range.from ?? 'start'}-${range.to ?? 'today'}.pdf`, pdf };
  }

  /**
   * Emails an issued invoice with its PDF attached, once per Idempotency-Key, in three steps
   * (IdempotentWrites.runWithEffect): checks and the document's data under the invoice's row lock,
   * committed with the key's claim; the mail, with no transaction open and no row locked (a slow SMTP
   * server holds up no payment or webhook on the invoice); then sentAt, the `invoice.sent` event, the
   * audit entry and the key's answer, committed together. A failed mail records nothing and frees the
   * key, so a retry sends; a retry after success replays the answer and mails nothing.
   */
  async send(invoiceId: string, dto: SendInvoiceDto, idempotencyKey: string | undefined): Promise<SendInvoiceResultDto> {
    const name = await this.organizationName();
    const actorId = this.context.principal()?.userId ?? null;
    const { body } = await this.idempotent.runWithEffect(`invoice.send:${invoiceId}`, idempotencyKey, dto, {
      prepare: async (m) => {
        const locked = await lockInvoice(m, invoiceId);
        if (locked.status === 'draft') {
          throw new ProblemException(HttpStatus.CONFLICT, 'invoice-not-finalized', 'A draft cannot be sent: finalize it first (it gets its number then).');
        }
        // A void invoice asks for nothing: mailing it (with its former amount due) would mislead the client.
        if (locked.status === 'void') throw new ProblemException(HttpStatus.CONFLICT, 'invoice-void', 'A void invoice is not sent: it asks for no payment. Issue a new invoice instead.');
        const to = dto.to ?? (locked.billToEmail ? [locked.billToEmail] : []);
        if (!to.length) throw new ValidationProblem([{ field: 'to', messages: ['The client has no email address: give one or more addresses in to'] }]);
        const data = await loadInvoiceDocument(m, invoiceId, name);
        return { data, to, number: locked.number, fileName: invoiceFileName(locked) };
      },
      effect: async ({ data, to, fileName }) => {
        const pdf = await renderInvoicePdf(data);
        try {
          await this.mail.send({
            to,
            cc: dto.cc,
            kind: 'invoice',
            senderName: data.studio.name,
            replyTo: data.studio.email ?? undefined,
            ...invoiceMail(data, dto.message),
            attachments: [{ filename: fileName, content: pdf, contentType: 'application/pdf' }],
          });
        } catch (err) {
          this.logger.warn({ invoiceId, mailError: mailErrorForLog(err, false) }, 'Invoice mail not sent');
          throw new ProblemException(HttpStatus.BAD_GATEWAY, 'mail-not-sent', 'The mail server could not be reached or refused the message: nothing was sent or recorded. Try again.');
        }
      },
      complete: async (m, { to, number }) => {
        const sentAt = new Date();
        await m.getRepository(Invoice).update({ id: invoiceId }, { sentAt });
        await recordEvent(m, { type: 'invoice.sent', subjectType: 'invoice', subjectId: invoiceId, payload: { number, to, cc: dto.cc ?? [] }, actorId });
        await this.audit.record(m, { action: 'invoice.sent', targetType: 'invoice', targetId: invoiceId, details: { number, to, cc: dto.cc ?? [] } });
        return { sentAt: sentAt.toISOString(), to };
      },
    });
    return body;
  }

  /**
   * Sends a quote: one user action that numbers a draft and mails it with its PDF, in two steps.
   *  1. issueQuote, in its own transaction: checks (a refused send — no address, no lines — takes no
   *     number and leaves the draft), the number from the quote sequence, status `sent`. Committed
   *     before any mail, so the sequence stays locked only for that short transaction.
   *  2. IdempotentWrites.runWithEffect, as invoice sending: the quote is claimed for mailing and the
   *     document read (committed with the key's claim), the mail goes out with no transaction open and
   *     no row locked (a slow SMTP server holds up nothing else of the studio), then sentAt, outbox
   *     `quote.sent` and the audit entry commit with the key's answer. A retry with the same key gets
   *     that answer (409 idempotency-key-in-use while the first is still mailing); another key finds
   *     the quote mailed (409 quote-not-draft) or being mailed (409 quote-mail-in-progress). A refused
   *     mail (502) frees both claims: the quote keeps its number, shows `sentAt: null`, and sending it
   *     again mails it. A commit lost after the mail went out can only mean a second mail of the same
   *     number, never a number given twice.
   */
  async sendQuote(quoteId: string, dto: SendInvoiceDto, idempotencyKey: string | undefined): Promise<QuoteDto> {
    const name = await this.organizationName();
    const actorId = this.context.principal()?.userId ?? null;
    const recipients = (q: Quote): QuoteRecipients => {
      const to = dto.to ?? (q.billToEmail ? [q.billToEmail] : []);
      if (!to.length) throw new ValidationProblem([{ field: 'to', messages: ['The client has no email address: give one or more addresses in to'] }]);
      return { to, cc: dto.cc ?? [] };
    };
    assertIdempotencyKey(idempotencyKey); // before step 1 writes anything
    await this.tenant.transaction((m) => issueQuote(m, quoteId, { audit: this.audit, actorId, recipients })).catch(numberClash);
    const { body } = await this.idempotent.runWithEffect(`quote.send:${quoteId}`, idempotencyKey, dto, {
      prepare: async (m) => {
        const { quote, today, recipients: sent } = await claimQuoteMailing(m, quoteId, recipients);
        return { today, sent, number: quote.number, fileName: quoteFileName(quote), data: await loadQuoteDocument(m, quoteId, name) };
      },
      effect: async ({ sent, number, fileName, data }) => {
        try {
          await this.mail.send({
            to: sent.to,
            cc: dto.cc,
            kind: 'quote',
            senderName: data.studio.name,
            replyTo: data.studio.email ?? undefined,
            ...quoteMail(data, dto.message),
            attachments: [{ filename: fileName, content: await renderQuotePdf(data), contentType: 'application/pdf' }],
          });
        } catch (err) {
          this.logger.warn({ quoteId, mailError: mailErrorForLog(err, false) }, 'Quote mail not sent');
          await this.tenant.transaction((m) => releaseQuoteMailing(m, quoteId));
          throw new ProblemException(
            HttpStatus.BAD_GATEWAY,
            'mail-not-sent',
            `The mail server could not be reached or refused the message: quote ${number} keeps its number but was not mailed. Send it again.`,
          );
        }
      },
      complete: async (m, { sent, today }) => quoteView(m, await markQuoteMailed(m, quoteId, sent, { audit: this.audit, actorId }), today),
    });
    return body;
  }
}
