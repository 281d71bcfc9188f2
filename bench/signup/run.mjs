#!/usr/bin/env node
// Bench (issue 8): sign-up with its provisioning, end to end — `POST /api/v1/auth/register` on the built
// API (password hash, organization and owner rows, a tenant database copied from the template, its own
// role, the registry row, the verification email to the outbox) — p50/p95, against a baseline in the same
// run: the floor of provisioning, a bare `CREATE DATABASE … TEMPLATE` + `CREATE ROLE … LOGIN` + `GRANT
// CONNECT` on one pg connection (no HTTP, no hashing, no control rows). Sequential sign-ups alternate
// with baseline provisionings; then a few concurrent ones of each. Every sign-up is checked: 201 and its
// registry row `ready`. Writes (or replaces) its section of BENCHMARKS.md. Benchmarks never assert timings.
// Needs the api build (npm run build -w api). Env: DATABASE_URL (else embedded PostgreSQL),
// BENCH_SIGNUP_SEQUENTIAL (30), BENCH_SIGNUP_CONCURRENT (12), BENCH_SIGNUP_CONCURRENCY (4), BENCH_OUTPUT,
// BENCH_VERBOSE=1 (the app's logs).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startPostgres } from '../lib/postgres.mjs';
import { freePort, killAllChildrenNow, startChild, stopAllChildren, waitForHttp } from '../lib/proc.mjs';
import { replaceMarkedSection, sectionMarkers } from '../lib/compare.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(here, '..', '..');
const output = path.resolve(rootDir, process.env.BENCH_OUTPUT ?? 'BENCHMARKS.md');
const appEntry = path.join(rootDir, 'api/dist/main.js');
const num = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const config = {
  sequential: num('BENCH_SIGNUP_SEQUENTIAL', 30),
  concurrent: num('BENCH_SIGNUP_CONCURRENT', 12),
  concurrency: num('BENCH_SIGNUP_CONCURRENCY', 4),
};
const log = (msg) => process.stderr.write(`[bench:signup] ${msg}\n`);
const { start: START, end: END } = sectionMarkers('signup');

let postgres;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rsm-bench-signup-'));
const cleanup = async () => {
  await stopAllChildren().catch(() => undefined);
  await postgres?.stop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
};
process.once('SIGINT', () => cleanup().finally(() => process.exit(130)));
process.on('exit', () => killAllChildrenNow());

/** Nearest-rank percentile of `values` (ms). */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs `fn(i)` for i in 0 … count - 1, `concurrency` at a time; resolves with each call's duration (ms) and the wall time. */
async function timedPool(count, concurrency, fn) {
  const durations = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      await fn(i);
      durations.push(performance.now() - t0);
    }
  }));
  return { durations, wallMs: performance.now() - started };
}

async function main() {
  if (!existsSync(appEntry)) throw new Error(`${appEntry} is missing: run npm run build -w api first`);
  postgres = await startPostgres({ databaseUrl: process.env.DATABASE_URL });
  const run = randomBytes(3).toString('hex');
  const prefix = `rsm_bs${run}_`;
  const controlUrl = postgres.serverUrl(`${prefix}control`);
  const templateName = `${prefix}template`;
  log(`PostgreSQL ${postgres.version}; starting the app`);

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  startChild('app', process.execPath, [appEntry], {
    cwd: rootDir,
    echo: process.env.BENCH_VERBOSE === '1',
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PUBLIC_URL: base,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: controlUrl,
      TENANT_TEMPLATE_DATABASE: templateName,
      TENANT_DATABASE_PREFIX: prefix,
      RSM_DATA_DIR: dataDir, // the verification emails' outbox
      LOG_LEVEL: 'warn',
      RSM_SECRET_KEY: randomBytes(32).toString('base64url'),
      // Every sign-up comes from 127.0.0.1: the per-IP sign-up limit (5 an hour) would answer 429.
      RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '0',
    },
  });
  await waitForHttp(`${base}/health/ready`, { timeoutMs: 120_000 });

  const signUp = async (label) => {
    const response = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ studioName: `Bench ${label}`, name: 'Bench Owner', email: `owner-${label}-${run}@bench.example.com`, password: 'correct horse battery staple 2026' }),
    });
    if (response.status !== 201) throw new Error(`register ${label}: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  };

  // The baseline copies its own copy of the app's template (same size; the app's stays untouched).
  const admin = new pg.Client({ connectionString: postgres.serverUrl('postgres') });
  admin.on('error', () => undefined);
  await admin.connect();
  await signUp('warm-up'); // first request: lazy paths, the template already migrated at start-up
  const baselineTemplate = `${prefix}baseline_template`;
  await admin.query(`CREATE DATABASE "${baselineTemplate}" TEMPLATE "${templateName}"`);
  const provision = async (client, label) => {
    const database = `${prefix}baseline_${label}`;
    await client.query(`CREATE DATABASE "${database}" TEMPLATE "${baselineTemplate}"`);
    await client.query(`CREATE ROLE "${database}" LOGIN PASSWORD '${randomBytes(16).toString('hex')}'`);
    await client.query(`GRANT CONNECT ON DATABASE "${database}" TO "${database}"`);
  };

  log(`${config.sequential} sequential sign-ups, alternating with baseline provisionings`);
  const sequential = { app: [], baseline: [] };
  for (let i = 0; i < config.sequential; i++) {
    for (const variant of i % 2 ? ['baseline', 'app'] : ['app', 'baseline']) {
      const t0 = performance.now();
      if (variant === 'app') await signUp(`s${i}`);
      else await provision(admin, `s${i}`);
      sequential[variant].push(performance.now() - t0);
    }
  }

  log(`${config.concurrent} concurrent sign-ups (${config.concurrency} at a time), then as many baseline provisionings`);
  const concurrentApp = await timedPool(config.concurrent, config.concurrency, (i) => signUp(`c${i}`));
  const clients = await Promise.all(Array.from({ length: config.concurrency }, async () => {
    const c = new pg.Client({ connectionString: postgres.serverUrl('postgres') });
    await c.connect();
    return c;
  }));
  let nextClient = 0;
  const concurrentBaseline = await timedPool(config.concurrent, config.concurrency, async (i) => {
    const client = clients[nextClient++ % clients.length];
    await provision(client, `c${i}`);
  });
  await Promise.all(clients.map((c) => c.end()));

  // Every sign-up provisioned its studio: a registry row, ready, for each (and the warm-up).
  const control = new pg.Client({ connectionString: controlUrl });
  await control.connect();
  const { rows } = await control.query(`SELECT status, count(*)::int AS n FROM tenant_databases GROUP BY status`);
  await control.end();
  const expected = config.sequential + config.concurrent + 1;
  if (rows.length !== 1 || rows[0].status !== 'ready' || rows[0].n !== expected) throw new Error(`registry: ${JSON.stringify(rows)}, expected ${expected} ready`);

  const ms = (v) => `${v.toFixed(0)} ms`;
  const row = (name, values, wallMs) =>
    `| ${name} | ${values.length} | ${ms(percentile(values, 50))} | ${ms(percentile(values, 95))} | ${ms(Math.max(...values))} | ${wallMs ? `${(values.length / (wallMs / 1000)).toFixed(1)}/s` : '—'} |`;
  const [appP50, baseP50] = [percentile(sequential.app, 50), percentile(sequential.baseline, 50)];
  const section = [
    START,
    '## Sign-up with provisioning: `POST /api/v1/auth/register`',
    '',
    `_Generated by bench/signup/run.mjs (\`npm run bench:signup -w bench\`, part of \`npm run bench\`) on ${new Date().toISOString()}._`,
    '',
    `The built API (\`NODE_ENV=production\`) on one PostgreSQL ${postgres.version} (${os.cpus().length} CPUs, shared by the app, PostgreSQL and`,
    'the client). A sign-up, end to end over HTTP: password hash (argon2), organization, owner and membership rows, the tenant',
    'database copied from the template, its own role and grants, the registry row, the verification email (to the outbox).',
    'Baseline in the same run, the floor of provisioning: `CREATE DATABASE … TEMPLATE` (a copy of the same template) +',
    '`CREATE ROLE … LOGIN` + `GRANT CONNECT` on one superuser pg connection. Sequential runs alternate app and baseline;',
    `concurrent: ${config.concurrent} of each, ${config.concurrency} at a time (latency per sign-up; throughput = count / wall time).`,
    '',
    '| run | count | p50 | p95 | max | throughput |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row('sign-up, sequential', sequential.app),
    row('baseline, sequential', sequential.baseline),
    row(`sign-up, ${config.concurrency} concurrent`, concurrentApp.durations, concurrentApp.wallMs),
    row(`baseline, ${config.concurrency} concurrent`, concurrentBaseline.durations, concurrentBaseline.wallMs),
    '',
    `Sequential p50: sign-up ${ms(appP50)}, of which the provisioning floor is ${ms(baseP50)} (${((baseP50 / appP50) * 100).toFixed(0)} %); the rest is HTTP, hashing, the control rows, the registry and the email.`,
    END,
    '',
  ].join('\n');
  const markdown = existsSync(output) ? readFileSync(output, 'utf8') : '# Benchmarks\n';
  writeFileSync(output, replaceMarkedSection(markdown, 'signup', section));
  log(`sign-up p50 ${ms(appP50)} p95 ${ms(percentile(sequential.app, 95))}; baseline p50 ${ms(baseP50)} → ${path.relative(rootDir, output)}`);

  await stopAllChildren();
  if (process.env.DATABASE_URL) {
    // A shared server: leave nothing behind.
    const { rows: databases } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`]);
    for (const { datname } of databases) await admin.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
    const { rows: roles } = await admin.query(`SELECT rolname FROM pg_roles WHERE rolname LIKE $1 ORDER BY rolname DESC`, [`${prefix}%`]);
    for (const { rolname } of roles) await admin.query(`DROP ROLE IF EXISTS "${rolname}"`).catch((err) => log(`role ${rolname} left: ${err.message}`));
  }
  await admin.end();
}

main()
  .then(cleanup)
  .catch(async (err) => {
    process.stderr.write(`[bench:signup] failed: ${err?.stack ?? err}\n`);
    await cleanup();
    process.exit(1);
  });
