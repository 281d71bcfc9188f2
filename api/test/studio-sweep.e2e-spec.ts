import { StudioSweep, SWEEP_BACKSTOP_MS } from '../src/jobs/studio-sweep.service.js';
import { bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { SmtpSink } from './support/smtp-sink.js';
import { eventually } from './support/sse-client.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 14: the per-minute background sweep visits a studio only when it has work due (notifications,
 * reminders, mail and webhook retries), not every studio every minute. Real databases, a real SMTP server.
 */
describe('the studio sweep', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let sweep: StudioSweep;
  let s: BookingStudio;
  let quiet: { organizationId: string };

  /** The studio's hint: when it is next due, in seconds from now (negative: due). */
  const hint = async (organizationId: string) => {
    const { rows } = await t.control.query(`SELECT extract(epoch FROM due_at - now())::float AS in_seconds, version::int FROM studio_wakeups WHERE organization_id = $1`, [organizationId]);
    return rows[0] as { in_seconds: number; version: number } | undefined;
  };
  /** As if the studio's hint had come due (time passing), without telling the sweep anything else. */
  const comeDue = (organizationId: string) => t.control.query(`UPDATE studio_wakeups SET due_at = now() WHERE organization_id = $1`, [organizationId]);
  const dispatched = () => eventually('events dispatched', async () => (await s.count('outbox', 'dispatched_at IS NULL')) === 0);
  let n = 0;
  /** A confirmed one-hour booking starting `minutesAhead` from now (on a whole minute), for a client with an address. */
  const book = async (minutesAhead: number) => {
    const client = await s.api.post('/api/v1/clients').send({ name: `Band ${++n}`, email: `band-${n}@sweep.test` }).expect(201);
    const start = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + minutesAhead * 60_000);
    const res = await s.api
      .post('/api/v1/bookings')
      .send({ clientId: client.body.id, roomId: await s.room(), title: `Session ${n}`, startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3_600_000).toISOString() })
      .expect(201);
    return { id: res.body.id as string, start, address: `band-${n}@sweep.test` };
  };

  // Test steps around the real ones: a slow one after reminders, a failing one before them, one that records its visits.
  let slowStep = false;
  let failStep = false;
  let visitedAfterFailure: string[] = [];

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url });
    sweep = t.app.get(StudioSweep);
    sweep.register({ name: 'test: fails', stage: 0.5, visit: async () => (failStep ? Promise.reject(new Error('poisoned')) : undefined), nextDueAt: async () => null });
    sweep.register({ name: 'test: slow', stage: 1.5, visit: async () => (slowStep ? new Promise((r) => setTimeout(r, 2_000)) : undefined), nextDueAt: async () => null });
    sweep.register({ name: 'test: records', stage: 2.5, visit: async (id) => void (failStep && id === quiet.organizationId && visitedAfterFailure.push(id)), nextDueAt: async () => null });
    s = await bookingStudio(t, 'Sweep');
    quiet = await registerStudio(t, 'Quiet');
  });
  afterAll(async () => {
    await s?.close();
    await t?.close();
    await sink?.close();
  });

  it('visits a studio without a hint, then not again until something is due; a studio with nothing due is looked at again after the backstop (15 min)', async () => {
    await dispatched();
    expect(await sweep.run()).toBe(2);
    expect(await sweep.run()).toBe(0);
    for (const studio of [s, quiet]) {
      const h = (await hint(studio.organizationId))!;
      expect(h.in_seconds).toBeGreaterThan(SWEEP_BACKSTOP_MS / 1000 - 60);
      expect(h.in_seconds).toBeLessThanOrEqual(SWEEP_BACKSTOP_MS / 1000);
    }
    // A suspended studio is not visited, even when due.
    await comeDue(quiet.organizationId);
    await t.control.query(`UPDATE organizations SET suspended_at = now() WHERE id = $1`, [quiet.organizationId]);
    expect(await sweep.run()).toBe(0);
    await t.control.query(`UPDATE organizations SET suspended_at = NULL WHERE id = $1`, [quiet.organizationId]);
    expect(await sweep.run()).toBe(1);
  });

  it('a new booking wakes its studio; the next sweep queues its due reminder and keeps the time of the next one as the hint', async () => {
    // 2 h 10 min ahead: the 24 h reminder is due now, the 2 h one in about 10 minutes (default offsets 24 h and 2 h).
    const { id, start } = await book(130);
    await dispatched();
    await eventually('the studio woken', async () => ((await hint(s.organizationId))?.in_seconds ?? 1) <= 0);
    expect(await sweep.run()).toBe(1); // this studio only: the quiet one is not due
    const { rows } = await s.db.query(`SELECT reminder_offset_minutes FROM mail_deliveries WHERE booking_id = $1 AND reminder_offset_minutes IS NOT NULL`, [id]);
    expect(rows).toEqual([{ reminder_offset_minutes: 1440 }]);
    const expected = (start.getTime() - 120 * 60_000 - Date.now()) / 1000;
    expect(Math.abs((await hint(s.organizationId))!.in_seconds - expected)).toBeLessThan(5);

    // Eleven minutes later: the 2 h reminder is due, and the hint moves on (nothing more: the backstop).
    await s.db.query(`UPDATE bookings SET starts_at = starts_at - interval '11 minutes', ends_at = ends_at - interval '11 minutes' WHERE id = $1`, [id]);
    await s.db.query(`UPDATE mail_deliveries SET booking_starts_at = booking_starts_at - interval '11 minutes' WHERE booking_id = $1`, [id]);
    await comeDue(s.organizationId);
    expect(await sweep.run()).toBe(1);
    const offsets = (await s.db.query(`SELECT reminder_offset_minutes AS o FROM mail_deliveries WHERE booking_id = $1 AND reminder_offset_minutes IS NOT NULL ORDER BY o`, [id])).rows.map((r) => r.o);
    expect(offsets).toEqual([120, 1440]);
    expect((await hint(s.organizationId))!.in_seconds).toBeGreaterThan(SWEEP_BACKSTOP_MS / 1000 - 60);
  });

  it('a refused mail wakes its studio for the retry; the sweep after it sends the mail', async () => {
    // Earlier tests' mails all sent, so the next message the SMTP server sees is this test's.
    await eventually('mail sent', async () => (await s.count('mail_deliveries', 'sent_at IS NULL AND skipped_at IS NULL AND failed_at IS NULL')) === 0);
    await sweep.run();
    const held = sink.holdNext();
    const { address } = await book(7 * 24 * 60); // a week ahead: the confirmation mail, no reminder yet
    await held.arrived;
    await dispatched();
    await sweep.run(); // the booking's wake-up, while the mail is in flight (its lease is the hint: 15 min)
    held.refuse();
    await eventually('the failure recorded', async () => (await s.db.query(`SELECT last_error FROM mail_deliveries WHERE to_address = $1`, [address])).rows[0]?.last_error != null);
    const [mail] = (await s.db.query(`SELECT extract(epoch FROM next_attempt_at - now())::float AS in_seconds FROM mail_deliveries WHERE to_address = $1`, [address])).rows;
    expect(mail.in_seconds).toBeGreaterThan(30); // the first retry: a minute later
    expect(Math.abs((await hint(s.organizationId))!.in_seconds - mail.in_seconds)).toBeLessThan(3);
    expect(await sweep.run()).toBe(0); // not yet

    // A visit for some other reason reads the retry time back as the studio's next work.
    await comeDue(s.organizationId);
    expect(await sweep.run()).toBe(1);
    expect(Math.abs((await hint(s.organizationId))!.in_seconds - mail.in_seconds)).toBeLessThan(3);
    expect(sink.messagesTo(address)).toHaveLength(0);

    await s.db.query(`UPDATE mail_deliveries SET next_attempt_at = now() WHERE to_address = $1`, [address]);
    await comeDue(s.organizationId);
    expect(await sweep.run()).toBe(1);
    await eventually('the retry sent', () => sink.messagesTo(address).length === 1);
  });

  it('undispatched events (a process that died before dispatching) keep the studio due until they are dispatched', async () => {
    await comeDue(quiet.organizationId);
    const db = await connectTenantDatabase(t, quiet.organizationId);
    try {
      await db.query(`INSERT INTO outbox (type, subject_type, subject_id, payload) VALUES ('quote.sent', 'quote', gen_random_uuid(), '{"number":"Q-1"}')`);
      expect(await sweep.run()).toBe(1);
      expect(Number((await db.query(`SELECT count(*) FROM outbox WHERE dispatched_at IS NULL`)).rows[0].count)).toBe(0);
      expect((await hint(quiet.organizationId))!.in_seconds).toBeGreaterThan(SWEEP_BACKSTOP_MS / 1000 - 60);
    } finally {
      await db.end();
    }
  });

  it('a wake for a studio never visited makes it due now, whatever the delay (a missing hint means due)', async () => {
    const fresh = await registerStudio(t, 'Fresh');
    await sweep.wake(fresh.organizationId, 6 * 3_600_000);
    expect((await hint(fresh.organizationId))!.in_seconds).toBeLessThanOrEqual(0);
    // A known studio's wake only ever brings its hint earlier.
    await sweep.run();
    const settled = (await hint(fresh.organizationId))!.in_seconds;
    await sweep.wake(fresh.organizationId, 6 * 3_600_000);
    expect(Math.abs((await hint(fresh.organizationId))!.in_seconds - settled)).toBeLessThan(2);
    await sweep.wake(fresh.organizationId, 60_000);
    expect(Math.abs((await hint(fresh.organizationId))!.in_seconds - 60)).toBeLessThan(2);
  });

  it('a reminder that comes due while the visit runs keeps the studio due (it is not skipped until the backstop)', async () => {
    await sweep.run();
    const { id } = await book(7 * 24 * 60);
    await dispatched();
    await sweep.run();
    // Its 2 h reminder comes due 1.5 s from now, and the visit below takes 2 s (a slow step after reminders).
    await s.db.query(`UPDATE bookings SET starts_at = now() + interval '2 hours 1.5 seconds', ends_at = now() + interval '3 hours' WHERE id = $1`, [id]);
    await s.db.query(`DELETE FROM mail_deliveries WHERE booking_id = $1`, [id]);
    slowStep = true;
    await comeDue(s.organizationId);
    expect(await sweep.run()).toBe(1);
    slowStep = false;
    expect((await hint(s.organizationId))!.in_seconds).toBeLessThanOrEqual(0);
    expect(await sweep.run()).toBe(1);
    const offsets = (await s.db.query(`SELECT DISTINCT reminder_offset_minutes AS o FROM mail_deliveries WHERE booking_id = $1 ORDER BY o`, [id])).rows.map((r) => r.o);
    expect(offsets).toEqual([120, 1440]);
    await s.db.query(`UPDATE bookings SET status = 'cancelled' WHERE id = $1`, [id]);
  });

  it('a kind of work that fails does not stop the others in that studio, and the studio stays due', async () => {
    await sweep.run();
    await comeDue(quiet.organizationId);
    failStep = true;
    visitedAfterFailure = [];
    await sweep.run(); // the quiet studio's visit fails
    failStep = false;
    expect(visitedAfterFailure).toEqual([quiet.organizationId]);
    expect((await hint(quiet.organizationId))!.in_seconds).toBeLessThanOrEqual(0);
    await sweep.run();
    expect((await hint(quiet.organizationId))!.in_seconds).toBeGreaterThan(0);
  });

  it('a wake that comes in while the studio is being visited is not lost: the studio stays due for the next sweep', async () => {
    let wakeDuringVisit = false;
    sweep.register({
      name: 'test: a wake during the visit',
      stage: 3,
      visit: async (tenantId) => {
        if (wakeDuringVisit && tenantId === quiet.organizationId) {
          wakeDuringVisit = false;
          await sweep.wake(tenantId);
        }
      },
      nextDueAt: async () => null,
    });
    await comeDue(quiet.organizationId);
    const before = (await hint(quiet.organizationId))!.version;
    wakeDuringVisit = true;
    expect(await sweep.run()).toBeGreaterThanOrEqual(1);
    const after = (await hint(quiet.organizationId))!;
    expect(after.version).toBe(before + 1);
    expect(after.in_seconds).toBeLessThanOrEqual(0);
    expect(await sweep.run()).toBeGreaterThanOrEqual(1);
    expect((await hint(quiet.organizationId))!.in_seconds).toBeGreaterThan(0);
  });
});
