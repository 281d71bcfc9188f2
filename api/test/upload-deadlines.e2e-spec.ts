import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { seedProject } from './support/file-fixtures.js';
import { connectTenantDatabase, createTestApp, registerStudio, type TestApp } from './support/test-app.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Issue 10: an upload may take longer than REQUEST_TIMEOUT_MS (a 2 GB mix over a home uplink takes
 * minutes), up to UPLOAD_TIMEOUT_MS; every other body keeps the short deadline (test/http-edges).
 */
describe('upload deadlines', () => {
  let t: TestApp;
  let dataDir: string;
  let port: number;
  let db: pg.Client;
  let cookie: string;
  let filesUrl: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rsm-deadlines-'));
    t = await createTestApp({ RSM_DATA_DIR: dataDir, REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '1000', UPLOAD_TIMEOUT_MS: '4000' });
    const studio = await registerStudio(t, 'Deadlines');
    cookie = studio.cookie;
    filesUrl = `/api/v1/projects/${(await seedProject(t, studio.organizationId)).projectId}/files`;
    db = await connectTenantDatabase(t, studio.organizationId);
    const server = t.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await db.end();
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Opens a raw upload of `size` file bytes; the caller sends them with `send` at its own pace. */
  function openUpload(path: string, size: number) {
    const boundary = 'rsmdeadline';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    const tail = `\r\n--${boundary}--\r\n`;
    const socket: Socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', () => undefined); // the server may close first: what it wrote is what counts
    const answered = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
    const length = Buffer.byteLength(head) + size + Buffer.byteLength(tail);
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nConnection: close\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${length}\r\n\r\n${head}`,
    );
    return { send: (bytes: Buffer) => socket.write(bytes), finish: () => socket.write(tail), answered };
  }

  const fileRows = async () => (await db.query(`SELECT count(*)::int AS n FROM files`)).rows[0].n as number;
  const storedFiles = async () => (await readdir(dataDir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;

  it('an upload arriving over longer than REQUEST_TIMEOUT_MS (but within UPLOAD_TIMEOUT_MS) is stored', async () => {
    const upload = openUpload(filesUrl, 4 * 64 * 1024);
    for (let i = 0; i < 4; i++) {
      upload.send(randomBytes(64 * 1024));
      await sleep(600); // 2.4 s in all: more than twice the 1 s request deadline
    }
    upload.finish();
    const raw = await upload.answered;
    expect(raw).toMatch(/^HTTP\/1\.1 201 /);
    expect(raw).toContain('"sizeBytes":262144');
  });

  it('an upload still arriving after UPLOAD_TIMEOUT_MS is a 408 problem, the connection closed, nothing stored', async () => {
    const [rows, stored] = [await fileRows(), await storedFiles()];
    const upload = openUpload(filesUrl, 1024 * 1024);
    upload.send(randomBytes(64 * 1024)); // then nothing more
    const raw = await upload.answered;
    expect(raw).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 408, detail: 'The request did not arrive in time.' });
    for (let i = 0; i < 40 && (await storedFiles()) !== stored; i++) await sleep(50); // the temporary file goes with the aborted stream
    expect(await storedFiles()).toBe(stored);
    expect(await fileRows()).toBe(rows);
  });

  it('a JSON body keeps REQUEST_TIMEOUT_MS: cut while an upload begun before it is still arriving', async () => {
    const upload = openUpload(filesUrl, 8 * 1024);
    upload.send(randomBytes(1024));
    let uploadAnswered = false;
    void upload.answered.then(() => (uploadAnswered = true));
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', () => undefined);
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write(`POST /api/v1/clients HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":"`);
    let sent = 1;
    while (!received && sent < 8) {
      await sleep(300); // the upload keeps trickling while the JSON body stalls
      upload.send(randomBytes(1024));
      sent++;
    }
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(uploadAnswered).toBe(false); // the upload, older than the JSON request, is still open
    while (sent < 8) {
      upload.send(randomBytes(1024));
      sent++;
    }
    upload.finish();
    expect(await upload.answered).toMatch(/^HTTP\/1\.1 201 /);
  });
});
