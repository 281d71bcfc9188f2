import { execFile } from 'node:child_process';
import { globSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * `npm run mutate` copies api/ into a sandbox minus Stryker's ignorePatterns (gitignore-style). An
 * unanchored pattern matches a file or folder of that name at any depth: 'reports' (meant for
 * api/reports, Stryker's own output) once dropped src/reports, and every mutation run failed before
 * testing a single mutant. And the bail environment it runs the tests in: a mutant that breaks
 * start-up must count as killed. No database.
 */
describe('mutation testing config (npm run mutate)', () => {
  const api = join(dirname(fileURLToPath(import.meta.url)), '..');

  const namesUnder = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => [e.name, ...(e.isDirectory() ? namesUnder(join(dir, e.name)) : [])]);

  it('ignores no source or test file: every ignore pattern is anchored, or matches no name under src/ and test/', async () => {
    const config = (await import(join(api, 'stryker.config.mjs'))).default as { ignorePatterns: string[] };
    const names = new Set([...namesUnder(join(api, 'src')), ...namesUnder(join(api, 'test'))]);
    const dropping = config.ignorePatterns.filter((p) => !p.startsWith('/') && names.has(p.replace(/\/$/, '')));
    expect(dropping).toEqual([]);
  });

  it('every scope mutates existing files and runs existing tests: a renamed file cannot leave a scope empty', async () => {
    const { scopes } = (await import(join(api, 'stryker.config.mjs'))) as { scopes: Record<string, { mutate: string[]; tests: string[] }> };
    const unmatched = Object.entries(scopes).flatMap(([name, scope]) =>
      [...scope.mutate, ...scope.tests]
        .filter((pattern) => !pattern.startsWith('!') && globSync(pattern, { cwd: api }).length === 0)
        .map((pattern) => `${name}: ${pattern}`),
    );
    expect(unmatched).toEqual([]);
    expect(Object.keys(scopes)).toEqual(expect.arrayContaining(['common', 'auth', 'tenancy', 'clients', 'bookings', 'invoices', 'quotes', 'projects']));
  });

  /** The files a scope's `mutate` patterns name (its `!` exclusions applied), as Stryker would. */
  const mutatedBy = (scope: { mutate: string[] }) => {
    const excluded = new Set(scope.mutate.filter((p) => p.startsWith('!')).flatMap((p) => globSync(p.slice(1), { cwd: api })));
    return scope.mutate.filter((p) => !p.startsWith('!')).flatMap((p) => globSync(p, { cwd: api }).filter((file) => !excluded.has(file)));
  };

  it.each([
    ['tenancy', ['tenancy-pools', 'tenancy-setup', 'tenancy-migrator', 'tenancy-servers']],
    ['auth', ['auth-login', 'auth-access', 'auth-sessions', 'auth-accounts']],
  ])('the %s parts together mutate every source file of its folder, each in one part only', async (folder, parts) => {
    const { scopes } = (await import(join(api, 'stryker.config.mjs'))) as { scopes: Record<string, { mutate: string[]; tests: string[] }> };
    const mutated = parts.flatMap((part) => mutatedBy(scopes[part]));
    const sources = globSync(`src/${folder}/**/*.ts`, { cwd: api, exclude: (name) => name.endsWith('.spec.ts') });
    expect([...mutated].sort()).toEqual([...sources].sort()); // a file in two parts shows up twice
    expect(mutatedBy(scopes[folder]).sort()).toEqual([...sources].sort()); // and the whole-folder scope is that folder
    // ...running every test its parts run: a test added to a part for a survivor also kills it in the whole run.
    const partTests = new Set(parts.flatMap((part) => scopes[part].tests));
    expect([...partTests].filter((test) => !scopes[folder].tests.includes(test))).toEqual([]);
    expect(sources.length).toBeGreaterThan(10);
  });

  /** Runs Jest on `files` (plain JS) under the mutation bail environment, as Stryker's runner would. */
  const runUnderBail = async (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'rsm-bail-'));
    try {
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      const config = { rootDir: dir, testEnvironment: join(api, 'test/support/mutate-bail-environment.cjs'), transform: {} };
      const jest = join(api, '../node_modules/jest/bin/jest.js');
      const run = promisify(execFile)(process.execPath, [jest, '--config', JSON.stringify(config), '--runInBand', '--json', '--ci'], {
        cwd: dir,
        env: { ...process.env, __STRYKER_ACTIVE_MUTANT__: '7' },
      });
      // Jest exits 1 when a test failed: the report on stdout is what counts.
      const { stdout } = await run.catch((err: { stdout: string }) => err);
      const report = JSON.parse(stdout) as { numFailedTests: number; numPassedTests: number; numPendingTests: number };
      return { failed: report.numFailedTests, passed: report.numPassedTests, skipped: report.numPendingTests };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('the bail environment reports a failed beforeAll as failed tests (a mutant that breaks start-up is killed, not survived)', async () => {
    const counts = await runUnderBail({
      'start.test.js': `describe('app', () => { beforeAll(() => { throw new Error('start-up broken'); }); it('a', () => {}); it('b', () => {}); });`,
    });
    // The first test fails with the hook's error; from then on the run bails (the bug gave 0 failed, 2 skipped).
    expect(counts).toEqual({ failed: 1, passed: 0, skipped: 1 });
  }, 60_000);

  it('the bail environment skips what follows the first failed test, and runs what comes before it', async () => {
    const counts = await runUnderBail({
      'order.test.js': `
        describe('first', () => { it('passes', () => {}); it('fails', () => { throw new Error('killed'); }); it('after', () => {}); });
        describe('second', () => { it('skipped', () => {}); });`,
    });
    expect(counts).toEqual({ failed: 1, passed: 1, skipped: 2 });
  }, 60_000);
});
