#!/usr/bin/env node
// Scenario `client-create` (issue 14, write path): POST /api/v1/clients on the real API (validation, session,
// access rule, one tenant transaction with the client and its audit entry) against the naive raw baseline
// (bench/baseline/raw-fastify.mjs: the same two INSERTs in one transaction, no framework), same database,
// interleaved rounds. Both answers are checked to carry the same fields before timing. Replaces its section
// of BENCHMARKS.md. Knobs: BENCH_CONNECTIONS (10), BENCH_DURATION (5 s), BENCH_RUNS (3), BENCH_WARMUP (2 s),
// BENCH_OUTPUT, BENCH_VERBOSE=1. Expects api/dist (npm run bench -- client-create builds it).
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { call, registerStudio, runScenario, startApp } from '../lib/app.mjs';
import { renderComparison, replaceSection, roundOrder } from '../lib/compare.mjs';
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
  output: path.resolve(rootDir, process.env.BENCH_OUTPUT ?? 'BENCHMARKS.md'),
  appEntry: path.resolve(rootDir, 'api/dist/main.js'),
  verbose: process.env.BENCH_VERBOSE === '1',
};
const SECTION = '## Write path: POST /api/v1/clients — app vs naive raw Fastify + pg';
const log = (msg) => process.stderr.write(`[bench:client-create] ${msg}\n`);

let postgres;
process.on('exit', () => killAllChildrenNow());

let counter = 0;
const newClient = () => ({ name: `Bench client ${++counter}`, email: `c${counter}@bench.example`, company: 'Bench Label' });

async function drive(url, cookie, duration) {
  const result = await autocannon({
    url,
    connections: config.connections,
    duration,
    timeout: 30,
    headers: { cookie, origin: new URL(url).origin, 'content-type': 'application/json' },
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: JSON.stringify(newClient()) }) }],
  });
  if (result.non2xx || result.errors || result.timeouts) throw new Error(`run against ${url} not clean: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  return { requestsPerSec: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, requests: result.requests.total };
}

async function main() {
  if (!existsSync(config.appEntry)) throw new Error('api/dist/main.js not found: npm run build -w api first');
  const startedAt = new Date();
  const loadBefore = os.loadavg()[0];
  postgres = await startPostgres({ databaseUrl: process.env.DATABASE_URL });
  const controlUrl = process.env.DATABASE_URL ?? postgres.serverUrl('rsm_bench_writes_control');
  const { base: appBase, child: app } = await startApp({
    appEntry: config.appEntry, cwd: rootDir, databaseUrl: controlUrl, verbose: config.verbose, env: { RATE_LIMIT_API_PER_IP_PER_MINUTE: '0' },
  });
  const { cookie } = await registerStudio(appBase);
  const basePort = await freePort();
  const baseBase = `http://127.0.0.1:${basePort}`;
  const baseline = startChild('naive', process.execPath, [path.join(benchDir, 'baseline', 'raw-fastify.mjs')], {
    cwd: benchDir, echo: config.verbose, env: { ...process.env, HOST: '127.0.0.1', PORT: String(basePort), DATABASE_URL: controlUrl, NODE_ENV: 'production' },
  });
  await waitForHttp(`${baseBase}/health`, { timeoutMs: 30_000, child: baseline });

  // Same answer shape (ids and times differ by nature), and the baseline's write is visible to the app.
  const a = (await call(appBase, 'POST', '/api/v1/clients', { cookie, expect: 201, body: { name: 'Shape check A' } })).json;
  const b = (await call(baseBase, 'POST', '/api/v1/clients', { cookie, expect: 201, body: { name: 'Shape check B' } })).json;
  if (Object.keys(a).join() !== Object.keys(b).join()) throw new Error(`answers differ in fields: ${Object.keys(a)} vs ${Object.keys(b)}`);
  const listed = (await call(appBase, 'GET', '/api/v1/clients?q=Shape%20check', { cookie, expect: 200 })).json;
  if (listed.total !== 2) throw new Error(`the app lists ${listed.total} of the two shape-check clients`);

  const targets = [
    { key: 'app', label: 'app', url: `${appBase}/api/v1/clients`, child: app, runs: [] },
    { key: 'naive', label: 'naive raw Fastify + pg (same transaction)', url: `${baseBase}/api/v1/clients`, child: baseline, runs: [] },
  ];
  for (const t of targets) if (config.warmup) await drive(t.url, cookie, config.warmup);
  for (let round = 0; round < config.runs; round++) {
    for (const t of roundOrder(targets, round)) {
      const r = await drive(t.url, cookie, config.duration);
      t.runs.push(r);
      log(`run ${round + 1}/${config.runs} ${t.key}: ${r.requestsPerSec.toFixed(1)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`);
    }
  }
  for (const t of targets) if (!t.child.running()) throw new Error(`${t.key} died during the bench`);
  let commit;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: rootDir, encoding: 'utf8' }).trim();
  } catch {
    commit = undefined;
  }
  const cpus = os.cpus();
  const section = renderComparison({
    heading: SECTION,
    intro: [
      'Each request adds a new client (name, email, company). The app: validation, session, access rule, one tenant transaction holding the ' +
        'client and its audit entry (TypeORM: this path is not a hot read, it keeps the ORM). The baseline: session lookup, then the same two ' +
        'INSERTs in one transaction on raw pg. Answers checked to carry the same fields before timing.',
    ],
    machine: {
      date: startedAt.toISOString(), commit, cpus: os.availableParallelism?.() ?? cpus.length, cpuModel: cpus[0]?.model?.trim(),
      os: `${os.type()} ${os.release()} ${os.arch()}`, node: process.version, postgres: postgres.version, loadBefore, loadAfter: os.loadavg()[0],
    },
    method: [`autocannon (programmatic, a new body per request), ${config.connections} connections, ${config.duration} s per run, ${config.runs} rotated interleaved rounds after a ${config.warmup} s warm-up each.`],
    targets,
  });
  const existing = existsSync(config.output) ? readFileSync(config.output, 'utf8') : '';
  writeFileSync(config.output, replaceSection(existing, SECTION, section));
  log(`wrote ${path.relative(rootDir, config.output)}`);
}

await runScenario(main, { log, stopDatabase: () => postgres?.stop() });
