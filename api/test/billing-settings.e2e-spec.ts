import type pg from 'pg';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]), Buffer.alloc(64), Buffer.from([0xff, 0xd9])]);

/** Issue 11, settlements: billing settings (formats, IBAN, next-number preview) and the logo. */
describe('billing settings', () => {
  let t: TestApp;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  let db: pg.Client;

  beforeAll(async () => {
    t = await createTestApp();
    studio = await registerStudio(t, 'Billing');
    db = await connectTenantDatabase(t, studio.organizationId);
  });
  afterAll(async () => {
    await db.end();
    await t?.close();
  });

  const get = async () => (await t.http().get('/api/v1/billing-settings').set('cookie', studio.cookie).expect(200)).body;
  const patch = (body: Record<string, unknown>) => t.http().patch('/api/v1/billing-settings').set('cookie', studio.cookie).send(body);
  const row = async () => (await db.query(`SELECT to_jsonb(b) - 'logo' - 'updated_at' AS row, octet_length(logo) AS logo FROM billing_settings b`)).rows[0];
  const year = String(new Date().getUTCFullYear());

  it('reads the defaults, with a preview of the next numbers that consumes nothing', async () => {
    const settings = await get();
    expect(settings).toMatchObject({ invoiceNumberFormat: 'INV-{YYYY}-{seq:4}', numberReset: 'yearly', paymentTermsDays: 30, lateNoticeDays: [7, 14, 30], hasLogo: false, iban: null });
    expect(settings.nextNumbers).toEqual({ invoice: `INV-${year}-0001`, creditNote: `CN-${year}-0001`, quote: `Q-${year}-0001` });
    await get();
    expect((await db.query(`SELECT count(*)::int AS n FROM document_sequences`)).rows[0].n).toBe(0);
    // With a sequence at 41 the preview says 42, and reading it twice leaves 41.
    await db.query(`INSERT INTO document_sequences (kind, period, last_value) VALUES ('invoice', $1, 41)`, [year]);
    expect((await get()).nextNumbers.invoice).toBe(`INV-${year}-0042`);
    expect((await get()).nextNumbers.invoice).toBe(`INV-${year}-0042`);
    expect((await db.query(`SELECT last_value FROM document_sequences WHERE kind = 'invoice'`)).rows[0].last_value).toBe(41);
  });

  it('changes only the fields sent; IBAN and BIC are stored compact; the preview follows the format', async () => {
    const res = await patch({ legalName: 'Owl Studio SARL', iban: 'fr14 2004 1010 0505 0001 3m02 606', bic: 'psst fr pp par', invoiceNumberFormat: 'F{YY}{MM}-{seq:3}', lateNoticeDays: [30, 7] }).expect(200);
    expect(res.body).toMatchObject({ legalName: 'Owl Studio SARL', iban: 'FR1420041010050500013M02606', bic: 'PSSTFRPPPAR', lateNoticeDays: [7, 30], paymentTermsDays: 30 });
    const month = new Date().toISOString().slice(5, 7); // the studio's time zone is UTC
    expect(res.body.nextNumbers.invoice).toBe(`F${year.slice(2)}${month}-042`);
    await patch({ iban: null }).expect(200);
    expect((await get()).iban).toBeNull();
  });

  it.each([
    [{ invoiceNumberFormat: 'INV-{YYYY}' }, 'invoiceNumberFormat'],
    [{ creditNoteNumberFormat: 'CN-{seq}-{seq}' }, 'creditNoteNumberFormat'],
    [{ quoteNumberFormat: 'Q-{seq}' }, 'quoteNumberFormat'], // yearly reset needs a year
    [{ invoiceNumberFormat: 'INV-{DD}-{YYYY}-{seq}' }, 'invoiceNumberFormat'],
    [{ invoiceNumberFormat: 'INV<{YYYY}>{seq}' }, 'invoiceNumberFormat'],
    [{ invoiceNumberFormat: 'CN-{YYYY}-{seq:4}' }, 'invoiceNumberFormat'], // the credit notes' format: numbers would collide
    [{ invoiceNumberFormat: 'x'.repeat(41) }, 'invoiceNumberFormat'],
    [{ numberReset: 'monthly' }, 'numberReset'],
    [{ iban: 'FR1420041010050500013M02607' }, 'iban'], // one check digit off
    [{ iban: 'GB82WEST12345698765433' }, 'iban'],
    [{ bic: 'NOTABIC' }, 'bic'],
    [{ email: 'not-an-email' }, 'email'],
    [{ paymentTermsDays: 366 }, 'paymentTermsDays'],
    [{ paymentTermsDays: -1 }, 'paymentTermsDays'],
    [{ lateNoticeDays: [7, 7] }, 'lateNoticeDays'],
    [{ lateNoticeDays: [0] }, 'lateNoticeDays'],
    [{ lateNoticeDays: ['7'] }, 'lateNoticeDays'],
    [{ lateNoticeDays: Array.from({ length: 11 }, (_, i) => i + 1) }, 'lateNoticeDays'],
    [{ hasLogo: true }, 'hasLogo'],
  ])('PATCH %j is a 400 naming %s and changes nothing', async (body, field) => {
    const before = await row();
    const res = await patch(body).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    expect(await row()).toEqual(before);
  });

  it('a reset change that breaks a stored format names numberReset; sent with a fitting format it is accepted', async () => {
    await db.query(`DELETE FROM document_sequences`); // nothing numbered yet: the reset rule may still change
    await patch({ numberReset: 'never', quoteNumberFormat: 'Q-{seq:5}' }).expect(200);
    const before = await row();
    const res = await patch({ numberReset: 'yearly' }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['numberReset']);
    expect(await row()).toEqual(before);
    await patch({ numberReset: 'yearly', quoteNumberFormat: 'Q-{YYYY}-{seq:5}' }).expect(200);
  });

  it('once a document is numbered the reset rule is fixed (its sequences would restart at 1 and repeat numbers): 409, nothing changed', async () => {
    const other = await registerStudio(t, 'Numbered');
    const otherDb = await connectTenantDatabase(t, other.organizationId);
    try {
      const patchOther = (body: Record<string, unknown>) => t.http().patch('/api/v1/billing-settings').set('cookie', other.cookie).send(body);
      await patchOther({ numberReset: 'never', invoiceNumberFormat: 'INV-{seq:4}', creditNoteNumberFormat: 'CN-{seq:4}', quoteNumberFormat: 'Q-{seq:4}' }).expect(200);
      await otherDb.query(`INSERT INTO document_sequences (kind, period, last_value) VALUES ('invoice', 'all', 40)`); // 40 invoices issued
      const refused = await patchOther({ numberReset: 'yearly', invoiceNumberFormat: 'INV-{YYYY}-{seq:4}', creditNoteNumberFormat: 'CN-{YYYY}-{seq:4}', quoteNumberFormat: 'Q-{YYYY}-{seq:4}' }).expect(409);
      expect(refused.body.type).toMatch(/numbering-in-use$/);
      expect((await otherDb.query(`SELECT number_reset, invoice_number_format FROM billing_settings`)).rows).toEqual([{ number_reset: 'never', invoice_number_format: 'INV-{seq:4}' }]);
      await patchOther({ invoiceNumberFormat: 'F-{seq:4}' }).expect(200); // a new format is still fine
    } finally {
      await otherDb.end();
    }
  });

  describe('logo', () => {
    const upload = (bytes: Buffer, name: string) => t.http().put('/api/v1/billing-settings/logo').set('cookie', studio.cookie).attach('file', bytes, name);

    it('a PNG is stored and served back; a JPEG replaces it; DELETE removes it', async () => {
      await upload(PNG, 'logo.png').expect(204);
      expect((await get()).hasLogo).toBe(true);
      const served = await t.http().get('/api/v1/billing-settings/logo').set('cookie', studio.cookie).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(served.headers['content-type']).toBe('image/png');
      expect(Buffer.compare(served.body as Buffer, PNG)).toBe(0);
      await upload(JPEG, 'logo.jpg').expect(204);
      expect((await db.query(`SELECT logo_content_type FROM billing_settings`)).rows[0].logo_content_type).toBe('image/jpeg');
      await t.http().delete('/api/v1/billing-settings/logo').set('cookie', studio.cookie).expect(204);
      expect((await get()).hasLogo).toBe(false);
      await t.http().get('/api/v1/billing-settings/logo').set('cookie', studio.cookie).expect(404);
      await t.http().delete('/api/v1/billing-settings/logo').set('cookie', studio.cookie).expect(204);
    });

    it('a text file named .png is a 415, a logo over 512 KB a 413, an empty one a 400: nothing stored', async () => {
      await upload(PNG, 'logo.png').expect(204);
      const before = await row();
      const text = await upload(Buffer.from('just some words, not an image'), 'logo.png').expect(415);
      expect(text.body.type).toBe('https://rsm.dev/problems/unsupported-logo-type');
      const big = await upload(Buffer.concat([PNG, Buffer.alloc(512 * 1024)]), 'big.png').expect(413);
      expect(big.body.type).toBe('https://rsm.dev/problems/logo-too-large');
      await upload(Buffer.alloc(0), 'empty.png').expect(400);
      await t.http().put('/api/v1/billing-settings/logo').set('cookie', studio.cookie).send({ file: 'x' }).expect(400);
      expect(await row()).toEqual(before);
      expect((await row()).logo).toBe(PNG.length);
    });

    it('exactly 512 KB is accepted', async () => {
      await upload(Buffer.concat([PNG, Buffer.alloc(512 * 1024 - PNG.length)]), 'max.png').expect(204);
      expect((await row()).logo).toBe(512 * 1024);
    });
  });

  it('concurrent PATCHes of different fields, queued on the row lock, all stick', async () => {
    const locker = await connectTenantDatabase(t, studio.organizationId);
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM billing_settings WHERE id = 1 FOR UPDATE');
    const changes = [{ legalName: 'Locked Ltd' }, { phone: '555 0100' }, { paymentTermsDays: 14 }, { defaultTerms: 'Net 14' }, { invoiceNumberFormat: 'L-{YYYY}-{seq}' }];
    const pending = changes.map((c) => patch(c).then((r) => r));
    await new Promise((r) => setTimeout(r, 300)); // every PATCH waits on the lock
    await locker.query('COMMIT');
    await locker.end();
    for (const res of await Promise.all(pending)) expect(res.status).toBe(200);
    expect(await get()).toMatchObject(Object.assign({}, ...changes));
  });

  it('a format and a reset rule changed at once are checked against each other: one wins, the stored settings stay usable', async () => {
    await db.query(`DELETE FROM document_sequences`); // nothing numbered yet: the reset rule may still change
    await patch({ numberReset: 'never', invoiceNumberFormat: 'INV-{YYYY}-{seq:4}' }).expect(200);
    const locker = await connectTenantDatabase(t, studio.organizationId);
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM billing_settings WHERE id = 1 FOR UPDATE');
    // Each is valid alone; together they would leave a yearly reset with a format that has no year.
    const pending = [patch({ invoiceNumberFormat: 'N-{seq}' }).then((r) => r), patch({ numberReset: 'yearly' }).then((r) => r)];
    await new Promise((r) => setTimeout(r, 300));
    await locker.query('COMMIT');
    await locker.end();
    const statuses = (await Promise.all(pending)).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 400]);
    const stored = await get();
    expect(stored.numberReset === 'never' || /\{YY/.test(stored.invoiceNumberFormat)).toBe(true);
  });
});
