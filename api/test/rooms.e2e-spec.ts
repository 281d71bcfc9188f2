import { randomUUID } from 'node:crypto';
import { resourceStudio } from './support/resource-studio.js';
import { registerStudio } from './support/test-app.js';
import { addMemberWithSession } from './support/studio-members.js';

/** Issue 9, resources: /api/v1/rooms. */
describe('rooms', () => {
  const s = resourceStudio('Rooms');
  const { as, api } = s;
  const snapshot = () => s.snapshot('rooms');
  let n = 0;
  const newRoom = async (body: object = {}) => (await api().post('/api/v1/rooms', { name: `Room ${n++}`, ...body }).expect(201)).body;

  it('requires authentication on every route', async () => {
    const id = randomUUID();
    await s.t.http().get('/api/v1/rooms').expect(401);
    await s.t.http().post('/api/v1/rooms').send({ name: 'X' }).expect(401);
    await s.t.http().get(`/api/v1/rooms/${id}`).expect(401);
    await s.t.http().patch(`/api/v1/rooms/${id}`).send({ name: 'X' }).expect(401);
    await s.t.http().delete(`/api/v1/rooms/${id}`).expect(401);
  });

  it("creates a room with the defaults and the studio's currency, readable and audited", async () => {
    await api().patch('/api/v1/studio', { defaultCurrency: 'GBP' }).expect(200);
    const res = await api().post('/api/v1/rooms', { name: '  Live Room  ' }).expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Live Room',
      description: null,
      capacity: null,
      hourlyRateMinor: 0,
      dayRateMinor: null,
      currency: 'GBP',
      colour: '#6366f1',
      active: true,
      minNoticeMinutes: 0,
      minLengthMinutes: 30,
      maxLengthMinutes: null,
      openingHours: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect((await api().get(`/api/v1/rooms/${res.body.id}`).expect(200)).body).toEqual(res.body);
    expect((await s.tenantDb.query(`SELECT action, target_id, details FROM audit_log WHERE target_id = $1`, [res.body.id])).rows).toEqual([
      { action: 'room.created', target_id: res.body.id, details: { name: 'Live Room' } },
    ]);
  });

  it('stores every field: rates in minor units, colour in lower case, rules, its own opening hours by weekday', async () => {
    const body = {
      name: 'Studio A',
      description: 'SSL console',
      capacity: 8,
      hourlyRateMinor: 4500,
      dayRateMinor: 30000,
      currency: 'EUR',
      colour: '#FF8800',
      minNoticeMinutes: 120,
      minLengthMinutes: 60,
      maxLengthMinutes: 720,
      openingHours: [
        { weekday: 7, opens: '12:00', closes: '20:00' },
        { weekday: 1, opens: '08:00', closes: '24:00' },
      ],
    };
    const res = await api().post('/api/v1/rooms', body).expect(201);
    expect(res.body).toMatchObject({ ...body, colour: '#ff8800', openingHours: [body.openingHours[1], body.openingHours[0]] });
  });

  it('patches the fields sent, clears optional ones with null, deactivates, and deletes', async () => {
    const room = await newRoom({ description: 'keep', dayRateMinor: 100 });
    const res = await api().patch(`/api/v1/rooms/${room.id}`, { hourlyRateMinor: 5000, dayRateMinor: null, active: false }).expect(200);
    expect(res.body).toMatchObject({ hourlyRateMinor: 5000, dayRateMinor: null, active: false, description: 'keep', name: room.name });
    const audit = await s.tenantDb.query(`SELECT details FROM audit_log WHERE action = 'room.updated' AND target_id = $1`, [room.id]);
    expect(audit.rows).toEqual([{ details: { fields: ['active', 'dayRateMinor', 'hourlyRateMinor'] } }]);
    await api().delete(`/api/v1/rooms/${room.id}`).expect(204);
    await api().get(`/api/v1/rooms/${room.id}`).expect(404);
    await api().delete(`/api/v1/rooms/${room.id}`).expect(404);
    expect((await s.tenantDb.query(`SELECT action FROM audit_log WHERE action = 'room.deleted' AND target_id = $1`, [room.id])).rows).toHaveLength(1);
  });

  it('refuses a name another room has, whatever the case, with a 409 that writes nothing', async () => {
    const room = await newRoom({ name: 'Control Room' });
    const other = await newRoom();
    const before = await snapshot();
    const res = await api().post('/api/v1/rooms', { name: 'CONTROL ROOM' }).expect(409);
    expect(res.body).toMatchObject({ status: 409, type: 'https://rsm.dev/problems/room-name-taken' });
    await api().patch(`/api/v1/rooms/${other.id}`, { name: 'control room', hourlyRateMinor: 1 }).expect(409);
    expect(await snapshot()).toEqual(before);
    // Renaming a room to its own name in another case is fine.
    await api().patch(`/api/v1/rooms/${room.id}`, { name: 'CONTROL ROOM' }).expect(200);
  });

  it('answers 409 room-in-use when something refers to the room, and deletes nothing', async () => {
    // Bookings (another part of issue 9) will refer to rooms with a foreign key; a table of the test stands in for them.
    const room = await newRoom();
    await s.tenantDb.query(`CREATE TABLE test_room_refs (room_id uuid NOT NULL REFERENCES rooms(id))`);
    await s.tenantDb.query(`INSERT INTO test_room_refs VALUES ($1)`, [room.id]);
    try {
      const before = await snapshot();
      const res = await api().delete(`/api/v1/rooms/${room.id}`).expect(409);
      expect(res.body).toMatchObject({ type: 'https://rsm.dev/problems/room-in-use', detail: expect.stringContaining('"active": false') });
      expect(await snapshot()).toEqual(before);
      await api().patch(`/api/v1/rooms/${room.id}`, { active: false }).expect(200);
    } finally {
      await s.tenantDb.query(`DROP TABLE test_room_refs`);
    }
  });

  const badInputs: Array<[string, object, string]> = [
    ['no name', { hourlyRateMinor: 1 }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a name over 120 characters', { name: 'x'.repeat(121) }, 'name'],
    ['a negative hourly rate', { hourlyRateMinor: -1 }, 'hourlyRateMinor'],
    ['a fractional hourly rate', { hourlyRateMinor: 10.5 }, 'hourlyRateMinor'],
    ['an hourly rate as text', { hourlyRateMinor: '4500' }, 'hourlyRateMinor'],
    ['a null hourly rate', { hourlyRateMinor: null }, 'hourlyRateMinor'],
    ['a rate over the integer range', { hourlyRateMinor: 2 ** 31 }, 'hourlyRateMinor'],
    ['a negative day rate', { dayRateMinor: -100 }, 'dayRateMinor'],
    ['an unknown currency', { currency: 'ABC' }, 'currency'],
    ['a null currency', { currency: null }, 'currency'],
    ['a colour name', { colour: 'red' }, 'colour'],
    ['a short colour', { colour: '#fff' }, 'colour'],
    ['capacity 0', { capacity: 0 }, 'capacity'],
    ['a negative notice', { minNoticeMinutes: -5 }, 'minNoticeMinutes'],
    ['a minimum length of 0', { minLengthMinutes: 0 }, 'minLengthMinutes'],
    ['a maximum under the minimum', { minLengthMinutes: 120, maxLengthMinutes: 60 }, 'maxLengthMinutes'],
    ['a maximum under the default minimum', { maxLengthMinutes: 29 }, 'maxLengthMinutes'],
    ['a maximum over 30 days', { maxLengthMinutes: 30 * 24 * 60 + 1 }, 'maxLengthMinutes'],
    ['opening hours closing before opening', { openingHours: [{ weekday: 1, opens: '10:00', closes: '09:00' }] }, 'openingHours'],
    ['opening hours with a weekday twice', { openingHours: [{ weekday: 1, opens: '10:00', closes: '11:00' }, { weekday: 1, opens: '12:00', closes: '13:00' }] }, 'openingHours'],
    ['a null active flag', { active: null }, 'active'],
    ['active as text', { active: 'yes' }, 'active'],
    ['an id in the body', { id: randomUUID() }, 'id'],
  ];

  it.each(badInputs)('POST refuses %s with a 400 naming the field and writes nothing', async (_label, body, field) => {
    const before = await snapshot();
    const res = await api().post('/api/v1/rooms', { name: `Bad ${n++}`, ...body, ...(field === 'name' ? { name: (body as { name?: string }).name } : {}) }).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it.each(badInputs.filter(([label]) => label !== 'no name'))('PATCH refuses %s with a 400 naming the field and writes nothing', async (_label, body, field) => {
    const room = await newRoom({ minLengthMinutes: 60 });
    const before = await snapshot();
    const res = await api().patch(`/api/v1/rooms/${room.id}`, { description: 'changed', ...body }).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it('PATCH checks the length rule against the stored minimum, and refuses a null name', async () => {
    const room = await newRoom({ minLengthMinutes: 90 });
    const before = await snapshot();
    expect((await api().patch(`/api/v1/rooms/${room.id}`, { maxLengthMinutes: 60 }).expect(400)).body.errors).toEqual([
      { field: 'maxLengthMinutes', messages: ['maxLengthMinutes must be at least minLengthMinutes'] },
    ]);
    await api().patch(`/api/v1/rooms/${room.id}`, { name: null }).expect(400);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 400 for a malformed id and 404 for an unknown one on every route', async () => {
    const send = (method: 'get' | 'patch' | 'delete', url: string) =>
      method === 'patch' ? api().patch(url, { name: 'x' }) : method === 'get' ? api().get(url) : api().delete(url);
    for (const method of ['get', 'patch', 'delete'] as const) {
      const bad = await send(method, '/api/v1/rooms/not-a-uuid');
      expect([method, bad.status, bad.body.errors?.[0]?.field]).toEqual([method, 400, 'id']);
      const missing = await send(method, `/api/v1/rooms/${randomUUID()}`);
      expect([method, missing.status, missing.body.detail]).toEqual([method, 404, 'No room with this id in your studio.']);
    }
  });

  it("gives another studio 404 for this studio's rooms and leaves them untouched", async () => {
    const room = await newRoom({ name: 'Private Room' });
    const other = await registerStudio(s.t, 'Other rooms');
    const before = await snapshot();
    await as(other.cookie).get(`/api/v1/rooms/${room.id}`).expect(404);
    await as(other.cookie).patch(`/api/v1/rooms/${room.id}`, { name: 'Stolen' }).expect(404);
    await as(other.cookie).delete(`/api/v1/rooms/${room.id}`).expect(404);
    expect((await as(other.cookie).get('/api/v1/rooms').expect(200)).body.items).toEqual([]);
    expect(await snapshot()).toEqual(before);
    // The same name is free in another s.studio.
    await as(other.cookie).post('/api/v1/rooms', { name: 'Private Room' }).expect(201);
  });

  it('lets viewers and engineers read, and only admins and owners write', async () => {
    const room = await newRoom();
    const viewer = await addMemberWithSession(s.t, s.studio.organizationId, 'viewer');
    const engineer = await addMemberWithSession(s.t, s.studio.organizationId, 'engineer');
    const admin = await addMemberWithSession(s.t, s.studio.organizationId, 'admin');
    const before = await snapshot();
    for (const who of [viewer, engineer]) {
      await as(who.cookie).get('/api/v1/rooms').expect(200);
      await as(who.cookie).get(`/api/v1/rooms/${room.id}`).expect(200);
      await as(who.cookie).post('/api/v1/rooms', { name: 'Nope' }).expect(403);
      await as(who.cookie).patch(`/api/v1/rooms/${room.id}`, { name: 'Nope' }).expect(403);
      await as(who.cookie).delete(`/api/v1/rooms/${room.id}`).expect(403);
    }
    expect(await snapshot()).toEqual(before);
    const made = await as(admin.cookie).post('/api/v1/rooms', { name: 'By an admin' }).expect(201);
    await as(admin.cookie).delete(`/api/v1/rooms/${made.body.id}`).expect(204);
  });

  describe('list', () => {
    let list: Awaited<ReturnType<typeof registerStudio>>;
    beforeAll(async () => {
      list = await registerStudio(s.t, 'Room list');
      for (let i = 0; i < 25; i++) {
        const name = `${i % 2 ? 'booth' : 'Booth'} ${String(i).padStart(2, '0')}${i === 7 ? ' 50%' : ''}`;
        await as(list.cookie).post('/api/v1/rooms', { name, active: i % 5 !== 0 }).expect(201);
      }
    });
    const get = (query: string) => as(list.cookie).get(`/api/v1/rooms${query}`);

    const all = async (query: string, limit: number) => {
      const names: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { body: { items: Array<{ name: string }>; nextCursor: string | null } } = await get(`?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        names.push(...res.body.items.map((r) => r.name));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 30);
      return { names, pages };
    };

    it('pages through every room once, by name whatever the case', async () => {
      const { names, pages } = await all('', 10);
      expect(pages).toBe(3);
      expect(names.map((x) => x.slice(6, 8))).toEqual(Array.from({ length: 25 }, (_, i) => String(i).padStart(2, '0')));
    });

    it('filters by active and by a name search (LIKE wildcards taken literally), and keeps the filter across pages', async () => {
      const active = await all('&active=true', 4);
      expect(active.names).toHaveLength(20);
      expect(active.pages).toBe(5);
      expect((await all('&active=false', 100)).names).toEqual(['Booth 00', 'booth 05', 'Booth 10', 'booth 15', 'Booth 20']);
      expect((await get('?q=50%25').expect(200)).body.items.map((r: { name: string }) => r.name)).toEqual(['booth 07 50%']);
      expect((await get('?q=BOOTH%202').expect(200)).body.items).toHaveLength(5);
    });

    it('refuses bad filters and cursors with a 400 naming the parameter', async () => {
      for (const [query, field] of [
        ['?active=yes', 'active'],
        ['?limit=0', 'limit'],
        ['?limit=101', 'limit'],
        ['?cursor=not-a-cursor', 'cursor'],
        [`?cursor=${Buffer.from(JSON.stringify(['x', 'not-a-uuid'])).toString('base64url')}`, 'cursor'],
        [`?q=${'x'.repeat(121)}`, 'q'],
        ['?sort=name', 'sort'],
      ]) {
        const res = await get(query);
        expect([query, res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([query, 400, [field]]);
      }
    });
  });
});
