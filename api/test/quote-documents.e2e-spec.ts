import type pg from 'pg';
import { TINY_PNG } from './support/document-fixtures.js';
import { taxRate } from './support/invoice-fixtures.js';
import { compact, pdfText } from './support/pdf-text.js';
import { quoteRows } from './support/quote-fixtures.js';
import { SmtpSink } from './support/smtp-sink.js';
import { addMemberWithSession } from './support/studio-members.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

const CLIENT = 'Дмитрий Ωμέγα Łódź';
const FUTURE = '2099-12-31';

/**
 * Issue 11, quotes-web: GET /quotes/{id}/pdf and POST /quotes/{id}/send (number + the email with the
 * PDF, Idempotency-Key honoured as invoice send does) through a real SMTP server.
 */
describe('quote PDF and sending a quote by email (issue 11)', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let a: Awaited<ReturnType<typeof registerStudio>>;
  let b: Awaited<ReturnType<typeof registerStudio>>;
  let db: pg.Client;
  let clientId: string;
  let noEmailClient: string;
  let vat20: string;
  let vat55: string;

  const api = (cookie = a.cookie) => ({
    post: (url: string) => t.http().post(url).set('cookie', cookie),
    get: (url: string) => t.http().get(url).set('cookie', cookie),
  });
  const send = (id: string, body: object, key?: string, cookie = a.cookie) => {
    const req = api(cookie).post(`/api/v1/quotes/${id}/send`);
    return (key ? req.set('idempotency-key', key) : req).send(body);
  };
  /** 3 hours at 50.00 + 20 %, a 25.00 mic at 5.5 % less 5.00: net 170.00, tax 31.10, total 201.10. */
  const draft = async (extra: object = {}, client = clientId) =>
    (
      await api()
        .post('/api/v1/quotes')
        .send({
          clientId: client,
          validUntil: FUTURE,
          notes: 'Album pre-production',
          lines: [
            { description: 'Tracking, Studio A', quantity: '3', unit: 'hour', unitPriceMinor: 5000, taxRateId: vat20 },
            { description: 'Микрофон U87', quantity: '1', unitPriceMinor: 2500, discountMinor: 500, taxRateId: vat55 },
          ],
          ...extra,
        })
        .expect(201)
    ).body as { id: string; totalMinor: number };
  const pdfOf = async (id: string) => {
    // supertest buffers only text and JSON by itself: collect the bytes.
    return api()
      .get(`/api/v1/quotes/${id}/pdf`)
      .buffer(true)
      .parse(((r: NodeJS.ReadableStream, done: (err: Error | null, body: Buffer) => void) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      }) as never);
  };

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url });
    a = await registerStudio(t, 'Quote docs A');
    b = await registerStudio(t, 'Quote docs B');
    db = await connectTenantDatabase(t, a.organizationId);
    await db.query(
      `UPDATE billing_settings SET legal_name = 'Ωmega Sound SARL', address = '12 rue du Son', tax_id = 'FR40123456789', email = 'billing@omega.test',
              default_terms = 'Prices hold until the date above.', logo = $1, logo_content_type = 'image/png'`,
      [TINY_PNG],
    );
    vat20 = await taxRate(db, { ratePercent: '20' });
    vat55 = await taxRate(db, { ratePercent: '5.5' });
    clientId = (await api().post('/api/v1/clients').send({ name: CLIENT, email: 'dmitri@client.test', billingAddress: 'ул. Тверская 1', taxId: 'RU7701234567' }).expect(201)).body.id;
    noEmailClient = (await api().post('/api/v1/clients').send({ name: 'No email' }).expect(201)).body.id;
  });
  afterAll(async () => {
    await db.end();
    await t?.close();
    await sink.close();
  });

  it('the PDF of a draft says Draft (no number), the studio, the client (non-Latin), the lines, totals by rate and the deposit asked', async () => {
    const q = await draft({ deposit: { percent: '30' } });
    const res = await pdfOf(q.id);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`inline; filename=quote-draft-${q.id}.pdf`);
    const text = compact((await pdfText(res.body as Buffer)).join(' '));
    for (const expected of [
      'Ωmega Sound SARL',
      'Tax ID: FR40123456789',
      'Quote',
      CLIENT,
      'ул. Тверская 1',
      'Draft (no number yet)',
      `Valid until ${FUTURE}`,
      'Микрофон U87',
      'Tax 20 % on EUR 150.00 EUR 30.00',
      'Tax 5.5 % on EUR 20.00 EUR 1.10',
      'Total EUR 201.10',
      'Deposit (30 % of the total) EUR 60.33',
      'Balance on completion EUR 140.77',
      'Album pre-production',
      'Prices hold until the date above.',
      'DRAFT',
    ]) {
      expect(text).toContain(compact(expected));
    }
  });

  it("sending numbers the quote and mails its PDF to the client (one action); the PDF then carries the number; another studio's quote is a 404", async () => {
    const q = await draft({ deposit: { amountMinor: 5000 } });
    const sent = (await send(q.id, { message: 'Hello Dmitri,\nour offer.' }).expect(200)).body;
    expect(sent).toMatchObject({ status: 'sent', number: expect.stringMatching(/^Q-\d{4}-\d{4}$/) });
    const mail = await sink.waitFor('dmitri@client.test', { subject: new RegExp(sent.number) });
    expect(mail.subject).toBe(`Quote ${sent.number} from Ωmega Sound SARL`);
    expect(mail.text).toContain('Hello Dmitri,\nour offer.');
    expect(mail.text).toContain(`Total: EUR 201.10, valid until ${FUTURE}.`);
    expect(mail.text).toContain('On acceptance, a deposit of EUR 50.00 is invoiced.');
    expect(mail.replyTo?.text).toBe('billing@omega.test');
    expect(mail.attachments.map((x) => [x.filename, x.contentType])).toEqual([[`${sent.number}.pdf`, 'application/pdf']]);
    const attached = compact((await pdfText(mail.attachments[0].content)).join(' '));
    expect(attached).toContain(compact(`Number ${sent.number}`));
    expect(attached).toContain(compact('Deposit EUR 50.00'));
    expect(attached).not.toContain('DRAFT');

    const [event] = (await db.query(`SELECT payload FROM outbox WHERE type = 'quote.sent' AND subject_id = $1`, [q.id])).rows;
    expect(event.payload).toEqual({ number: sent.number, to: ['dmitri@client.test'], cc: [], totalMinor: 20110 });
    const served = await pdfOf(q.id);
    expect(served.headers['content-disposition']).toBe(`inline; filename=${sent.number}.pdf`);

    await api(b.cookie).get(`/api/v1/quotes/${q.id}/pdf`).expect(404);
    const bSend = await send(q.id, { to: ['b@client.test'] }, undefined, b.cookie).expect(404);
    expect(bSend.body.type).toMatch(/not-found$/);
  });

  it('the same Idempotency-Key retried, also 3 at once, mails exactly once, takes one number and answers the same', async () => {
    const q = await draft();
    const concurrent = await Promise.all([1, 2, 3].map(() => send(q.id, { to: ['race@client.test'], cc: ['copy@omega.test'] }, 'quote-key-1')));
    // One mails; a retry that arrives while it mails is told to come back (409 idempotency-key-in-use), one after it gets its answer.
    const answered = concurrent.filter((r) => r.status === 200);
    expect(answered.length).toBeGreaterThanOrEqual(1);
    for (const r of concurrent.filter((x) => x.status !== 200)) expect([r.status, r.body.type]).toEqual([409, 'https://rsm.dev/problems/idempotency-key-in-use']);
    for (const r of answered) expect(r.body).toEqual(answered[0].body);
    await sink.waitFor('race@client.test');
    const again = await send(q.id, { to: ['race@client.test'], cc: ['copy@omega.test'] }, 'quote-key-1').expect(200);
    expect(again.body).toEqual(answered[0].body);
    expect(sink.messagesTo('race@client.test')).toHaveLength(1);
    expect(sink.messagesTo('copy@omega.test')).toHaveLength(1);
    expect((await db.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'quote.sent' AND subject_id = $1`, [q.id])).rows[0].n).toBe(1);
    // Another key is another send: the quote is no longer a draft.
    expect((await send(q.id, { to: ['race@client.test'] }, 'quote-key-2').expect(409)).body.type).toMatch(/quote-not-draft$/);
  });

  it('a refused mail (502) keeps the number it took but records no send; sending again mails that number; the next quote takes the next number', async () => {
    const q = await draft();
    const hold = sink.holdNext();
    const sending = send(q.id, { to: ['refused@client.test'] }, 'refused-quote-key').then((r) => r);
    await hold.arrived;
    // While the mail server is slow, nothing waits on it: another quote is numbered and mailed meanwhile
    // (the sequence is free), this one reads, and a send with another key is told it is being mailed.
    const other = await draft();
    const otherSent = (await send(other.id, { to: ['other@client.test'] }).expect(200)).body;
    await api().get(`/api/v1/quotes/${q.id}`).expect(200);
    expect((await send(q.id, { to: ['refused@client.test'] }, 'meanwhile-key').expect(409)).body.type).toMatch(/quote-mail-in-progress$/);
    hold.refuse();
    const refused = await sending;
    expect([refused.status, refused.body.type]).toEqual([502, 'https://rsm.dev/problems/mail-not-sent']);
    const numbered = (await api().get(`/api/v1/quotes/${q.id}`).expect(200)).body;
    expect(numbered).toMatchObject({ status: 'sent', number: expect.stringMatching(/^Q-/), sentAt: null });
    expect(Number(otherSent.number.slice(-4))).toBe(Number(numbered.number.slice(-4)) + 1);
    expect((await db.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'quote.sent' AND subject_id = $1`, [q.id])).rows[0].n).toBe(0);

    const again = (await send(q.id, { to: ['refused@client.test'] }, 'refused-quote-key').expect(200)).body;
    expect(again).toMatchObject({ number: numbered.number, sentAt: expect.any(String) });
    expect(sink.messagesTo('refused@client.test')).toHaveLength(1);
    expect((await db.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'quote.sent' AND subject_id = $1`, [q.id])).rows[0].n).toBe(1);
    expect((await send(q.id, { to: ['refused@client.test'] }, 'another-key').expect(409)).body.type).toMatch(/quote-not-draft$/);
  });

  it('concurrent sends with different keys: one mails (one number, one mail), the others are 409 quote-mail-in-progress or quote-not-draft', async () => {
    const q = await draft();
    const before = (await db.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'quote.sent'`)).rows[0].n as number;
    const results = await Promise.all(['k-a', 'k-b', 'k-c'].map((key) => send(q.id, { to: ['lock@client.test'] }, key)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.type).toMatch(/quote-(mail-in-progress|not-draft)$/);
    await sink.waitFor('lock@client.test');
    expect(sink.messagesTo('lock@client.test')).toHaveLength(1);
    expect((await db.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'quote.sent'`)).rows[0].n).toBe(before + 1);
  });

  it('no address, bad input, an empty quote or a bad key → 4xx problem, no number taken, nothing written or mailed', async () => {
    const noAddress = await draft({}, noEmailClient);
    const empty = (await api().post('/api/v1/quotes').send({ clientId, validUntil: FUTURE }).expect(201)).body.id as string;
    const ok = await draft();
    const before = await quoteRows(db);
    const mails = sink.received.length;

    const none = await send(noAddress.id, {}, 'none-key').expect(400);
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(none.body.errors.map((e: { field: string }) => e.field)).toEqual(['to']);
    expect((await send(empty, { to: ['x@client.test'] }).expect(409)).body.type).toMatch(/quote-empty$/);
    const bad: Array<[object, string]> = [
      [{ to: ['not-an-email'] }, 'to'],
      [{ to: [] }, 'to'],
      [{ cc: ['also bad'] }, 'cc'],
      [{ message: 'x'.repeat(5001) }, 'message'],
      [{ subject: 'unknown field' }, 'subject'],
    ];
    for (const [body, field] of bad) {
      const res = await send(ok.id, body, 'bad-key');
      expect({ body, status: res.status, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({ body, status: 400, fields: [field] });
    }
    expect((await send(ok.id, {}, 'with space').expect(400)).body.type).toMatch(/invalid-idempotency-key$/);
    await api().post('/api/v1/quotes/not-a-uuid/send').send({}).expect(400);
    await api().get('/api/v1/quotes/not-a-uuid/pdf').expect(400);

    expect(await quoteRows(db)).toEqual(before);
    expect(sink.received.length).toBe(mails);
  });

  it('an engineer or a viewer is refused (403) the PDF and sending; nothing is sent', async () => {
    const q = await draft();
    const mails = sink.received.length;
    for (const role of ['engineer', 'viewer'] as const) {
      const member = await addMemberWithSession(t, a.organizationId, role);
      await api(member.cookie).get(`/api/v1/quotes/${q.id}/pdf`).expect(403);
      await send(q.id, {}, undefined, member.cookie).expect(403);
    }
    expect((await api().get(`/api/v1/quotes/${q.id}`).expect(200)).body.status).toBe('draft');
    expect(sink.received.length).toBe(mails);
  });
});
