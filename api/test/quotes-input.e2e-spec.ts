import { bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { line, taxRate } from './support/invoice-fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { quote, quoteRows, send } from './support/quote-fixtures.js';

/** Issue 11, quotes: bad input on every endpoint → a 400/404/409 problem, and nothing written (rows and digests compared). */
describe('quotes: bad input is refused and writes nothing', () => {
  let t: TestApp;
  let s: BookingStudio;
  let clientId: string;
  let otherClient: string;
  let draftId: string;
  let archived: string;
  const FUTURE = '2099-12-31';
  const NOBODY = '00000000-0000-4000-8000-000000000000';
  /** Stands for the studio's client in the tables below (they are built before beforeAll runs). */
  const CLIENT = '@client';
  const withClient = (body: Record<string, unknown>) => ({ ...body, ...(body.clientId === CLIENT ? { clientId } : {}) });

  beforeAll(async () => {
    t = await createTestApp();
    s = await bookingStudio(t, 'Quote input');
    archived = await taxRate(s.db, { ratePercent: '7' });
    await s.db.query(`UPDATE tax_rates SET archived_at = now() WHERE id = $1`, [archived]);
    clientId = (await s.api.post('/api/v1/clients').send({ name: 'Owls', email: 'owls@band.test' }).expect(201)).body.id;
    otherClient = (await s.api.post('/api/v1/clients').send({ name: 'Crows' }).expect(201)).body.id;
    draftId = (await quote(s, { clientId, validUntil: FUTURE, lines: [line()] })).id;
  });
  afterAll(async () => {
    await s.close();
    await t?.close();
  });

  const refused = async (request: () => Promise<{ status: number; body: { type?: string; errors?: Array<{ field: string }> } }>, status: number, type: RegExp | string) => {
    const before = await quoteRows(s.db);
    const res = await request();
    expect(res.status).toBe(status);
    if (typeof type === 'string') expect(res.body.errors?.map((e) => e.field)).toContain(type);
    else expect(res.body.type).toMatch(type);
    expect(await quoteRows(s.db)).toEqual(before);
  };

  const badBodies: Array<[string, Record<string, unknown>, string]> = [
    ['no client', { lines: [line()] }, 'clientId'],
    ['unknown client', { clientId: NOBODY }, 'clientId'],
    ['unknown currency', { clientId: CLIENT, currency: 'XXZ' }, 'currency'],
    ['lower-case currency', { clientId: CLIENT, currency: 'eur' }, 'currency'],
    ['negative quantity', { clientId: CLIENT, lines: [line({ quantity: '-1' })] }, 'lines.0.quantity'],
    ['negative price', { clientId: CLIENT, lines: [line({ unitPriceMinor: -5 })] }, 'lines.0.unitPriceMinor'],
    ['discount over the line', { clientId: CLIENT, lines: [line({ discountMinor: 10001 })] }, 'lines[0]'],
    ['archived tax rate', { clientId: CLIENT, lines: [line({ taxRateId: '' })] }, 'lines[0].taxRateId'],
    ['unknown project', { clientId: CLIENT, projectId: NOBODY }, 'projectId'],
    ['unreal date', { clientId: CLIENT, validUntil: '2031-02-30' }, 'validUntil'],
    ['both deposit forms', { clientId: CLIENT, lines: [line()], deposit: { percent: '30', amountMinor: 100 } }, 'deposit'],
    ['empty deposit', { clientId: CLIENT, lines: [line()], deposit: {} }, 'deposit'],
    ['deposit over 100 %', { clientId: CLIENT, lines: [line()], deposit: { percent: '150' } }, 'deposit.percent'],
    ['zero deposit', { clientId: CLIENT, lines: [line()], deposit: { percent: '0' } }, 'deposit.percent'],
    ['deposit over the total', { clientId: CLIENT, lines: [line()], deposit: { amountMinor: 10001 } }, 'deposit.amountMinor'],
    ['unknown field', { clientId: CLIENT, surprise: 1 }, 'surprise'],
  ];

  it.each(badBodies)('POST /quotes: %s → 400 naming the field', async (_, body, field) => {
    if (field === 'lines[0].taxRateId') body = { ...body, lines: [line({ taxRateId: archived })] };
    await refused(() => s.api.post('/api/v1/quotes').send(withClient(body)), 400, field);
  });

  it.each(badBodies.filter(([name]) => name !== 'no client'))('PATCH /quotes/{id}: %s → 400 naming the field', async (_, body, field) => {
    if (field === 'lines[0].taxRateId') body = { ...body, lines: [line({ taxRateId: archived })] };
    await refused(() => s.api.patch(`/api/v1/quotes/${draftId}`).send(withClient(body)), 400, field);
  });

  it.each([
    ['both deposit forms', { percent: '30', amountMinor: 100 }, 'deposit', 'give exactly one of deposit.percent and deposit.amountMinor'],
    ['a deposit over 100 %', { percent: '100.01' }, 'deposit.percent', 'percent must be more than 0 and at most 100'],
    ['a deposit over the total', { amountMinor: 10001 }, 'deposit.amountMinor', 'the deposit is larger than the quote\u2019s total'],
  ])('%s: the problem names the field and says what is wrong', async (_, deposit, field, message) => {
    const res = await s.api.post('/api/v1/quotes').send({ clientId, lines: [line()], deposit }).expect(400);
    expect(res.body.errors).toEqual([{ field, messages: [message] }]);
  });

  it('a project of another client → 400; an unknown or malformed id → 404 / 400 on every route', async () => {
    const project = (await s.api.post('/api/v1/projects').send({ clientId: otherClient, title: 'Not theirs', type: 'single' })).body.id as string | undefined;
    if (project) await refused(() => s.api.post('/api/v1/quotes').send({ clientId, projectId: project }), 400, 'projectId');
    for (const [method, suffix] of [['get', ''], ['patch', ''], ['delete', ''], ['post', '/send'], ['post', '/accept'], ['post', '/decline'], ['post', '/invoice']] as const) {
      await refused(() => s.api[method](`/api/v1/quotes/${NOBODY}${suffix}`).send({}), 404, /not-found$/);
      await refused(() => s.api[method](`/api/v1/quotes/not-a-uuid${suffix}`).send({}), 400, 'id');
    }
  });

  it('GET /quotes: bad filters and cursors → 400', async () => {
    for (const [query, field] of [['status=open', 'status'], ['clientId=12', 'clientId'], ['limit=0', 'limit'], ['limit=1000', 'limit'], ['cursor=%21%21', 'cursor']] as const) {
      const res = await s.api.get(`/api/v1/quotes?${query}`);
      expect(res.status).toBe(400);
      if (field !== 'cursor') expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('send: without lines → 409 quote-empty; without validUntil or with a past one → 400; nothing written, no number taken', async () => {
    const empty = (await quote(s, { clientId, validUntil: FUTURE })).id;
    await refused(() => s.api.post(`/api/v1/quotes/${empty}/send`), 409, /quote-empty$/);
    const undated = (await quote(s, { clientId, lines: [line()] })).id;
    await refused(() => s.api.post(`/api/v1/quotes/${undated}/send`), 400, 'validUntil');
    const past = (await quote(s, { clientId, validUntil: '2001-01-01', lines: [line()] })).id;
    await refused(() => s.api.post(`/api/v1/quotes/${past}/send`), 400, 'validUntil');
  });

  it('accept, decline and invoice out of turn → 409; decline with a too long reason → 400', async () => {
    await refused(() => s.api.post(`/api/v1/quotes/${draftId}/accept`), 409, /quote-not-sent$/);
    await refused(() => s.api.post(`/api/v1/quotes/${draftId}/decline`).send({}), 409, /quote-not-sent$/);
    await refused(() => s.api.post(`/api/v1/quotes/${draftId}/invoice`), 409, /quote-not-accepted$/);
    const sent = await send(s, (await quote(s, { clientId, validUntil: FUTURE, lines: [line()] })).id);
    await refused(() => s.api.post(`/api/v1/quotes/${sent.id}/decline`).send({ reason: 'x'.repeat(501) }), 400, 'reason');
    await refused(() => s.api.post(`/api/v1/quotes/${sent.id}/invoice`), 409, /quote-not-accepted$/);
  });
});
