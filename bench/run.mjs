#!/usr/bin/env node
// The bench runner (issue 14): `npm run bench -- <name> [<name> …]` runs the named scenarios, every
// one of them by default, each in its own process, one after the other (they share the machine: never
// two at once). Each scenario replaces its own section of BENCHMARKS.md. `npm run bench -- --list`
// prints the names. A failing scenario is reported and the next one still runs; the exit code says
// whether all passed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInherited } from './lib/proc.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));

/**
 * name → [script, what it needs built first, what it measures]. The order is the order of a full run.
 * `--no-build` skips the builds (after `npm run build`).
 */
export const SCENARIOS = {
  hot: ['hot/run.mjs', ['api'], 'hot tenant read: GET /api/v1/clients, app vs raw Fastify + pg (same SQL), the naive raw baseline and Express + Drizzle'],
  'cold-tenant': ['cold-tenant/run.mjs', ['api'], "a studio's first request after its pool was evicted, p50/p99"],
  'many-tenants': ['many-tenants/run.mjs', ['api'], '1,000 studios, requests uniform and Zipf-skewed, DB_CONNECTION_BUDGET=60, vs the hot tenant; pool evictions and cold starts/s'],
  'client-create': ['client-create/run.mjs', ['api'], 'write path: POST /api/v1/clients (client + audit entry) vs raw Fastify + pg'],
  'request-scope': ['request-scope/run.mjs', [], 'TenantConnection styles: durable request-scoped per tenant vs Scope.REQUEST vs singleton + AsyncLocalStorage, 1,000 tenants, memory per tenant'],
  sse: ['sse/run.mjs', ['api'], 'notification streams: 5,000 held by one process, memory per stream, commit-to-delivery p50/p99 with 1,000 listeners of one studio'],
  bundle: ['bundle/run.mjs', ['web'], "the web app's first load, gzipped"],
  bookings: ['bookings/run.mjs', ['api'], 'bookings week query and POST /api/v1/bookings vs raw Fastify + pg'],
  migrate: ['migrate/run.mjs', ['api'], '`rsm migrate` of 1,000 tenants'],
  signup: ['signup/run.mjs', ['api'], 'sign-up with provisioning'],
  peaks: ['peaks/run.mjs', ['api'], 'waveform peaks of long WAVs'],
};

export function selectScenarios(args) {
  const names = args.filter((a) => !a.startsWith('-'));
  if (names.length === 0) return Object.keys(SCENARIOS);
  const unknown = names.filter((n) => !(n in SCENARIOS));
  if (unknown.length) throw new Error(`unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  return [...new Set(names)];
}

/**
 * With both many-tenants and migrate selected, migrate runs inside many-tenants on its 1,000 studios
 * (BENCH_MANY_TENANTS_THEN_MIGRATE): one set of studios, one server, instead of two (~100 s of copies and
 * clean-up saved). Alone, each makes its own.
 */
const runScenario = (name, env = process.env) => runInherited(process.execPath, [path.join(benchDir, SCENARIOS[name][0])], { cwd: benchDir, env });

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--list')) {
    for (const [name, [, , what]] of Object.entries(SCENARIOS)) process.stdout.write(`${name.padEnd(14)} ${what}\n`);
    return 0;
  }
  const names = selectScenarios(args);
  if (!args.includes('--no-build')) {
    for (const workspace of ['api', 'web']) {
      if (!names.some((n) => SCENARIOS[n][1].includes(workspace))) continue;
      process.stderr.write(`[bench] building ${workspace}\n`);
      const code = await runInherited('npm', ['run', 'build', '-w', workspace], { cwd: path.resolve(benchDir, '..') });
      if (code !== 0) throw new Error(`npm run build -w ${workspace} failed (exit ${code})`);
    }
  }
  const failed = [];
  const started = Date.now();
  const migrateWithManyTenants = names.includes('many-tenants') && names.includes('migrate');
  for (const name of names) {
    if (name === 'migrate' && migrateWithManyTenants) {
      process.stderr.write(`[bench] migrate: ran inside many-tenants, on its studios\n`);
      continue;
    }
    process.stderr.write(`[bench] ── ${name}${name === 'many-tenants' && migrateWithManyTenants ? ' (then migrate on its studios)' : ''} ──\n`);
    const t0 = Date.now();
    const code = await runScenario(name, name === 'many-tenants' && migrateWithManyTenants ? { ...process.env, BENCH_MANY_TENANTS_THEN_MIGRATE: '1' } : process.env);
    process.stderr.write(`[bench] ${name}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    if (code !== 0) failed.push(name);
  }
  process.stderr.write(`[bench] ${names.length - failed.length}/${names.length} scenario(s) done in ${((Date.now() - started) / 1000).toFixed(0)} s${failed.length ? `; failed: ${failed.join(', ')}` : ''}\n`);
  return failed.length ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`[bench] ${err.message}\n`);
      process.exit(2);
    },
  );
}
