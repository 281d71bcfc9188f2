#!/usr/bin/env node
// Bench: the cost of request scope (DESIGN.md's budget: ≤ 5 % against singleton + AsyncLocalStorage;
// issue 14: also a durable provider keyed by tenant, with 1,000 tenants, and its memory per tenant).
// Drives the three variants of request-scope/server.mjs (identical but for that) from a separate
// process (bench/lib/cookie-load.mjs: autocannon, an `x-tenant` header drawn per request uniformly from
// BENCH_TENANTS tenants, every 10th answer checked to carry the asking tenant), interleaved, and writes
// (or replaces) its section of BENCHMARKS.md (`npm run bench -- request-scope`).
// Memory per tenant: each server's heap and RSS after a full GC, before and after one request for each
// tenant, divided by the number of tenants.
// Env: DATABASE_URL, BENCH_TENANTS (1000), BENCH_CONNECTIONS (20), BENCH_DURATION (4), BENCH_RUNS (5), BENCH_WARMUP (3).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { replaceSection, roundOrder } from '../lib/compare.mjs';
import { startPostgres } from '../lib/postgres.mjs';
import { freePort, killAllChildrenNow, runToCompletion, startChild, stopAllChildren, waitForHttp } from '../lib/proc.mjs';
import { median } from '../lib/report.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const benchDir = path.resolve(here, '..');
const output = path.resolve(benchDir, '..', process.env.BENCH_OUTPUT ?? 'BENCHMARKS.md');
const num = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const config = {
  tenants: num('BENCH_TENANTS', 1000),
  connections: num('BENCH_CONNECTIONS', 20),
  duration: num('BENCH_DURATION', 4),
  runs: num('BENCH_RUNS', 5),
  warmup: num('BENCH_WARMUP', 3),
};
const SECTION = '## Request scope: request-scoped, durable per tenant, or singleton + AsyncLocalStorage';
const OLD_SECTION = '## Request scope: request-scoped provider vs singleton + AsyncLocalStorage';
const log = (msg) => process.stderr.write(`[bench:request-scope] ${msg}\n`);
/** Tenant i's id; the trailing dot keeps "tenant-1." from being a prefix of "tenant-10.". */
const tenantId = (i) => `tenant-${i}.`;

let postgres;
let workDir;
const cleanup = async () => {
  await stopAllChildren().catch(() => undefined);
  await postgres?.stop().catch(() => undefined);
  if (workDir) rmSync(workDir, { recursive: true, force: true });
};
process.once('SIGINT', () => cleanup().finally(() => process.exit(130)));
process.on('exit', () => killAllChildrenNow());
const watchdog = setTimeout(() => {
  log('watchdog: took too long, aborting');
  cleanup().finally(() => process.exit(1));
}, (3 * (config.runs * (config.duration + 5) + config.warmup) + 300) * 1000);

const getJson = async (url, tenant) => (await fetch(url, { headers: tenant ? { 'x-tenant': tenant } : {}, signal: AbortSignal.timeout(30_000) })).json();

/** One request for every tenant, 10 at a time; each answer must carry its tenant. */
async function touchAll(url) {
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < config.tenants) {
        const t = tenantId(next++);
        const body = await getJson(url, t);
        if (body.items?.[0]?.tenant !== t) throw new Error(`${url} answered ${JSON.stringify(body).slice(0, 200)} for ${t}`);
      }
    }),
  );
}

async function main() {
  postgres = await startPostgres({ databaseUrl: process.env.DATABASE_URL });
  const databaseUrl = process.env.DATABASE_URL ?? postgres.serverUrl('postgres');
  const loadBefore = os.loadavg()[0];
  const startedAt = new Date();
  workDir = mkdtempSync(path.join(os.tmpdir(), 'rsm-bench-scope-'));
  const variants = [
    { key: 'durable', label: 'durable request-scoped, one sub-tree per tenant (ContextIdStrategy)' },
    { key: 'request', label: 'request-scoped (Scope.REQUEST, a sub-tree per request)' },
    { key: 'als', label: 'singleton + AsyncLocalStorage (api/ today)' },
  ];
  for (const v of variants) {
    const port = await freePort();
    const child = startChild(v.key, process.execPath, ['--expose-gc', path.join(here, 'server.mjs'), v.key], {
      cwd: benchDir,
      env: { ...process.env, NODE_ENV: 'production', PORT: String(port), DATABASE_URL: databaseUrl },
    });
    v.base = `http://127.0.0.1:${port}`;
    v.url = `${v.base}/clients`;
    v.runs = [];
    await waitForHttp(`${v.base}/memory`, { timeoutMs: 30_000, child });
  }

  const drive = async (v, distribution, duration, seed) => {
    const file = path.join(workDir, `${v.key}-${distribution}-${seed}.json`);
    const values = Array.from({ length: config.tenants }, (_, i) => tenantId(i));
    writeFileSync(file, JSON.stringify({ url: v.url, header: 'x-tenant', values, namePrefixes: values, checkField: 'tenant', distribution, seed, connections: config.connections, duration, checkEvery: 10 }));
    const { code, stdout, stderr } = await runToCompletion(process.execPath, [path.join(benchDir, 'lib/cookie-load.mjs'), file], { cwd: benchDir, env: process.env, timeoutMs: (duration + 60) * 1000 });
    if (code !== 0) throw new Error(`cookie-load exited ${code}: ${stderr.slice(-1500)}`);
    const r = JSON.parse(stdout.trim().split('\n').pop());
    if (r.mismatches > 0) throw new Error(`${v.key}: ${r.mismatches} answers carried another tenant: ${JSON.stringify(r.examples)}`);
    if (r.requests === 0 || r.non2xx > 0 || r.errors > 0 || r.timeouts > 0) throw new Error(`${v.key}: not a clean run: ${JSON.stringify(r)}`);
    return r;
  };

  // Memory: warm the code paths on one tenant, then heap/RSS (after a GC) before and after touching every tenant once.
  for (const v of variants) {
    await drive(v, 'single', config.warmup, 999);
    const before = await getJson(`${v.base}/memory`);
    await touchAll(v.url);
    const after = await getJson(`${v.base}/memory`);
    v.memory = {
      heapPerTenant: (after.heapUsed - before.heapUsed) / config.tenants,
      rssPerTenant: (after.rss - before.rss) / config.tenants,
      builtForAll: after.controllersBuilt - before.controllersBuilt,
      heapAfter: after.heapUsed,
    };
    v.builtBefore = after.controllersBuilt;
    log(`${v.key}: heap ${(v.memory.heapPerTenant / 1024).toFixed(2)} KiB/tenant, RSS ${(v.memory.rssPerTenant / 1024).toFixed(2)} KiB/tenant, ${v.memory.builtForAll} controllers built for ${config.tenants} tenants`);
  }
  let requests = new Map(variants.map((v) => [v.key, 0]));
  for (let round = 0; round < config.runs; round++) {
    for (const v of roundOrder(variants, round)) {
      const cpuBefore = await getJson(`${v.base}/memory/cpu`);
      const r = await drive(v, 'uniform', config.duration, round + 1);
      const cpuAfter = await getJson(`${v.base}/memory/cpu`);
      r.cpuPerRequest = (cpuAfter.cpuMicros - cpuBefore.cpuMicros) / (cpuAfter.served - cpuBefore.served);
      v.runs.push(r);
      requests.set(v.key, requests.get(v.key) + r.requests);
      log(`run ${round + 1}/${config.runs} ${v.key}: ${r.requestsPerSec.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.cpuPerRequest.toFixed(0)} µs CPU/request, ${r.studiosTouched} tenants`);
    }
  }
  for (const v of variants) {
    const m = await getJson(`${v.base}/memory`);
    v.builtPerRequest = (m.controllersBuilt - v.builtBefore) / requests.get(v.key);
  }
  const loadAfter = os.loadavg()[0];

  const med = (v, f) => median(v.runs.map((r) => r[f]));
  const [durable, request, als] = variants;
  const ratio = (v) => med(v, 'requestsPerSec') / med(als, 'requestsPerSec');
  const added = (v) => (med(v, 'latencyAvg') / med(als, 'latencyAvg') - 1) * 100;
  // The decision is on CPU per request (the server's own user + system time ÷ requests it answered): on a
  // CPU-bound server it is what sets req/s, and unlike req/s it does not move with whatever else shares
  // the cores (req/s swung by ±50 % between runs on the loaded machine). req/s is reported next to it.
  // Paired by round (the variants of one round ran seconds apart, under the same outside load), then the median.
  const cpu = (v) => median(v.runs.map((r, i) => r.cpuPerRequest / als.runs[i].cpuPerRequest));
  const within = cpu(durable) <= 1.05;
  const agree = within === ratio(durable) >= 0.95;
  const kib = (b) => `${(b / 1024).toFixed(2)} KiB`;
  const cpus = os.availableParallelism?.() ?? os.cpus().length;
  const lines = [
    SECTION,
    '',
    '_Generated by bench/request-scope/run.mjs (`npm run bench -- request-scope`)._',
    '',
    'Three minimal Nest-on-Fastify apps (`bench/request-scope/server.mjs`) that differ only in how a service reaches the request\'s',
    'tenant: a **durable** request-scoped provider (`@Injectable({ scope: Scope.REQUEST, durable: true })` and a `ContextIdStrategy`',
    'applied with `ContextIdFactory.apply` that maps each tenant to one ContextId, so Nest builds the provider, the service and the',
    'controller once per tenant and reuses them), a plain `Scope.REQUEST` provider (the three built on every request), or singletons',
    `reading an AsyncLocalStorage entered per request (what api/ does). All run the same 20-row query on PostgreSQL. ${config.tenants}`,
    'tenants: every request carries a tenant drawn uniformly (`x-tenant`), every 10th answer is checked to carry that tenant.',
    '',
    `- Date: ${startedAt.toISOString()}; Node.js ${process.version}; PostgreSQL ${postgres.version}; ${cpus} cores`,
    `- Load average (1 min) before / after: ${loadBefore.toFixed(2)} / ${loadAfter.toFixed(2)}${loadBefore > cpus / 2 ? ' — a busy machine: absolute figures are noisy; the ratios come from the same interleaved run' : ''}`,
    `- Load: bench/lib/cookie-load.mjs (autocannon, own process), ${config.connections} connections, ${config.duration} s per run, ${config.runs} rounds with the order rotated, after a ${config.warmup} s warm-up each; medians.`,
    '- CPU per request: the server\'s own user + system CPU time (`process.cpuUsage()`) over a run ÷ the requests it answered; steadier than req/s when other processes share the cores. "CPU ÷ ALS" is the median over the rounds of each round\'s ratio.',
    `- Memory per tenant: heap used and RSS after a full GC (\`--expose-gc\`), before and after one request for each of the ${config.tenants} tenants (after the warm-up), difference ÷ ${config.tenants}.`,
    '',
    '| variant | req/s | p50 | p99 | mean latency | ÷ ALS (req/s) | added mean latency | CPU / request | CPU ÷ ALS | heap / tenant | RSS / tenant | controllers built per request |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const v of variants) {
    lines.push(
      `| ${v.label} | ${med(v, 'requestsPerSec').toFixed(0)} | ${med(v, 'p50')} ms | ${med(v, 'p99')} ms | ${med(v, 'latencyAvg').toFixed(2)} ms | ${v === als ? '—' : `**${ratio(v).toFixed(2)}×**`} | ${v === als ? '—' : `${added(v).toFixed(1)} %`} | ${med(v, 'cpuPerRequest').toFixed(0)} µs | ${v === als ? '—' : `**${cpu(v).toFixed(2)}×**`} | ${kib(v.memory.heapPerTenant)} | ${kib(v.memory.rssPerTenant)} | ${v.builtPerRequest.toFixed(3)} |`,
    );
  }
  lines.push(
    '',
    `The durable variant built ${durable.memory.builtForAll} controllers for ${config.tenants} tenants (one sub-tree each) and ${durable.builtPerRequest.toFixed(3)} per request afterwards; ` +
      `the plain request-scoped one ${request.builtPerRequest.toFixed(3)} per request. Heap after touching every tenant: durable ${(durable.memory.heapAfter / 1048576).toFixed(1)} MiB, ALS ${(als.memory.heapAfter / 1048576).toFixed(1)} MiB.`,
    '',
    `Decision (issue 14: adopt the durable TenantConnection if within 5 % of singleton + AsyncLocalStorage with ${config.tenants} tenants): ` +
      `durable ÷ ALS = **${ratio(durable).toFixed(2)}×** req/s (${added(durable).toFixed(1)} % mean latency) and **${cpu(durable).toFixed(2)}×** the CPU per request, ${kib(durable.memory.heapPerTenant)} heap per tenant ` +
      `(${kib(durable.memory.heapPerTenant - als.memory.heapPerTenant)} net of the ALS variant's own drift, which keeps nothing per tenant) — ` +
      (within ? '**within 5 %** of CPU per request: adoption indicated (see docs/performance.md for the plan; the lead decides).' : '**not within 5 %** of CPU per request: not adopted (see docs/performance.md).') +
      (agree ? ' The req/s ratio agrees.' : ' The req/s ratio says otherwise: on this machine it is noise-bound; re-run on a quiet one before acting.') +
      ` Plain Scope.REQUEST ÷ ALS = ${ratio(request).toFixed(2)}× req/s, ${cpu(request).toFixed(2)}× CPU per request.`,
    '',
    '<details><summary>Every run</summary>',
    '',
    '| variant | run | req/s | p50 | p99 | mean | CPU / request | requests | tenants touched |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const v of variants) v.runs.forEach((r, i) => lines.push(`| ${v.key} | ${i + 1} | ${r.requestsPerSec.toFixed(1)} | ${r.p50} ms | ${r.p99} ms | ${r.latencyAvg.toFixed(2)} ms | ${r.cpuPerRequest.toFixed(0)} µs | ${r.requests} | ${r.studiosTouched} |`));
  lines.push('', '</details>', '');
  let existing = existsSync(output) ? readFileSync(output, 'utf8') : '';
  // The section of before (two variants) had another heading: replace it in place.
  if (!existing.includes(SECTION) && existing.includes(OLD_SECTION)) existing = existing.replace(OLD_SECTION, SECTION);
  writeFileSync(output, replaceSection(existing, SECTION, lines.join('\n')));
  log(`durable ÷ ALS ${ratio(durable).toFixed(2)}× req/s, ${cpu(durable).toFixed(2)}× CPU/request; request ÷ ALS ${ratio(request).toFixed(2)}×, ${cpu(request).toFixed(2)}× CPU/request; durable ${kib(durable.memory.heapPerTenant)} heap/tenant; wrote ${path.relative(process.cwd(), output)}`);
}


let exitCode = 0;
try {
  await main();
} catch (err) {
  exitCode = 1;
  log(`FAILED: ${err?.stack ?? err}`);
} finally {
  clearTimeout(watchdog);
  await cleanup();
}
process.exit(exitCode);
