import type { EntityManager } from 'typeorm';
import { Client } from '../clients/client.entity.js';
import { InvoiceShare } from '../payments/invoice-share.entity.js';
import { Payment } from '../payments/payment.entity.js';
import type { InvoiceDto, InvoiceLineDto, InvoiceSummaryDto, TaxBreakdownDto } from './dto/invoice.dto.js';
import { InvoiceDeposit } from './invoice-deposit.entity.js';
import { InvoiceLine } from './invoice-line.entity.js';
import { Invoice } from './invoice.entity.js';
import { normalizeRate } from '../money/money.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Issued, something open, and due before `today` (the studio's date). */
export const isOverdue = (i: Invoice, today: string) =>
  (i.status === 'sent' || i.status === 'partially_paid') && i.balanceMinor > 0 && i.dueDate !== null && i.dueDate < today;

export function toSummary(i: Invoice, clientName: string, today: string): InvoiceSummaryDto {
  return {
    id: i.id,
    kind: i.kind,
    status: i.status,
    number: i.number,
    client: { id: i.clientId, name: clientName },
    projectId: i.projectId,
    quoteId: i.quoteId,
    currency: i.currency.trim(),
    issueDate: i.issueDate,
    dueDate: i.dueDate,
    totalMinor: i.totalMinor,
    balanceMinor: i.balanceMinor,
    overdue: isOverdue(i, today),
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}

/** Lines of an invoice or a quote (same columns), as the API shows them. */
type StoredLine = Omit<InvoiceLine, 'invoiceId' | 'invoice' | 'booking' | 'taxRate'>;

export function lineView(l: StoredLine): InvoiceLineDto {
  return {
    id: l.id,
    position: l.position,
    kind: l.kind,
    bookingId: l.bookingId,
    description: l.description,
    quantity: l.quantity,
    unit: l.unit,
    unitPriceMinor: l.unitPriceMinor,
    discountMinor: l.discountMinor,
    taxRateId: l.taxRateId,
    taxName: l.taxName,
    taxRatePercent: normalizeRate(l.taxRatePercent),
    taxInclusive: l.taxInclusive,
    netMinor: l.netMinor,
    taxMinor: l.taxMinor,
    grossMinor: l.grossMinor,
  };
}

/** The breakdown by rate of an invoice or a quote: sums of its stored lines (each rounded once by money.ts when saved). */
export function breakdownByRate(lines: Array<Pick<InvoiceLine, 'taxRatePercent' | 'netMinor' | 'taxMinor'>>): TaxBreakdownDto[] {
  const byRate = new Map<string, TaxBreakdownDto>();
  for (const l of lines) {
    const rate = normalizeRate(l.taxRatePercent);
    const entry = byRate.get(rate) ?? { ratePercent: rate, netMinor: 0, taxMinor: 0 };
    entry.netMinor += l.netMinor;
    entry.taxMinor += l.taxMinor;
    byRate.set(rate, entry);
  }
  return [...byRate.values()].sort((a, b) => Number(b.ratePercent) - Number(a.ratePercent));
}

/** The whole invoice as the API shows it: lines, breakdown by rate, deposits, credit notes, payments, shares. */
export async function invoiceView(m: EntityManager, invoice: Invoice, today: string): Promise<InvoiceDto> {
  const client = await m.getRepository(Client).findOneByOrFail({ id: invoice.clientId });
  const lines = await m.getRepository(InvoiceLine).find({ where: { invoiceId: invoice.id }, order: { position: 'ASC' } });
  const deposits = await m
    .getRepository(InvoiceDeposit)
    .createQueryBuilder('d')
    .innerJoinAndSelect('d.depositInvoice', 'di')
    .where('d.invoice_id = :id', { id: invoice.id })
    .orderBy('di.issue_date')
    .addOrderBy('di.number')
    .addOrderBy('d.tax_rate_percent', 'DESC')
    .getMany();
  const credited = invoice.creditedInvoiceId ? await m.getRepository(Invoice).findOneBy({ id: invoice.creditedInvoiceId }) : null;
  const creditNotes = await m.getRepository(Invoice).find({ where: { creditedInvoiceId: invoice.id }, order: { createdAt: 'ASC', id: 'ASC' } });
  const payments = await m.getRepository(Payment).find({ where: { invoiceId: invoice.id }, order: { createdAt: 'ASC', id: 'ASC' } });
  const shares = await m.getRepository(InvoiceShare).find({ where: { invoiceId: invoice.id }, order: { position: 'ASC' } });

  return {
    ...toSummary(invoice, client.name, today),
    bookingId: invoice.bookingId,
    creditedInvoice: credited ? { id: credited.id, number: credited.number } : null,
    poNumber: invoice.poNumber,
    notes: invoice.notes,
    terms: invoice.terms,
    billTo: { name: invoice.billToName, address: invoice.billToAddress, taxId: invoice.billToTaxId, email: invoice.billToEmail },
    lines: lines.map(lineView),
    byRate: breakdownByRate(lines),
    subtotalMinor: invoice.subtotalMinor,
    taxMinor: invoice.taxMinor,
    deposits: deposits.map((d) => ({
      depositInvoiceId: d.depositInvoiceId,
      number: d.depositInvoice!.number,
      issueDate: d.depositInvoice!.issueDate,
      ratePercent: normalizeRate(d.taxRatePercent),
      netMinor: d.netMinor,
      taxMinor: d.taxMinor,
      grossMinor: d.grossMinor,
    })),
    depositsMinor: invoice.depositsMinor,
    creditedMinor: invoice.creditedMinor,
    paidMinor: invoice.paidMinor,
    amountDueMinor: invoice.totalMinor - invoice.depositsMinor - invoice.creditedMinor,
    creditNotes: creditNotes.map((c) => ({ id: c.id, number: c.number, status: c.status, totalMinor: c.totalMinor, issueDate: c.issueDate })),
    payments: payments.map((p) => ({
      id: p.id,
      invoiceId: p.invoiceId,
      shareId: p.shareId,
      amountMinor: p.amountMinor,
      currency: p.currency.trim(),
      method: p.method,
      receivedOn: p.receivedOn,
      reference: p.reference,
      note: p.note,
      refundedMinor: p.refundedMinor,
      disputed: p.disputedAt !== null,
      recordedBy: p.recordedBy,
      createdAt: p.createdAt.toISOString(),
    })),
    shares: shares.map((s) => ({
      id: s.id,
      position: s.position,
      payerName: s.payerName,
      payerEmail: s.payerEmail,
      amountMinor: s.amountMinor,
      paidMinor: s.paidMinor,
      paid: s.paidMinor >= s.amountMinor,
    })),
    finalizedAt: iso(invoice.finalizedAt),
    sentAt: iso(invoice.sentAt),
    paidAt: iso(invoice.paidAt),
    voidedAt: iso(invoice.voidedAt),
    voidReason: invoice.voidReason,
  };
}
