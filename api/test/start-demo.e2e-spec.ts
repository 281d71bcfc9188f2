import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childPort } from './support/child-port.js';

/** `npm start`'s entry point, built (like start.e2e-spec.ts): issue 8, a first run offers the demo studio. */
const main = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/main.js');

function start(env: Record<string, string>) {
  const { DATABASE_URL: _ignored, RSM_SECRET_KEY: _key, EMBEDDED_PG_PORT: _port, RSM_DEMO: _demo, ...inherited } = process.env;
  const child = spawn(process.execPath, [main], { env: { ...inherited, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const ready = new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`not ready in 90 s:\n${output}`)), 90_000);
    child.stdout!.on('data', () => output.includes('is ready') && (clearTimeout(timer), res()));
    void exited.then((code) => (clearTimeout(timer), rej(new Error(`exited ${code}:\n${output}`))));
  });
  return { child, ready, exited, output: () => output };
}

const running: ChildProcess[] = [];
let dataDir: string;
beforeAll(() => {
  if (!existsSync(main)) throw new Error(`${main} is missing: build the api first (nx runs it before test)`);
  dataDir = mkdtempSync(join(tmpdir(), 'rsm-demo-start-'));
});
afterAll(() => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function run(env: Record<string, string>, during: (base: string, output: string) => Promise<void>) {
  const [port, pgPort] = [await childPort(), await childPort()]; // bound later by the child: outside the ephemeral range
  const proc = start({ PORT: String(port), RSM_DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), ...env });
  running.push(proc.child);
  await proc.ready;
  await during(`http://127.0.0.1:${port}`, proc.output());
  proc.child.kill('SIGINT');
  expect(await proc.exited).toBe(0);
}

const login = (base: string, email: string, password: string) =>
  fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });

describe('npm start offers the demo studio on a first run', () => {
  it('without RSM_DEMO says how to get one; with RSM_DEMO=true seeds it and prints a login that works; not again once a studio exists', async () => {
    await run({}, async (_base, output) => {
      expect(output).toContain('No studio yet: sign up in the browser, or get a demo studio with `RSM_DEMO=true npm start` (or `npm run rsm -- seed --demo`).');
      expect(output).not.toContain('RSM_DEMO: seeded');
    });

    await run({ RSM_DEMO: 'true' }, async (base, output) => {
      const lines = /RSM_DEMO: seeded "Demo Studio" \((\d+) bookings, 8 clients, 2 projects\)\. Log in at (\S+)\/login\n\s+owner:\s+(\S+) \/ (.+)\n/.exec(output);
      expect(lines).not.toBeNull();
      const [, bookings, printedBase, email, password] = lines!;
      expect(printedBase).toBe(base);
      expect(Number(bookings)).toBeGreaterThan(20);
      const session = await login(base, email, password);
      expect(session.status).toBe(200);
      const cookie = session.headers.get('set-cookie')!.split(';')[0];
      const clients = await fetch(`${base}/api/v1/clients`, { headers: { cookie } });
      expect(((await clients.json()) as { total: number }).total).toBe(8);
      // The app's own peaks job decodes the demo's generated mixes: the review player has a waveform to draw.
      const json = async (path: string) => (await fetch(`${base}${path}`, { headers: { cookie } })).json() as Promise<Record<string, any>>;
      const album = (await json('/api/v1/projects?q=Night%20Drive')).items[0];
      const mixes = ((await json(`/api/v1/projects/${album.id}/files`)).items as Array<{ id: string; contentType: string }>).filter((f) => f.contentType === 'audio/wav');
      expect(mixes).toHaveLength(2);
      for (const mix of mixes) {
        let peaks = await json(`/api/v1/files/${mix.id}/peaks`);
        for (let tries = 0; peaks.status === 'pending' && tries < 120; tries++) {
          await new Promise((res) => setTimeout(res, 250));
          peaks = await json(`/api/v1/files/${mix.id}/peaks`);
        }
        expect(peaks).toMatchObject({ status: 'ready', durationSeconds: 12, sampleRate: 22_050, channels: 2 });
        expect(Math.max(...(peaks.peaks as number[]))).toBeGreaterThan(0.3);
      }
    });

    // A studio exists now: no second demo, and no hint.
    await run({ RSM_DEMO: 'true' }, async (_base, output) => {
      expect(output).not.toContain('RSM_DEMO');
      expect(output).not.toContain('No studio yet');
    });
  }, 240_000);
});
