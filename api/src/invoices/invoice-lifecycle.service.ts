import { HttpStatus, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { assignNumber } from '../billing-settings/numbering.js';
import { BillingSettings } from '../billing-settings/billing-settings.entity.js';
import { pgErrorCode } from '../common/pg-errors.js';
import { ProblemException, ValidationProblem } from '../common/problem.js';
import { RequestContext } from '../common/request-context.js';
import { documentTotals } from '../money/money.js';
import { recordEvent } from '../outbox/record-event.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { InvoiceDto } from './dto/invoice.dto.js';
import type { CreateCreditNoteDto, FinalizeInvoiceDto, VoidInvoiceDto } from './dto/invoice-input.dto.js';
import { clientOrInvalid, copyBillTo, currentDepositIds, lockInvoice, notDraft, writeDraftContent } from './invoice-drafts.js';
import { settleInvoice } from './invoice-balance.js';
import { InvoiceLine } from './invoice-line.entity.js';
import { addDays, depositDeductions, depositNotDeductible, priceLines, studioSettings, todayIn } from './invoice-pricing.js';
import { invoiceView } from './invoice-view.js';
import { Invoice, isIssued } from './invoice.entity.js';

const conflict = (type: string, detail: string) => new ProblemException(HttpStatus.CONFLICT, type, detail);

/** What an invoice may still be credited: its total less deposits deducted and issued credit notes (drafts `except`ed). */
async function creditableMinor(m: EntityManager, invoice: Invoice, exceptCreditNoteId: string | null): Promise<number> {
  const [row] = (await m.query(
    `SELECT COALESCE(sum(total_minor), 0)::bigint AS credited FROM invoices
      WHERE credited_invoice_id = $1 AND kind = 'credit_note' AND status NOT IN ('draft', 'void') AND ($2::uuid IS NULL OR id <> $2)`,
    [invoice.id, exceptCreditNoteId],
  )) as Array<{ credited: string }>;
  return invoice.totalMinor - invoice.depositsMinor - Number(row.credited);
}

/** The number of a live (not void) invoice deducting this deposit invoice, or undefined (null number: a draft). */
async function deductedOn(m: EntityManager, depositId: string): Promise<{ number: string | null } | undefined> {
  const [row] = (await m.query(
    `SELECT i.number FROM invoice_deposits d JOIN invoices i ON i.id = d.invoice_id WHERE d.deposit_invoice_id = $1 AND i.status <> 'void' LIMIT 1`,
    [depositId],
  )) as Array<{ number: string | null }>;
  return row;
}

/**
 * The latest issue date in the number sequence a document of `sequence` dated `issueDate` takes (the
 * issue year's sequence when numbers restart yearly, else every numbered document of that series, void
 * ones included: they keep their number). Read after assignNumber, under the sequence row's lock, so no
 * concurrent finalization of the sequence can slip in between.
 */
async function latestIssueDateInSequence(m: EntityManager, sequence: 'invoice' | 'credit_note', issueDate: string, reset: 'yearly' | 'never'): Promise<string | null> {
  const [row] = (await m.query(
    `SELECT to_char(max(issue_date), 'YYYY-MM-DD') AS latest FROM invoices
      WHERE status <> 'draft' AND (kind = 'credit_note') = $1 AND ($2::int IS NULL OR date_part('year', issue_date) = $2)`,
    [sequence === 'credit_note', reset === 'yearly' ? Number(issueDate.slice(0, 4)) : null],
  )) as Array<{ latest: string | null }>;
  return row.latest;
}

const depositInUse = (on: { number: string | null }) =>
  conflict('deposit-in-use', `This deposit is deducted on ${on.number ?? 'a draft invoice'}: remove it there first.`);

/** Issuing documents: finalization (number, frozen bill-to, due date), void, and credit notes (issue 11). */
@Injectable()
export class InvoiceLifecycleService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
    private readonly context: RequestContext,
  ) {}

  /**
   * One transaction: lock the draft, recompute its totals from its lines with money.ts, check what it
   * deducts or credits, take the next number (numbering.ts: the sequence row stays locked until commit,
   * so a failure anywhere after this rolls the number back with the rest), freeze bill-to, settle.
   */
  async finalize(id: string, dto: FinalizeInvoiceDto): Promise<InvoiceDto> {
    return this.tenant
      .transaction(async (m) => {
        const invoice = await lockInvoice(m, id);
        if (invoice.status !== 'draft') throw notDraft();
        const settings = await studioSettings(m);
        const billing = await m.getRepository(BillingSettings).findOneByOrFail({ id: 1 });
        const lines = await m.getRepository(InvoiceLine).find({ where: { invoiceId: id }, order: { position: 'ASC' } });
        if (!lines.length) throw conflict('invoice-empty', 'An invoice without lines cannot be issued.');

        const totals = documentTotals(lines);
        invoice.subtotalMinor = totals.subtotalMinor;
        invoice.taxMinor = totals.taxMinor;
        invoice.totalMinor = totals.totalMinor;
        const deposits = await depositDeductions(m, await currentDepositIds(m, id), invoice.clientId, invoice.currency.trim(), id);
        await writeDraftContent(m, invoice, { deposits });
        if (invoice.depositsMinor > invoice.totalMinor) throw depositNotDeductible('The deposits deducted exceed this invoice\u2019s total.');

        let credited: Invoice | null = null;
        if (invoice.kind === 'credit_note') {
          credited = await lockInvoice(m, invoice.creditedInvoiceId!);
          if (!isIssued(credited.status)) throw conflict('invoice-not-creditable', 'Only an issued invoice can be credited.');
          // A draft credit note's client, currency or deductions may have been edited: it must still match what it credits.
          if (invoice.currency.trim() !== credited.currency.trim() || invoice.clientId !== credited.clientId || invoice.depositsMinor !== 0) {
            throw conflict('credit-note-mismatch', 'A credit note must keep the client and currency of the invoice it credits, and deducts no deposits.');
          }
          const on = credited.kind === 'deposit' ? await deductedOn(m, credited.id) : undefined;
          if (on) throw depositInUse(on);
          const open = await creditableMinor(m, credited, id);
          if (invoice.totalMinor > open) {
            throw conflict('credit-exceeds-invoice', `This credit note (${invoice.totalMinor}) exceeds what is left to credit on the invoice (${open}).`);
          }
        }

        // A document is dated when it is issued, never ahead: a future date would also hold every later
        // number of its sequence back to it (they may not be dated earlier, below).
        const today = todayIn(settings.timeZone);
        const issueDate = dto.issueDate ?? today;
        if (issueDate > today) throw new ValidationProblem([{ field: 'issueDate', messages: [`issueDate must be on or before ${today} (today in the studio's time zone)`] }]);
        copyBillTo(invoice, await clientOrInvalid(m, invoice.clientId));
        const sequence = invoice.kind === 'credit_note' ? 'credit_note' : 'invoice';
        invoice.number = await assignNumber(m, sequence, issueDate);
        // Numbers follow the calendar within a sequence: a later number never carries an earlier date.
        // Refused after assignNumber (under its lock), so the rollback returns the number.
        const latest = await latestIssueDateInSequence(m, sequence, issueDate, billing.numberReset);
        if (latest && issueDate < latest) {
          throw conflict('issue-date-out-of-sequence', `The last ${sequence === 'credit_note' ? 'credit note' : 'invoice'} of this number sequence is dated ${latest}: this one cannot be dated earlier (${issueDate}).`);
        }
        invoice.issueDate = issueDate;
        invoice.dueDate ??= invoice.kind === 'credit_note' ? null : addDays(issueDate, billing.paymentTermsDays);
        invoice.terms ??= billing.defaultTerms;
        invoice.notes ??= billing.defaultNotes;
        invoice.status = 'sent';
        invoice.finalizedAt = new Date();
        invoice.balanceMinor = invoice.kind === 'credit_note' ? 0 : invoice.balanceMinor;
        await m.getRepository(Invoice).save(invoice);

        if (credited) {
          await settleInvoice(m, credited.id);
          await recordEvent(m, { type: 'credit_note.issued', subjectType: 'invoice', subjectId: id, payload: { number: invoice.number, creditedInvoiceId: credited.id, totalMinor: invoice.totalMinor }, actorId: this.actorId() });
        } else {
          await settleInvoice(m, id);
          await recordEvent(m, { type: 'invoice.finalized', subjectType: 'invoice', subjectId: id, payload: { number: invoice.number, kind: invoice.kind, totalMinor: invoice.totalMinor }, actorId: this.actorId() });
        }
        await this.audit.record(m, { action: 'invoice.finalized', targetType: 'invoice', targetId: id, details: { number: invoice.number, kind: invoice.kind } });
        return invoiceView(m, await m.getRepository(Invoice).findOneByOrFail({ id }), todayIn(settings.timeZone));
      })
      .catch((err: unknown) => {
        // The unique number index refused: a format change made two kinds render the same number.
        if (pgErrorCode(err) === '23505') throw conflict('number-format-clash', 'The number this document would get is already taken by another kind of document: make the number formats distinct.');
        throw err;
      });
  }

  /** Void keeps the number (a gapless series never loses one). Payments not refunded must be credited or refunded first. */
  async void(id: string, dto: VoidInvoiceDto): Promise<InvoiceDto> {
    return this.tenant.transaction(async (m) => {
      const invoice = await lockInvoice(m, id);
      if (invoice.status === 'draft') throw conflict('invoice-not-finalized', 'A draft has no number to void: delete it instead.');
      if (invoice.status === 'void') throw conflict('invoice-void', 'This invoice is already void.');
      if (invoice.kind === 'credit_note') throw conflict('credit-note-not-voidable', 'An issued credit note cannot be voided: issue an invoice instead.');
      const [{ paid }] = (await m.query(`SELECT COALESCE(sum(amount_minor - refunded_minor), 0)::bigint AS paid FROM payments WHERE invoice_id = $1`, [id])) as Array<{ paid: string }>;
      if (Number(paid) > 0) throw conflict('invoice-has-payments', 'This invoice has payments that are not refunded: refund them or issue a credit note.');
      const deducted = await deductedOn(m, id);
      if (deducted) throw depositInUse(deducted);
      // Its credit notes would go on reducing revenue and the client's account for an invoice that no longer counts.
      const [credit] = (await m.query(`SELECT number FROM invoices WHERE credited_invoice_id = $1 AND status NOT IN ('draft', 'void') LIMIT 1`, [id])) as Array<{ number: string }>;
      if (credit) throw conflict('invoice-has-credit-notes', `Credit note ${credit.number} credits this invoice: it cannot be voided as well.`);
      invoice.status = 'void';
      invoice.voidedAt = new Date();
      invoice.voidReason = dto.reason;
      invoice.balanceMinor = 0;
      await m.getRepository(Invoice).save(invoice);
      await recordEvent(m, { type: 'invoice.voided', subjectType: 'invoice', subjectId: id, payload: { number: invoice.number }, actorId: this.actorId() });
      await this.audit.record(m, { action: 'invoice.voided', targetType: 'invoice', targetId: id, details: { number: invoice.number } });
      return invoiceView(m, invoice, todayIn((await studioSettings(m)).timeZone));
    });
  }

  /** A draft credit note for an issued invoice: every line copied (`full`), or the lines given. */
  async createCreditNote(id: string, dto: CreateCreditNoteDto): Promise<InvoiceDto> {
    return this.tenant.transaction(async (m) => {
      const invoice = await lockInvoice(m, id);
      if (invoice.kind === 'credit_note' || !isIssued(invoice.status)) {
        throw conflict('invoice-not-creditable', 'Only an issued invoice (not a draft, a void invoice or a credit note) can be credited.');
      }
      // A deposit already deducted on a final invoice is settled there: crediting it too would count it twice.
      const on = invoice.kind === 'deposit' ? await deductedOn(m, invoice.id) : undefined;
      if (on) throw depositInUse(on);
      if (dto.full === true && dto.lines?.length) throw new ProblemException(HttpStatus.BAD_REQUEST, 'validation', 'Give either full or lines.', { errors: [{ field: 'lines', messages: ['lines must be absent with full'] }] });
      let priced;
      if (dto.full === true) {
        const lines = await m.getRepository(InvoiceLine).find({ where: { invoiceId: id }, order: { position: 'ASC' } });
        const totals = documentTotals(lines);
        priced = { totals, lines: lines.map(({ id: _id, invoiceId: _inv, position: _p, invoice: _i, booking: _b, taxRate: _t, ...line }) => line) };
      } else {
        if (!dto.lines?.length) throw new ProblemException(HttpStatus.BAD_REQUEST, 'validation', 'Give full: true or at least one line.', { errors: [{ field: 'lines', messages: ['lines must hold at least one line unless full is true'] }] });
        priced = await priceLines(m, dto.lines);
      }
      const open = await creditableMinor(m, invoice, null);
      if (open <= 0) throw conflict('credit-exceeds-invoice', 'Nothing is left to credit on this invoice.');
      // A full copy is a starting point: after a partial credit note, or on an invoice with deposits deducted,
      // it exceeds what is left, and the studio lowers its lines in the draft. Finalizing enforces the limit.
      // Lines given here are what the caller means to credit, so they are held to it at once.
      if (dto.full !== true && priced.totals.totalMinor > open) {
        throw conflict('credit-exceeds-invoice', `This credit note (${priced.totals.totalMinor}) exceeds what is left to credit on the invoice (${open}).`);
      }
      const repo = m.getRepository(Invoice);
      const note = repo.create({
        kind: 'credit_note',
        status: 'draft',
        clientId: invoice.clientId,
        projectId: invoice.projectId,
        creditedInvoiceId: invoice.id,
        currency: invoice.currency.trim(),
        notes: dto.reason ?? null,
        poNumber: invoice.poNumber,
        billToName: invoice.billToName,
        billToAddress: invoice.billToAddress,
        billToTaxId: invoice.billToTaxId,
        billToEmail: invoice.billToEmail,
        createdBy: this.actorId(),
      });
      await repo.save(note);
      await writeDraftContent(m, note, { lines: priced, deposits: [] });
      note.balanceMinor = 0;
      await repo.save(note);
      await this.audit.record(m, { action: 'invoice.created', targetType: 'invoice', targetId: note.id, details: { kind: 'credit_note', creditedInvoiceId: invoice.id } });
      return invoiceView(m, await repo.findOneByOrFail({ id: note.id }), todayIn((await studioSettings(m)).timeZone));
    });
  }

  private actorId(): string | null {
    return this.context.principal()?.userId ?? null;
  }
}
