import ical, { type VEvent } from 'node-ical';
import type { ParsedMail } from 'mailparser';
import { BookingReminders } from '../src/notification-mail/booking-reminders.job.js';
import { MailDeliveries } from '../src/notification-mail/mail-deliveries.service.js';
import { NotificationDispatcher } from '../src/notifications/notification-dispatcher.service.js';
import { bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { SmtpSink } from './support/smtp-sink.js';
import { eventually } from './support/sse-client.js';
import { holdRowLock, waitForLockWaiters } from './support/review-fixtures.js';
import { connectTenantDatabase, createTestApp, tenantDatabaseOf, type TestApp } from './support/test-app.js';

/**
 * Issue 13, mailnotify: email per notification preference, the client's booking mails with .ics, and
 * reminders, over a real SMTP server and the real databases; each message exactly once.
 */
describe('notification emails, booking mails and reminders', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let s: BookingStudio;
  let dispatcher: NotificationDispatcher;
  let deliveries: MailDeliveries;
  let reminders: BookingReminders;
  let n = 0;

  const emailOf = async (userId: string) => (await t.control.query(`SELECT email FROM users WHERE id = $1`, [userId])).rows[0].email as string;
  const clientWith = async (email: string | null) => {
    const res = await s.api.post('/api/v1/clients').send({ name: `Client ${++n}`, ...(email ? { email } : {}) });
    if (res.status !== 201) throw new Error(`client: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  /** A booking `hoursAhead` from now (1 h long), in a room of its own (never a conflict). */
  const book = async (clientId: string, hoursAhead: number, extra: Record<string, unknown> = {}) => {
    const roomId = await s.room();
    const start = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + hoursAhead * 3_600_000);
    const res = await s.api.post('/api/v1/bookings').send({ clientId, roomId, title: `Session ${++n}`, startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3_600_000).toISOString(), ...extra });
    if (res.status !== 201) throw new Error(`booking: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.id as string, start };
  };
  /** Every event dispatched and every due message sent or given up. */
  const settled = async () => {
    await eventually('events dispatched', async () => (await s.count('outbox', 'dispatched_at IS NULL')) === 0);
    await deliveries.deliver(s.organizationId);
    // Due, or claimed and in flight (a claim clears last_error; a failure sets it).
    const pending = `sent_at IS NULL AND skipped_at IS NULL AND failed_at IS NULL AND (next_attempt_at <= now() OR (attempts > 0 AND last_error IS NULL))`;
    await eventually('mail sent', async () => (await s.count('mail_deliveries', pending)) === 0);
  };
  const icsOf = (mail: ParsedMail) => {
    const part = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
    if (!part) throw new Error(`no .ics in "${mail.subject}"`);
    return part.content.toString('utf8');
  };
  const field = (ics: string, name: string) => new RegExp(`^${name}(?:;[^:\\r\\n]*)?:(.*)$`, 'm').exec(ics)?.[1]?.trim();

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url, PUBLIC_URL: 'https://studio.example.test' });
    dispatcher = t.app.get(NotificationDispatcher);
    deliveries = t.app.get(MailDeliveries);
    reminders = t.app.get(BookingReminders);
    s = await bookingStudio(t, 'Mail');
  });
  afterAll(async () => {
    await s?.close();
    await t?.close();
    await sink?.close();
  });

  it('email per preference: none and in-app send nothing, email and both send one each, a second sweep sends nothing more', async () => {
    const members = { none: await s.member('admin'), inApp: await s.member('admin'), email: await s.member('admin'), both: await s.member('admin') };
    for (const [key, channel] of [['none', 'none'], ['inApp', 'in_app'], ['email', 'email'], ['both', 'both']] as const) {
      await t.http().put('/api/v1/notifications/preferences').set('cookie', await s.cookieOf(members[key])).send({ preferences: [{ category: 'bookings', channel }] }).expect(200);
    }
    const clientId = await clientWith(null);
    await book(clientId, 100);
    await settled();
    await dispatcher.sweep();
    await deliveries.sweep();
    const count = async (userId: string) => sink.messagesTo(await emailOf(userId)).length;
    expect(await count(members.none)).toBe(0);
    expect(await count(members.inApp)).toBe(0);
    expect(await count(members.email)).toBe(1);
    expect(await count(members.both)).toBe(1);
    const mail = sink.messagesTo(await emailOf(members.email))[0].parsed;
    expect(mail.subject).toMatch(/^New booking: Session \d+ · /);
    expect(mail.text).toContain('https://studio.example.test/notifications');
    // email only: no in-app row; both: one.
    expect(Number((await s.db.query(`SELECT count(*) FROM notifications WHERE recipient_user_id = $1`, [members.email])).rows[0].count)).toBe(0);
    expect(Number((await s.db.query(`SELECT count(*) FROM notifications WHERE recipient_user_id = $1`, [members.both])).rows[0].count)).toBe(1);
    for (const id of Object.values(members)) await t.control.query(`DELETE FROM memberships WHERE user_id = $1`, [id]);
  });

  it('two dispatchers and two senders at once (as on two instances): one mail per event and recipient', async () => {
    const admin = await s.member('admin');
    await t.http().put('/api/v1/notifications/preferences').set('cookie', await s.cookieOf(admin)).send({ preferences: [{ category: 'bookings', channel: 'email' }] }).expect(200);
    const address = `twice-${++n}@client.test`;
    const clientId = await clientWith(address);
    dispatcher.paused = true;
    deliveries.paused = true;
    try {
      await book(clientId, 120);
      await book(clientId, 125);
      await Promise.all([dispatcher.dispatch(s.organizationId), dispatcher.dispatch(s.organizationId)]);
      // Two senders that both reach the queued rows at the same moment: an outside transaction holds the rows
      // while they start, then lets go. A claim that did not skip locked rows would read them too, wait, and
      // send them again after the first sender; SKIP LOCKED passes them by (the last deliver sends them).
      const locker = await connectTenantDatabase(t, s.organizationId);
      await locker.query('BEGIN');
      await locker.query(`SELECT id FROM mail_deliveries WHERE sent_at IS NULL FOR UPDATE`);
      let finished = 0;
      const senders = [deliveries.deliver(s.organizationId), deliveries.deliver(s.organizationId)].map((p) => p.finally(() => finished++));
      const database = await tenantDatabaseOf(t, s.organizationId);
      await eventually('both senders past the queued rows or waiting on them', async () => {
        const { rows } = await t.admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [database]);
        return finished === 2 || rows[0].n >= 2;
      });
      await locker.query('COMMIT');
      await locker.end();
      await Promise.all(senders);
      await deliveries.deliver(s.organizationId);
    } finally {
      dispatcher.paused = false;
      deliveries.paused = false;
    }
    await Promise.all([dispatcher.dispatch(s.organizationId), deliveries.deliver(s.organizationId)]);
    expect(sink.messagesTo(await emailOf(admin)).length).toBe(2);
    expect(sink.messagesTo(address).length).toBe(2); // the client's two confirmations
    await t.control.query(`DELETE FROM memberships WHERE user_id = $1`, [admin]);
  });

  it('a failing SMTP server: the in-app notification is there at once, the mail is retried later with backoff and sent once', async () => {
    const admin = await s.member('admin');
    await t.http().put('/api/v1/notifications/preferences').set('cookie', await s.cookieOf(admin)).send({ preferences: [{ category: 'bookings', channel: 'both' }] }).expect(200);
    const address = await emailOf(admin);
    const held = sink.holdNext();
    const { id } = await book(await clientWith(null), 130);
    await held.arrived;
    held.refuse();
    await eventually('attempt recorded', async () => (await s.db.query(`SELECT attempts, last_error FROM mail_deliveries WHERE to_address = $1`, [address])).rows[0]?.last_error != null);
    const [row] = (await s.db.query(`SELECT attempts, next_attempt_at > now() + interval '30 seconds' AS later, sent_at FROM mail_deliveries WHERE to_address = $1`, [address])).rows;
    expect(row).toMatchObject({ attempts: 1, later: true, sent_at: null });
    expect(await s.count('notifications', `subject_id = '${id}' AND recipient_user_id = '${admin}'`)).toBe(1); // in-app is not held up by the mail
    await deliveries.deliver(s.organizationId);
    expect(sink.messagesTo(address).length).toBe(0); // not due yet
    await s.db.query(`UPDATE mail_deliveries SET next_attempt_at = now() WHERE to_address = $1`, [address]);
    await deliveries.deliver(s.organizationId);
    await deliveries.deliver(s.organizationId);
    expect(sink.messagesTo(address).length).toBe(1);
    await t.control.query(`DELETE FROM memberships WHERE user_id = $1`, [admin]);
  });

  it('booking mails to the client: confirmation, change and cancellation, each with an .ics (REQUEST/CANCEL, one UID, growing SEQUENCE, UTC times); none for a hold or a title change', async () => {
    const address = `band-${++n}@client.test`;
    const clientId = await clientWith(address);
    const { id, start } = await book(clientId, 200);
    await settled();
    const confirm = await sink.waitFor(address, { subject: /^Booking confirmed/ });
    const ics1 = icsOf(confirm);
    expect(field(ics1, 'METHOD')).toBe('REQUEST');
    const uid = field(ics1, 'UID');
    expect(uid).toBe(`${id}@studio.example.test`);
    const dtstart = start.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    expect(field(ics1, 'DTSTART')).toBe(dtstart);
    expect(field(ics1, 'DTEND')).toBe(new Date(start.getTime() + 3_600_000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''));
    const parsed = Object.values(ical.sync.parseICS(ics1)).find((c): c is VEvent => c?.type === 'VEVENT')!;
    expect(new Date(parsed.start).toISOString()).toBe(start.toISOString());
    const seq1 = Number(field(ics1, 'SEQUENCE'));

    await s.api.patch(`/api/v1/bookings/${id}`).send({ title: 'Renamed only' }).expect(200);
    await settled();
    expect(sink.messagesTo(address).length).toBe(1); // a title is not the client's calendar's business

    const moved = new Date(start.getTime() + 2 * 3_600_000);
    await s.api.patch(`/api/v1/bookings/${id}`).send({ startsAt: moved.toISOString(), endsAt: new Date(moved.getTime() + 3_600_000).toISOString() }).expect(200);
    await settled();
    const change = await sink.waitFor(address, { subject: /^Booking changed/ });
    const ics2 = icsOf(change);
    expect(field(ics2, 'METHOD')).toBe('REQUEST');
    expect(field(ics2, 'UID')).toBe(uid);
    expect(Number(field(ics2, 'SEQUENCE'))).toBeGreaterThan(seq1);
    expect(field(ics2, 'DTSTART')).toBe(moved.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''));

    await s.api.post(`/api/v1/bookings/${id}/cancel`).send({ reason: 'band ill' }).expect(200);
    await settled();
    const cancel = await sink.waitFor(address, { subject: /^Booking cancelled/ });
    const ics3 = icsOf(cancel);
    expect(field(ics3, 'METHOD')).toBe('CANCEL');
    expect(field(ics3, 'STATUS')).toBe('CANCELLED');
    expect(field(ics3, 'UID')).toBe(uid);
    expect(Number(field(ics3, 'SEQUENCE'))).toBeGreaterThan(Number(field(ics2, 'SEQUENCE')));
    expect(cancel.text).toContain('band ill');
    expect(sink.messagesTo(address).length).toBe(3);

    // A hold: created, moved, cancelled: the client hears nothing.
    const hold = await book(clientId, 300, { status: 'hold', holdExpiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    await s.api.patch(`/api/v1/bookings/${hold.id}`).send({ startsAt: new Date(hold.start.getTime() + 3_600_000).toISOString(), endsAt: new Date(hold.start.getTime() + 7_200_000).toISOString() }).expect(200);
    await s.api.post(`/api/v1/bookings/${hold.id}/cancel`).send({}).expect(200);
    await settled();
    expect(sink.messagesTo(address).length).toBe(3);
  });

  it('a weekly series: one confirmation to the client, one VEVENT (own UID) per occurrence', async () => {
    const address = `series-${++n}@client.test`;
    const clientId = await clientWith(address);
    const roomId = await s.room();
    const startsAt = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 400 * 3_600_000);
    const res = await s.api
      .post('/api/v1/bookings/series')
      .send({ clientId, roomId, title: 'Weekly mix', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(), recurrence: { rrule: 'FREQ=WEEKLY;COUNT=3' } });
    expect(res.status).toBe(201);
    await settled();
    expect(sink.messagesTo(address).length).toBe(1);
    const ics = icsOf(sink.messagesTo(address)[0].parsed);
    expect(field(ics, 'METHOD')).toBe('REQUEST');
    const events = Object.values(ical.sync.parseICS(ics)).filter((c): c is VEvent => c?.type === 'VEVENT');
    const ids = (await s.db.query(`SELECT id FROM bookings WHERE room_id = $1 ORDER BY starts_at`, [roomId])).rows.map((r: { id: string }) => `${r.id}@studio.example.test`);
    expect(ids).toHaveLength(3);
    expect(events.map((e) => e.uid)).toEqual(ids);
  });

  describe('reminders', () => {
    let clientAddress: string;
    let clientId: string;
    let engineer: string;
    beforeAll(async () => {
      clientAddress = `reminded-${++n}@client.test`;
      clientId = await clientWith(clientAddress);
      engineer = await s.member('engineer');
    });
    const reminderCount = (address: string) => sink.messagesTo(address).filter((m) => /^Reminder:/.test(m.parsed.subject ?? '')).length;

    it('a booking 23 h ahead gets the 24 h reminder once, to the client and its engineer, even when the sweep runs twice and concurrently; no access code in it', async () => {
      const { id } = await book(clientId, 23, { engineerIds: [engineer] });
      await settled();
      const code = (await s.db.query(`SELECT access_code FROM bookings WHERE id = $1`, [id])).rows[0].access_code as string;
      await Promise.all([reminders.plan(s.organizationId), reminders.plan(s.organizationId)]);
      await reminders.plan(s.organizationId);
      await settled();
      expect(reminderCount(clientAddress)).toBe(1);
      expect(reminderCount(await emailOf(engineer))).toBe(1);
      const mail = sink.messagesTo(clientAddress).find((m) => /^Reminder:/.test(m.parsed.subject ?? ''))!.parsed;
      expect(mail.text).not.toContain(code);
      expect(Number((await s.db.query(`SELECT count(*) FROM mail_deliveries WHERE booking_id = $1`, [id])).rows[0].count)).toBe(2);
    });

    it('the last reminder (2 h) carries the access code; a booking 1 h ahead gets only that one', async () => {
      const address = `soon-${++n}@client.test`;
      const { id } = await book(await clientWith(address), 1);
      await settled();
      await reminders.plan(s.organizationId);
      await reminders.plan(s.organizationId);
      await settled();
      const code = (await s.db.query(`SELECT access_code FROM bookings WHERE id = $1`, [id])).rows[0].access_code as string;
      expect(reminderCount(address)).toBe(1);
      expect(sink.messagesTo(address).find((m) => /^Reminder:/.test(m.parsed.subject ?? ''))!.parsed.text).toContain(`Access code: ${code}`);
      // Sent: the queue keeps who and when, not the text: the door code is not kept in the database.
      const kept = (await s.db.query(`SELECT body_text, body_html, attachments FROM mail_deliveries WHERE to_address = $1 AND sent_at IS NOT NULL`, [address])).rows;
      expect(kept.length).toBeGreaterThan(0);
      expect(JSON.stringify(kept)).not.toContain(code);
      expect(kept.every((r: { body_text: string; attachments: unknown[] }) => r.body_text === '' && r.attachments.length === 0)).toBe(true);
    });

    it('a cancelled booking gets none, even when it was cancelled after the reminder was queued', async () => {
      const address = `cancelled-${++n}@client.test`;
      const client = await clientWith(address);
      const early = await book(client, 20);
      await s.api.post(`/api/v1/bookings/${early.id}/cancel`).send({}).expect(200);
      deliveries.paused = true;
      let late: { id: string };
      try {
        late = await book(client, 21);
        await reminders.plan(s.organizationId);
        expect(await s.count('mail_deliveries', `booking_id = '${late.id}'`)).toBe(1); // queued…
        await s.api.post(`/api/v1/bookings/${late.id}/cancel`).send({}).expect(200); // …then cancelled
      } finally {
        deliveries.paused = false;
      }
      await settled();
      expect(reminderCount(address)).toBe(0);
      expect(await s.count('mail_deliveries', `booking_id = '${late!.id}' AND skipped_at IS NOT NULL`)).toBe(1);
    });

    it('a booking moved after its reminder was queued: none for the old time, one for the new time', async () => {
      const address = `moved-${++n}@client.test`;
      const { id, start } = await book(await clientWith(address), 22);
      const moved = new Date(start.getTime() + 3_600_000);
      deliveries.paused = true;
      try {
        await reminders.plan(s.organizationId);
        await s.api.patch(`/api/v1/bookings/${id}`).send({ startsAt: moved.toISOString(), endsAt: new Date(moved.getTime() + 3_600_000).toISOString() }).expect(200);
      } finally {
        deliveries.paused = false;
      }
      await settled();
      expect(reminderCount(address)).toBe(0); // the old time's reminder was skipped
      await reminders.plan(s.organizationId);
      await settled();
      expect(reminderCount(address)).toBe(1);
      expect(sink.messagesTo(address).find((m) => /^Reminder:/.test(m.parsed.subject ?? ''))!.parsed.text).toContain(moved.toISOString().slice(11, 16)); // the new time (the studio's zone is UTC)
    });
  });

  describe('the reminder setting (PATCH /api/v1/studio reminderOffsetsMinutes)', () => {
    it('defaults to 24 h and 2 h; saves a list (largest first) and the sweep uses it; [] turns reminders off', async () => {
      expect((await s.api.get('/api/v1/studio').expect(200)).body.reminderOffsetsMinutes).toEqual([1440, 120]);
      const res = await s.api.patch('/api/v1/studio').send({ reminderOffsetsMinutes: [30, 2880, 60] }).expect(200);
      expect(res.body.reminderOffsetsMinutes).toEqual([2880, 60, 30]);
      await s.api.patch('/api/v1/studio').send({ reminderOffsetsMinutes: [] }).expect(200);
      const address = `off-${++n}@client.test`;
      await book(await clientWith(address), 1);
      await settled();
      expect(await reminders.plan(s.organizationId)).toBe(0);
      await s.api.patch('/api/v1/studio').send({ reminderOffsetsMinutes: [1440, 120] }).expect(200);
    });

    it('concurrent PATCHes of the reminders and another field, queued on the row lock, both stick (issue 15)', async () => {
      const lock = await holdRowLock(t, s.organizationId, 'studio_settings', '1');
      const pending = [{ reminderOffsetsMinutes: [90] }, { defaultSetupMinutes: 20 }].map((body) => s.api.patch('/api/v1/studio').send(body).then((r) => r));
      await waitForLockWaiters(t, await tenantDatabaseOf(t, s.organizationId), pending.length);
      await lock.release();
      expect((await Promise.all(pending)).map((r) => r.status)).toEqual([200, 200]);
      expect((await s.api.get('/api/v1/studio').expect(200)).body).toMatchObject({ reminderOffsetsMinutes: [90], defaultSetupMinutes: 20 });
      await s.api.patch('/api/v1/studio').send({ reminderOffsetsMinutes: [1440, 120], defaultSetupMinutes: 0 }).expect(200);
    });

    it.each([
      ['below 15 minutes', [10]],
      ['above 14 days', [20_161]],
      ['more than 4', [15, 30, 60, 120, 240]],
      ['twice the same', [60, 60]],
      ['not integers', [60.5]],
      ['not a list', 'daily'],
    ])('bad input (%s): 400 problem, nothing written', async (_label, value) => {
      const before = (await s.db.query(`SELECT reminder_offsets_minutes, updated_at FROM studio_settings`)).rows[0];
      const res = await s.api.patch('/api/v1/studio').send({ timeZone: 'Europe/Paris', reminderOffsetsMinutes: value }).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors?.some((e: { field: string }) => e.field.startsWith('reminderOffsetsMinutes'))).toBe(true);
      expect((await s.db.query(`SELECT reminder_offsets_minutes, updated_at FROM studio_settings`)).rows[0]).toEqual(before);
    });
  });
});
