import { waitForLockWaiters } from './support/review-fixtures.js';
import { insertPortalAccount, insertPortalSession } from './support/portal-fixtures.js';
import { bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { SmtpSink } from './support/smtp-sink.js';
import { eventually } from './support/sse-client.js';
import { MailDeliveries } from '../src/notification-mail/mail-deliveries.service.js';
import { connectTenantDatabase, createTestApp, type TestApp } from './support/test-app.js';

const HOUR = 3_600_000;
/** A whole hour `h` hours from now (rooms' rules: no opening hours, no notice). */
const inHours = (h: number) => new Date(Math.ceil(Date.now() / HOUR) * HOUR + h * HOUR).toISOString();
const slot = (h: number, length = 4) => ({ startsAt: inHours(h), endsAt: inHours(h + length) });

/**
 * Issue 12, booking requests: a portal client asks (1–3 preferred slots), staff approve (the booking is
 * made through the bookings rules in one transaction with the request's status, audit entry and event)
 * or decline with a reason; the client is emailed either way and may withdraw a pending request.
 */
describe('booking requests', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let s: BookingStudio;
  let other: BookingStudio;
  let roomId: string;
  let me: { clientId: string; accountId: string; email: string; cookie: string };
  let neighbour: { clientId: string; accountId: string; cookie: string };
  let hour = 24;
  /** Slots that never overlap one test's with another's. */
  const fresh = (length = 4) => slot((hour += 10), length);

  const ask = (body: object, cookie = me.cookie) => t.http().post('/api/v1/portal/booking-requests').set('cookie', cookie).send(body);
  const request = async (body: object = {}) => (await ask({ roomId, preferredSlots: [fresh(), fresh()], durationMinutes: 120, notes: 'Vocals', ...body }).expect(201)).body;
  const approve = (id: string, body: object, cookie = s.cookie) => t.http().post(`/api/v1/booking-requests/${id}/approve`).set('cookie', cookie).send(body);
  const decline = (id: string, body: object, cookie = s.cookie) => t.http().post(`/api/v1/booking-requests/${id}/decline`).set('cookie', cookie).send(body);
  const state = async () =>
    (
      await s.db.query(
        `SELECT (SELECT count(*)::int FROM booking_requests) AS requests, (SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM booking_requests) AS statuses,
                (SELECT count(*)::int FROM bookings) AS bookings, (SELECT count(*)::int FROM outbox) AS events, (SELECT count(*)::int FROM audit_log) AS audit`,
      )
    ).rows[0];

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url });
    s = await bookingStudio(t, 'Requests');
    other = await bookingStudio(t, 'Requests elsewhere');
    roomId = await s.room();
    const account = await insertPortalAccount(s.db, { clientName: 'Request Band' });
    me = { ...account, cookie: await insertPortalSession(s.db, s.organizationId, account.accountId) };
    const n = await insertPortalAccount(s.db, { clientName: 'Neighbour Band' });
    neighbour = { ...n, cookie: await insertPortalSession(s.db, s.organizationId, n.accountId) };
  }, 120_000);
  afterAll(async () => {
    await s.close();
    await other.close();
    await t?.close();
    await sink.close();
  });

  it('a client asks for a session: pending in their list and in the staff queue, audited, and the managers hear of it in the same transaction', async () => {
    const body = await request();
    expect(body).toMatchObject({ status: 'pending', room: { id: roomId }, durationMinutes: 120, notes: 'Vocals', booking: null });
    expect((await t.http().get('/api/v1/portal/booking-requests').set('cookie', me.cookie).expect(200)).body.items[0].id).toBe(body.id);
    const queue = (await t.http().get('/api/v1/booking-requests?status=pending').set('cookie', s.cookie).expect(200)).body.items;
    expect(queue.find((r: { id: string }) => r.id === body.id)).toMatchObject({ client: { id: me.clientId, name: 'Request Band' }, requestedBy: me.email });
    // One transaction: the event's occurred_at is now() of the transaction that inserted the request (the
    // dispatcher later updates outbox rows, so their xmin cannot tell); the audit entry carries the request's xmin.
    const [row] = (await s.db.query(`SELECT xmin::text AS tx, created_at::text AS at FROM booking_requests WHERE id = $1`, [body.id])).rows;
    const [event] = (await s.db.query(`SELECT occurred_at::text AS at, payload FROM outbox WHERE type = 'booking_request.received' AND subject_id = $1`, [body.id])).rows;
    expect(event.at).toBe(row.at);
    expect((await s.db.query(`SELECT xmin::text AS tx FROM audit_log WHERE action = 'booking_request.created' AND target_id = $1`, [body.id])).rows[0].tx).toBe(row.tx);
    expect(event.payload.clientName).toBe('Request Band');
    const [audit] = (await s.db.query(`SELECT actor_type, actor_id FROM audit_log WHERE action = 'booking_request.created' AND target_id = $1`, [body.id])).rows;
    expect(audit).toEqual({ actor_type: 'portal-account', actor_id: me.accountId });
  });

  it('an Idempotency-Key makes a retried request one request', async () => {
    const payload = { preferredSlots: [fresh()], durationMinutes: 60 };
    const first = await ask(payload).set('idempotency-key', 'retry-me-1').expect(201);
    const again = await ask(payload).set('idempotency-key', 'retry-me-1').expect(201);
    expect(again.body.id).toBe(first.body.id);
    expect((await s.db.query(`SELECT count(*)::int AS n FROM booking_requests WHERE id = $1`, [first.body.id])).rows[0].n).toBe(1);
  });

  it.each([
    ['no slot', { preferredSlots: [] }, undefined],
    ['four slots', { preferredSlots: [slot(30), slot(40), slot(50), slot(60)] }, undefined],
    ['a slot in the past', { preferredSlots: [slot(-10)] }, undefined],
    ['a slot ending before it starts', { preferredSlots: [{ startsAt: inHours(30), endsAt: inHours(29) }] }, undefined],
    ['a slot shorter than the session', { preferredSlots: [slot(30, 1)] }, undefined],
    ['a slot of more than a week', { preferredSlots: [slot(30, 24 * 8)] }, undefined],
    ['a local time without offset', { preferredSlots: [{ startsAt: '2031-01-01T10:00:00', endsAt: '2031-01-01T14:00:00' }] }, undefined],
    ['a session of 10 minutes', { durationMinutes: 10 }, undefined],
    ['a session of two days', { durationMinutes: 2880 }, undefined],
    ['a room id that is not a UUID', { roomId: 'room-1' }, undefined],
    ['a room of no studio', { roomId: '00000000-0000-4000-8000-000000000000' }, undefined],
    ['notes of 2001 characters', { notes: 'x'.repeat(2001) }, undefined],
    ['an unknown field', { clientId: '00000000-0000-4000-8000-000000000000' }, undefined],
    ['an Idempotency-Key of 256 characters', {}, 'k'.repeat(256)],
  ])('asking with %s is a 400 problem and writes nothing', async (_label: string, change: object, key: string | undefined) => {
    const before = await state();
    const req = t.http().post('/api/v1/portal/booking-requests').set('cookie', me.cookie);
    if (key) req.set('idempotency-key', key);
    const res = await req.send({ roomId, preferredSlots: [slot(30)], durationMinutes: 120, ...change });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await state()).toEqual(before);
  });

  it('approving books the chosen slot through the bookings path, in one transaction with the status, audit and event; the client is emailed and sees it', async () => {
    const req = await request();
    const engineer = await s.member('engineer');
    const seen = sink.messagesTo(me.email).length;
    const res = await approve(req.id, { slotIndex: 1, as: 'confirmed', engineerIds: [engineer] }).expect(200);
    expect(res.body).toMatchObject({ status: 'approved', clientNotified: true });
    const [booking] = (await s.db.query(`SELECT id, status, starts_at, ends_at, client_id, room_id, xmin::text AS tx, created_at::text AS at FROM bookings WHERE id = $1`, [res.body.bookingId])).rows;
    expect(booking).toMatchObject({ status: 'confirmed', client_id: me.clientId, room_id: roomId });
    expect(booking.starts_at.toISOString()).toBe(new Date(req.preferredSlots[1].startsAt).toISOString());
    expect(booking.ends_at.getTime() - booking.starts_at.getTime()).toBe(2 * HOUR);
    expect((await s.db.query(`SELECT user_id FROM booking_engineers WHERE booking_id = $1`, [booking.id])).rows).toEqual([{ user_id: engineer }]);
    // One transaction: the request's update and the audit entry carry the booking's transaction id; the event's
    // occurred_at is that transaction's now(), as is the booking's created_at.
    const [row] = (await s.db.query(`SELECT xmin::text AS tx, decided_by FROM booking_requests WHERE id = $1`, [req.id])).rows;
    const [event] = (await s.db.query(`SELECT occurred_at::text AS at FROM outbox WHERE type = 'booking_request.approved' AND subject_id = $1`, [req.id])).rows;
    const [audit] = (await s.db.query(`SELECT xmin::text AS tx FROM audit_log WHERE action = 'booking_request.approved' AND target_id = $1`, [req.id])).rows;
    expect([row.tx, audit.tx, event.at]).toEqual([booking.tx, booking.tx, booking.at]);
    expect(row.decided_by).toBe(s.userId);
    const mail = await sink.waitFor(me.email, { seen, subject: /booked/ });
    expect(mail.text).toContain('/sessions');
    const mine = (await t.http().get('/api/v1/portal/booking-requests').set('cookie', me.cookie).expect(200)).body.items.find((r: { id: string }) => r.id === req.id);
    expect(mine).toMatchObject({ status: 'approved', booking: { id: booking.id } });
    const sessions = (await t.http().get('/api/v1/portal/bookings').set('cookie', me.cookie).expect(200)).body.items;
    expect(sessions.map((b: { id: string }) => b.id)).toContain(booking.id);
    // Decided once: a second approval or a decline is a 409 that writes nothing.
    const before = await state();
    await approve(req.id, { slotIndex: 0, as: 'confirmed' }).expect(409);
    await decline(req.id, { reason: 'Too late' }).expect(409);
    expect(await state()).toEqual(before);
  });

  it('approving as a hold makes a hold that expires', async () => {
    const req = await request();
    const res = await approve(req.id, { slotIndex: 0, as: 'hold' }).expect(200);
    const [booking] = (await s.db.query(`SELECT status, hold_expires_at FROM bookings WHERE id = $1`, [res.body.bookingId])).rows;
    expect(booking.status).toBe('hold');
    expect(booking.hold_expires_at.getTime()).toBeGreaterThan(Date.now());
  });

  it('a conflict is a 409 booking-conflict: no booking, no event, no audit entry, the request stays pending', async () => {
    const req = await request();
    await s.api.post('/api/v1/bookings').send({ clientId: me.clientId, roomId, title: 'In the way', ...req.preferredSlots[0] }).expect(201);
    const before = await state();
    const res = await approve(req.id, { slotIndex: 0, as: 'confirmed' });
    expect(res.status).toBe(409);
    expect(res.body.type).toMatch(/booking-conflict$/);
    expect(await state()).toEqual(before);
  });

  it('two approvals at once (different slots) make one booking: the second waits on the row lock and gets a 409', async () => {
    const req = await request();
    const results = await Promise.all([approve(req.id, { slotIndex: 0, as: 'confirmed' }), approve(req.id, { slotIndex: 1, as: 'confirmed' })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const slots = req.preferredSlots.map((x: { startsAt: string }) => x.startsAt);
    expect((await s.db.query(`SELECT count(*)::int AS n FROM bookings WHERE client_id = $1 AND starts_at = ANY($2::timestamptz[])`, [me.clientId, slots])).rows[0].n).toBe(1);
  });

  it('decisions queued on an outside row lock take turns: one approve, one decline, one withdraw, exactly one wins', async () => {
    const req = await request();
    const locker = await connectTenantDatabase(t, s.organizationId);
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM booking_requests WHERE id = $1 FOR UPDATE', [req.id]);
    const pending = [
      approve(req.id, { slotIndex: 0, as: 'confirmed' }).then((r) => r),
      decline(req.id, { reason: 'Fully booked' }).then((r) => r),
      t.http().post(`/api/v1/portal/booking-requests/${req.id}/withdraw`).set('cookie', me.cookie).then((r) => r),
    ];
    // Each waits on the lock (or the test fails rather than let them run one after another).
    await waitForLockWaiters(t, (await locker.query('SELECT current_database() AS d')).rows[0].d as string, 3);
    await locker.query('COMMIT');
    await locker.end();
    const statuses = (await Promise.all(pending)).map((r) => r.status);
    expect(statuses.filter((x) => x === 200)).toHaveLength(1);
    expect(statuses.filter((x) => x === 409)).toHaveLength(2);
    const [row] = (await s.db.query(`SELECT status, booking_id FROM booking_requests WHERE id = $1`, [req.id])).rows;
    expect(row.status).toBe(['approved', 'declined', 'withdrawn'][statuses.indexOf(200)]);
    expect((await s.db.query(`SELECT count(*)::int AS n FROM outbox WHERE subject_id = $1 AND type <> 'booking_request.received'`, [req.id])).rows[0].n).toBe(1);
  });

  it("a contact whose address is the client's own gets one mail for a confirmed approval: the booking confirmation with its .ics", async () => {
    const same = await insertPortalAccount(s.db, { clientName: 'Same Address Band', email: 'same@band.test' });
    await s.db.query(`UPDATE clients SET email = 'Same@Band.test' WHERE id = $1`, [same.clientId]); // as staff typed it
    const cookie = await insertPortalSession(s.db, s.organizationId, same.accountId);
    const req = (await ask({ roomId, preferredSlots: [fresh()], durationMinutes: 120 }, cookie).expect(201)).body;
    const res = await approve(req.id, { slotIndex: 0, as: 'confirmed' }).expect(200);
    expect(res.body.clientNotified).toBe(true);
    await eventually('events dispatched', async () => Number((await s.db.query(`SELECT count(*) FROM outbox WHERE dispatched_at IS NULL`)).rows[0].count) === 0);
    await t.app.get(MailDeliveries).deliver(s.organizationId);
    const mail = await sink.waitFor('same@band.test', { subject: /Booking confirmed/ });
    expect(mail.attachments.some((a) => a.contentType.startsWith('text/calendar'))).toBe(true);
    // The decision's own "is booked" mail stays unsent: one mail, not two.
    expect(sink.messagesTo('same@band.test').map((m) => m.parsed.subject)).toEqual([mail.subject]);
  });

  it('declining records the reason, emails it to the client, and the client sees it', async () => {
    const req = await request();
    const seen = sink.messagesTo(me.email).length;
    const res = await decline(req.id, { reason: 'We are closed that week' }).expect(200);
    expect(res.body).toMatchObject({ status: 'declined', declineReason: 'We are closed that week', clientNotified: true, bookingId: null });
    const mail = await sink.waitFor(me.email, { seen, subject: /request/ });
    expect(mail.text).toContain('We are closed that week');
    expect((await s.db.query(`SELECT count(*)::int AS n FROM outbox WHERE type = 'booking_request.declined' AND subject_id = $1`, [req.id])).rows[0].n).toBe(1);
    expect((await s.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'booking_request.declined' AND target_id = $1`, [req.id])).rows[0].n).toBe(1);
    const mine = (await t.http().get('/api/v1/portal/booking-requests').set('cookie', me.cookie).expect(200)).body.items.find((r: { id: string }) => r.id === req.id);
    expect(mine).toMatchObject({ status: 'declined', declineReason: 'We are closed that week' });
  });

  it('a client withdraws a pending request once; staff can no longer approve it', async () => {
    const req = await request();
    const res = await t.http().post(`/api/v1/portal/booking-requests/${req.id}/withdraw`).set('cookie', me.cookie).expect(200);
    expect(res.body.status).toBe('withdrawn');
    await t.http().post(`/api/v1/portal/booking-requests/${req.id}/withdraw`).set('cookie', me.cookie).expect(409);
    await approve(req.id, { slotIndex: 0, as: 'confirmed' }).expect(409);
  });

  it("isolation: another client of the studio and another studio's staff and clients get 404 and change nothing", async () => {
    const req = await request();
    const before = await state();
    const res = await t.http().post(`/api/v1/portal/booking-requests/${req.id}/withdraw`).set('cookie', neighbour.cookie);
    expect(res.status).toBe(404);
    expect(JSON.stringify((await t.http().get('/api/v1/portal/booking-requests').set('cookie', neighbour.cookie).expect(200)).body)).not.toContain(req.id);
    const elsewhere = await insertPortalAccount(other.db, { clientName: 'Request Band' });
    const elsewhereCookie = await insertPortalSession(other.db, other.organizationId, elsewhere.accountId);
    await t.http().post(`/api/v1/portal/booking-requests/${req.id}/withdraw`).set('cookie', elsewhereCookie).expect(404);
    await t.http().get(`/api/v1/booking-requests/${req.id}`).set('cookie', other.cookie).expect(404);
    await approve(req.id, { slotIndex: 0, as: 'confirmed', roomId: await other.room() }, other.cookie).expect(404);
    await decline(req.id, { reason: 'Not ours' }, other.cookie).expect(404);
    expect(JSON.stringify((await t.http().get('/api/v1/booking-requests').set('cookie', other.cookie).expect(200)).body)).not.toContain(req.id);
    expect(await state()).toEqual(before);
  });

  it('an engineer reads the queue but may not decide (403)', async () => {
    const req = await request();
    const engineerCookie = await s.cookieOf(await s.member('engineer'));
    await t.http().get(`/api/v1/booking-requests/${req.id}`).set('cookie', engineerCookie).expect(200);
    await approve(req.id, { slotIndex: 0, as: 'confirmed' }, engineerCookie).expect(403);
    await decline(req.id, { reason: 'No' }, engineerCookie).expect(403);
  });

  describe('bad input on the staff routes is a 400 problem that writes nothing', () => {
    let id: string;
    beforeAll(async () => {
      id = (await request({ roomId: null })).id;
    });
    it.each([
      ['approve without `as`', 'approve', { slotIndex: 0 }],
      ['approve as something else', 'approve', { slotIndex: 0, as: 'maybe' }],
      ['approve a slot the request does not have', 'approve', { slotIndex: 2, as: 'confirmed', roomId: '00000000-0000-4000-8000-000000000000' }],
      ['approve with slotIndex and times', 'approve', { slotIndex: 0, ...slot(30), as: 'confirmed' }],
      ['approve with neither slot nor times', 'approve', { as: 'confirmed' }],
      ['approve without a room when any room was asked', 'approve', { slotIndex: 0, as: 'confirmed' }],
      ['approve in a room of no studio', 'approve', { slotIndex: 0, as: 'confirmed', roomId: '00000000-0000-4000-8000-000000000000' }],
      ['approve with engineer ids that are not UUIDs', 'approve', { slotIndex: 0, as: 'confirmed', engineerIds: ['bob'] }],
      ['approve ending before it starts', 'approve', { startsAt: inHours(40), endsAt: inHours(39), as: 'confirmed' }],
      ['decline without a reason', 'decline', {}],
      ['decline with a blank reason', 'decline', { reason: '   ' }],
      ['decline with a reason of 501 characters', 'decline', { reason: 'x'.repeat(501) }],
    ])('%s', async (_label, action, body) => {
      const before = await state();
      const res = await t.http().post(`/api/v1/booking-requests/${id}/${action}`).set('cookie', s.cookie).send(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await state()).toEqual(before);
    });
    it.each([
      ['GET', '/api/v1/booking-requests?status=open'],
      ['GET', '/api/v1/booking-requests?limit=500'],
      ['GET', '/api/v1/booking-requests/not-a-uuid'],
      ['POST', '/api/v1/booking-requests/not-a-uuid/approve'],
      ['POST', '/api/v1/booking-requests/not-a-uuid/decline'],
      ['GET', '/api/v1/portal/booking-requests?cursor=@@'],
      ['POST', '/api/v1/portal/booking-requests/not-a-uuid/withdraw'],
    ])('%s %s', async (method, path) => {
      const before = await state();
      const cookie = path.includes('/portal/') ? me.cookie : s.cookie;
      const res = await t.http()[method.toLowerCase() as 'get' | 'post'](path).set('cookie', cookie).send(method === 'POST' ? { reason: 'x', slotIndex: 0, as: 'hold' } : undefined);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await state()).toEqual(before);
    });
  });
});
