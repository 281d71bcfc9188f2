#!/usr/bin/env node
// Bench (issue 9): the bookings API against a raw Fastify + pg baseline, in the same run, on the same data:
//   1. the week query GET /api/v1/bookings?from&to over 10 rooms × 500 bookings (a week: ~560 of them);
//   2. POST /api/v1/bookings, each request a new slot (all 201): the API's validation, references,
//      rules, expired-hold release, conflict pre-check, exclusion constraints and audit entry, against
//      the baseline's bare INSERT under the same constraints.
// Appends (or replaces) its section of BENCHMARKS.md. Expects api/dist/main.js (npm run build -w api).
// Knobs: BENCH_CONNECTIONS (10), BENCH_DURATION (5 s), BENCH_RUNS (3), BENCH_WARMUP (2 s), BENCH_OUTPUT, BENCH_VERBOSE=1.
import autocannon from 'autocannon';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { call, registerStudio, runScenario, startApp } from '../lib/app.mjs';
import { replaceSection } from '../lib/compare.mjs';
import { startPostgres } from '../lib/postgres.mjs';
import { freePort, killAllChildrenNow, startChild, waitForHttp } from '../lib/proc.mjs';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rootDir = path.resolve(benchDir, '..');
const num = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const config = {
  connections: num('BENCH_CONNECTIONS', 10),
  duration: num('BENCH_DURATION', 5),
  runs: num('BENCH_RUNS', 3),
  warmup: num('BENCH_WARMUP', 2),
  rooms: 10,
  perRoom: 500,
  output: path.resolve(rootDir, process.env.BENCH_OUTPUT ?? 'BENCHMARKS.md'),
  appEntry: path.resolve(rootDir, 'api/dist/main.js'),
  verbose: process.env.BENCH_VERBOSE === '1',
};
const SECTION = '## Bookings: week query and POST /api/v1/bookings — app vs raw Fastify + pg baseline';
const log = (msg) => process.stderr.write(`[bench:bookings] ${msg}\n`);
const HOUR = 3_600_000;
const SEED_START = Date.UTC(2030, 0, 7); // a Monday
const WEEK = { from: new Date(SEED_START + 14 * 24 * HOUR).toISOString(), to: new Date(SEED_START + 21 * 24 * HOUR).toISOString() };

let postgres;
process.on('exit', () => killAllChildrenNow());

/** One autocannon run (programmatic, so each POST can carry its own slot). Throws unless every answer was the expected status. */
async function drive({ url, cookie, method = 'GET', body, duration }) {
  const result = await autocannon({
    url,
    connections: config.connections,
    duration,
    timeout: 30,
    headers: { cookie, origin: new URL(url).origin, 'content-type': 'application/json' },
    requests: [{ method, ...(body ? { setupRequest: (req) => ({ ...req, body: JSON.stringify(body()) }) } : {}) }],
  });
  if (result.non2xx || result.errors || result.timeouts) throw new Error(`run against ${url} not clean: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  return { requestsPerSec: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, requests: result.requests.total };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  if (!existsSync(config.appEntry)) throw new Error('api/dist/main.js not found: npm run build -w api first');
  postgres = await startPostgres({ databaseUrl: process.env.DATABASE_URL });
  const controlUrl = process.env.DATABASE_URL ?? postgres.serverUrl('rsm_bench_bookings_control');
  const { base: appBase, child: app } = await startApp({ appEntry: config.appEntry, cwd: rootDir, databaseUrl: controlUrl, verbose: config.verbose });
  const { registered, cookie } = await registerStudio(appBase);
  const clientId = (await call(appBase, 'POST', '/api/v1/clients', { cookie, expect: 201, body: { name: 'Bench band' } })).json.id;

  // Rooms and the 5,000 bookings go straight into the studio's database (the rooms API is another module's;
  // 5,000 POSTs would only slow the set-up). The triggers compute spans as for any write.
  const control = new pg.Client({ connectionString: controlUrl });
  await control.connect();
  const { rows } = await control.query(`SELECT database_name FROM tenant_databases WHERE organization_id = $1`, [registered.json.organization.id]);
  await control.end();
  const tenantUrl = new URL(controlUrl);
  tenantUrl.pathname = `/${rows[0].database_name}`;
  const tenant = new pg.Client({ connectionString: tenantUrl.toString() });
  await tenant.connect();
  const rooms = [];
  for (let r = 0; r < config.rooms; r++) {
    rooms.push((await tenant.query(`INSERT INTO rooms (name, currency, hourly_rate_minor) VALUES ($1, 'EUR', 5000) RETURNING id`, [`Room ${r + 1}`])).rows[0].id);
  }
  await tenant.query(
    `INSERT INTO bookings (client_id, room_id, title, starts_at, ends_at, hourly_rate_minor, currency, access_code)
     SELECT $1, room_id, 'Seeded', $2::timestamptz + (i * 3) * interval '1 hour', $2::timestamptz + (i * 3 + 2) * interval '1 hour', 5000, 'EUR', '00000000'
       FROM unnest($3::uuid[]) AS room_id, generate_series(0, $4 - 1) AS i`,
    [clientId, new Date(SEED_START).toISOString(), rooms, config.perRoom],
  );
  await tenant.query('ANALYZE');
  await tenant.end();
  log(`seeded ${config.rooms} rooms × ${config.perRoom} bookings`);

  const basePort = await freePort();
  const baseBase = `http://127.0.0.1:${basePort}`;
  const baseline = startChild('baseline', process.execPath, [path.join(benchDir, 'bookings', 'raw-baseline.mjs')], {
    cwd: benchDir,
    echo: config.verbose,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(basePort), DATABASE_URL: controlUrl },
  });
  await waitForHttp(`${baseBase}/health`, { timeoutMs: 30_000, child: baseline });

  const weekPath = `/api/v1/bookings?from=${encodeURIComponent(WEEK.from)}&to=${encodeURIComponent(WEEK.to)}`;
  const appWeek = (await call(appBase, 'GET', weekPath, { cookie, expect: 200 })).json.items;
  const baseWeek = (await call(baseBase, 'GET', weekPath, { cookie, expect: 200 })).json.items;
  if (appWeek.map((b) => b.id).join() !== baseWeek.map((b) => b.id).join() || appWeek.length < 100) {
    throw new Error(`app and baseline answer different weeks (${appWeek.length} vs ${baseWeek.length} bookings)`);
  }
  log(`the week holds ${appWeek.length} bookings on both`);

  // Each POST a fresh 1-hour slot far from the seeded ones: app and baseline each in their own years.
  const slots = (year) => {
    let n = 0;
    return () => {
      const i = n++;
      const startsAt = new Date(Date.UTC(year, 0, 1) + Math.floor(i / config.rooms) * 2 * HOUR);
      return { clientId, roomId: rooms[i % config.rooms], title: 'Bench', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + HOUR).toISOString() };
    };
  };
  const scenarios = [
    { key: 'week', label: `GET week (${appWeek.length} bookings)`, app: { url: appBase + weekPath }, baseline: { url: baseBase + weekPath } },
    { key: 'post', label: 'POST /bookings (new slot each)', app: { url: `${appBase}/api/v1/bookings`, method: 'POST', body: slots(2040) }, baseline: { url: `${baseBase}/api/v1/bookings`, method: 'POST', body: slots(2060) } },
  ];
  const results = [];
  for (const s of scenarios) {
    const runs = { app: [], baseline: [] };
    for (const side of ['app', 'baseline']) if (config.warmup) await drive({ ...s[side], cookie, duration: config.warmup });
    for (let round = 0; round < config.runs; round++) {
      for (const side of round % 2 ? ['baseline', 'app'] : ['app', 'baseline']) {
        const run = await drive({ ...s[side], cookie, duration: config.duration });
        runs[side].push(run);
        log(`${s.key} ${side} run ${round + 1}: ${run.requestsPerSec.toFixed(0)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms`);
      }
    }
    results.push({ ...s, runs });
  }
  for (const child of [app, baseline]) if (!child.running()) throw new Error(`${child.name} died during the bench`);

  const cpus = os.cpus();
  const lines = [
    SECTION,
    '',
    `${new Date().toISOString()}, ${os.availableParallelism?.() ?? cpus.length} CPUs (${cpus[0]?.model?.trim()}), Node ${process.version}, PostgreSQL ${postgres.version}; ` +
      `1-min load ${os.loadavg()[0].toFixed(2)} at the end (other work on the machine skews these figures).`,
    '',
    `\`node bench/bookings/run.mjs\`: ${config.rooms} rooms × ${config.perRoom} bookings seeded; autocannon ${config.connections} connections × ${config.duration} s, ` +
      `${config.runs} interleaved runs after a ${config.warmup} s warm-up. The baseline (bench/bookings/raw-baseline.mjs) is raw Fastify + pg on the same ` +
      'databases: the same week SQL, and for POST a bare INSERT under the same triggers and exclusion constraints (no validation, rules, pre-check or audit).',
    '',
    '| scenario | app req/s | baseline req/s | app/baseline | app p50 / p99 (ms) | baseline p50 / p99 (ms) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...results.map((r) => {
      const a = { rps: median(r.runs.app.map((x) => x.requestsPerSec)), p50: median(r.runs.app.map((x) => x.p50)), p99: median(r.runs.app.map((x) => x.p99)) };
      const b = { rps: median(r.runs.baseline.map((x) => x.requestsPerSec)), p50: median(r.runs.baseline.map((x) => x.p50)), p99: median(r.runs.baseline.map((x) => x.p99)) };
      return `| ${r.label} | ${a.rps.toFixed(0)} | ${b.rps.toFixed(0)} | ${(a.rps / b.rps).toFixed(2)}× | ${a.p50} / ${a.p99} | ${b.p50} / ${b.p99} |`;
    }),
    '',
    'Raw runs (req/s): ' + results.map((r) => `${r.key} app ${r.runs.app.map((x) => x.requestsPerSec.toFixed(0)).join(', ')}; baseline ${r.runs.baseline.map((x) => x.requestsPerSec.toFixed(0)).join(', ')}`).join('. ') + '.',
    '',
  ];
  const existing = existsSync(config.output) ? readFileSync(config.output, 'utf8') : '';
  writeFileSync(config.output, replaceSection(existing, SECTION, lines.join('\n')));
  log(`wrote ${path.relative(rootDir, config.output)}`);
}

await runScenario(main, { log, stopDatabase: () => postgres?.stop() });
