import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `npm start`'s entry point, for real: built code, embedded PostgreSQL, a real port, real signals. */
const main = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/main.js');

const freePort = () =>
  new Promise<number>((res, rej) => {
    const srv = createServer().unref().on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });

const portIsOpen = (port: number) =>
  new Promise<boolean>((res) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), res(true)));
    socket.once('error', () => res(false));
  });

function start(env: Record<string, string>) {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, [main], { env: { ...inherited, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const ready = new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`not ready in 60 s:\n${output}`)), 60_000);
    child.stdout!.on('data', () => output.includes('is ready') && (clearTimeout(timer), res()));
    void exited.then((code) => (clearTimeout(timer), rej(new Error(`exited ${code}:\n${output}`))));
  });
  return { child, ready, exited, output: () => output };
}

async function stop(proc: { child: ChildProcess; exited: Promise<number | null> }) {
  proc.child.kill('SIGINT');
  return proc.exited;
}

describe('npm start (api/dist/main.js)', () => {
  beforeAll(() => {
    if (!existsSync(main)) throw new Error(`${main} is missing: build the api first (nx runs it before test)`);
  });

  it('starts on an embedded PostgreSQL with no configuration, serves, stops cleanly, and keeps its data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rsm-start-'));
    chmodSync(dataDir, 0o755);
    const [port, pgPort] = [await freePort(), await freePort()];
    const env = { PORT: String(port), RSM_DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort) };
    const base = `http://127.0.0.1:${port}`;
    const json = (body: unknown, cookie = '') => ({ method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });

    const first = start(env);
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
    expect(await stop(first)).toBe(0);
    // The API and the embedded PostgreSQL went down with it.
    await expect(fetch(`${base}/health/live`)).rejects.toThrow();
    expect(await portIsOpen(pgPort)).toBe(false);

    const second = start(env);
    await second.ready;
    const again = await fetch(`${base}/api/v1/auth/login`, json(account));
    expect(again.status).toBe(200);
    const list = await fetch(`${base}/api/v1/clients`, { headers: { cookie: again.headers.get('set-cookie')!.split(';')[0] } });
    expect(((await list.json()) as { items: Array<{ name: string }> }).items.map((c: { name: string }) => c.name)).toEqual(['Smoke Client']);
    expect(await stop(second)).toBe(0);
  }, 120_000);

  it('refuses a bad environment with one clear line and exit code 1', async () => {
    const proc = start({ PORT: 'eighty', RSM_DATA_DIR: mkdtempSync(join(tmpdir(), 'rsm-bad-')) });
    await expect(proc.ready).rejects.toThrow();
    expect(await proc.exited).toBe(1);
    expect(proc.output().trim().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: PORT: /)]);
  });
});
