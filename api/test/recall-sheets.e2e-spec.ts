import { at, bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Issue 9 (booking-extras): a booking's recall / track sheet, versioned by save, with two engineers editing at once. */
describe('recall sheets', () => {
  let t: TestApp;
  let s: BookingStudio;
  let other: BookingStudio;
  let clientId: string;
  let roomId: string;
  let hour = 0;

  beforeAll(async () => {
    t = await createTestApp();
    s = await bookingStudio(t, 'Recall sheets');
    other = await bookingStudio(t, 'Other studio');
    clientId = await s.client();
    roomId = await s.room();
  });
  afterAll(async () => {
    await s.close();
    await other.close();
    await t?.close();
  });

  const newBooking = async () => (await s.api.post('/api/v1/bookings').send({ clientId, roomId, title: 'Tracking', startsAt: at(hour), endsAt: at((hour += 2)) }).expect(201)).body.id as string;
  const put = (bookingId: string, body: object, cookie = s.cookie) => t.http().put(`/api/v1/bookings/${bookingId}/recall-sheet`).set('cookie', cookie).send(body);
  const sheet = (baseVersion: number, extra: object = {}) => ({
    baseVersion,
    tracks: ['Intro', 'Night Drive'],
    settings: [{ label: 'Vocal mic', value: 'U87, cardioid, pad off' }],
    notes: 'Take 3 was the keeper.',
    ...extra,
  });
  const written = async (bookingId: string) => ({
    sheets: await s.count('booking_recall_sheets', `booking_id = '${bookingId}'`),
    audit: await s.count('audit_log', `action = 'booking.recall_sheet_saved' AND target_id = '${bookingId}'`),
  });

  it('each save is a new version; the latest, the list (newest first) and every version stay readable; each save is audited', async () => {
    const id = await newBooking();
    await s.api.get(`/api/v1/bookings/${id}/recall-sheet`).expect(404);
    const v1 = await put(id, sheet(0)).expect(201);
    expect(v1.body).toEqual({
      bookingId: id,
      version: 1,
      tracks: ['Intro', 'Night Drive'],
      settings: [{ label: 'Vocal mic', value: 'U87, cardioid, pad off' }],
      notes: 'Take 3 was the keeper.',
      savedBy: s.userId,
      savedAt: expect.any(String),
    });
    const v2 = await put(id, sheet(1, { tracks: ['Intro'], notes: 'Comped the bridge.' })).expect(201);
    expect(v2.body).toMatchObject({ version: 2, tracks: ['Intro'], notes: 'Comped the bridge.' });
    expect((await s.api.get(`/api/v1/bookings/${id}/recall-sheet`).expect(200)).body).toEqual(v2.body);
    expect((await s.api.get(`/api/v1/bookings/${id}/recall-sheet/versions/1`).expect(200)).body).toEqual(v1.body);
    const list = await s.api.get(`/api/v1/bookings/${id}/recall-sheet/versions`).expect(200);
    expect(list.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    await s.api.get(`/api/v1/bookings/${id}/recall-sheet/versions/3`).expect(404);
    const audit = await s.db.query(`SELECT details->>'version' AS version FROM audit_log WHERE action = 'booking.recall_sheet_saved' AND target_id = $1 ORDER BY occurred_at`, [id]);
    expect(audit.rows).toEqual([{ version: '1' }, { version: '2' }]);
  });

  it('a save from a stale base version is a 409 and writes nothing', async () => {
    const id = await newBooking();
    await put(id, sheet(0)).expect(201);
    await put(id, sheet(1)).expect(201);
    const before = await written(id);
    const res = await put(id, sheet(1, { notes: 'my edits from v1' })).expect(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 409, type: expect.stringMatching(/recall-sheet-stale$/) });
    expect(await written(id)).toEqual(before);
    // A first save when a sheet exists is stale too (base 0).
    await put(id, sheet(0)).expect(409);
    expect(await written(id)).toEqual(before);
  });

  it('concurrent saves from the same base: exactly one wins, the others get 409', async () => {
    const id = await newBooking();
    await put(id, sheet(0)).expect(201);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => put(id, sheet(1, { notes: `engineer ${i}` }))));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(11).fill(409)]);
    expect(await written(id)).toEqual({ sheets: 2, audit: 2 });
    const winner = results.find((r) => r.status === 201)!.body.notes;
    expect((await s.api.get(`/api/v1/bookings/${id}/recall-sheet`).expect(200)).body).toMatchObject({ version: 2, notes: winner });
  });

  it.each([
    ['no baseVersion', { ...sheet(0), baseVersion: undefined }],
    ['negative baseVersion', sheet(-1)],
    ['fractional baseVersion', sheet(0.5)],
    ['tracks not a list', sheet(0, { tracks: 'Intro' })],
    ['an empty track title', sheet(0, { tracks: [''] })],
    ['a track title of 301 characters', sheet(0, { tracks: ['x'.repeat(301)] })],
    ['201 tracks', sheet(0, { tracks: Array.from({ length: 201 }, (_, i) => `Track ${i}`) })],
    ['201 settings rows', sheet(0, { settings: Array.from({ length: 201 }, (_, i) => ({ label: `Row ${i}`, value: 'x' })) })],
    ['a setting without a label', sheet(0, { settings: [{ value: 'U87' }] })],
    ['a setting value of 1001 characters', sheet(0, { settings: [{ label: 'Mic', value: 'x'.repeat(1001) }] })],
    ['an unknown field in a setting', sheet(0, { settings: [{ label: 'Mic', value: 'U87', colour: 'red' }] })],
    ['notes too long', sheet(0, { notes: 'x'.repeat(20_001) })],
    ['notes missing', { ...sheet(0), notes: undefined }],
    ['an unknown field', sheet(0, { version: 7 })],
  ])('bad input (%s) → 400 problem, nothing written', async (_label, body) => {
    const id = await newBooking();
    const res = await put(id, body).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await written(id)).toEqual({ sheets: 0, audit: 0 });
  });

  it('bad ids: not a UUID or version not a number → 400; unknown booking → 404', async () => {
    await s.api.get('/api/v1/bookings/nope/recall-sheet').expect(400);
    const id = await newBooking();
    await s.api.get(`/api/v1/bookings/${id}/recall-sheet/versions/first`).expect(400);
    await put('00000000-0000-4000-8000-000000000000', sheet(0)).expect(404);
    await s.api.get('/api/v1/bookings/00000000-0000-4000-8000-000000000000/recall-sheet/versions').expect(404);
  });

  it("another studio's booking is a 404 for reads and writes, and nothing is written", async () => {
    const id = await newBooking();
    await put(id, sheet(0)).expect(201);
    await other.api.get(`/api/v1/bookings/${id}/recall-sheet`).expect(404);
    await other.api.get(`/api/v1/bookings/${id}/recall-sheet/versions`).expect(404);
    await other.api.get(`/api/v1/bookings/${id}/recall-sheet/versions/1`).expect(404);
    await put(id, sheet(1), other.cookie).expect(404);
    expect(await written(id)).toEqual({ sheets: 1, audit: 1 });
  });

  it('viewers read, engineers save; deleting the booking deletes its sheets', async () => {
    const id = await newBooking();
    const viewer = await s.cookieOf(await s.member('viewer'));
    const engineerId = await s.member('engineer');
    const engineer = await s.cookieOf(engineerId);
    await put(id, sheet(0), viewer).expect(403);
    expect((await put(id, sheet(0), engineer).expect(201)).body.savedBy).toBe(engineerId);
    await t.http().get(`/api/v1/bookings/${id}/recall-sheet`).set('cookie', viewer).expect(200);
    await s.db.query(`DELETE FROM bookings WHERE id = $1`, [id]);
    expect(await s.count('booking_recall_sheets', `booking_id = '${id}'`)).toBe(0);
  });
});
