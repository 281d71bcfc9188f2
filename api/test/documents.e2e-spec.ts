import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { Response } from 'supertest';
import { insertClient, insertInvoice, insertPayment, NON_LATIN_CLIENT, seedDocuments } from './support/document-fixtures.js';
import { compact, pdfText } from './support/pdf-text.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/** supertest buffers only text and JSON by itself: collect the bytes of a PDF. */
const binary = (res: Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('documents: invoice, credit note and statement PDFs, CSV exports (issue 11)', () => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof registerStudio>>;
  let b: Awaited<ReturnType<typeof registerStudio>>;
  let db: pg.Client;
  let dbB: pg.Client;
  let seeded: Awaited<ReturnType<typeof seedDocuments>>;
  let bInvoice: string;
  let bClient: string;

  const pdfOf = async (url: string, cookie = a.cookie) => {
    const res = await t.http().get(url).set('cookie', cookie).buffer(true).parse(binary as never).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const body = res.body as Buffer;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    return { res, body, text: compact((await pdfText(body)).join(' ')) };
  };
  const has = (text: string, ...needles: string[]) => {
    for (const needle of needles) expect({ needle, found: text.includes(compact(needle)) }).toEqual({ needle, found: true });
  };

  beforeAll(async () => {
    t = await createTestApp();
    a = await registerStudio(t, 'Docs A');
    b = await registerStudio(t, 'Docs B');
    db = await connectTenantDatabase(t, a.organizationId);
    dbB = await connectTenantDatabase(t, b.organizationId);
    seeded = await seedDocuments(db);
    bClient = await insertClient(dbB, { name: 'Client of B', email: 'b@client.test' });
    bInvoice = await insertInvoice(dbB, { clientId: bClient, number: 'B-0001', issueDate: '2026-03-05', lines: [{ description: 'B work', quantity: '1', unitPriceMinor: 100, taxRatePercent: '0' }] });
  });
  afterAll(async () => {
    await db.end();
    await dbB.end();
    await t?.close();
  });

  it('an invoice PDF holds its number, lines, totals, tax per rate, each deducted deposit, the amount due, payments, balance and the non-Latin client name', async () => {
    const { res, text } = await pdfOf(`/api/v1/invoices/${seeded.invoiceId}/pdf`);
    expect(res.headers['content-disposition']).toBe('inline; filename=INV-2026-0002.pdf');
    has(text, 'Invoice', 'INV-2026-0002', 'PO-77', '2026-03-10', '2026-04-09');
    has(text, NON_LATIN_CLIENT, 'ул. Тверская 1', 'Ωmega Sound SARL', 'FR40123456789', 'Песня 1');
    // Totals: 500.00 @ 20 %, (25.00 − 5.00) @ 5.5 %, 33.33 @ 0 %.
    has(text, 'Subtotal (net)', 'EUR 553.33', 'Tax 20 % on EUR 500.00', 'EUR 100.00', 'Tax 5.5 % on EUR 20.00', 'EUR 1.10', 'Tax 0 % on EUR 33.33', 'Total', 'EUR 654.43');
    // The deposit: its number, date, net and tax, then the amount due.
    has(text, 'Deposits deducted', 'INV-2026-0001', '2026-03-01', 'EUR 300.00', 'EUR 60.00', 'EUR 360.00', 'Amount due', 'EUR 234.43');
    // Paid 100.00 on 2026-03-15; balance 654.43 − 360.00 − 60.00 − 100.00.
    has(text, 'Payments received', '2026-03-15', 'VIR-9', 'EUR 100.00', 'Balance', 'EUR 134.43');
    has(text, 'FR7630006000011234567890189', 'AGRIFRPP', 'Payable within 30 days.');
    expect(text).not.toContain('DRAFT');
  });

  it('embeds its fonts (DejaVu Sans, as TrueType font files) and the studio logo', async () => {
    const { body } = await pdfOf(`/api/v1/invoices/${seeded.invoiceId}/pdf`);
    const raw = body.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans-Bold\b/);
    expect(raw.match(/\/FontFile2 \d+ 0 R/g)?.length).toBeGreaterThanOrEqual(2);
    expect(raw).toMatch(/\/Subtype \/Image/);
  });

  it('the font comes from a production dependency, so the Docker image (npm ci --omit=dev) ships it', () => {
    const pkg = JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../package.json'), 'utf8'));
    expect(pkg.dependencies['dejavu-fonts-ttf']).toBeDefined();
    expect(pkg.dependencies.pdfkit).toBeDefined();
  });

  it('a draft says DRAFT and has no number; a deposit invoice is titled so; a credit note names the invoice it credits', async () => {
    const draft = await pdfOf(`/api/v1/invoices/${seeded.draftId}/pdf`);
    expect(draft.res.headers['content-disposition']).toBe(`inline; filename=draft-${seeded.draftId}.pdf`);
    has(draft.text, 'DRAFT', 'Draft (no number yet)', 'Mixing (draft)');

    const deposit = await pdfOf(`/api/v1/invoices/${seeded.depositId}/pdf`);
    has(deposit.text, 'Deposit invoice', 'INV-2026-0001', 'EUR 360.00');

    const credit = await pdfOf(`/api/v1/invoices/${seeded.creditNoteId}/pdf`);
    has(credit.text, 'Credit note', 'CN-2026-0001', 'Credits invoice', 'This credit note credits invoice INV-2026-0002', 'EUR 60.00');
  });

  it('amounts follow the currency: JPY without decimals', async () => {
    const client = await insertClient(db, { name: 'Tokyo client' });
    const id = await insertInvoice(db, { clientId: client, currency: 'JPY', number: 'INV-2026-0100', issueDate: '2026-03-11', lines: [{ description: 'Session', quantity: '3', unitPriceMinor: 15000, taxRatePercent: '10' }] });
    const { text } = await pdfOf(`/api/v1/invoices/${id}/pdf`);
    has(text, 'JPY 45,000', 'JPY 4,500', 'JPY 49,500');
    expect(text).not.toContain('49,500.00');
  });

  it('a statement lists the invoices, credit notes and payments of the period with the running balance, after the opening balance', async () => {
    const { text } = await pdfOf(`/api/v1/clients/${seeded.clientId}/statement.pdf?from=2026-03-05&to=2026-03-31`);
    has(text, 'Statement of account', NON_LATIN_CLIENT, 'Account in EUR');
    // Before the 5th: deposit 360.00 billed and paid → opening 0.00. Then the final invoice less its deposit (294.43),
    // the payment of 100.00 (194.43), the credit note of 60.00 (134.43): the invoice's balance.
    const rows = [
      'Opening balance EUR 0.00',
      '2026-03-10 Invoice INV-2026-0002 EUR 294.43 EUR 294.43',
      '2026-03-15 Payment for INV-2026-0002 EUR 100.00 EUR 194.43',
      '2026-03-20 Credit note CN-2026-0001 credits INV-2026-0002 EUR 60.00 EUR 134.43',
      'Balance due EUR 134.43',
    ];
    let at = 0;
    for (const row of rows) {
      const found = text.indexOf(compact(row), at);
      expect({ row, found: found >= 0 }).toEqual({ row, found: true });
      at = found;
    }
    expect(text).not.toContain('INV-2026-0001'); // before the period: only in the opening balance
    expect(text).not.toContain('Mixing'); // drafts are no part of an account

    const all = await pdfOf(`/api/v1/clients/${seeded.clientId}/statement.pdf?to=2026-03-02`);
    has(all.text, '2026-03-01 Deposit invoice INV-2026-0001 EUR 360.00 EUR 360.00', '2026-03-02 Payment for INV-2026-0001 EUR 360.00 EUR 0.00');
  });

  it("another studio's invoice or client is a 404 (PDF, statement), never its data", async () => {
    for (const url of [`/api/v1/invoices/${bInvoice}/pdf`, `/api/v1/clients/${bClient}/statement.pdf`]) {
      const res = await t.http().get(url).set('cookie', a.cookie).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    await t.http().get(`/api/v1/invoices/${bInvoice}/pdf`).set('cookie', b.cookie).expect(200);
  });

  describe('CSV exports', () => {
    const csvOf = async (url: string) => {
      const res = await t.http().get(url).set('cookie', a.cookie).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename=[\w.-]+\.csv$/);
      expect(res.text.startsWith('\uFEFF')).toBe(true);
      return res.text.slice(1).trimEnd().split('\r\n');
    };

    it('invoices: a header row, issued invoices of the range by issue date, amounts in the currency exponent (EUR 2 decimals, JPY none)', async () => {
      const lines = await csvOf('/api/v1/exports/invoices.csv?from=2026-03-01&to=2026-03-31');
      expect(lines[0]).toBe('number,kind,status,issue_date,due_date,client,bill_to_name,bill_to_tax_id,po_number,currency,subtotal,tax,total,deposits_deducted,credited,paid,balance');
      expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['INV-2026-0001', 'INV-2026-0002', 'INV-2026-0100']);
      expect(lines[2]).toBe(`INV-2026-0002,invoice,partially_paid,2026-03-10,2026-04-09,${NON_LATIN_CLIENT},${NON_LATIN_CLIENT},RU7701234567,PO-77,EUR,553.33,101.10,654.43,360.00,60.00,100.00,134.43`);
      expect(lines[3]).toMatch(/^INV-2026-0100,invoice,sent,2026-03-11,,Tokyo client,Tokyo client,,,JPY,45000,4500,49500,0,0,0,49500$/);
    });

    it('date range filters: both ends inclusive, either optional', async () => {
      expect((await csvOf('/api/v1/exports/invoices.csv?from=2026-03-10&to=2026-03-10')).slice(1).map((l) => l.split(',')[0])).toEqual(['INV-2026-0002']);
      expect((await csvOf('/api/v1/exports/invoices.csv?to=2026-03-09')).slice(1).map((l) => l.split(',')[0])).toEqual(['INV-2026-0001']);
      expect((await csvOf('/api/v1/exports/invoices.csv?from=2026-04-01')).length).toBe(1);
      expect((await csvOf('/api/v1/exports/payments.csv?from=2026-03-03')).slice(1)).toEqual([`2026-03-15,INV-2026-0002,${NON_LATIN_CLIENT},bank_transfer,VIR-9,EUR,100.00,0.00,no`]);
      expect(await csvOf('/api/v1/exports/credit-notes.csv?from=2026-03-01&to=2026-03-31')).toEqual([
        'number,status,issue_date,credited_invoice,client,bill_to_name,bill_to_tax_id,currency,subtotal,tax,total,notes',
        `CN-2026-0001,sent,2026-03-20,INV-2026-0002,${NON_LATIN_CLIENT},${NON_LATIN_CLIENT},RU7701234567,EUR,50.00,10.00,60.00,`,
      ]);
    });

    it("formula injection is neutralised in every export: cells starting with = + - @ are prefixed with '", async () => {
      const evil = '=HYPERLINK("http://evil.test","Click")';
      const client = await insertClient(db, { name: evil });
      const id = await insertInvoice(db, { clientId: client, number: 'INV-2026-0200', issueDate: '2026-05-01', poNumber: '+SUM(A1:A9)', lines: [{ description: 'x', quantity: '1', unitPriceMinor: 100, taxRatePercent: '0' }] });
      await insertPayment(db, { invoiceId: id, amountMinor: 50, receivedOn: '2026-05-02', reference: '@cmd' });
      await insertInvoice(db, { clientId: client, kind: 'credit_note', number: 'CN-2026-0200', issueDate: '2026-05-03', creditedInvoiceId: id, notes: '-2+3', lines: [{ description: 'y', quantity: '1', unitPriceMinor: 10, taxRatePercent: '0' }] });
      const quoted = `"'=HYPERLINK(""http://evil.test"",""Click"")"`;
      const [, invoice] = await csvOf('/api/v1/exports/invoices.csv?from=2026-05-01');
      expect(invoice).toContain(`,${quoted},${quoted},`);
      expect(invoice).toContain(",'+SUM(A1:A9),");
      const [, payment] = await csvOf('/api/v1/exports/payments.csv?from=2026-05-01');
      expect(payment).toBe(`2026-05-02,INV-2026-0200,${quoted},bank_transfer,'@cmd,EUR,0.50,0.00,no`);
      const [, credit] = await csvOf('/api/v1/exports/credit-notes.csv?from=2026-05-01');
      expect(credit.endsWith(",'-2+3")).toBe(true);
      expect(credit).toContain(quoted);
    });

    it("another studio's rows never appear", async () => {
      const lines = await csvOf('/api/v1/exports/invoices.csv');
      expect(lines.some((l) => l.startsWith('B-0001'))).toBe(false);
      const own = (await t.http().get('/api/v1/exports/invoices.csv').set('cookie', b.cookie).expect(200)).text.slice(1).trimEnd().split('\r\n');
      expect(own.slice(1).map((l) => l.split(',')[0])).toEqual(['B-0001']);
    });
  });

  it('bad input on every endpoint is a 400 problem naming the field (bad dates, from after to, bad ids)', async () => {
    const cases: Array<[string, string]> = [];
    for (const base of ['/api/v1/exports/invoices.csv', '/api/v1/exports/payments.csv', '/api/v1/exports/credit-notes.csv', `/api/v1/clients/${seeded.clientId}/statement.pdf`]) {
      cases.push([`${base}?from=2026-02-30`, 'from'], [`${base}?to=2026-13-01`, 'to'], [`${base}?from=yesterday`, 'from'], [`${base}?from=2026-03-10&to=2026-03-09`, 'to'], [`${base}?tenant=x`, 'tenant']);
    }
    cases.push(['/api/v1/invoices/not-a-uuid/pdf', 'id'], ['/api/v1/clients/not-a-uuid/statement.pdf', 'id'], [`/api/v1/clients/${seeded.clientId}/statement.pdf?from=2999-01-01`, 'from']);
    for (const [url, field] of cases) {
      const res = await t.http().get(url).set('cookie', a.cookie);
      expect({ url, status: res.status, type: res.headers['content-type'], fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
        url,
        status: 400,
        type: expect.stringMatching(/^application\/problem\+json/),
        fields: [field],
      });
    }
  });
});
