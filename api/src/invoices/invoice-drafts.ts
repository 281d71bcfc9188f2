import { HttpStatus } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Client } from '../clients/client.entity.js';
import { ProblemException, ValidationProblem } from '../common/problem.js';
import { isKnownCurrency } from '../money/money.js';
import { Project } from '../projects/project.entity.js';
import { Booking } from '../bookings/booking.entity.js';
import { InvoiceDeposit } from './invoice-deposit.entity.js';
import { InvoiceLine } from './invoice-line.entity.js';
import { type DepositDeduction, depositDeductions, type PricedLine } from './invoice-pricing.js';
import { Invoice } from './invoice.entity.js';

export const invoiceNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No invoice with this id in your studio.');
/**
 * A quote's deposit invoice bills exactly the amount the quote asks, tax included at the quote's main
 * rate (quote-lifecycle.service.ts depositLine); lines sent by an editor would be priced by their tax
 * rates instead and change that amount, so its lines are the quote's alone.
 */
export const depositLinesFixed = () =>
  new ProblemException(
    HttpStatus.CONFLICT,
    'deposit-lines-fixed',
    "This deposit invoice bills the amount its quote asks: its lines can't be changed. Delete the draft to bill the quote without a deposit.",
  );
export const notDraft = () => new ProblemException(HttpStatus.CONFLICT, 'invoice-not-draft', 'Only a draft can be changed or deleted: void it or issue a credit note instead.');
const invalid = (field: string, message: string) => new ValidationProblem([{ field, messages: [message] }]);

/** The invoice, locked for the rest of the transaction (every read-modify-write of an invoice starts here). */
export async function lockInvoice(m: EntityManager, id: string): Promise<Invoice> {
  const invoice = await m.getRepository(Invoice).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!invoice) throw invoiceNotFound();
  return invoice;
}

export async function clientOrInvalid(m: EntityManager, clientId: string, field = 'clientId'): Promise<Client> {
  const client = await m.getRepository(Client).findOneBy({ id: clientId });
  if (!client) throw invalid(field, 'clientId names no client of your studio');
  return client;
}

export function checkCurrency(currency: string, field = 'currency'): string {
  if (!isKnownCurrency(currency)) throw invalid(field, `${currency} is not an ISO 4217 currency`);
  return currency;
}

/** Project and booking references of a draft: they must exist in the studio and belong to its client. */
export async function checkReferences(m: EntityManager, clientId: string, refs: { projectId?: string | null; bookingId?: string | null }): Promise<void> {
  if (refs.projectId) {
    const project = await m.getRepository(Project).findOneBy({ id: refs.projectId });
    if (!project) throw invalid('projectId', 'projectId names no project of your studio');
    if (project.clientId !== clientId) throw invalid('projectId', 'the project belongs to another client');
  }
  if (refs.bookingId) {
    const booking = await m.getRepository(Booking).findOneBy({ id: refs.bookingId });
    if (!booking) throw invalid('bookingId', 'bookingId names no booking of your studio');
    if (booking.clientId !== clientId) throw invalid('bookingId', 'the booking belongs to another client');
  }
}

/**
 * A session is billed once: a booking that a line of a live (not void) invoice or deposit invoice names
 * cannot be named by a line of another one (credit notes are exempt: they credit it). Every path that
 * puts a booking on an invoice (by hand, from sessions, from a quote) calls this first: the bookings are
 * locked in id order, so two concurrent requests for one session queue here and the second sees the
 * first one's lines (or none, if it rolled back).
 */
export async function assertBookingsNotInvoiced(m: EntityManager, bookingIds: Array<string | null | undefined>, exceptInvoiceId: string | null): Promise<void> {
  const ids = [...new Set(bookingIds.filter((id): id is string => typeof id === 'string'))].sort();
  if (!ids.length) return;
  await m.query(`SELECT id FROM bookings WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
  const [taken] = (await m.query(
    `SELECT l.booking_id, i.number FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
      WHERE l.booking_id = ANY($1::uuid[]) AND i.status <> 'void' AND i.kind <> 'credit_note' AND ($2::uuid IS NULL OR i.id <> $2)
      ORDER BY l.booking_id LIMIT 1`,
    [ids, exceptInvoiceId],
  )) as Array<{ booking_id: string; number: string | null }>;
  if (taken) throw new ProblemException(HttpStatus.CONFLICT, 'booking-already-invoiced', `Booking ${taken.booking_id} is already on invoice ${taken.number ?? '(draft)'}.`);
}

/** The bill-to columns invoices and quotes share. */
export type BillToColumns = Pick<Invoice, 'billToName' | 'billToAddress' | 'billToTaxId' | 'billToEmail'>;

/** The client's billing details, copied onto a draft invoice or quote (and frozen there when issued). */
export function copyBillTo(invoice: BillToColumns, client: Client): void {
  invoice.billToName = client.name;
  invoice.billToAddress = client.billingAddress;
  invoice.billToTaxId = client.taxId;
  invoice.billToEmail = client.email;
}

/** Replaces a draft's lines (when given) and its deducted deposits, and stores the totals of what it now holds. */
export async function writeDraftContent(
  m: EntityManager,
  invoice: Invoice,
  content: { lines?: { lines: PricedLine[]; totals: { subtotalMinor: number; taxMinor: number; totalMinor: number } }; deposits?: DepositDeduction[] },
): Promise<void> {
  if (content.lines) {
    await m.getRepository(InvoiceLine).delete({ invoiceId: invoice.id });
    if (content.lines.lines.length) {
      await m.getRepository(InvoiceLine).insert(content.lines.lines.map((l, i) => ({ ...l, invoiceId: invoice.id, position: i + 1 })));
    }
    invoice.subtotalMinor = content.lines.totals.subtotalMinor;
    invoice.taxMinor = content.lines.totals.taxMinor;
    invoice.totalMinor = content.lines.totals.totalMinor;
  }
  if (content.deposits) {
    await m.getRepository(InvoiceDeposit).delete({ invoiceId: invoice.id });
    if (content.deposits.length) await m.getRepository(InvoiceDeposit).insert(content.deposits.map((d) => ({ ...d, invoiceId: invoice.id })));
    invoice.depositsMinor = content.deposits.reduce((sum, d) => sum + d.grossMinor, 0);
  }
  invoice.balanceMinor = Math.max(0, invoice.totalMinor - invoice.depositsMinor);
}

/** The deposits currently deducted on a draft, re-checked against its (possibly new) client and currency. */
export async function currentDepositIds(m: EntityManager, invoiceId: string): Promise<string[]> {
  const rows = await m.getRepository(InvoiceDeposit).find({ select: { depositInvoiceId: true }, where: { invoiceId } });
  return [...new Set(rows.map((r) => r.depositInvoiceId))];
}

export { depositDeductions };
