import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { childPort } from './support/child-port.js';
import { withCredentials, withDatabase } from '../src/database/postgres-url.js';
import { valueOf } from './support/prometheus.js';
import { ShutdownState } from '../src/common/graceful-shutdown.js';
import { createTestApp, TEST_SECRET_KEY } from './support/test-app.js';

/**
 * Issue 8, graceful shutdown: the built app (dist/main.js) as a real process on the run's PostgreSQL,
 * under load, then SIGTERM. Needs `npm run build -w api` (nx builds before test).
 */
const main = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/main.js');

const portIsOpen = (port: number) =>
  new Promise<boolean>((res) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), res(true)));
    socket.once('error', () => res(false));
  });

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Resolves with the exit code, or 'still running' once `ms` passed (a bound on a wait, not a timing assertion). */
const exitWithin = (exited: Promise<number | null>, ms: number) =>
  Promise.race([exited, new Promise<'still running'>((res) => setTimeout(() => res('still running'), ms).unref())]);

interface Server {
  child: ChildProcess;
  base: string;
  port: number;
  exited: Promise<number | null>;
  output: () => string;
  /** Connection to the control database, for checks behind the app's back. */
  controlUrl: string;
  prefix: string;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
});

/** Starts dist/main.js on its own control database, role and tenant prefix of the run's PostgreSQL. */
async function startServer(env: Record<string, string> = {}): Promise<Server> {
  const serverUrl = process.env.RSM_TEST_PG_URL!;
  const id = `rsm_g${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  const role = `${id}_control`;
  const password = randomBytes(18).toString('base64url');
  await admin.query(`CREATE ROLE "${role}" LOGIN CREATEDB CREATEROLE PASSWORD '${password}'`);
  const dataDir = mkdtempSync(join(tmpdir(), 'rsm-shutdown-'));
  cleanups.push(async () => {
    const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${id}\\_%`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    const roles = await admin.query(`SELECT rolname FROM pg_roles WHERE rolname LIKE $1 ORDER BY rolname = $2`, [`${id}\\_%`, role]);
    for (const { rolname } of roles.rows) await admin.query(`DROP ROLE IF EXISTS "${rolname}"`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const port = await childPort(); // bound later by the child: outside the ephemeral range
  const controlUrl = withCredentials(withDatabase(serverUrl, `${id}_control`), role, password);
  const { EMBEDDED_PG_PORT: _port, ...inherited } = process.env;
  const child = spawn(process.execPath, [main], {
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
      RATE_LIMIT_API_PER_USER_PER_MINUTE: '1000000',
      RATE_LIMIT_API_PER_IP_PER_MINUTE: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  await until(() => output.includes('is ready') || child.exitCode !== null, 'the app is ready', 60_000);
  if (!output.includes('is ready')) throw new Error(`did not start:\n${output}`);
  return { child, base: `http://127.0.0.1:${port}`, port, exited, output: () => output, controlUrl, prefix: `${id}_tenant_` };
}

async function signUp(server: Server): Promise<{ cookie: string; organizationId: string }> {
  const n = randomBytes(4).toString('hex');
  const res = await fetch(`${server.base}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ studioName: `Drain ${n}`, name: `Owner ${n}`, email: `drain-${n}@studio.test`, password: 'correct horse battery' }),
  });
  expect(res.status).toBe(201);
  return { cookie: res.headers.get('set-cookie')!.split(';')[0], organizationId: ((await res.json()) as { organization: { id: string } }).organization.id };
}

/**
 * A POST whose body arrives in two parts (a client on a slow link): the server has the request once
 * the first part is in, and must wait for the rest. Resolves with the status code, or the error.
 */
function slowPost(server: Server, path: string, cookie: string, body: unknown) {
  const text = JSON.stringify(body);
  const half = Math.floor(text.length / 2);
  let req!: ClientRequest;
  const result = new Promise<number | string>((res) => {
    req = httpRequest(`${server.base}${path}`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), cookie },
    });
    req.on('response', (response) => {
      response.resume();
      response.on('end', () => res(response.statusCode!));
      response.on('error', (err) => res(String(err)));
    });
    req.on('error', (err) => res(`${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`));
    req.write(text.slice(0, half));
  });
  return { result, finish: () => req.end(text.slice(half)) };
}

const inFlight = async (server: Server) => valueOf(await (await fetch(`${server.base}/metrics`)).text(), 'rsm_http_requests_in_flight');

describe('graceful shutdown (SIGTERM under load)', () => {
  beforeAll(() => {
    if (!existsSync(main)) throw new Error(`${main} is missing: build the api first (nx runs it before test)`);
  });

  it('answers every request that had started, refuses new connections, exits 0 with the job worker running', async () => {
    const server = await startServer();
    const studio = await signUp(server);

    // Requests the server has started (headers in, body pending), confirmed by its own gauge.
    const SLOW = 6;
    const slow = Array.from({ length: SLOW }, (_, i) => slowPost(server, '/api/v1/clients', studio.cookie, { name: `Slow client ${i}` }));
    await until(async () => (await inFlight(server)) === SLOW + 1, 'the slow requests are in flight');

    // A stream of ordinary requests on keep-alive connections, running through the shutdown.
    let stop = false;
    let sigtermSent = false;
    const statuses: number[] = [];
    const errors: Array<{ afterSigterm: boolean; error: string }> = [];
    const worker = async () => {
      while (!stop) {
        try {
          const res = await fetch(`${server.base}/api/v1/clients?limit=100`, { headers: { cookie: studio.cookie } });
          await res.arrayBuffer();
          statuses.push(res.status);
        } catch (err) {
          const cause = (err as { cause?: { code?: string; message?: string } }).cause;
          errors.push({ afterSigterm: sigtermSent, error: cause?.code ?? cause?.message ?? String(err) });
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    await until(() => statuses.length >= 20, 'the stream runs');

    sigtermSent = true;
    server.child.kill('SIGTERM');
    await until(() => server.output().includes('SIGTERM: shutting down'), 'the app got SIGTERM');
    await until(async () => !(await portIsOpen(server.port)), 'new connections are refused');
    await until(() => errors.length > 0, 'the stream meets the closed port');
    expect(server.child.exitCode).toBeNull(); // still draining: the slow requests hold it

    for (const request of slow) request.finish();
    expect(await Promise.all(slow.map((s) => s.result))).toEqual(Array(SLOW).fill(201));
    expect(await exitWithin(server.exited, 45_000)).toBe(0);
    stop = true;
    await Promise.all(workers);

    // Every answer was a success (no 503, no 5xx). Connection errors came only once the shutdown had
    // begun: refused, or a keep-alive connection the draining server closed while idle (a request
    // the server never received; clients and Caddy retry those).
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(errors.filter((e) => !e.afterSigterm)).toEqual([]);
    expect(server.output()).not.toMatch(/Error while closing|still busy/);
    expect(server.output()).not.toMatch(/"level":(50|60)/);

    // What was acknowledged is stored: the slow clients are in the studio's database.
    const control = new pg.Client({ connectionString: server.controlUrl });
    await control.connect();
    try {
      const { rows } = await control.query(`SELECT database_name FROM tenant_databases WHERE organization_id = $1`, [studio.organizationId]);
      const tenant = new pg.Client({ connectionString: withDatabase(server.controlUrl, rows[0].database_name) });
      await tenant.connect();
      try {
        const clients = await tenant.query(`SELECT name FROM clients WHERE name LIKE 'Slow client %' ORDER BY name`);
        expect(clients.rows.map((r: { name: string }) => r.name)).toEqual(Array.from({ length: SLOW }, (_, i) => `Slow client ${i}`));
      } finally {
        await tenant.end();
      }
    } finally {
      await control.end();
    }
  }, 120_000);

  it('a request still unfinished at SHUTDOWN_TIMEOUT_MS is cut off, and the process exits 0 instead of waiting for it', async () => {
    const server = await startServer({ SHUTDOWN_TIMEOUT_MS: '1000', JOBS_ENABLED: 'false' });
    const studio = await signUp(server);
    const stuck = slowPost(server, '/api/v1/clients', studio.cookie, { name: 'Never finished' });
    await until(async () => (await inFlight(server)) === 2, 'the stuck request is in flight');
    server.child.kill('SIGTERM');
    // REQUEST_TIMEOUT_MS (30 s) would end it much later: the deadline ends it first.
    expect(await exitWithin(server.exited, 20_000)).toBe(0);
    expect(await stuck.result).toMatch(/ECONNRESET|socket hang up/);
    expect(server.output()).toContain('Closed 1 connection(s) still busy after SHUTDOWN_TIMEOUT_MS=1000');
  }, 90_000);

  it('while draining, readiness answers a 503 problem and every response closes its connection', async () => {
    const t = await createTestApp();
    cleanups.push(() => t.close());
    const get = (path: string) => t.http().get(path).set('connection', 'keep-alive');
    const ready = await get('/health/ready').expect(200);
    expect(ready.headers.connection).not.toBe('close');
    t.app.get(ShutdownState).draining = true;
    const draining = await get('/health/ready').expect(503);
    expect(draining.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(draining.body).toMatchObject({ status: 503, detail: 'The instance is shutting down.' });
    expect(draining.headers.connection).toBe('close');
    expect((await get('/health/live').expect(200)).headers.connection).toBe('close');
  });
});
