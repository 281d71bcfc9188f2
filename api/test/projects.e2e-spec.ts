import { randomBytes, randomUUID } from 'node:crypto';
import { at, bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { connectTenantDatabase, createTestApp, type TestApp } from './support/test-app.js';

/** Issue 10: the projects API of the contract (contract-projects.md): CRUD, filters, the summary, deletion rules, roles. */
describe('projects: API', () => {
  let t: TestApp;
  let s: BookingStudio;
  let other: BookingStudio;
  let clientId: string;
  let otherClientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    s = await bookingStudio(t, 'Projects');
    other = await bookingStudio(t, 'Other projects studio');
    clientId = await s.client('The Midnight Owls');
    otherClientId = await s.client('Velvet Static');
  });
  afterAll(async () => {
    await s.close();
    await other.close();
    await t?.close();
  });

  const create = async (extra: Record<string, unknown> = {}, studio: BookingStudio = s) =>
    (await studio.api.post('/api/v1/projects').send({ clientId, title: 'Night Flights', type: 'album', ...extra }).expect(201)).body as { id: string; updatedAt: string; createdAt: string };
  /** Everything a refused write must leave untouched. */
  const snapshot = async () => ({
    projects: (await s.db.query(`SELECT * FROM projects ORDER BY id`)).rows,
    audit: await s.count('audit_log', `target_type = 'project'`),
  });

  it('requires authentication on every route', async () => {
    const id = randomUUID();
    await t.http().get('/api/v1/projects').expect(401);
    await t.http().post('/api/v1/projects').send({ clientId, title: 'X', type: 'ep' }).expect(401);
    await t.http().get(`/api/v1/projects/${id}`).expect(401);
    await t.http().get(`/api/v1/projects/${id}/bookings`).expect(401);
    await t.http().patch(`/api/v1/projects/${id}`).send({ title: 'X' }).expect(401);
    await t.http().delete(`/api/v1/projects/${id}`).expect(401);
  });

  it('creates a project with the defaults, readable with an empty summary, and audited', async () => {
    const res = await s.api.post('/api/v1/projects').send({ clientId, title: '  Night Flights ', type: 'album' }).expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      clientId,
      client: { id: clientId, name: 'The Midnight Owls' },
      title: 'Night Flights',
      type: 'album',
      status: 'planned',
      includedRevisionRounds: 2,
      budget: null,
      dueDate: null,
      notes: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const got = await s.api.get(`/api/v1/projects/${res.body.id}`).expect(200);
    expect(got.body).toEqual({
      ...res.body,
      summary: {
        bookingCount: 0, bookedMinutes: 0, bookedAmountMinor: 0, currency: 'EUR', trackCount: 0, fileCount: 0, storageBytes: 0,
        deliverableCount: 0, approvedDeliverableCount: 0, revisionRoundsUsed: 0, extraRounds: 0,
      },
    });
    const audit = await s.db.query(`SELECT action, details FROM audit_log WHERE target_id = $1`, [res.body.id]);
    expect(audit.rows).toEqual([{ action: 'project.created', details: { title: 'Night Flights', clientId } }]);
    // Who made it (the tenth session's Stryker run: created_by always null survived).
    expect((await s.db.query(`SELECT created_by FROM projects WHERE id = $1`, [res.body.id])).rows).toEqual([{ created_by: s.userId }]);
  });

  it('stores every field given: budget, due date, status, rounds, notes', async () => {
    const body = { status: 'in_progress', includedRevisionRounds: 3, budget: { amountMinor: 1_250_000, currency: 'GBP' }, dueDate: '2031-06-30', notes: 'Tape delay on everything' };
    const res = await s.api.post('/api/v1/projects').send({ clientId, title: 'Full', type: 'ep', ...body }).expect(201);
    expect(res.body).toMatchObject(body);
    const row = (await s.db.query(`SELECT budget_minor, budget_currency, to_char(due_date, 'YYYY-MM-DD') AS due FROM projects WHERE id = $1`, [res.body.id])).rows[0];
    expect(row).toEqual({ budget_minor: '1250000', budget_currency: 'GBP', due: '2031-06-30' });
  });

  it.each([
    ['no clientId', { clientId: undefined }, 'clientId'],
    ['an unknown clientId', { clientId: randomUUID() }, 'clientId'],
    ['a clientId that is not a UUID', { clientId: 'owls' }, 'clientId'],
    ['a blank title', { title: '   ' }, 'title'],
    ['a title of 201 characters', { title: 'x'.repeat(201) }, 'title'],
    ['no type', { type: undefined }, 'type'],
    ['an unknown type', { type: 'mixtape' }, 'type'],
    ['an unknown status', { status: 'done' }, 'status'],
    ['101 included rounds', { includedRevisionRounds: 101 }, 'includedRevisionRounds'],
    ['fractional rounds', { includedRevisionRounds: 1.5 }, 'includedRevisionRounds'],
    ['a negative budget', { budget: { amountMinor: -1, currency: 'EUR' } }, 'budget.amountMinor'],
    ['a budget without currency', { budget: { amountMinor: 100 } }, 'budget.currency'],
    ['a budget in no currency', { budget: { amountMinor: 100, currency: 'XYZ' } }, 'budget.currency'],
    ['a budget that is a number', { budget: 100 }, 'budget'],
    ['30 February', { dueDate: '2031-02-30' }, 'dueDate'],
    ['a due date with a time', { dueDate: '2031-02-03T10:00:00Z' }, 'dueDate'],
    ['an unknown field', { tenantId: randomUUID() }, 'tenantId'],
  ])('POST with %s is a 400 problem naming the field, and writes nothing', async (_label, change, field) => {
    const before = await snapshot();
    const res = await s.api.post('/api/v1/projects').send({ clientId, title: 'Bad', type: 'single', ...change }).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it('a client of another studio is unknown here (400 naming clientId)', async () => {
    const foreign = await other.client('Not yours');
    const res = await s.api.post('/api/v1/projects').send({ clientId: foreign, title: 'Stolen', type: 'ep' }).expect(400);
    expect(res.body.errors).toEqual([{ field: 'clientId', messages: ['no client with this id in your studio'] }]);
  });

  describe('list', () => {
    let lister: BookingStudio;
    let owls: string;
    let velvet: string;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      lister = await bookingStudio(t, 'Project lists');
      owls = await lister.client('Owls');
      velvet = await lister.client('Velvet');
      const make = async (title: string, clientId: string, type: string, status: string) => {
        ids[title] = (await lister.api.post('/api/v1/projects').send({ clientId, title, type, status }).expect(201)).body.id;
      };
      await make('Owls LP', owls, 'album', 'planned');
      await make('Owls single 100%', owls, 'single', 'in_progress');
      await make('Owls old EP', owls, 'ep', 'archived');
      await make('Velvet podcast', velvet, 'podcast', 'delivered');
      await make('Velvet score_1', velvet, 'soundtrack', 'in_progress');
    });
    afterAll(() => lister.close());
    const titles = async (query: string) => {
      const res = await lister.api.get(`/api/v1/projects${query}`).expect(200);
      return { titles: (res.body.items as Array<{ title: string }>).map((p) => p.title), total: res.body.total as number };
    };

    it('lists newest first, leaving archived projects out', async () => {
      expect(await titles('')).toEqual({ titles: ['Velvet score_1', 'Velvet podcast', 'Owls single 100%', 'Owls LP'], total: 4 });
    });

    it('filters by status (repeated or comma-separated; archived when named), client, type and title', async () => {
      expect(await titles('?status=archived')).toEqual({ titles: ['Owls old EP'], total: 1 });
      expect((await titles('?status=in_progress,archived')).titles).toEqual(['Velvet score_1', 'Owls old EP', 'Owls single 100%']);
      expect((await titles('?status=in_progress&status=delivered')).titles).toEqual(['Velvet score_1', 'Velvet podcast', 'Owls single 100%']);
      expect(await titles(`?clientId=${velvet}`)).toEqual({ titles: ['Velvet score_1', 'Velvet podcast'], total: 2 });
      expect((await titles(`?clientId=${owls}&status=planned,archived`)).titles).toEqual(['Owls old EP', 'Owls LP']);
      expect((await titles('?type=podcast')).titles).toEqual(['Velvet podcast']);
      expect((await titles('?q=owls')).titles).toEqual(['Owls single 100%', 'Owls LP']);
      expect((await titles('?q=%25')).titles).toEqual(['Owls single 100%']); // LIKE wildcards are literal
      expect((await titles('?q=e_1')).titles).toEqual(['Velvet score_1']);
    });

    it('pages with a cursor, each project once, the total the same on every page', async () => {
      const first = await lister.api.get('/api/v1/projects?limit=3&status=planned,in_progress,delivered,archived').expect(200);
      expect(first.body.items).toHaveLength(3);
      expect(first.body.total).toBe(5);
      const second = await lister.api.get(`/api/v1/projects?limit=3&status=planned,in_progress,delivered,archived&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.body.total).toBe(5);
      expect(second.body.nextCursor).toBeNull();
      const seen = [...first.body.items, ...second.body.items].map((p: { id: string }) => p.id);
      expect(seen.sort()).toEqual(Object.values(ids).sort());
    });

    it.each([
      ['status=finished', 'status'],
      ['clientId=owls', 'clientId'],
      ['type=mixtape', 'type'],
      ['limit=0', 'limit'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
      [`q=${'x'.repeat(201)}`, 'q'],
      ['tenant=other', 'tenant'],
    ])('?%s is a 400 naming the parameter', async (query, field) => {
      const res = await lister.api.get(`/api/v1/projects?${query}`).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('update', () => {
    it('patches the fields given, clears budget, due date and notes with null, and leaves the rest', async () => {
      const created = await create({ budget: { amountMinor: 500_000, currency: 'EUR' }, dueDate: '2031-01-31', notes: 'keep me' });
      const res = await s.api.patch(`/api/v1/projects/${created.id}`).send({ status: 'in_progress', budget: null, dueDate: null }).expect(200);
      expect(res.body).toMatchObject({ title: 'Night Flights', status: 'in_progress', budget: null, dueDate: null, notes: 'keep me', type: 'album' });
      expect(new Date(res.body.updatedAt).getTime()).toBeGreaterThan(new Date(created.updatedAt).getTime());
      const again = await s.api.patch(`/api/v1/projects/${created.id}`).send({ budget: { amountMinor: 7, currency: 'USD' }, notes: '' }).expect(200);
      expect(again.body).toMatchObject({ budget: { amountMinor: 7, currency: 'USD' }, notes: null, status: 'in_progress' });
      const audit = await s.db.query(`SELECT details FROM audit_log WHERE target_id = $1 AND action = 'project.updated' ORDER BY occurred_at`, [created.id]);
      expect(audit.rows.map((r) => r.details.fields)).toEqual([['budget', 'dueDate', 'status'], ['budget', 'notes']]);
    });

    it('a PATCH that does not name the budget keeps it, and changes no other project', async () => {
      const kept = await create({ budget: { amountMinor: 90_000, currency: 'GBP' }, dueDate: '2031-03-01', notes: 'neighbour' });
      const { id } = await create({ budget: { amountMinor: 500_000, currency: 'EUR' } });
      const others = async () => (await s.db.query(`SELECT * FROM projects WHERE id <> $1 ORDER BY id`, [id])).rows;
      const othersBefore = await others();
      const res = await s.api.patch(`/api/v1/projects/${id}`).send({ title: 'Renamed' }).expect(200);
      expect(res.body).toMatchObject({ title: 'Renamed', budget: { amountMinor: 500_000, currency: 'EUR' } });
      // The tenth session's Stryker run: the budget cleared by any PATCH, and the UPDATE's WHERE emptied
      // (every project of the studio renamed), both survived.
      expect(await others()).toEqual(othersBefore);
      expect((await s.api.get(`/api/v1/projects/${kept.id}`).expect(200)).body).toMatchObject({ title: 'Night Flights', notes: 'neighbour' });
    });

    it.each([
      ['a null title', { title: null }, 'title'],
      ['a null type', { type: null }, 'type'],
      ['a null status', { status: null }, 'status'],
      ['an unknown status', { status: 'finished' }, 'status'],
      ['negative rounds', { includedRevisionRounds: -1 }, 'includedRevisionRounds'],
      ['a budget amount as text', { budget: { amountMinor: '100', currency: 'EUR' } }, 'budget.amountMinor'],
      ['a due date of 13/01/2031', { dueDate: '13/01/2031' }, 'dueDate'],
      ['a new client', { clientId: randomUUID() }, 'clientId'],
    ])('PATCH with %s is a 400 naming the field, and changes nothing', async (_label, change, field) => {
      const { id } = await create();
      const before = await snapshot();
      const res = await s.api.patch(`/api/v1/projects/${id}`).send({ notes: 'would be written', ...change }).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await snapshot()).toEqual(before);
    });

    it('five concurrent PATCHes of different fields, queued on the row lock, all stick (issue 15)', async () => {
      const { id } = await create();
      const locker = await connectTenantDatabase(t, s.organizationId);
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM projects WHERE id = $1 FOR UPDATE', [id]);
      const changes = [{ title: 'After' }, { status: 'delivered' }, { type: 'ep' }, { includedRevisionRounds: 5 }, { notes: 'mixed twice' }, { dueDate: '2032-02-29' }];
      const pending = changes.map((c) => s.api.patch(`/api/v1/projects/${id}`).send(c).then((r) => r));
      await new Promise((r) => setTimeout(r, 300)); // every PATCH waits on the lock
      await locker.query('COMMIT');
      await locker.end();
      for (const res of await Promise.all(pending)) expect(res.status).toBe(200);
      expect((await s.api.get(`/api/v1/projects/${id}`).expect(200)).body).toMatchObject(Object.assign({}, ...changes));
    });
  });

  describe('summary', () => {
    it('adds up the bookings as their billable summaries do (cancelled and no-show left out), and counts tracks, files and deliverables', async () => {
      const project = await create({ includedRevisionRounds: 1 });
      const roomId = await s.room({ hourlyRateMinor: 6000, dayRateMinor: null });
      const mic = await s.equipment({ rateMinor: 2500, rateUnit: 'session' });
      const book = async (from: number, to: number, extra: Record<string, unknown> = {}) =>
        (await s.api.post('/api/v1/bookings').send({ clientId, roomId, projectId: project.id, title: 'Tracking', startsAt: at(from), endsAt: at(to), ...extra }).expect(201)).body.id as string;
      const first = await book(10, 14, { equipmentIds: [mic] }); // 4 h × 60.00 + 25.00
      const second = await book(34, 35.5); // 1.5 h × 60.00
      const cancelled = await book(58, 62);
      await s.api.post(`/api/v1/bookings/${cancelled}/cancel`).send({ reason: 'band ill' }).expect(200);
      await s.api.post('/api/v1/bookings').send({ clientId, roomId, title: 'Another project', startsAt: at(82), endsAt: at(84) }).expect(201);
      for (const title of ['One', 'Two']) await s.api.post(`/api/v1/projects/${project.id}/tracks`).send({ title }).expect(201);
      const file = async (size: number) =>
        (
          await s.db.query(
            `INSERT INTO files (project_id, original_name, storage, storage_key, size_bytes, content_type, sha256) VALUES ($1, 'mix.wav', 'local', $2, $3, 'audio/wav', $4) RETURNING id`,
            [project.id, randomBytes(8).toString('hex'), size, 'a'.repeat(64)],
          )
        ).rows[0].id as string;
      const mixFile = await file(3_000_000_000); // past 2^31: storage is a bigint
      await file(1234);
      const deliverable = async (status: string, rounds: number) =>
        (await s.db.query(`INSERT INTO deliverables (project_id, title, status, rounds_used) VALUES ($1, 'Mix', $2, $3) RETURNING id`, [project.id, status, rounds])).rows[0].id as string;
      const open = await deliverable('open', 2);
      await deliverable('approved', 1);
      await s.db.query(
        `INSERT INTO deliverable_versions (deliverable_id, number, file_id, status, revision_round, extra_round) VALUES ($1, 1, $2, 'changes_requested', 1, false), ($1, 2, $2, 'changes_requested', 2, true)`,
        [open, mixFile],
      );

      const billed = async (id: string) => (await s.api.get(`/api/v1/bookings/${id}/summary`).expect(200)).body.totalMinor as number;
      expect(await billed(first)).toBe(26_500);
      const { body } = await s.api.get(`/api/v1/projects/${project.id}`).expect(200);
      expect(body.summary).toEqual({
        bookingCount: 2,
        bookedMinutes: 4 * 60 + 90,
        bookedAmountMinor: (await billed(first)) + (await billed(second)),
        currency: 'EUR',
        trackCount: 2,
        fileCount: 2,
        storageBytes: 3_000_001_234,
        deliverableCount: 2,
        approvedDeliverableCount: 1,
        revisionRoundsUsed: 3,
        extraRounds: 1,
      });
      expect(body.summary.bookedAmountMinor).toBe(26_500 + 9_000);

      // The project's sessions: every booking of it by start time, cancelled ones included (the list shows their status).
      const sessions = await s.api.get(`/api/v1/projects/${project.id}/bookings`).expect(200);
      expect(sessions.body.items.map((b: { id: string; status: string }) => [b.id, b.status])).toEqual([
        [first, 'confirmed'],
        [second, 'confirmed'],
        [cancelled, 'cancelled'],
      ]);

      // Bookings and files keep their project: 409, and it is all still there.
      const before = await snapshot();
      const res = await s.api.delete(`/api/v1/projects/${project.id}`).expect(409);
      expect(res.body).toMatchObject({ type: 'https://rsm.dev/problems/project-in-use', status: 409, detail: 'Bookings or files refer to this project: archive it instead.' });
      expect(await snapshot()).toEqual(before);
      expect(await s.count('tracks', `project_id = '${project.id}'`)).toBe(2);
    });

    it('a project with files but no bookings cannot be deleted either (409)', async () => {
      const { id } = await create();
      await s.db.query(`INSERT INTO files (project_id, original_name, storage, storage_key, size_bytes, content_type, sha256) VALUES ($1, 'a.wav', 'local', $2, 1, 'audio/wav', $3)`, [
        id,
        randomBytes(8).toString('hex'),
        'b'.repeat(64),
      ]);
      await s.api.delete(`/api/v1/projects/${id}`).expect(409);
      await s.api.get(`/api/v1/projects/${id}`).expect(200);
    });
  });

  it('deletes a project with its tracks: 204, then 404, audited', async () => {
    const { id } = await create();
    await s.api.post(`/api/v1/projects/${id}/tracks`).send({ title: 'Gone' }).expect(201);
    await s.api.delete(`/api/v1/projects/${id}`).expect(204);
    await s.api.get(`/api/v1/projects/${id}`).expect(404);
    await s.api.delete(`/api/v1/projects/${id}`).expect(404);
    expect(await s.count('tracks', `project_id = '${id}'`)).toBe(0);
    expect(await s.count('audit_log', `target_id = '${id}' AND action = 'project.deleted'`)).toBe(1);
  });

  it('answers 404 for an unknown id and for another studio\'s project on every route, and 400 for a malformed id', async () => {
    const theirs = await create({ clientId: await other.client('Theirs') }, other);
    const notFound = { status: 404, type: 'https://rsm.dev/problems/not-found', detail: 'No project with this id in your studio.' };
    for (const id of [randomUUID(), theirs.id]) {
      expect((await s.api.get(`/api/v1/projects/${id}`).expect(404)).body).toMatchObject(notFound);
      expect((await s.api.get(`/api/v1/projects/${id}/bookings`).expect(404)).body).toMatchObject(notFound);
      expect((await s.api.patch(`/api/v1/projects/${id}`).send({ title: 'Mine now' }).expect(404)).body).toMatchObject(notFound);
      expect((await s.api.delete(`/api/v1/projects/${id}`).expect(404)).body).toMatchObject(notFound);
    }
    expect((await other.api.get(`/api/v1/projects/${theirs.id}`).expect(200)).body.title).toBe('Night Flights');
    for (const path of ['/api/v1/projects/nope', '/api/v1/projects/nope/bookings']) {
      expect((await s.api.get(path).expect(400)).body.errors[0].field).toBe('id');
    }
    expect((await s.api.patch('/api/v1/projects/nope').send({ title: 'x' }).expect(400)).body.errors[0].field).toBe('id');
    expect((await s.api.delete('/api/v1/projects/nope').expect(400)).body.errors[0].field).toBe('id');
  });

  it('viewers read; engineers create and edit but only admins delete', async () => {
    const { id } = await create();
    const viewer = await s.cookieOf(await s.member('viewer'));
    const engineer = await s.cookieOf(await s.member('engineer'));
    const admin = await s.cookieOf(await s.member('admin'));
    const before = await snapshot();
    await s.as(viewer).get('/api/v1/projects').expect(200);
    await s.as(viewer).get(`/api/v1/projects/${id}`).expect(200);
    await s.as(viewer).post('/api/v1/projects').send({ clientId, title: 'Viewer', type: 'ep' }).expect(403);
    await s.as(viewer).patch(`/api/v1/projects/${id}`).send({ title: 'Viewer' }).expect(403);
    await s.as(viewer).delete(`/api/v1/projects/${id}`).expect(403);
    await s.as(engineer).delete(`/api/v1/projects/${id}`).expect(403);
    expect(await snapshot()).toEqual(before);
    await s.as(engineer).patch(`/api/v1/projects/${id}`).send({ title: 'Engineer' }).expect(200);
    await s.as(engineer).post('/api/v1/projects').send({ clientId: otherClientId, title: 'Engineer', type: 'ep' }).expect(201);
    await s.as(admin).delete(`/api/v1/projects/${id}`).expect(204);
  });
});
