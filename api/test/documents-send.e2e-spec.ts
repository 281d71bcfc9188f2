import type pg from 'pg';
import { insertClient, insertInvoice, NON_LATIN_CLIENT, seedDocuments } from './support/document-fixtures.js';
import { compact, pdfText } from './support/pdf-text.js';
import { SmtpSink } from './support/smtp-sink.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/** Issue 11, documents: POST /invoices/{id}/send through a real SMTP server, with Idempotency-Key. */
describe('sending an invoice by email (issue 11)', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let a: Awaited<ReturnType<typeof registerStudio>>;
  let b: Awaited<ReturnType<typeof registerStudio>>;
  let db: pg.Client;
  let seeded: Awaited<ReturnType<typeof seedDocuments>>;

  const send = (id: string, body: object, key?: string, cookie = a.cookie) => {
    const req = t.http().post(`/api/v1/invoices/${id}/send`).set('cookie', cookie);
    return (key ? req.set('idempotency-key', key) : req).send(body);
  };
  /** What a send writes: the invoice's sentAt, outbox events, audit entries and idempotency keys. */
  const written = async (id: string) => ({
    sentAt: (await db.query(`SELECT sent_at FROM invoices WHERE id = $1`, [id])).rows[0].sent_at,
    events: (await db.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'invoice.sent' AND subject_id = $1`, [id])).rows[0].n,
    audit: (await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'invoice.sent' AND target_id = $1`, [id])).rows[0].n,
    keys: (await db.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE scope = $1`, [`invoice.send:${id}`])).rows[0].n,
  });

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url });
    a = await registerStudio(t, 'Send A');
    b = await registerStudio(t, 'Send B');
    db = await connectTenantDatabase(t, a.organizationId);
    seeded = await seedDocuments(db);
  });
  afterAll(async () => {
    await db.end();
    await t.close();
    await sink.close();
  });

  it("mails the PDF to the bill-to address by default, sets sentAt and records invoice.sent (outbox and audit)", async () => {
    const res = await send(seeded.invoiceId, { message: 'Hello Dmitri,\nhere is the balance.' }).expect(200);
    expect(res.body.to).toEqual(['dmitri@client.test']);
    const mail = await sink.waitFor('dmitri@client.test', { subject: /INV-2026-0002/ });
    expect(mail.subject).toBe('Invoice INV-2026-0002 from Ωmega Sound SARL');
    expect(mail.text).toContain('Hello Dmitri,\nhere is the balance.');
    expect(mail.text).toContain('Amount due: EUR 134.43, by 2026-04-09.');
    expect(mail.replyTo?.text).toBe('billing@omega.test');
    expect(mail.attachments).toHaveLength(1);
    const [pdf] = mail.attachments;
    expect([pdf.filename, pdf.contentType]).toEqual(['INV-2026-0002.pdf', 'application/pdf']);
    expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(compact((await pdfText(pdf.content)).join(' '))).toContain(compact(NON_LATIN_CLIENT));

    const after = await written(seeded.invoiceId);
    expect(new Date(after.sentAt).toISOString()).toBe(res.body.sentAt);
    expect([after.events, after.audit]).toEqual([1, 1]);
    const [event] = (await db.query(`SELECT subject_type, payload FROM outbox WHERE type = 'invoice.sent' AND subject_id = $1`, [seeded.invoiceId])).rows;
    expect(event).toEqual({ subject_type: 'invoice', payload: { number: 'INV-2026-0002', to: ['dmitri@client.test'], cc: [] } });
  });

  it('sends to the given addresses and copies', async () => {
    await send(seeded.creditNoteId, { to: ['accounts@client.test', 'boss@client.test'], cc: ['studio-copy@omega.test'] }).expect(200);
    const mail = await sink.waitFor('accounts@client.test', { subject: /CN-2026-0001/ });
    expect(sink.messagesTo('boss@client.test')).toHaveLength(1);
    expect(sink.messagesTo('studio-copy@omega.test')).toHaveLength(1);
    expect(mail.subject).toBe('Credit note CN-2026-0001 from Ωmega Sound SARL');
    expect(mail.attachments[0].filename).toBe('CN-2026-0001.pdf');
  });

  it('the same Idempotency-Key retried, also 3 at once, mails exactly once and answers the same', async () => {
    const to = ['retry@client.test'];
    const first = await send(seeded.depositId, { to }, 'send-key-1').expect(200);
    const again = await send(seeded.depositId, { to }, 'send-key-1').expect(200);
    expect(again.body).toEqual(first.body);

    const concurrent = await Promise.all([1, 2, 3].map(() => send(seeded.depositId, { to: ['race@client.test'] }, 'send-key-2')));
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200]);
    for (const r of concurrent) expect(r.body).toEqual(concurrent[0].body);
    await sink.waitFor('race@client.test');
    // Another key is another send: the mail goes again.
    await send(seeded.depositId, { to }, 'send-key-3').expect(200);
    await sink.waitFor('retry@client.test', { seen: 1 });

    expect(sink.messagesTo('retry@client.test')).toHaveLength(2);
    expect(sink.messagesTo('race@client.test')).toHaveLength(1);
    const after = await written(seeded.depositId);
    expect([after.events, after.audit, after.keys]).toEqual([3, 3, 3]);
    // The same key with another body is refused, and sends nothing.
    const reused = await send(seeded.depositId, { to: ['other@client.test'] }, 'send-key-1').expect(422);
    expect(reused.body.type).toMatch(/idempotency-key-reused$/);
    expect(sink.messagesTo('other@client.test')).toHaveLength(0);
  });

  it('a draft is a 409 invoice-not-finalized; no address is a 400; bad input is a 400 naming the field; nothing is written or mailed', async () => {
    const noEmail = await insertClient(db, { name: 'No email client' });
    const noAddress = await insertInvoice(db, { clientId: noEmail, number: 'INV-2026-0300', issueDate: '2026-03-12', lines: [{ description: 'x', quantity: '1', unitPriceMinor: 100, taxRatePercent: '0' }] });
    const before = { draft: await written(seeded.draftId), noAddress: await written(noAddress), invoice: await written(seeded.invoiceId) };
    const mails = sink.received.length;

    const draft = await send(seeded.draftId, { to: ['x@client.test'] }, 'draft-key').expect(409);
    expect(draft.body.type).toMatch(/invoice-not-finalized$/);
    const none = await send(noAddress, {}, 'none-key').expect(400);
    expect(none.body.errors.map((e: { field: string }) => e.field)).toEqual(['to']);

    const bad: Array<[object, string, string?]> = [
      [{ to: ['not-an-email'] }, 'to'],
      [{ to: [] }, 'to'],
      [{ to: 'dmitri@client.test' }, 'to'],
      [{ cc: ['also bad'] }, 'cc'],
      [{ message: 'x'.repeat(5001) }, 'message'],
      [{ to: Array.from({ length: 21 }, (_, i) => `r${i}@client.test`) }, 'to'],
      [{ subject: 'unknown field' }, 'subject'],
    ];
    for (const [body, field] of bad) {
      const res = await send(seeded.invoiceId, body, 'bad-key');
      expect({ body, status: res.status, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({ body, status: 400, fields: [field] });
    }
    const badKey = await send(seeded.invoiceId, {}, 'with space').expect(400);
    expect(badKey.body.type).toMatch(/invalid-idempotency-key$/);
    await t.http().post('/api/v1/invoices/not-a-uuid/send').set('cookie', a.cookie).send({}).expect(400);

    expect({ draft: await written(seeded.draftId), noAddress: await written(noAddress), invoice: await written(seeded.invoiceId) }).toEqual(before);
    expect(sink.received.length).toBe(mails);
  });

  it("another studio's invoice is a 404 and nothing is sent", async () => {
    const mails = sink.received.length;
    const res = await send(seeded.invoiceId, { to: ['intruder@client.test'] }, 'cross-key', b.cookie).expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(sink.received.length).toBe(mails);
  });
});
