import { randomUUID } from 'node:crypto';
import { resourceStudio } from './support/resource-studio.js';
import { registerStudio } from './support/test-app.js';
import { addMemberWithSession } from './support/studio-members.js';

/** Issue 9, resources: /api/v1/equipment. */
describe('equipment', () => {
  const s = resourceStudio('Equipment');
  const { as, api } = s;
  const snapshot = () => s.snapshot('equipment');
  let roomId: string;

  beforeAll(async () => {
    roomId = (await api().post('/api/v1/rooms', { name: 'Studio A' }).expect(201)).body.id;
  });

  let n = 0;
  const newItem = async (body: object = {}) => (await api().post('/api/v1/equipment', { name: `Item ${n++}`, category: 'Microphone', ...body }).expect(201)).body;

  it('requires authentication on every route', async () => {
    const id = randomUUID();
    await s.t.http().get('/api/v1/equipment').expect(401);
    await s.t.http().post('/api/v1/equipment').send({ name: 'X', category: 'Y' }).expect(401);
    await s.t.http().get(`/api/v1/equipment/${id}`).expect(401);
    await s.t.http().patch(`/api/v1/equipment/${id}`).send({ name: 'X' }).expect(401);
    await s.t.http().delete(`/api/v1/equipment/${id}`).expect(401);
  });

  it('creates portable equipment with defaults, and equipment in a room with a rate; both readable and audited', async () => {
    const portable = await api().post('/api/v1/equipment', { name: 'SM57', category: 'Microphone' }).expect(201);
    expect(portable.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'SM57',
      category: 'Microphone',
      serialNumber: null,
      homeRoomId: null,
      status: 'available',
      rateMinor: null,
      rateUnit: 'session',
      currency: null,
      notes: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const homed = await api()
      .post('/api/v1/equipment', { name: 'U 87', category: 'Microphone', serialNumber: 'N-1234', homeRoomId: roomId, rateMinor: 2500, rateUnit: 'hour', currency: 'EUR' })
      .expect(201);
    expect(homed.body).toMatchObject({ homeRoomId: roomId, rateMinor: 2500, rateUnit: 'hour', currency: 'EUR', serialNumber: 'N-1234' });
    expect((await api().get(`/api/v1/equipment/${homed.body.id}`).expect(200)).body).toEqual(homed.body);
    const audit = await s.tenantDb.query(`SELECT action FROM audit_log WHERE target_id = ANY($1) ORDER BY occurred_at`, [[portable.body.id, homed.body.id]]);
    expect(audit.rows).toEqual([{ action: 'equipment.created' }, { action: 'equipment.created' }]);
  });

  it('patches the fields sent, clears a rate with its currency, moves between rooms, and deletes', async () => {
    const item = await newItem({ rateMinor: 100, currency: 'EUR', notes: 'keep' });
    const res = await api().patch(`/api/v1/equipment/${item.id}`, { rateMinor: null, currency: null, status: 'maintenance', homeRoomId: roomId }).expect(200);
    expect(res.body).toMatchObject({ rateMinor: null, currency: null, status: 'maintenance', homeRoomId: roomId, notes: 'keep' });
    expect((await api().patch(`/api/v1/equipment/${item.id}`, { homeRoomId: null }).expect(200)).body.homeRoomId).toBeNull();
    await api().delete(`/api/v1/equipment/${item.id}`).expect(204);
    await api().get(`/api/v1/equipment/${item.id}`).expect(404);
    await api().delete(`/api/v1/equipment/${item.id}`).expect(404);
    const actions = await s.tenantDb.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY occurred_at`, [item.id]);
    expect(actions.rows.map((r) => r.action)).toEqual(['equipment.created', 'equipment.updated', 'equipment.updated', 'equipment.deleted']);
  });

  it('makes equipment portable when its room is deleted', async () => {
    const room = (await api().post('/api/v1/rooms', { name: 'Doomed booth' }).expect(201)).body;
    const item = await newItem({ homeRoomId: room.id });
    await api().delete(`/api/v1/rooms/${room.id}`).expect(204);
    expect((await api().get(`/api/v1/equipment/${item.id}`).expect(200)).body.homeRoomId).toBeNull();
  });

  const badInputs: Array<[string, object, string]> = [
    ['no name', { name: undefined }, 'name'],
    ['no category', { category: undefined }, 'category'],
    ['a blank category', { category: ' ' }, 'category'],
    ['an unknown status', { status: 'lost' }, 'status'],
    ['a null status', { status: null }, 'status'],
    ['a rate without a currency', { rateMinor: 500 }, 'currency'],
    ['a negative rate', { rateMinor: -1, currency: 'EUR' }, 'rateMinor'],
    ['a fractional rate', { rateMinor: 0.5, currency: 'EUR' }, 'rateMinor'],
    ['an unknown rate unit', { rateUnit: 'day' }, 'rateUnit'],
    ['an unknown currency', { rateMinor: 5, currency: 'EURO' }, 'currency'],
    ['a home room that is not a UUID', { homeRoomId: 'studio-a' }, 'homeRoomId'],
    ['a home room that does not exist', { homeRoomId: randomUUID() }, 'homeRoomId'],
    ['a serial number over 120 characters', { serialNumber: 'x'.repeat(121) }, 'serialNumber'],
    ['an unknown field', { roomId: randomUUID() }, 'roomId'],
  ];

  it.each(badInputs)('POST refuses %s with a 400 naming the field and writes nothing', async (_label, body, field) => {
    const before = await snapshot();
    const res = await api().post('/api/v1/equipment', { name: 'Bad', category: 'Microphone', ...body }).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it.each(badInputs.filter(([label]) => !label.startsWith('no ')))('PATCH refuses %s with a 400 naming the field and writes nothing', async (_label, body, field) => {
    const item = await newItem();
    const before = await snapshot();
    const res = await api().patch(`/api/v1/equipment/${item.id}`, { notes: 'changed', ...body }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it('PATCH keeps a rate and its currency together: clearing only the currency is a 400', async () => {
    const item = await newItem({ rateMinor: 100, currency: 'EUR' });
    const before = await snapshot();
    await api().patch(`/api/v1/equipment/${item.id}`, { currency: null }).expect(400);
    await api().patch(`/api/v1/equipment/${item.id}`, { name: null }).expect(400);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses another studio's room as home room, and gives another studio 404 for this studio's equipment", async () => {
    const other = await registerStudio(s.t, 'Other equipment');
    const item = await newItem();
    const before = await snapshot();
    const otherCount = async () => (await as(other.cookie).get('/api/v1/equipment').expect(200)).body.items.length;
    const res = await as(other.cookie).post('/api/v1/equipment', { name: 'Theirs', category: 'Mic', homeRoomId: roomId }).expect(400);
    expect(res.body.errors).toEqual([{ field: 'homeRoomId', messages: ['homeRoomId must be a room of your studio'] }]);
    expect(await otherCount()).toBe(0);
    await as(other.cookie).get(`/api/v1/equipment/${item.id}`).expect(404);
    await as(other.cookie).patch(`/api/v1/equipment/${item.id}`, { name: 'Stolen' }).expect(404);
    await as(other.cookie).delete(`/api/v1/equipment/${item.id}`).expect(404);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 400 for a malformed id and 404 for an unknown one on every route', async () => {
    const send = (method: 'get' | 'patch' | 'delete', url: string) =>
      method === 'patch' ? api().patch(url, { name: 'x' }) : method === 'get' ? api().get(url) : api().delete(url);
    for (const method of ['get', 'patch', 'delete'] as const) {
      expect([method, (await send(method, '/api/v1/equipment/nope')).status]).toEqual([method, 400]);
      const missing = await send(method, `/api/v1/equipment/${randomUUID()}`);
      expect([method, missing.status, missing.body.detail]).toEqual([method, 404, 'No equipment with this id in your studio.']);
    }
  });

  it('lets viewers and engineers read, and only admins and owners write', async () => {
    const item = await newItem();
    const viewer = await addMemberWithSession(s.t, s.studio.organizationId, 'viewer');
    const engineer = await addMemberWithSession(s.t, s.studio.organizationId, 'engineer');
    const admin = await addMemberWithSession(s.t, s.studio.organizationId, 'admin');
    const before = await snapshot();
    for (const who of [viewer, engineer]) {
      await as(who.cookie).get('/api/v1/equipment').expect(200);
      await as(who.cookie).get(`/api/v1/equipment/${item.id}`).expect(200);
      await as(who.cookie).post('/api/v1/equipment', { name: 'Nope', category: 'Mic' }).expect(403);
      await as(who.cookie).patch(`/api/v1/equipment/${item.id}`, { name: 'Nope' }).expect(403);
      await as(who.cookie).delete(`/api/v1/equipment/${item.id}`).expect(403);
    }
    expect(await snapshot()).toEqual(before);
    await as(admin.cookie).patch(`/api/v1/equipment/${item.id}`, { status: 'retired' }).expect(200);
  });

  describe('list', () => {
    let list: Awaited<ReturnType<typeof registerStudio>>;
    let a: string;
    let b: string;
    beforeAll(async () => {
      list = await registerStudio(s.t, 'Equipment list');
      const post = (url: string, body: object) => as(list.cookie).post(url, body).expect(201);
      a = (await post('/api/v1/rooms', { name: 'A' })).body.id;
      b = (await post('/api/v1/rooms', { name: 'B' })).body.id;
      for (let i = 0; i < 24; i++) {
        await post('/api/v1/equipment', {
          name: `${i % 2 ? 'mic' : 'Mic'} ${String(i).padStart(2, '0')}`,
          category: i % 3 === 0 ? 'Outboard' : 'Microphone',
          status: i % 4 === 0 ? 'maintenance' : 'available',
          homeRoomId: i % 2 === 0 ? a : i % 3 === 0 ? b : null,
          serialNumber: i === 5 ? 'SN_5%' : null,
        });
      }
    });
    const get = (query: string) => as(list.cookie).get(`/api/v1/equipment${query}`);
    const all = async (query: string, limit = 5) => {
      const names: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { body: { items: Array<{ name: string }>; nextCursor: string | null } } = await get(`?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        names.push(...res.body.items.map((r) => r.name));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 30);
      return names.map((x) => Number(x.slice(4)));
    };
    const expected = (keep: (i: number) => boolean) => Array.from({ length: 24 }, (_, i) => i).filter(keep);

    it('pages through all of it once, by name whatever the case', async () => {
      expect(await all('')).toEqual(expected(() => true));
    });

    it('filters by status, category (any case), home room, portable, and search; filters combine and hold across pages', async () => {
      expect(await all('&status=maintenance')).toEqual(expected((i) => i % 4 === 0));
      expect(await all('&category=outboard')).toEqual(expected((i) => i % 3 === 0));
      expect(await all(`&roomId=${a}`)).toEqual(expected((i) => i % 2 === 0));
      expect(await all(`&roomId=${b}`)).toEqual(expected((i) => i % 2 === 1 && i % 3 === 0));
      expect(await all('&portable=true')).toEqual(expected((i) => i % 2 === 1 && i % 3 !== 0));
      expect(await all('&portable=false')).toEqual(expected((i) => i % 2 === 0 || i % 3 === 0));
      expect(await all(`&roomId=${a}&status=maintenance&category=Outboard`)).toEqual(expected((i) => i % 12 === 0));
      expect(await all('&q=SN_5%25')).toEqual([5]);
      expect(await all('&q=MIC%2001')).toEqual([1]);
      expect(await all(`&roomId=${randomUUID()}`)).toEqual([]);
    });

    it('refuses bad filters and cursors with a 400 naming the parameter', async () => {
      for (const [query, field] of [
        ['?status=lost', 'status'],
        ['?roomId=a', 'roomId'],
        ['?portable=1', 'portable'],
        ['?cursor=abc', 'cursor'],
        [`?category=${'x'.repeat(81)}`, 'category'],
        ['?tenant=other', 'tenant'],
      ]) {
        const res = await get(query);
        expect([query, res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([query, 400, [field]]);
      }
    });
  });
});
