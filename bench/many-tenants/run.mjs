#!/usr/bin/env node
// Scenario `many-tenants` (issue 14): 1,000 studios behind one app started with DB_CONNECTION_BUDGET=60
// (TENANT_POOL_SIZE 3 → room for 20 tenant pools). GET /api/v1/clients?limit=20, each request with the
// session cookie of a studio drawn uniformly or Zipf-skewed (s = 1.1) across the 1,000, against the
// hot-tenant figure (every request to one studio) measured in the same run, interleaved, with the same
// load generator (bench/lib/cookie-load.mjs). Pool evictions and cold starts per second are read from
// /metrics before and after each run. Under load, a sample of the answers is checked to hold the asking
// studio's own clients only. Replaces its section of BENCHMARKS.md.
// Knobs: BENCH_TENANTS (1000), BENCH_CONNECTIONS (20), BENCH_DURATION (5 s), BENCH_RUNS (3),
// BENCH_WARMUP (2 s), BENCH_ZIPF_S (1.1), BENCH_OUTPUT, BENCH_VERBOSE=1, BENCH_APP_ARGS (node flags for
// the app, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), BENCH_BEFORE_APP_ENTRY (+ BENCH_BEFORE_LABEL): another
// build of the API (an older commit's api/dist/main.js) started beside it on the same databases and measured
// in the same interleaved rounds, for a before/after ratio. Target: ≥ 0.5× the hot tenant. PostgreSQL's own
// ceiling (new connections per second with no app, bench/lib/connect-rate.mjs) is measured in the same rounds.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { call } from '../lib/app.mjs';
import { bareConnectionRate, tenantRoleUrls } from '../lib/bare-connections.mjs';
import { replaceSection, roundOrder } from '../lib/compare.mjs';
import { provisionStudios } from '../lib/many-studios.mjs';
import { startPostgres } from '../lib/postgres.mjs';
import { freePort, killAllChildrenNow, runInherited, runToCompletion, startChild, stopAllChildren, waitForHttp } from '../lib/proc.mjs';
import { median } from '../lib/report.mjs';
import { studiosHoldingShare } from '../lib/tenant-sampler.mjs';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rootDir = path.resolve(benchDir, '..');
const num = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const config = {
  tenants: num('BENCH_TENANTS', 1000),
  connections: num('BENCH_CONNECTIONS', 20),
  duration: num('BENCH_DURATION', 5),
  runs: num('BENCH_RUNS', 3),
  warmup: num('BENCH_WARMUP', 2),
  s: num('BENCH_ZIPF_S', 1.1),
  budget: 60,
  poolSize: 3,
};
const output = path.resolve(rootDir, process.env.BENCH_OUTPUT ?? 'BENCHMARKS.md');
const appEntry = path.resolve(rootDir, 'api/dist/main.js');
const SECTION = '## Many tenants: 1,000 studios, uniform and Zipf-skewed, DB_CONNECTION_BUDGET=60';
const METRICS_TOKEN = randomBytes(24).toString('base64url');
const log = (msg) => process.stderr.write(`[bench:many-tenants] ${msg}\n`);
process.on('exit', () => killAllChildrenNow());

async function poolCounters(base) {
  const { text } = await call(base, 'GET', '/metrics', { expect: 200, headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const value = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    coldStarts: value('rsm_tenant_pool_cold_starts_total'),
    evictions: value('rsm_tenant_pool_evictions_total'),
    busy: value('rsm_tenant_connections_waiting') + value('rsm_tenant_connections_in_use'),
    cpuSeconds: value('process_cpu_seconds_total'), // prom-client's default metric: the app process's user + system CPU
  };
}

/**
 * Waits (≤ 15 s) until the previous run's requests are done: no tenant connection waited for or held,
 * and the counters still for half a second (a request still in the session lookup shows in neither
 * gauge), so that each run's evictions and cold starts are its own.
 */
async function drained(base) {
  let last = await poolCounters(base);
  for (let i = 0; i < 30; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const c = await poolCounters(base);
    if (c.busy === 0 && last.busy === 0 && c.evictions === last.evictions && c.coldStarts === last.coldStarts) return c;
    last = c;
  }
  return last;
}

let postgres;
let workDir;
async function main() {
  if (!existsSync(appEntry)) throw new Error('api/dist/main.js not found: npm run build -w api first');
  const startedAt = new Date();
  const loadBefore = os.loadavg()[0];
  postgres = await startPostgres({ databaseUrl: process.env.DATABASE_URL });
  const run = randomBytes(3).toString('hex');
  const prefix = `rsm_mt${run}_`;
  const names = { control: `${prefix}control`, template: `${prefix}template` };
  const secretKey = randomBytes(32).toString('base64url');
  const appArgs = (process.env.BENCH_APP_ARGS ?? '').split(/\s+/).filter(Boolean);
  // Every build the same settings and secret key (the tenant roles' passwords derive from it).
  const startBuild = async (name, entry) => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = startChild(name, process.execPath, [...appArgs, entry], {
      cwd: rootDir,
      echo: process.env.BENCH_VERBOSE === '1',
      env: {
        ...process.env, NODE_ENV: 'production', PUBLIC_URL: base, HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: postgres.serverUrl(names.control), LOG_LEVEL: 'warn',
        RSM_SECRET_KEY: secretKey, TENANT_DATABASE_PREFIX: prefix, TENANT_TEMPLATE_DATABASE: names.template,
        RATE_LIMIT_API_PER_USER_PER_MINUTE: '0', RATE_LIMIT_API_PER_IP_PER_MINUTE: '0',
        DB_CONNECTION_BUDGET: String(config.budget), TENANT_POOL_SIZE: String(config.poolSize), METRICS_TOKEN,
      },
    });
    await waitForHttp(`${base}/health/ready`, { timeoutMs: 120_000, child });
    return base;
  };
  const base = await startBuild('app', appEntry);
  const beforeEntry = process.env.BENCH_BEFORE_APP_ENTRY ? path.resolve(process.env.BENCH_BEFORE_APP_ENTRY) : undefined;
  const beforeBase = beforeEntry ? await startBuild('before', beforeEntry) : undefined;
  const beforeLabel = process.env.BENCH_BEFORE_LABEL ?? beforeEntry;

  // One real sign-up: the session cookie's name as the app sets it, and proof the route answers.
  const stamp = `${Date.now().toString(36)}${process.pid}`;
  const registered = await call(base, 'POST', '/api/v1/auth/register', {
    expect: 201,
    body: { studioName: `Many ${stamp}`, name: 'Bench Owner', email: `owner-${stamp}@bench.example`, password: 'bench-password-123' },
  });
  const cookieName = registered.headers.getSetCookie()[0].split('=')[0];

  log(`provisioning ${config.tenants} studios (tenant database, role, 20 clients, control rows, session)`);
  const { studios, ms: provisionMs } = await provisionStudios({
    rootDir, serverUrl: postgres.serverUrl, controlDatabase: names.control, templateDatabase: names.template, prefix, secretKey, cookieName, count: config.tenants, log,
    concurrency: 6, relaxDurability: postgres.embedded,
  });
  log(`provisioned in ${(provisionMs / 1000).toFixed(1)} s`);
  // Before any timing: the first and the last studio each answer their own page of 20.
  for (const s of [studios[0], studios.at(-1)]) {
    const body = JSON.parse((await call(base, 'GET', '/api/v1/clients?limit=20', { cookie: s.cookie, expect: 200 })).text);
    if (body.items.length !== 20 || body.items.some((c) => !c.name.startsWith(s.prefix))) throw new Error(`studio ${s.index} answered ${JSON.stringify(body).slice(0, 300)}`);
  }

  workDir = mkdtempSync(path.join(os.tmpdir(), 'rsm-bench-many-'));
  const specFile = (target, distribution, duration, seed) => {
    const file = path.join(workDir, `${distribution}-${seed}-${target === base ? 'app' : 'before'}.json`);
    writeFileSync(file, JSON.stringify({
      url: `${target}/api/v1/clients?limit=20`, cookies: studios.map((s) => s.cookie), namePrefixes: studios.map((s) => s.prefix),
      distribution, s: config.s, seed, connections: config.connections, duration, checkEvery: 10,
    }));
    return file;
  };
  // PostgreSQL's own ceiling for cold starts: each studio's role on its own database, as the app's pools connect.
  const studioUrls = await tenantRoleUrls({ prefix, secretKey, controlUrl: postgres.serverUrl(names.control), organizationIds: studios.map((s) => s.id) });
  const drive = async (target, distribution, duration, seed, { warmUp = false } = {}) => {
    const before = await drained(target);
    const { code, stdout, stderr } = await runToCompletion(process.execPath, [path.join(benchDir, 'lib/cookie-load.mjs'), specFile(target, distribution, duration, seed)], {
      cwd: benchDir, env: process.env, timeoutMs: (duration + 60) * 1000,
    });
    if (code !== 0) throw new Error(`cookie-load exited ${code}: ${stderr.slice(-1500)}`);
    // Read at once: the counts of the run's own seconds (requests still in flight finish before the next run starts).
    const after = await poolCounters(target);
    const result = JSON.parse(stdout.trim().split('\n').pop());
    if (result.mismatches > 0) throw new Error(`${distribution}: ${result.mismatches} answers held another studio's rows: ${JSON.stringify(result.examples)}`);
    // A warm-up may end before any cold request is answered on a loaded machine; a measured run may not.
    if (!warmUp && (result.requests === 0 || result.checked === 0)) throw new Error(`${distribution}: no answers (${JSON.stringify(result)})`);
    const seconds = result.duration;
    return { ...result, appCpuShare: (after.cpuSeconds - before.cpuSeconds) / seconds, appCpuPerRequest: ((after.cpuSeconds - before.cpuSeconds) * 1e6) / result.requests, coldStartsPerSec: (after.coldStarts - before.coldStarts) / seconds, evictionsPerSec: (after.evictions - before.evictions) / seconds, coldStarts: after.coldStarts - before.coldStarts };
  };

  const spreads = [
    { key: 'hot', label: 'hot tenant (one studio)', distribution: 'single' },
    { key: 'uniform', label: `uniform over ${config.tenants}`, distribution: 'uniform' },
    { key: 'zipf', label: `Zipf s=${config.s} over ${config.tenants}`, distribution: 'zipf' },
  ];
  const variants = spreads.map((v) => ({ ...v, base, runs: [] }));
  const beforeVariants = beforeBase ? spreads.map((v) => ({ ...v, key: `${v.key} (before)`, label: `${v.label}, before (${beforeLabel})`, base: beforeBase, runs: [] })) : [];
  const allVariants = [...variants, ...beforeVariants];
  const ceiling = { key: 'ceiling', runs: [] };
  log(`warm-up ${config.warmup} s each; then ${config.runs} interleaved rounds of ${config.duration} s × ${config.connections} connections`);
  for (const v of allVariants) await drive(v.base, v.distribution, config.warmup, 999, { warmUp: true });
  for (let round = 0; round < config.runs; round++) {
    for (const v of roundOrder([...allVariants, ceiling], round)) {
      if (v === ceiling) {
        const r = await bareConnectionRate({ urls: studioUrls, connections: config.connections, duration: config.duration, seed: round + 1 });
        ceiling.runs.push(r);
        log(`round ${round + 1} PostgreSQL ceiling: ${r.perSec.toFixed(1)} new connections/s, p50 ${r.p50} ms, p99 ${r.p99} ms`);
        continue;
      }
      const r = await drive(v.base, v.distribution, config.duration, round + 1);
      v.runs.push(r);
      log(`round ${round + 1} ${v.key}: ${r.requestsPerSec.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.coldStartsPerSec.toFixed(1)} cold starts/s, ${r.evictionsPerSec.toFixed(1)} evictions/s, app CPU ${(r.appCpuShare * 100).toFixed(0)} % of a core, non-2xx ${r.non2xx}, checked ${r.checked}`);
    }
  }
  const loadAfter = os.loadavg()[0];

  const med = (v, field) => median(v.runs.map((r) => r[field]));
  const hot = med(variants[0], 'requestsPerSec');
  let commit;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: rootDir, encoding: 'utf8' }).trim();
    if (execFileSync('git', ['status', '--porcelain', '--', 'api/src', 'bench'], { cwd: rootDir, encoding: 'utf8' }).trim()) commit += ' + uncommitted changes';
  } catch {
    commit = undefined;
  }
  const fmt = (x, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  const cpus = os.availableParallelism?.() ?? os.cpus().length;
  const capacity = Math.floor(config.budget / config.poolSize);
  const lines = [
    SECTION,
    '',
    `${config.tenants} studios, each with its own tenant database (a copy of the template, its own role) holding 20 clients whose names start with ` +
      `"Studio <n> ", and a live owner session (written straight into the databases by bench/lib/many-studios.mjs; one real sign-up checks the route). ` +
      `The app: \`node api/dist/main.js\`, NODE_ENV=production, DB_CONNECTION_BUDGET=${config.budget}, TENANT_POOL_SIZE=${config.poolSize}: room for ${capacity} tenant pools at once. ` +
      `Every request is GET /api/v1/clients?limit=20 with the session cookie of a studio drawn per request — uniformly, or Zipf-skewed with s = ${config.s} ` +
      `(${studiosHoldingShare(config.tenants, config.s, 0.5)} studios take half the requests, ${studiosHoldingShare(config.tenants, config.s, 0.8)} take 80 %; ranks given to studios by a seeded shuffle) — ` +
      'against the hot tenant (every request to one studio) in the same interleaved run.',
    '',
    `- Date: ${startedAt.toISOString()}; commit: ${commit ?? 'n/a'}; Node.js ${process.version}; PostgreSQL ${postgres.version}; ${cpus} cores (${os.cpus()[0]?.model?.trim() ?? 'n/a'})`,
    `- Load average (1 min) before / after: ${fmt(loadBefore, 2)} / ${fmt(loadAfter, 2)}${loadBefore > cpus / 2 ? ' — a busy machine: absolute figures are noisy; the ratios come from the same interleaved run' : ''}`,
    `- Load: autocannon's programmatic API in its own process (bench/lib/cookie-load.mjs: a \`setupRequest\` hook sets the drawn studio's cookie), ` +
      `${config.connections} connections, ${config.duration} s per run, ${config.runs} rounds with the order rotated, after a ${config.warmup} s warm-up each; medians. ` +
      'Evictions and cold starts per second: `rsm_tenant_pool_evictions_total` / `rsm_tenant_pool_cold_starts_total` from /metrics before and after each run ' +
      '(after the previous run\'s requests are done); app CPU: `process_cpu_seconds_total` over the run (the app process only; PostgreSQL\'s backends are not in it).',
    `- Provisioning the ${config.tenants} studios took ${fmt(provisionMs / 1000, 1)} s (6 at a time, FILE_COPY; fsync off during the set-up on the bench's own server, back on, checkpointed and synced before the runs).`,
    '',
    '| requests spread | req/s (median) | p50 | p99 | ÷ hot tenant | cold starts/s | evictions/s | app CPU (of one core) | app CPU / request | non-2xx (all runs) | studios touched / run |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const v of allVariants) {
    const rps = med(v, 'requestsPerSec');
    const ownHot = med(v.base === base ? variants[0] : beforeVariants[0], 'requestsPerSec');
    lines.push(
      `| ${v.label} | ${fmt(rps)} | ${fmt(med(v, 'p50'))} ms | ${fmt(med(v, 'p99'))} ms | ${v.distribution === 'single' ? '—' : `**${fmt(rps / ownHot, 2)}×**`} | ${fmt(med(v, 'coldStartsPerSec'), 1)} | ${fmt(med(v, 'evictionsPerSec'), 1)} | ${fmt(med(v, 'appCpuShare') * 100)} % | ${fmt(med(v, 'appCpuPerRequest') / 1000, 1)} ms | ${v.runs.reduce((n, r) => n + r.non2xx, 0)} | ${fmt(med(v, 'studiosTouched'))} |`,
    );
  }
  const ceilingRate = med(ceiling, 'perSec');
  const uniformColdStarts = med(variants[1], 'coldStartsPerSec');
  lines.push(
    '',
    `PostgreSQL's own ceiling, measured in the same rounds (bench/lib/connect-rate.mjs in its own process, ${config.connections} at a time, studios drawn uniformly): ` +
      `a new connection as the studio's role to its database, \`SELECT 1\`, and the close — **${fmt(ceilingRate, 1)} connections/s** ` +
      `(p50 ${fmt(med(ceiling, 'p50'))} ms, p99 ${fmt(med(ceiling, 'p99'))} ms), with no app at all. With room for ${capacity} pools, uniform traffic over ` +
      `${config.tenants} studios makes almost every request a cold start, so even an app that added nothing to a cold start could serve about ` +
      `${fmt(ceilingRate, 1)} req/s there: **${fmt(ceilingRate / hot, 2)}× the hot tenant**, the most this machine allows against the 0.5× target. ` +
      `The app's uniform runs made ${fmt(uniformColdStarts, 1)} cold starts/s, ${fmt((uniformColdStarts / ceilingRate) * 100)} % of that ceiling ` +
      '(each of its cold starts also reads the registry, verifies the pool and runs the request\'s two statements on the new backend).',
  );
  lines.push('', 'Targets (issue 14): ≥ 0.5× the hot tenant —', '');
  for (const v of variants.slice(1)) {
    const ratio = med(v, 'requestsPerSec') / hot;
    lines.push(`- ${ratio >= 0.5 ? 'met' : '**MISSED**'}: ${v.label} ${fmt(ratio, 2)}×`);
  }
  if (beforeBase) {
    lines.push('', `Before/after in the same interleaved rounds (this build ÷ ${beforeLabel}, req/s medians): ` +
      spreads.map((v, i) => `${v.key} ${fmt(med(variants[i], 'requestsPerSec') / med(beforeVariants[i], 'requestsPerSec'), 2)}×`).join(', ') +
      '; app CPU per request: ' + spreads.map((v, i) => `${v.key} ${fmt(med(variants[i], 'appCpuPerRequest') / 1000, 1)} vs ${fmt(med(beforeVariants[i], 'appCpuPerRequest') / 1000, 1)} ms`).join(', ') + '.');
  }
  const checked = allVariants.reduce((n, v) => n + v.runs.reduce((m, r) => m + r.checked, 0), 0);
  lines.push(
    '',
    `Isolation under load: ${fmt(checked)} answers (every 10th) were parsed and every client name in them started with the prefix of the studio whose cookie ` +
      'was sent; none held another studio\'s rows (a single one fails the run).',
    '',
    '<details><summary>Every run</summary>',
    '',
    '| spread | run | req/s | p50 | p99 | requests | non-2xx | cold starts | cold starts/s | evictions/s | busiest studio\'s share |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const v of allVariants) {
    v.runs.forEach((r, i) =>
      lines.push(`| ${v.key} | ${i + 1} | ${fmt(r.requestsPerSec, 1)} | ${r.p50} ms | ${r.p99} ms | ${fmt(r.requests)} | ${r.non2xx} | ${fmt(r.coldStarts)} | ${fmt(r.coldStartsPerSec, 1)} | ${fmt(r.evictionsPerSec, 1)} | ${fmt(r.busiestStudioShare * 100, 1)} % |`),
    );
  }
  ceiling.runs.forEach((r, i) => lines.push(`| PostgreSQL ceiling (new connections) | ${i + 1} | ${fmt(r.perSec, 1)} | ${r.p50} ms | ${r.p99} ms | ${fmt(r.operations)} | ${r.failures} | — | — | — | — |`));
  lines.push('', '</details>', '');
  const existing = existsSync(output) ? readFileSync(output, 'utf8') : '';
  const log14 = '## Issue 14: profiles';
  let next = replaceSection(existing, SECTION, lines.join('\n'));
  if (!existing.includes(SECTION) && existing.includes(log14)) {
    const i = existing.indexOf(log14);
    next = `${existing.slice(0, i)}${lines.join('\n')}\n${existing.slice(i)}`; // kept above the hand-written log
  }
  writeFileSync(output, next);
  log(`PostgreSQL ceiling ${fmt(ceilingRate, 1)} new connections/s (${fmt(ceilingRate / hot, 2)}× hot)`);
  log(`hot ${fmt(hot)} req/s; uniform ${fmt(med(variants[1], 'requestsPerSec'))} (${fmt(med(variants[1], 'requestsPerSec') / hot, 2)}×); zipf ${fmt(med(variants[2], 'requestsPerSec'))} (${fmt(med(variants[2], 'requestsPerSec') / hot, 2)}×)`);

  if (process.env.BENCH_MANY_TENANTS_THEN_MIGRATE === '1') {
    // `npm run bench` with migrate too (bench/run.mjs): the migrate scenario on these studios, on this server,
    // instead of a second server and 1,000 more copies. The apps are stopped first; nothing else runs beside it.
    await stopAllChildren();
    const fleet = { serverUrl: postgres.serverUrl('postgres'), control: names.control, template: names.template, prefix, secretKey };
    const code = await runInherited(process.execPath, [path.join(benchDir, 'migrate/run.mjs')], { cwd: benchDir, env: { ...process.env, BENCH_MIGRATE_FLEET: JSON.stringify(fleet) } });
    if (code !== 0) throw new Error(`migrate on the many-tenants studios exited ${code}`);
  }
}

let code = 0;
try {
  await main();
} catch (err) {
  code = 1;
  log(`FAILED: ${err?.stack ?? err}`);
} finally {
  await stopAllChildren().catch(() => undefined);
  await postgres?.stop().catch(() => undefined);
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}
process.exit(code);
