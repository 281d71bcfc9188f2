import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT } from '../src/cli/exit-codes.js';
import { TENANT_MIGRATIONS } from '../src/tenant-schema/tenant-migrations.js';
import { createTenants, rsm } from './support/cli.js';
import { createTestApp, TEST_SECRET_KEY, type TestApp } from './support/test-app.js';
import { versionOf as migrationVersion } from '../src/tenancy/tenant-schema-steps.js';

/** The built `rsm` (the api package's bin; `npm test` builds first, like test/start.e2e-spec.ts). */
const apiDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = resolve(apiDir, JSON.parse(readFileSync(resolve(apiDir, 'package.json'), 'utf8')).bin.rsm);
const PREVIOUS = migrationVersion(TENANT_MIGRATIONS.at(-2)!);

/** Runs the built rsm in a child process: piped, or under util-linux `script` (a pseudo-terminal). */
function spawnRsm(t: TestApp, args: string[], { tty = false } = {}) {
  const env = {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    DATABASE_URL: t.config.databaseUrl,
    TENANT_TEMPLATE_DATABASE: t.config.tenancy.templateDatabase,
    TENANT_DATABASE_PREFIX: t.config.tenancy.databasePrefix,
    RSM_SECRET_KEY: TEST_SECRET_KEY,
    COLUMNS: '120',
  };
  const command = [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' ');
  const child = tty
    ? spawn('/usr/bin/script', ['-qec', command, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((res) => child.on('close', (code) => res({ code, stdout, stderr })));
}

describe('rsm output: a live bar on a terminal, plain lines in a pipe', () => {
  let t: TestApp;
  beforeAll(async () => {
    expect(existsSync(bin)).toBe(true); // built by `npm run build -w api`
    t = await createTestApp();
    await createTenants(t, 12);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('is an executable node script (the package bin)', () => {
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('on a terminal: a progress bar with counts, failures and ETA, redrawn in place', async () => {
    expect((await rsm(t, ['migrate', '--to', PREVIOUS])).code).toBe(EXIT.OK);
    const run = await spawnRsm(t, ['migrate'], { tty: true });
    expect(run.code).toBe(EXIT.OK);
    expect(run.stdout).toContain('\x1b[?25l'); // cli-progress hides the cursor while drawing
    expect(run.stdout).toMatch(/\[█+\] 100% \| 12\/12 tenants \| 0 failed \| ETA/);
    expect(run.stdout).toMatch(/\x1b\[1G/); // each frame returns to column 1: redrawn, not appended
    expect(run.stdout).not.toMatch(/^\[\s*\d+\/12\] /m); // no plain lines
    expect(run.stdout).toMatch(/migrated\s+12/); // the summary table
  }, 60_000);

  it('piped: one plain line per tenant on stderr, no escape sequences; the summary on stdout', async () => {
    expect((await rsm(t, ['migrate', '--to', PREVIOUS])).code).toBe(EXIT.OK);
    const run = await spawnRsm(t, ['migrate']);
    expect(run.code).toBe(EXIT.OK);
    expect(run.stderr).not.toMatch(/\x1b/);
    const lines = run.stderr.split('\n').filter((l) => /^\[\s*\d+\/12\] migrated /.test(l));
    expect(lines).toHaveLength(12);
    expect(lines[0]).toMatch(new RegExp(`${PREVIOUS} -> \\d{13} \\(up `));
    expect(run.stdout).toMatch(/outcome\s+tenants\n-+\s+-+\nmigrated\s+12/);
    expect(run.stdout).not.toMatch(/\x1b/);
  }, 60_000);

  it('--json: stdout is one JSON document even with progress', async () => {
    const run = await spawnRsm(t, ['migrate', '--json']);
    expect(run.code).toBe(EXIT.OK);
    expect(JSON.parse(run.stdout)).toMatchObject({ summary: { 'up-to-date': 12, failed: 0 }, exitCode: 0 });
  }, 60_000);

  it('exit codes: 3 when the control database cannot be reached, 2 on a bad option', async () => {
    const unreachable = await spawnRsm({ ...t, config: { ...t.config, databaseUrl: 'postgres://nobody:x@127.0.0.1:1/none' } }, ['tenants', 'list']);
    expect(unreachable.code).toBe(EXIT.CONTROL_UNREACHABLE);
    expect(unreachable.stderr).toMatch(/Cannot reach the control database/);
    const bad = await spawnRsm(t, ['migrate', '--concurrency', 'lots']);
    expect(bad.code).toBe(EXIT.USAGE);
    expect(bad.stderr).toMatch(/--concurrency/);
  }, 60_000);
});

describe('rsm --help', () => {
  const commands = [[], ['migrate'], ['tenants'], ['tenants', 'list'], ['tenants', 'show'], ['tenants', 'check'], ['tenants', 'archive'], ['tenants', 'restore'], ['tenants', 'sweep'], ['jobs'], ['jobs', 'list'], ['jobs', 'retry'], ['seed']];
  // --help needs no database: a configuration that points nowhere proves it never connects.
  const nowhere = { config: { databaseUrl: 'postgres://nobody:x@127.0.0.1:1/none' } } as unknown as TestApp;

  it.each(commands.map((c) => [c.join(' ') || '(rsm)', c]))('%s --help: usage and options on stdout, exit 0', async (_label, command) => {
    const run = await rsm(nowhere, [...(command as string[]), '--help']);
    expect(run.code).toBe(EXIT.OK);
    expect(run.stdout).toContain(`Usage: rsm${(command as string[]).length ? ` ${(command as string[]).join(' ')}` : ''} `);
    expect(run.stdout).toMatch(/-h, --help/);
    expect(run.stderr).toBe('');
  });

  it('the root help documents the exit codes', async () => {
    const run = await rsm(nowhere, ['--help']);
    expect(run.stdout).toMatch(/Exit codes: 0 ok, 1 some tenants failed.*2 usage.*\n3 the control database cannot be reached/s);
  });

  it('no command: help on stderr, usage exit code', async () => {
    const run = await rsm(nowhere, []);
    expect(run.code).toBe(EXIT.USAGE);
    expect(run.stderr).toContain('Usage: rsm');
  });
});
