import type pg from 'pg';
import { FILE_PEAKS_QUEUE } from '../src/files/audio-types.js';
import { FILE_PEAKS_RETRY_LIMIT } from '../src/files/peaks/file-peaks.job.js';
import { JOBS_SCHEMA, JobQueue } from '../src/jobs/job-queue.service.js';
import { flac, mp3, MP3_FRAME_SAMPLES, type Signal, wav } from './support/generated-audio.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Issue 10, peaks: an upload of WAV, MP3 or FLAC is decoded once by the file-peaks job (pg-boss on the
 * control database, working in this test app with a short poll interval) and GET /files/{id}/peaks
 * serves the result. Waiting polls the API or the job table; nothing asserts on durations.
 */
describe('file peaks: the job and GET /files/{id}/peaks', () => {
  let t: TestApp;
  type Studio = Awaited<ReturnType<typeof registerStudio>> & { db: pg.Client; projectId: string };
  let a: Studio;
  let b: Studio;

  const studio = async (label: string): Promise<Studio> => {
    const s = await registerStudio(t, label);
    const db = await connectTenantDatabase(t, s.organizationId);
    const clientId = (await db.query(`INSERT INTO clients (name) VALUES ('Peaks client') RETURNING id`)).rows[0].id as string;
    const projectId = (await db.query(`INSERT INTO projects (client_id, title, type) VALUES ($1, 'Peaks album', 'album') RETURNING id`, [clientId])).rows[0].id as string;
    return { ...s, db, projectId };
  };

  beforeAll(async () => {
    // Blobs go to the test app's own RSM_DATA_DIR (local storage); this app also works the job queue.
    t = await createTestApp({ JOBS_ENABLED: 'true', JOBS_POLL_INTERVAL_SECONDS: '0.5' });
    a = await studio('Peaks A');
    b = await studio('Peaks B');
  });
  afterAll(async () => {
    await a?.db.end();
    await b?.db.end();
    await t?.close();
  });

  const waitFor = async <T>(what: string, check: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 600; i++) {
      const value = await check();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  /** Uploads through the real API (multipart, sniffed type); the upload sends the peaks job. */
  const upload = async (s: Studio, name: string, bytes: Buffer) => {
    const res = await t.http().post(`/api/v1/projects/${s.projectId}/files`).set('cookie', s.cookie).attach('file', bytes, name);
    expect(res.status).toBe(201);
    return res.body as { id: string; contentType: string; peaksStatus: string };
  };
  const peaksOf = (s: Studio, id: string) => t.http().get(`/api/v1/files/${id}/peaks`).set('cookie', s.cookie);
  /** The peaks once the job has finished with the file (ready or failed). */
  const settled = (s: Studio, id: string) =>
    waitFor('the peaks job', async () => {
      const res = await peaksOf(s, id).expect(200);
      return res.body.status === 'ready' || res.body.status === 'failed' ? res.body : undefined;
    });
  /** Every job of the queue for this file has finished (completed, or failed for good). */
  const jobsDone = (fileId: string) =>
    waitFor('the jobs of the file to finish', async () => {
      const { rows } = await t.control.query(`SELECT state FROM ${JOBS_SCHEMA}.job WHERE name = $1 AND data->>'fileId' = $2`, [FILE_PEAKS_QUEUE, fileId]);
      return rows.length > 0 && rows.every((r: { state: string }) => r.state === 'completed' || r.state === 'failed') ? rows.length : undefined;
    });

  /** One second of silence, then two of a sine at 0.5. */
  const quietThenLoud = (channels: number, sampleRate: number): Signal => ({ sampleRate, channels, seconds: 3, amplitude: (s) => (s < 1 ? 0 : 0.5) });
  const expectEnvelope = (peaks: number[]) => {
    expect(peaks.length).toBeGreaterThan(100);
    expect(peaks.length).toBeLessThanOrEqual(2000);
    const third = peaks.length / 3;
    for (const p of peaks.slice(0, Math.floor(third * 0.9))) expect(p).toBe(0);
    for (const p of peaks.slice(Math.ceil(third * 1.1), Math.floor(peaks.length * 0.97))) expect(p).toBeCloseTo(0.5, 1);
  };

  it('a WAV upload: pending, then ready with its duration, rate, channels and an envelope that matches the audio', async () => {
    const file = await upload(a, 'take 1.wav', wav(quietThenLoud(2, 22050)));
    expect(file).toMatchObject({ contentType: 'audio/wav', peaksStatus: 'pending' });
    const peaks = await settled(a, file.id);
    expect(peaks).toMatchObject({ status: 'ready', durationSeconds: 3, sampleRate: 22050, channels: 2 });
    expectEnvelope(peaks.peaks);
    expect((await a.db.query(`SELECT peaks_status FROM files WHERE id = $1`, [file.id])).rows).toEqual([{ peaks_status: 'ready' }]);
  });

  it('a FLAC and an MP3 upload are decoded too', async () => {
    const flacFile = await upload(a, 'mix.flac', flac(quietThenLoud(2, 44100)));
    expect(await settled(a, flacFile.id)).toMatchObject({ status: 'ready', durationSeconds: 3, sampleRate: 44100, channels: 2 });
    const frames = [...Array<'silent'>(20).fill('silent'), ...Array<'tone'>(20).fill('tone')];
    const mp3File = await upload(a, 'mix.mp3', mp3(frames, 200));
    const mp3Peaks = await settled(a, mp3File.id);
    expect(mp3Peaks).toMatchObject({ status: 'ready', sampleRate: 44100, channels: 1 });
    expect(mp3Peaks.durationSeconds).toBeCloseTo((40 * MP3_FRAME_SAMPLES) / 44100, 1);
  });

  it('corrupt audio marks the file failed (once: no retries of undecodable audio)', async () => {
    const adpcm = wav(quietThenLoud(1, 8000));
    adpcm.writeUInt16LE(0x0002, 20); // an encoding we do not decode (MS ADPCM)
    const truncated = wav(quietThenLoud(1, 8000)).subarray(0, 30); // RIFF/WAVE and half a fmt chunk
    for (const [name, bytes] of [['adpcm.wav', adpcm], ['truncated.wav', truncated]] as const) {
      const file = await upload(a, name, bytes);
      expect(file.contentType).toBe('audio/wav');
      expect((await settled(a, file.id))).toEqual({ status: 'failed' });
      await jobsDone(file.id);
      const { rows } = await t.control.query(`SELECT state, retry_count FROM ${JOBS_SCHEMA}.job WHERE name = $1 AND data->>'fileId' = $2`, [FILE_PEAKS_QUEUE, file.id]);
      expect(rows).toEqual([{ state: 'completed', retry_count: 0 }]);
      expect((await a.db.query(`SELECT count(*)::int AS n FROM file_peaks WHERE file_id = $1`, [file.id])).rows[0].n).toBe(0);
    }
  });

  it('a duplicate job computes nothing again; a recomputation overwrites the one peaks row', async () => {
    const file = await upload(a, 'again.wav', wav(quietThenLoud(1, 8000)));
    await settled(a, file.id);
    const before = (await a.db.query(`SELECT computed_at FROM file_peaks WHERE file_id = $1`, [file.id])).rows[0].computed_at as Date;
    // A duplicate delivery (a retry, a second send) of the same file: the file is no longer pending.
    await t.app.get(JobQueue).send(FILE_PEAKS_QUEUE, { tenantId: a.organizationId, fileId: file.id });
    expect(await jobsDone(file.id)).toBe(2);
    expect((await a.db.query(`SELECT computed_at FROM file_peaks WHERE file_id = $1`, [file.id])).rows).toEqual([{ computed_at: before }]);
    // Pending again (say an earlier run died after writing its peaks): the job upserts the row.
    await a.db.query(`UPDATE files SET peaks_status = 'pending' WHERE id = $1`, [file.id]);
    await t.app.get(JobQueue).send(FILE_PEAKS_QUEUE, { tenantId: a.organizationId, fileId: file.id });
    expect(await settled(a, file.id)).toMatchObject({ status: 'ready', durationSeconds: 3 });
    const rows = (await a.db.query(`SELECT computed_at FROM file_peaks WHERE file_id = $1`, [file.id])).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0].computed_at.getTime()).toBeGreaterThan(before.getTime());
  });

  it('a blob that cannot be read is retried, and the last attempt marks the file failed (never pending for ever)', async () => {
    // A pending audio row whose blob is missing (no job sent): the handler is called as pg-boss would,
    // with the attempt number, through the queue's registration (the handler the workers run).
    const { rows } = await a.db.query(
      `INSERT INTO files (project_id, original_name, storage, storage_key, size_bytes, content_type, sha256, peaks_status)
       VALUES ($1, 'lost.wav', 'local', $2, 44, 'audio/wav', repeat('0', 64), 'pending') RETURNING id`,
      [a.projectId, `${a.organizationId}/lost/${Date.now()}`],
    );
    const fileId = rows[0].id as string;
    type Registration = { queue: { name: string }; handler: (jobs: object[]) => Promise<void> };
    const registrations = (t.app.get(JobQueue) as unknown as { registrations: Registration[] }).registrations;
    const handler = registrations.find((r) => r.queue.name === FILE_PEAKS_QUEUE)!.handler;
    const attempt = (retryCount: number) => handler([{ id: `attempt-${retryCount}`, name: FILE_PEAKS_QUEUE, data: { tenantId: a.organizationId, fileId }, retryCount, signal: new AbortController().signal }]);
    await expect(attempt(0)).rejects.toThrow();
    expect((await peaksOf(a, fileId).expect(200)).body).toEqual({ status: 'pending' });
    await expect(attempt(FILE_PEAKS_RETRY_LIMIT)).rejects.toThrow();
    expect((await peaksOf(a, fileId).expect(200)).body).toEqual({ status: 'failed' });
  });

  it("none for a file that is not audio; 404 for another studio's file and an unknown id; 400 for a malformed id", async () => {
    const text = await upload(a, 'notes.txt', Buffer.from('Bridge: more reverb on the snare.\n'));
    expect((await peaksOf(a, text.id).expect(200)).body).toEqual({ status: 'none' });

    const theirs = await upload(b, 'theirs.wav', wav(quietThenLoud(1, 8000)));
    expect((await settled(b, theirs.id)).status).toBe('ready');
    const notFound = await peaksOf(a, theirs.id).expect(404);
    expect(notFound.headers['content-type']).toMatch(/^application\/problem\+json/);
    await peaksOf(a, '00000000-0000-4000-8000-000000000000').expect(404);
    const malformed = await peaksOf(a, 'not-a-uuid').expect(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
  });
});
