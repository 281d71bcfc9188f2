import type pg from 'pg';
import { insertClient, insertInvoice, NON_LATIN_CLIENT, seedDocuments } from './support/document-fixtures.js';
import { compact, pdfText } from './support/pdf-text.js';
import { SmtpSink } from './support/smtp-sink.js';
import { addMemberWithSession } from './support/studio-members.js';
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
    await t?.close();
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

    // Three at once: one mails; each other one either replays its answer or, while it is still mailing, is a 409 to retry.
    const concurrent = await Promise.all([1, 2, 3].map(() => send(seeded.depositId, { to: ['race@client.test'] }, 'send-key-2')));
    const answered = concurrent.filter((r) => r.status === 200);
    expect(answered.length).toBeGreaterThanOrEqual(1);
    for (const r of answered) expect(r.body).toEqual(answered[0].body);
    for (const r of concurrent.filter((c) => c.status !== 200)) expect([r.status, r.body.type]).toEqual([409, 'https://rsm.dev/problems/idempotency-key-in-use']);
    expect((await send(seeded.depositId, { to: ['race@client.test'] }, 'send-key-2').expect(200)).body).toEqual(answered[0].body);
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

  it('the mail leaves after the commit: while it is in flight the invoice is not locked; a retry meanwhile is a 409, after it a replay', async () => {
    const to = ['slow@client.test'];
    const hold = sink.holdNext();
    const sending = send(seeded.invoiceId, { to }, 'slow-key').then((r) => r); // supertest sends once awaited: start it now
    await hold.arrived;
    // From an outside connection: the invoice row can be locked at once (a payment or a webhook would not wait on the mail).
    await db.query('BEGIN');
    await db.query(`SELECT id FROM invoices WHERE id = $1 FOR UPDATE NOWAIT`, [seeded.invoiceId]);
    await db.query('ROLLBACK');
    expect((await send(seeded.invoiceId, { to }, 'slow-key').expect(409)).body.type).toMatch(/idempotency-key-in-use$/);
    hold.release();
    const first = await sending;
    expect(first.status).toBe(200);
    expect((await send(seeded.invoiceId, { to }, 'slow-key').expect(200)).body).toEqual(first.body);
    expect(sink.messagesTo('slow@client.test')).toHaveLength(1);
  });

  it('a refused mail records nothing and frees the key: the retry with the same key sends (502 mail-not-sent first)', async () => {
    const to = ['refused@client.test'];
    const before = await written(seeded.invoiceId);
    const hold = sink.holdNext();
    const sending = send(seeded.invoiceId, { to }, 'refused-key').then((r) => r);
    await hold.arrived;
    hold.refuse();
    const refused = await sending;
    expect([refused.status, refused.body.type]).toEqual([502, 'https://rsm.dev/problems/mail-not-sent']);
    expect(await written(seeded.invoiceId)).toEqual(before);
    await send(seeded.invoiceId, { to }, 'refused-key').expect(200);
    expect(sink.messagesTo('refused@client.test')).toHaveLength(1);
    const after = await written(seeded.invoiceId);
    expect([after.events, after.audit, after.keys]).toEqual([before.events + 1, before.audit + 1, before.keys + 1]);
  });

  it('a claim abandoned mid-send (the process died) is taken over once it is old enough', async () => {
    const to = ['abandoned@client.test'];
    const hash = (await import('node:crypto')).createHash('sha256').update(JSON.stringify({ to })).digest('hex');
    await db.query(`INSERT INTO idempotency_keys (scope, key, request_hash, status_code) VALUES ($1, 'abandoned-key', $2, 0)`, [`invoice.send:${seeded.invoiceId}`, hash]);
    await send(seeded.invoiceId, { to }, 'abandoned-key').expect(409);
    await db.query(`UPDATE idempotency_keys SET created_at = now() - interval '16 minutes' WHERE key = 'abandoned-key'`);
    await send(seeded.invoiceId, { to }, 'abandoned-key').expect(200);
    expect(sink.messagesTo('abandoned@client.test')).toHaveLength(1);
  });

  it('a void invoice is not mailed: 409 invoice-void, nothing written or sent', async () => {
    const voided = await insertInvoice(db, { clientId: seeded.clientId, number: 'INV-2026-0301', issueDate: '2026-03-12', status: 'void', lines: [{ description: 'x', quantity: '1', unitPriceMinor: 100, taxRatePercent: '0' }] });
    const before = await written(voided);
    const mails = sink.received.length;
    expect((await send(voided, { to: ['void@client.test'] }, 'void-key').expect(409)).body.type).toMatch(/invoice-void$/);
    expect(await written(voided)).toEqual(before);
    expect(sink.received.length).toBe(mails);
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

  it('money documents are for admins: an engineer or a viewer is refused (403) on every documents route, and nothing is sent', async () => {
    const mails = sink.received.length;
    for (const role of ['viewer', 'engineer'] as const) {
      const { cookie } = await addMemberWithSession(t, a.organizationId, role);
      await t.http().get(`/api/v1/invoices/${seeded.invoiceId}/pdf`).set('cookie', cookie).expect(403);
      await t.http().get(`/api/v1/clients/${seeded.clientId}/statement.pdf`).set('cookie', cookie).expect(403);
      await t.http().get('/api/v1/exports/invoices.csv').set('cookie', cookie).expect(403);
      await send(seeded.invoiceId, { to: ['engineer@client.test'] }, undefined, cookie).expect(403);
    }
    const admin = await addMemberWithSession(t, a.organizationId, 'admin');
    await t.http().get(`/api/v1/invoices/${seeded.invoiceId}/pdf`).set('cookie', admin.cookie).expect(200);
    expect(sink.received.length).toBe(mails);
  });

  it("another studio's invoice is a 404 and nothing is sent", async () => {
    const mails = sink.received.length;
    const res = await send(seeded.invoiceId, { to: ['intruder@client.test'] }, 'cross-key', b.cookie).expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(sink.received.length).toBe(mails);
  });
});
