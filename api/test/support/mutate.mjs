// `npm run mutate [-- scope...]` (repo root): mutation testing with StrykerJS, see api/stryker.config.mjs
// and RELIABILITY.md. Starts ONE embedded PostgreSQL (global setup then uses it through DATABASE_URL,
// instead of starting one per mutant run), runs Stryker once per scope, then stops the server and
// removes its temp dir. Not part of `npm test`.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import globalSetup from './global-setup.mjs';
import globalTeardown from './global-teardown.mjs';

const apiDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { scopes } = await import(join(apiDir, 'stryker.config.mjs'));
const allScopes = ['common', 'auth', 'clients', 'tenancy'];
// `npm run mutate -- [scope...] [stryker options...]`: the scope names come first.
const args = process.argv.slice(2);
const firstOption = args.findIndex((arg) => arg.startsWith('-'));
const requested = firstOption < 0 ? args : args.slice(0, firstOption);
const strykerArgs = firstOption < 0 ? [] : args.slice(firstOption);
const run = requested.length ? requested : allScopes;
for (const name of run) if (!scopes[name]) throw new Error(`Unknown scope ${name}; one of ${Object.keys(scopes).join(', ')}`);

const inherited = process.env.DATABASE_URL;
await globalSetup(); // DATABASE_URL set: uses that server; else starts an embedded one in a temp dir
const env = { ...process.env, DATABASE_URL: inherited ?? process.env.RSM_TEST_PG_URL };
// Stryker's sandbox is a copy of api/ only; tests that read openapi.json and the web client find the repo here.
env.RSM_REPO_ROOT = join(apiDir, '..');
// Stryker's Jest runs make their own run dirs; a runner killed at a timeout never removes its
// dir, so they all go into one dir inside this run's dir: removed at the end, and with the run's
// dir when Ctrl-C ends the process first (run-temp-dir.mjs).
const strykerTemp = mkdtempSync(join(globalThis.__RSM_TEMP__.runDir, 'rsm-mutate-'));
chmodSync(strykerTemp, 0o755);
env.TMPDIR = strykerTemp;
// MUTATE_STRYKER_BIN: a Stryker installed elsewhere (e.g. a node_modules that lacks the devDependency).
const strykerBin = process.env.MUTATE_STRYKER_BIN ?? join(apiDir, '..', 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');

let failed = false;
let interrupted = false;
/** The running Stryker: leader of its own process group, which its test runners and checkers join. */
let stryker;
const stop = async () => {
  rmSync(strykerTemp, { recursive: true, force: true });
  await globalTeardown();
};
// Ctrl-C: Stryker saves a partial incremental report and exits, but does not wait for its runners.
process.on('SIGINT', () => {
  interrupted = true;
  stryker?.kill('SIGINT');
});
try {
  for (const name of run) {
    if (interrupted) break;
    const started = Date.now();
    console.log(`\n=== mutate ${name}: ${scopes[name].mutate.join(' ')} ===`);
    // Not spawnSync: a blocked event loop stops draining the embedded server's log pipes, and once a
    // pipe is full every PostgreSQL process that logs (the checkpointer, at each DROP DATABASE's
    // checkpoint) blocks, so each Jest run hangs in its teardown until Stryker's timeout.
    stryker = spawn(process.execPath, [strykerBin, 'run', 'stryker.config.mjs', ...strykerArgs], {
      cwd: apiDir,
      env: { ...env, MUTATE_SCOPE: name },
      stdio: 'inherit',
      detached: true, // its own process group, so that leftover runners can be stopped below
    });
    const [code, signal] = await once(stryker, 'exit');
    // Runners still alive after Stryker (interrupted, or crashed) would keep writing into the
    // temp dir and using the server that stop() removes.
    try {
      process.kill(-stryker.pid, 'SIGKILL');
    } catch {
      // no process left in the group
    }
    console.log(`=== mutate ${name}: exit ${code ?? signal} after ${Math.round((Date.now() - started) / 1000)} s ===`);
    if (code !== 0) failed = true;
    if (code === 130 || signal) interrupted = true;
  }
} finally {
  await stop();
}
process.exit(failed ? 1 : 0);
