import type { EntityManager } from 'typeorm';
import { BillingSettings } from '../billing-settings/billing-settings.entity.js';
import { InvoiceLine } from '../invoices/invoice-line.entity.js';
import { invoiceNotFound } from '../invoices/invoice-drafts.js';
import { Invoice } from '../invoices/invoice.entity.js';
import { breakdownByRate } from '../invoices/invoice-view.js';
import { normalizeRate } from '../money/money.js';
import { Payment } from '../payments/payment.entity.js';
import { StudioSettings } from '../studio/studio-settings.entity.js';
import type { StudioBlock } from './pdf-layout.js';


export interface DeductedDepositRow {
  number: string | null;
  issueDate: string | null;
  ratePercent: string;
  netMinor: number;
  taxMinor: number;
  grossMinor: number;
}

/** Everything an invoice document prints, read in one tenant transaction (one consistent picture). */
export interface InvoiceDocumentData {
  invoice: Invoice;
  lines: InvoiceLine[];
  /** Tax per rate: sums of the stored (already rounded) lines, highest rate first. */
  byRate: Array<{ ratePercent: string; netMinor: number; taxMinor: number }>;
  deposits: DeductedDepositRow[];
  depositsMinor: number;
  creditedInvoiceNumber: string | null;
  payments: Payment[];
  /** total − deposits − credited (what the client owes before payments). */
  amountDueMinor: number;
  paidMinor: number;
  balanceMinor: number;
  studio: StudioBlock;
  terms: string | null;
  timeZone: string;
}

/** The studio block of documents: billing settings (the logo is a select:false column, asked for explicitly). */
export async function loadStudioBlock(m: EntityManager, organizationName: string): Promise<{ studio: StudioBlock; settings: BillingSettings | null; timeZone: string }> {
  const settings = await m
    .getRepository(BillingSettings)
    .createQueryBuilder('s')
    .addSelect('s.logo')
    .where('s.id = 1')
    .getOne();
  const studioSettings = await m.getRepository(StudioSettings).findOneBy({ id: 1 });
  return {
    settings,
    timeZone: studioSettings?.timeZone ?? 'UTC',
    studio: {
      name: settings?.legalName || organizationName,
      address: settings?.address ?? null,
      taxId: settings?.taxId ?? null,
      companyId: settings?.companyId ?? null,
      email: settings?.email ?? null,
      phone: settings?.phone ?? null,
      bankName: settings?.bankName ?? null,
      iban: settings?.iban ?? null,
      bic: settings?.bic ?? null,
      logo: settings?.logo ?? null,
    },
  };
}

/** Loads an invoice of the current studio and what its document shows; another studio's id is a 404. */
export async function loadInvoiceDocument(m: EntityManager, invoiceId: string, organizationName: string): Promise<InvoiceDocumentData> {
  const invoice = await m.getRepository(Invoice).findOneBy({ id: invoiceId });
  if (!invoice) throw invoiceNotFound();
  const lines = await m.getRepository(InvoiceLine).find({ where: { invoiceId }, order: { position: 'ASC' } });
  const depositRows = (await m.query(
    `SELECT d.number, d.issue_date::text AS issue_date, x.tax_rate_percent::text AS rate, x.net_minor::text AS net, x.tax_minor::text AS tax, x.gross_minor::text AS gross
       FROM invoice_deposits x JOIN invoices d ON d.id = x.deposit_invoice_id
      WHERE x.invoice_id = $1 ORDER BY d.issue_date NULLS LAST, d.number, x.tax_rate_percent DESC`,
    [invoiceId],
  )) as Array<{ number: string | null; issue_date: string | null; rate: string; net: string; tax: string; gross: string }>;
  const deposits = depositRows.map((d) => ({
    number: d.number,
    issueDate: d.issue_date,
    ratePercent: normalizeRate(d.rate),
    netMinor: Number(d.net),
    taxMinor: Number(d.tax),
    grossMinor: Number(d.gross),
  }));
  const credited = invoice.creditedInvoiceId ? await m.getRepository(Invoice).findOneBy({ id: invoice.creditedInvoiceId }) : null;
  const payments = await m.getRepository(Payment).find({ where: { invoiceId }, order: { receivedOn: 'ASC', createdAt: 'ASC' } });
  const { studio, settings, timeZone } = await loadStudioBlock(m, organizationName);

  // The stored figures, as settleInvoice keeps them (a void invoice owes nothing); a draft's are what it would ask.
  const issued = invoice.status !== 'draft';
  const depositsMinor = issued ? invoice.depositsMinor : deposits.reduce((sum, d) => sum + d.grossMinor, 0);
  const paidMinor = issued ? invoice.paidMinor : payments.reduce((sum, p) => sum + p.amountMinor - p.refundedMinor, 0);
  const amountDueMinor = invoice.totalMinor - depositsMinor - invoice.creditedMinor;
  return {
    invoice,
    lines,
    byRate: breakdownByRate(lines),
    deposits,
    depositsMinor,
    creditedInvoiceNumber: credited?.number ?? null,
    payments,
    amountDueMinor,
    paidMinor,
    balanceMinor: issued ? invoice.balanceMinor : Math.max(0, amountDueMinor - paidMinor),
    studio,
    terms: invoice.terms ?? settings?.defaultTerms ?? null,
    timeZone,
  };
}
