import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { anyFreePort } from '../src/database/embedded-preflight.js';
import { seedProject, upload } from './support/file-fixtures.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const binary = (res: import('superagent').Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const BUCKET = 'rsm-files';
const MB = 1024 * 1024;

/**
 * Issue 10: the same round trip against an S3-compatible server (s3rver, a real HTTP S3 implementation
 * on a free port), with S3_* configured: single PUTs for small files, a multipart upload for a large one.
 */
describe('files on S3-compatible storage (s3rver)', () => {
  let s3rver: S3rver;
  let s3: S3Client;
  let s3Dir: string;
  let t: TestApp;
  let studio: Awaited<ReturnType<typeof registerStudio>>;
  let project: Awaited<ReturnType<typeof seedProject>>;
  let db: pg.Client;

  beforeAll(async () => {
    s3Dir = await mkdtemp(join(tmpdir(), 'rsm-s3rver-'));
    const port = await anyFreePort();
    s3rver = new S3rver({ address: '127.0.0.1', port, silent: true, directory: s3Dir, configureBuckets: [{ name: BUCKET, configs: [] }] });
    await s3rver.run();
    const endpoint = `http://127.0.0.1:${port}`;
    s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    t = await createTestApp({
      MAX_UPLOAD_MB: '12',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: BUCKET,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    });
    studio = await registerStudio(t, 'S3');
    project = await seedProject(t, studio.organizationId);
    db = await connectTenantDatabase(t, studio.organizationId);
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
    s3?.destroy();
    await s3rver?.close();
    await rm(s3Dir, { recursive: true, force: true });
  });

  const keysInBucket = async () => ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key!).sort();
  const get = (url: string) => t.http().get(url).set('cookie', studio.cookie).buffer(true).parse(binary);
  const filesUrl = () => `/api/v1/projects/${project.projectId}/files`;

  it.each([
    // s3rver reports a PutObject as ObjectCreated:Put and a completed multipart upload as ObjectCreated:Post.
    ['a small file (one PUT)', 200_000, 'ObjectCreated:Put'],
    ['a file over 5 MB (a multipart upload in 5 MiB parts)', 11 * MB + 12345, 'ObjectCreated:Post'],
  ])('stores %s in the bucket under the server-chosen key and serves it back, ranges included', async (_label, size, created) => {
    const events: string[] = [];
    const record = (event: { Records: Array<{ eventName: string }> }) => events.push(...event.Records.map((r) => r.eventName));
    s3rver.on('event', record);
    const body = randomBytes(size);
    const res = await upload(t, studio.cookie, filesUrl(), body, 'stem.bin').expect(201);
    expect(res.body).toMatchObject({ sizeBytes: size, sha256: sha256(body) });
    const row = (await db.query(`SELECT storage, storage_key FROM files WHERE id = $1`, [res.body.id])).rows[0];
    expect(row).toEqual({ storage: 's3', storage_key: `${studio.organizationId}/${res.body.id.slice(0, 2)}/${res.body.id}` });
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: row.storage_key }));
    s3rver.off('event', record);
    expect(events).toEqual([created]);
    expect(sha256(Buffer.from(await object.Body!.transformToByteArray()))).toBe(sha256(body));

    const whole = await get(res.body.contentUrl).expect(200);
    expect(sha256(whole.body as Buffer)).toBe(sha256(body));
    const part = await get(res.body.contentUrl).set('range', `bytes=${size - 1000}-${size - 1}`).expect(206);
    expect((part.body as Buffer).equals(body.subarray(size - 1000))).toBe(true);
    await get(res.body.contentUrl).set('range', `bytes=${size}-`).expect(416);
  });

  it('refuses an oversize upload with 413 and leaves no object; empty files leave none either', async () => {
    const before = await keysInBucket();
    const res = await upload(t, studio.cookie, filesUrl(), randomBytes(12 * MB + 1), 'too-big.bin').expect(413);
    expect(res.body.type).toBe('https://rsm.dev/problems/file-too-large');
    await upload(t, studio.cookie, filesUrl(), Buffer.alloc(0), 'empty.bin').expect(400);
    expect(await keysInBucket()).toEqual(before);
  });

  it('deletes the row, then the object', async () => {
    const res = await upload(t, studio.cookie, filesUrl(), Buffer.from('short-lived'), 'gone.txt').expect(201);
    const key = (await db.query(`SELECT storage_key FROM files WHERE id = $1`, [res.body.id])).rows[0].storage_key;
    expect(await keysInBucket()).toContain(key);
    await t.http().delete(`/api/v1/files/${res.body.id}`).set('cookie', studio.cookie).expect(204);
    expect(await keysInBucket()).not.toContain(key);
    expect((await db.query(`SELECT 1 FROM files WHERE id = $1`, [res.body.id])).rowCount).toBe(0);
  });

  it('still serves a file stored on the local disk before S3 was configured (each row names its store)', async () => {
    const bytes = Buffer.from('recorded before the move to S3');
    const id = '0a0a0a0a-0000-4000-8000-000000000001';
    const key = `${studio.organizationId}/0a/${id}`;
    const path = join(t.config.dataDir, 'files', key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
    await db.query(
      `INSERT INTO files (id, project_id, original_name, storage, storage_key, size_bytes, content_type, sha256) VALUES ($1, $2, 'old.txt', 'local', $3, $4, 'application/octet-stream', $5)`,
      [id, project.projectId, key, bytes.length, sha256(bytes)],
    );
    const res = await get(`/api/v1/files/${id}/content`).expect(200);
    expect((res.body as Buffer).toString()).toBe(bytes.toString());
    await t.http().delete(`/api/v1/files/${id}`).set('cookie', studio.cookie).expect(204);
    await expect(import('node:fs/promises').then((fs) => fs.access(path))).rejects.toThrow();
  });
});
