import { RequestContext } from '../src/common/request-context.js';
import { JobQueue } from '../src/jobs/job-queue.service.js';
import { LATE_NOTICES_STUDIO_QUEUE, LateNoticeJob } from '../src/invoices/late-notice.job.js';
import { bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { draft, finalize, line } from './support/invoice-fixtures.js';
import { SmtpSink } from './support/smtp-sink.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 11: late notices go by email (a real SMTP server) to the bill-to address of issued invoices with
 * a balance, once per lateNoticeDays offset after the due date, each recorded in the outbox.
 */
describe('invoice late notices', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let s: BookingStudio;
  let job: LateNoticeJob;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url, JOBS_ENABLED: 'true' });
    s = await bookingStudio(t, 'Late notices');
    job = t.app.get(LateNoticeJob);
  });
  afterAll(async () => {
    await s.close();
    await t?.close();
    await sink.close();
  });

  const runOn = (day: string) => t.app.get(RequestContext).runForTenant(s.organizationId, () => job.sendDue(new Date(`${day}T12:00:00Z`)));

  it('one notice per offset (7, 14, 30 days after the due date), never twice, none for paid, void or address-less invoices', async () => {
    const clientId = (await s.api.post('/api/v1/clients').send({ name: 'Slow payer', email: 'slow@payer.test' }).expect(201)).body.id;
    const quiet = (await s.api.post('/api/v1/clients').send({ name: 'No email' }).expect(201)).body.id;
    const inv = await finalize(s, (await draft(s, { clientId, lines: [line({ unitPriceMinor: 12345 })], dueDate: '2025-01-31' })).id, { issueDate: '2025-01-01' });
    await finalize(s, (await draft(s, { clientId: quiet, lines: [line()], dueDate: '2025-01-31' })).id, { issueDate: '2025-01-01' });
    const voided = await finalize(s, (await draft(s, { clientId, lines: [line()], dueDate: '2025-01-31' })).id, { issueDate: '2025-01-01' });
    await s.api.post(`/api/v1/invoices/${voided.id}/void`).send({ reason: 'x' }).expect(200);

    expect(await runOn('2025-02-06')).toBe(0); // 6 days late: no offset reached
    expect(await runOn('2025-02-07')).toBe(1);
    const first = await sink.waitFor('slow@payer.test');
    expect(first.subject).toBe(`Reminder: invoice ${inv.number} is overdue`);
    expect(first.text).toContain('123.45 EUR');
    expect(await runOn('2025-02-07')).toBe(0); // run again the same day: nothing new
    expect(await runOn('2025-02-13')).toBe(0);
    expect(await runOn('2025-02-14')).toBe(1);
    expect(await runOn('2025-03-02')).toBe(1); // 30 days
    expect(await runOn('2025-06-01')).toBe(0); // every offset noticed
    expect(sink.messagesTo('slow@payer.test')).toHaveLength(3);
    const events = await s.db.query(`SELECT payload->>'daysLate' AS days FROM outbox WHERE type = 'invoice.late_notice' AND subject_id = $1 ORDER BY id`, [inv.id]);
    expect(events.rows.map((r) => Number(r.days))).toEqual([7, 14, 30]);
    expect((await s.db.query(`SELECT late_notices_sent FROM invoices WHERE id = $1`, [inv.id])).rows[0].late_notices_sent).toBe(3);
    // Concurrent runs of the same day mail each notice once.
    const again = await finalize(s, (await draft(s, { clientId, lines: [line()], dueDate: '2025-01-31' })).id, { issueDate: '2025-01-01' });
    const counts = await Promise.all([runOn('2025-02-08'), runOn('2025-02-08'), runOn('2025-02-08')]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect((await s.db.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'invoice.late_notice' AND subject_id = $1`, [again.id])).rows[0].n).toBe(1);
  });

  it('runs as a pg-boss job for the studio: offsets missed while it did not run are covered by one notice', async () => {
    const clientId = (await s.api.post('/api/v1/clients').send({ name: 'Long gone', email: 'gone@payer.test' }).expect(201)).body.id;
    const inv = await finalize(s, (await draft(s, { clientId, lines: [line()], dueDate: '2021-01-31' })).id, { issueDate: '2021-01-01' });
    await t.app.get(JobQueue).send(LATE_NOTICES_STUDIO_QUEUE, { organizationId: s.organizationId });
    const mail = await sink.waitFor('gone@payer.test', { timeoutMs: 30_000 });
    expect(mail.subject).toContain(inv.number);
    // The mail goes out inside the claiming transaction, just before it commits.
    const sent = async () => (await s.db.query(`SELECT late_notices_sent FROM invoices WHERE id = $1`, [inv.id])).rows[0].late_notices_sent as number;
    for (let i = 0; i < 50 && (await sent()) === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await sent()).toBe(3);
  });
});
