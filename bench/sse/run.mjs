#!/usr/bin/env node
// Scenario `sse` (issues 13 and 14): notification streams (Server-Sent Events) on one API process.
//  1. Streams held and memory per stream: BENCH_SSE_STREAMS (5,000) streams opened on one app process —
//     BENCH_SSE_LISTENERS (1,000) members of one studio, each with up to SSE_MAX_STREAMS_PER_USER streams
//     (raised for this bench only when needed) — with the app's heap and RSS after a full GC (a preloaded
//     probe, sse/memory-probe.mjs, answers SIGUSR2) before any stream and with all of them open.
//  2. Commit-to-delivery: all but one stream per member closed, so 1,000 listeners of one studio; an owner
//     posts BENCH_SSE_EVENTS (20) announcements one after the other (each waits until every listener has it),
//     and each listener's arrival time is taken from the moment the request was sent.
// The members and their sessions are written straight into the control database (as bench/lib/many-studios.mjs
// does); the owner signs up through the API. Replaces its section of BENCHMARKS.md.
// Knobs: BENCH_SSE_STREAMS (5000), BENCH_SSE_LISTENERS (1000), BENCH_SSE_EVENTS (20), BENCH_SSE_OPEN_CONCURRENCY (20),
// BENCH_OUTPUT, BENCH_VERBOSE=1.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { call, registerStudio, runScenario, startApp } from '../lib/app.mjs';
import { replaceSection } from '../lib/compare.mjs';
import { startPostgres } from '../lib/postgres.mjs';
import { killAllChildrenNow } from '../lib/proc.mjs';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rootDir = path.resolve(benchDir, '..');
const num = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const STREAMS = num('BENCH_SSE_STREAMS', 5000);
const LISTENERS = num('BENCH_SSE_LISTENERS', 1000);
const EVENTS = num('BENCH_SSE_EVENTS', 20);
const PER_USER = Math.ceil(STREAMS / LISTENERS);
const OPEN_CONCURRENCY = num('BENCH_SSE_OPEN_CONCURRENCY', 20);
const output = path.resolve(rootDir, process.env.BENCH_OUTPUT ?? 'BENCHMARKS.md');
const appEntry = path.resolve(rootDir, 'api/dist/main.js');
const SECTION = '## SSE notification streams: streams per process, memory per stream, commit-to-delivery';
const METRICS_TOKEN = randomBytes(24).toString('base64url');
const CONTROL_DB = 'rsm_bench_sse_control';
const log = (msg) => process.stderr.write(`[bench:sse] ${msg}\n`);
process.on('exit', () => killAllChildrenNow());

const percentile = (xs, p) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** One socket per stream, as each browser tab has its own. */
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

/** Opens one stream; resolves once the answer's headers are in. `onEvent({ event, id, at })` per event block. */
function openStream(base, cookie, onEvent) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/api/v1/notifications/stream`, { agent, headers: { cookie, accept: 'text/event-stream' } });
    req.setTimeout(60_000, () => req.destroy(new Error('stream open timed out')));
    req.on('error', reject);
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(Object.assign(new Error(`stream answered ${res.statusCode}`), { status: res.statusCode }));
        return;
      }
      req.setTimeout(0);
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk) => {
        const at = performance.now();
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: ?(.*)$/m.exec(block)?.[1];
          if (event) onEvent({ event, id: /^id: ?(.*)$/m.exec(block)?.[1], at });
        }
      });
      res.on('error', () => undefined);
      resolve({ close: () => req.destroy() });
    });
  });
}

async function eachConcurrently(items, concurrency, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function gauge(base, name) {
  const { text } = await call(base, 'GET', '/metrics', { expect: 200, headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
}
async function waitForGauge(base, value, what) {
  for (let i = 0; i < 600; i++) {
    if ((await gauge(base, 'rsm_sse_streams_open')) === value) return;
    await sleep(100);
  }
  throw new Error(`rsm_sse_streams_open never reached ${value} (${what})`);
}

let postgres;
let workDir;
async function main() {
  if (!existsSync(appEntry)) throw new Error('api/dist/main.js not found: npm run build -w api first');
  const startedAt = new Date();
  const loadBefore = os.loadavg()[0];
  postgres = await startPostgres({ databaseUrl: process.env.DATABASE_URL });
  workDir = mkdtempSync(path.join(os.tmpdir(), 'rsm-bench-sse-'));
  const memoryFile = path.join(workDir, 'memory.json');
  const { base, child } = await startApp({
    appEntry, cwd: rootDir, databaseUrl: process.env.DATABASE_URL ?? postgres.serverUrl(CONTROL_DB), verbose: process.env.BENCH_VERBOSE === '1',
    nodeArgs: ['--expose-gc', '--import', path.join(benchDir, 'sse/memory-probe.mjs')],
    // The default per-user cap (5) is kept unless more streams per member are asked for.
    env: { METRICS_TOKEN, BENCH_MEMORY_FILE: memoryFile, RATE_LIMIT_API_PER_IP_PER_MINUTE: '0', ...(PER_USER > 5 ? { SSE_MAX_STREAMS_PER_USER: String(PER_USER) } : {}) },
  });
  let probes = 0;
  const memory = async () => {
    probes++;
    child.child.kill('SIGUSR2');
    for (let i = 0; i < 200; i++) {
      await sleep(50);
      if (existsSync(memoryFile)) {
        const m = JSON.parse(readFileSync(memoryFile, 'utf8'));
        if (m.sequence === probes) {
          if (!m.gc) throw new Error('the app was started without --expose-gc');
          return m;
        }
      }
    }
    throw new Error('the memory probe did not answer');
  };

  const { registered, cookie: ownerCookie } = await registerStudio(base, { studioPrefix: 'Sse' });
  const organizationId = JSON.parse(registered.text).organization.id;
  const cookieName = registered.headers.getSetCookie()[0].split('=')[0];
  log(`writing ${LISTENERS} members of one studio with a session each`);
  const members = Array.from({ length: LISTENERS }, (_, i) => ({ i, id: randomUUID(), token: randomBytes(32).toString('base64url') }));
  const control = new pg.Client({ connectionString: process.env.DATABASE_URL ?? postgres.serverUrl(CONTROL_DB) });
  await control.connect();
  try {
    const col = (pick) => members.map(pick);
    const now = new Date();
    await control.query('BEGIN');
    await control.query(
      `INSERT INTO users (id, name, email, password_hash, email_verified_at) SELECT id, 'Member ' || i, 'member-' || i || '-' || $3 || '@bench.example', 'bench:no-password', $4 FROM unnest($1::uuid[], $2::int[]) AS x(id, i)`,
      [col((m) => m.id), col((m) => m.i), randomBytes(4).toString('hex'), now],
    );
    await control.query(`INSERT INTO memberships (organization_id, user_id, role) SELECT $2, u, 'viewer' FROM unnest($1::uuid[]) AS x(u)`, [col((m) => m.id), organizationId]);
    await control.query(
      `INSERT INTO sessions (token_hash, user_id, organization_id, last_seen_at, idle_expires_at, expires_at)
       SELECT h, u, $3, $4, $4::timestamptz + interval '1 day', $4::timestamptz + interval '1 day' FROM unnest($1::text[], $2::uuid[]) AS x(h, u)`,
      [col((m) => createHash('sha256').update(m.token).digest('hex')), col((m) => m.id), organizationId, now],
    );
    await control.query('COMMIT');
  } finally {
    await control.end();
  }

  // Phase 1: streams held and memory per stream.
  await sleep(1000);
  const memBefore = await memory();
  log(`app before any stream: heap ${(memBefore.heapUsed / 2 ** 20).toFixed(1)} MiB, RSS ${(memBefore.rss / 2 ** 20).toFixed(1)} MiB; opening ${STREAMS} streams`);
  const slots = Array.from({ length: STREAMS }, (_, n) => ({ member: members[n % LISTENERS], copy: Math.floor(n / LISTENERS) }));
  const opened = [];
  const arrivals = new Map(); // member index → [{ event, id, at }] on its first stream
  const openStarted = performance.now();
  let refused = 0;
  await eachConcurrently(slots, OPEN_CONCURRENCY, async (slot) => {
    const first = slot.copy === 0;
    const events = [];
    if (first) arrivals.set(slot.member.i, events);
    for (let attempt = 1; ; attempt++) {
      try {
        const stream = await openStream(base, `${cookieName}=${slot.member.token}`, (e) => first && events.push(e));
        opened.push({ ...slot, stream });
        return;
      } catch (err) {
        // A 503 (the studio's pool busy past TENANT_ACQUIRE_TIMEOUT_MS on a loaded machine) is retried, as EventSource would.
        if (err.status !== 503 || attempt === 10) throw err;
        refused++;
        await sleep(250 * attempt);
      }
    }
  });
  const openSeconds = (performance.now() - openStarted) / 1000;
  await waitForGauge(base, STREAMS, 'all streams open');
  await sleep(2000); // each stream's first catch-up read is done
  const memAll = await memory();
  const held = await gauge(base, 'rsm_sse_streams_open');
  log(`${held} streams open (${(STREAMS / openSeconds).toFixed(0)}/s, ${refused} 503s retried): heap ${(memAll.heapUsed / 2 ** 20).toFixed(1)} MiB, RSS ${(memAll.rss / 2 ** 20).toFixed(1)} MiB`);

  // Phase 2: one stream per member left; commit-to-delivery.
  for (const o of opened) if (o.copy > 0) o.stream.close();
  await waitForGauge(base, LISTENERS, 'extra streams closed');
  await sleep(1000);
  const memListeners = await memory();
  log(`${LISTENERS} listeners; ${EVENTS} announcements, one at a time`);
  const deliveries = [];
  const lastPerEvent = [];
  const responseMs = [];
  for (let k = 0; k < EVENTS; k++) {
    const sent = performance.now();
    await call(base, 'POST', '/api/v1/notifications', { cookie: ownerCookie, expect: 202, body: { title: `Bench announcement ${k + 1}` } });
    responseMs.push(performance.now() - sent);
    for (let i = 0; i < 1200 && [...arrivals.values()].some((events) => events.length <= k); i++) await sleep(25);
    const late = [...arrivals.values()].filter((events) => events.length <= k).length;
    if (late) throw new Error(`announcement ${k + 1}: ${late} of ${LISTENERS} listeners never got it within 30 s`);
    const times = [...arrivals.values()].map((events) => {
      if (events[k].event !== 'announcement') throw new Error(`listener got ${events[k].event}, expected announcement`);
      return events[k].at - sent;
    });
    deliveries.push(...times);
    lastPerEvent.push(Math.max(...times));
  }
  for (const o of opened) o.stream.close();
  const loadAfter = os.loadavg()[0];

  let commit;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: rootDir, encoding: 'utf8' }).trim();
    if (execFileSync('git', ['status', '--porcelain', '--', 'api/src', 'bench'], { cwd: rootDir, encoding: 'utf8' }).trim()) commit += ' + uncommitted changes';
  } catch {
    commit = undefined;
  }
  const cpus = os.availableParallelism?.() ?? os.cpus().length;
  const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
  const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const ms = (x) => `${x.toFixed(0)} ms`;
  const lines = [
    SECTION,
    '',
    `_Generated by bench/sse/run.mjs (\`npm run bench -- sse\`)._`,
    '',
    `One API process (\`node api/dist/main.js\`, NODE_ENV=production, LISTEN/NOTIFY bus, keep-alive every 30 s) and one studio with ${LISTENERS} members ` +
      `(viewer role, sessions written into the control database). The bench process holds the streams (one socket each, node:http) and parses their events.`,
    '',
    `- Date: ${startedAt.toISOString()}; commit: ${commit ?? 'n/a'}; Node.js ${process.version}; PostgreSQL ${postgres.version}; ${cpus} cores (${os.cpus()[0]?.model?.trim() ?? 'n/a'})`,
    `- Load average (1 min) before / after: ${loadBefore.toFixed(2)} / ${loadAfter.toFixed(2)}${loadBefore > cpus / 2 ? ' — a busy machine: latencies are noisy' : ''}`,
    `- Memory: the app's \`process.memoryUsage()\` after two full GCs (\`--expose-gc\`, a probe preloaded with \`--import\` answers SIGUSR2), before any stream, with all ${STREAMS} open and settled, and with ${LISTENERS} left.`,
    '',
    '### Streams held and memory per stream',
    '',
    `| streams open (rsm_sse_streams_open) | opened at | heap used | RSS | heap / stream | RSS / stream |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    `| 0 | — | ${mib(memBefore.heapUsed)} | ${mib(memBefore.rss)} | — | — |`,
    `| ${held.toLocaleString('en-US')} (${PER_USER} per member) | ${(STREAMS / openSeconds).toFixed(0)} streams/s (${OPEN_CONCURRENCY} at a time; ${refused} opens answered 503 and retried) | ${mib(memAll.heapUsed)} | ${mib(memAll.rss)} | **${kib((memAll.heapUsed - memBefore.heapUsed) / STREAMS)}** | **${kib((memAll.rss - memBefore.rss) / STREAMS)}** |`,
    `| ${LISTENERS.toLocaleString('en-US')} (the others closed) | — | ${mib(memListeners.heapUsed)} | ${mib(memListeners.rss)} | ${kib((memListeners.heapUsed - memBefore.heapUsed) / LISTENERS)} | ${kib((memListeners.rss - memBefore.rss) / LISTENERS)} |`,
    '',
    `All ${STREAMS.toLocaleString('en-US')} streams were held by the one process at once, none dropped once open. A stream holds no database connection while idle ` +
      '(it reads in short leases of the studio pool on a bus message, a keep-alive tick or a drain), so the per-process limit is memory, sockets and the ' +
      'keep-alive tick\'s work (one session check and one catch-up read per stream per tick).',
    '',
    `### Commit-to-delivery, ${LISTENERS.toLocaleString('en-US')} listeners of one studio`,
    '',
    `${EVENTS} announcements (\`POST /api/v1/notifications\`, the owner), one at a time, each after every listener got the previous one. The clock starts when the ` +
      'request is sent (so the figure includes the request up to its commit; its own response time is given beside it) and stops when a listener\'s socket ' +
      'delivers the event: the commit, the dispatcher (one notification row per member), the bus message and each stream\'s own read and write.',
    '',
    '| | p50 | p99 | max |',
    '| --- | ---: | ---: | ---: |',
    `| every delivery (${deliveries.length.toLocaleString('en-US')}) | **${ms(percentile(deliveries, 50))}** | **${ms(percentile(deliveries, 99))}** | ${ms(Math.max(...deliveries))} |`,
    `| last listener of each announcement (${EVENTS}) | ${ms(percentile(lastPerEvent, 50))} | ${ms(percentile(lastPerEvent, 99))} | ${ms(Math.max(...lastPerEvent))} |`,
    `| the announcement request's own response | ${ms(percentile(responseMs, 50))} | ${ms(percentile(responseMs, 99))} | ${ms(Math.max(...responseMs))} |`,
    '',
  ];
  const existing = existsSync(output) ? readFileSync(output, 'utf8') : '';
  const log14 = '## Issue 14: profiles';
  let next = replaceSection(existing, SECTION, lines.join('\n'));
  if (!existing.includes(SECTION) && existing.includes(log14)) {
    const i = existing.indexOf(log14);
    next = `${existing.slice(0, i)}${lines.join('\n')}\n${existing.slice(i)}`; // kept above the hand-written log
  }
  writeFileSync(output, next);
  log(`delivery p50 ${ms(percentile(deliveries, 50))}, p99 ${ms(percentile(deliveries, 99))}; ${kib((memAll.heapUsed - memBefore.heapUsed) / STREAMS)} heap per stream`);
}

await runScenario(main, {
  log,
  stopDatabase: async () => {
    await postgres?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  },
});
