import { randomUUID } from 'node:crypto';
import { at, bookingStudio, type BookingStudio } from './support/booking-fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Issue 10: a booking's projectId names a project of this studio and of the booking's client (create, series, patch). */
describe('bookings: projectId', () => {
  let t: TestApp;
  let s: BookingStudio;
  let other: BookingStudio;
  let clientId: string;
  let roomId: string;
  let projectId: string;
  let otherClientsProject: string;
  let otherStudiosProject: string;

  beforeAll(async () => {
    t = await createTestApp();
    s = await bookingStudio(t, 'Booking projects');
    other = await bookingStudio(t, 'Other booking projects');
    clientId = await s.client('Owls');
    roomId = await s.room();
    const newProject = async (studio: BookingStudio, client: string) =>
      (await studio.api.post('/api/v1/projects').send({ clientId: client, title: 'LP', type: 'album' }).expect(201)).body.id as string;
    projectId = await newProject(s, clientId);
    otherClientsProject = await newProject(s, await s.client('Velvet'));
    otherStudiosProject = await newProject(other, await other.client('Theirs'));
  });
  afterAll(async () => {
    await s.close();
    await other.close();
    await t?.close();
  });

  let hour = 10;
  const body = (extra: Record<string, unknown> = {}) => {
    hour += 24;
    return { clientId, roomId, title: 'Tracking', startsAt: at(hour), endsAt: at(hour + 2), ...extra };
  };
  const snapshot = async () => ({ bookings: (await s.db.query(`SELECT * FROM bookings ORDER BY id`)).rows, audit: await s.count('audit_log') });

  it('a booking of the project is created with it and listed among its sessions', async () => {
    const res = await s.api.post('/api/v1/bookings').send(body({ projectId })).expect(201);
    expect(res.body.projectId).toBe(projectId);
    const sessions = await s.api.get(`/api/v1/projects/${projectId}/bookings`).expect(200);
    expect(sessions.body.items.map((b: { id: string }) => b.id)).toContain(res.body.id);
  });

  it.each([
    ['an unknown project', () => randomUUID(), 'no project with this id in your studio'],
    ["another studio's project", () => otherStudiosProject, 'no project with this id in your studio'],
    ["a project of another client", () => otherClientsProject, "this project belongs to another client than the booking's"],
  ])('create, series and patch with %s: 400 naming projectId, nothing written', async (_label, project, message) => {
    const existing = (await s.api.post('/api/v1/bookings').send(body()).expect(201)).body.id as string;
    const before = await snapshot();
    const expected = [{ field: 'projectId', messages: [message] }];
    expect((await s.api.post('/api/v1/bookings').send(body({ projectId: project() })).expect(400)).body.errors).toEqual(expected);
    const series = await s.api.post('/api/v1/bookings/series').send(body({ projectId: project(), recurrence: { rrule: 'FREQ=WEEKLY;COUNT=3' } })).expect(400);
    expect(series.body.errors).toEqual(expected);
    expect((await s.api.patch(`/api/v1/bookings/${existing}`).send({ projectId: project(), title: 'Moved' }).expect(400)).body.errors).toEqual(expected);
    expect(await snapshot()).toEqual(before);
  });

  it('PATCH sets and clears the project', async () => {
    const { id } = (await s.api.post('/api/v1/bookings').send(body()).expect(201)).body;
    expect((await s.api.patch(`/api/v1/bookings/${id}`).send({ projectId }).expect(200)).body.projectId).toBe(projectId);
    expect((await s.api.patch(`/api/v1/bookings/${id}`).send({ projectId: null }).expect(200)).body.projectId).toBeNull();
    expect((await s.api.patch(`/api/v1/bookings/${id}`).send({ projectId: 'LP' }).expect(400)).body.errors[0].field).toBe('projectId');
  });

  it('a series of the project: every occurrence belongs to it', async () => {
    const res = await s.api.post('/api/v1/bookings/series').send(body({ projectId, recurrence: { rrule: 'FREQ=DAILY;COUNT=2' } })).expect(201);
    expect(res.body.items.map((b: { projectId: string }) => b.projectId)).toEqual([projectId, projectId]);
  });
});
