import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { anyFreePort } from '../src/database/embedded-preflight.js';
import { withCredentials, withDatabase } from '../src/database/postgres-url.js';
import { TEST_SECRET_KEY } from './support/test-app.js';

/**
 * Issue 10: an upload streams through the API; it is never held in memory. The built app
 * (dist/main.js, `npm run build -w api`) runs as its own process, so its resident memory is the
 * server's alone: a 200 MB upload, generated as a stream on this side, must raise it by less than 64 MB.
 */
const main = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/main.js');
const MB = 1024 * 1024;

/** The child's resident set size (what its process.memoryUsage().rss reports), from /proc. */
function rssOf(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
  if (!match) throw new Error('no VmRSS');
  return Number(match[1]) * 1024;
}

async function until(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A multipart body with one `file` part of `size` bytes, produced chunk by chunk (never whole), and its SHA-256. */
function multipartStream(size: number, boundary: string) {
  const block = randomBytes(MB);
  const hash = createHash('sha256');
  let sent = 0;
  async function* parts() {
    yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
    while (sent < size) {
      const chunk = block.subarray(0, Math.min(block.length, size - sent));
      hash.update(chunk);
      sent += chunk.length;
      yield chunk;
    }
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  return { stream: Readable.from(parts()), sha256: () => hash.digest('hex') };
}

describe('files: a 200 MB upload streams through the server', () => {
  let child: ChildProcess;
  let admin: pg.Client;
  let id: string;
  let dataDir: string;
  let base: string;
  let controlUrl: string;

  beforeAll(async () => {
    const serverUrl = process.env.RSM_TEST_PG_URL!;
    id = `rsm_s${randomBytes(4).toString('hex')}`;
    admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
    await admin.connect();
    const password = randomBytes(18).toString('base64url');
    await admin.query(`CREATE ROLE "${id}_control" LOGIN CREATEDB CREATEROLE PASSWORD '${password}'`);
    dataDir = mkdtempSync(join(tmpdir(), 'rsm-streaming-'));
    const port = await anyFreePort();
    controlUrl = withCredentials(withDatabase(serverUrl, `${id}_control`), `${id}_control`, password);
    const { EMBEDDED_PG_PORT: _unused, ...inherited } = process.env;
    child = spawn(process.execPath, [main], {
      env: {
        ...inherited,
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        DATABASE_URL: controlUrl,
        RSM_SECRET_KEY: TEST_SECRET_KEY,
        RSM_DATA_DIR: dataDir,
        TENANT_TEMPLATE_DATABASE: `${id}_template`,
        TENANT_DATABASE_PREFIX: `${id}_tenant_`,
        JOBS_ENABLED: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await until(() => output.includes('is ready') || child.exitCode !== null, 'the app is ready');
    if (!output.includes('is ready')) throw new Error(`did not start:\n${output}`);
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${id}\\_%`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    const roles = await admin.query(`SELECT rolname FROM pg_roles WHERE rolname LIKE $1 ORDER BY rolname = $2`, [`${id}\\_%`, `${id}_control`]);
    for (const { rolname } of roles.rows) await admin.query(`DROP ROLE IF EXISTS "${rolname}"`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** POSTs a streamed multipart upload; resolves with the status and parsed body. */
  function streamUpload(path: string, cookie: string, size: number) {
    const boundary = `rsm${randomBytes(8).toString('hex')}`;
    const body = multipartStream(size, boundary);
    return new Promise<{ status: number; body: Record<string, unknown>; sha256: string }>((resolvePost, reject) => {
      const req = httpRequest(`${base}${path}`, { method: 'POST', headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` } }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolvePost({ status: res.statusCode!, body: JSON.parse(text), sha256: body.sha256() }));
      });
      req.on('error', reject);
      body.stream.pipe(req);
    });
  }

  /** A studio with a project, in the child's databases (the project behind the app's back). */
  async function studioWithProject() {
    const n = randomBytes(4).toString('hex');
    const reg = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ studioName: `Stream ${n}`, name: `Owner ${n}`, email: `stream-${n}@studio.test`, password: 'correct horse battery' }),
    });
    expect(reg.status).toBe(201);
    const cookie = reg.headers.get('set-cookie')!.split(';')[0];
    const organizationId = ((await reg.json()) as { organization: { id: string } }).organization.id;
    const control = new pg.Client({ connectionString: controlUrl });
    await control.connect();
    const database = (await control.query(`SELECT database_name FROM tenant_databases WHERE organization_id = $1`, [organizationId])).rows[0].database_name as string;
    await control.end();
    const tenant = new pg.Client({ connectionString: withDatabase(controlUrl, database) });
    await tenant.connect();
    const clientId = (await tenant.query(`INSERT INTO clients (name) VALUES ('Stream client') RETURNING id`)).rows[0].id as string;
    const projectId = (await tenant.query(`INSERT INTO projects (client_id, title, type) VALUES ($1, 'Big files', 'album') RETURNING id`, [clientId])).rows[0].id as string;
    return { cookie, projectId, tenant };
  }

  it('stores it with the right SHA-256 while the server process grows by less than 64 MB', async () => {
    const { cookie, projectId, tenant } = await studioWithProject();
    const url = `/api/v1/projects/${projectId}/files`;
    // Warm up with a 64 MB upload first. Node keeps dead socket buffers until about 64 MB of them have
    // piled up (V8 collects external memory lazily) and the allocator keeps the pages it got back, so
    // the first large upload lifts RSS once to a plateau; what must not happen is growth with the
    // file's size. Both figures are logged.
    expect((await streamUpload(url, cookie, 2 * MB)).status).toBe(201);
    const cold = rssOf(child.pid!);
    expect((await streamUpload(url, cookie, 64 * MB)).status).toBe(201);
    const baseline = rssOf(child.pid!);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(child.pid!))), 20);
    const size = 200 * MB;
    const result = await streamUpload(url, cookie, size).finally(() => clearInterval(sampler));
    peak = Math.max(peak, rssOf(child.pid!));
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ sizeBytes: size, sha256: result.sha256 });
    const stored = (await tenant.query(`SELECT size_bytes, sha256 FROM files WHERE id = $1`, [result.body.id])).rows[0];
    expect({ size: Number(stored.size_bytes), sha256: stored.sha256 }).toEqual({ size, sha256: result.sha256 });
    await tenant.end();
    console.log(
      `server RSS: ${Math.round(cold / MB)} MB after a 2 MB upload, ${Math.round(baseline / MB)} MB after a 64 MB one; ` +
        `peak during the 200 MB upload ${Math.round(peak / MB)} MB (+${Math.round((peak - baseline) / MB)} MB)`,
    );
    expect(peak - baseline).toBeLessThan(64 * MB);
  });
});
