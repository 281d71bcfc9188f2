#!/usr/bin/env node
// Bench (issue 8): `rsm migrate` across 1,000 tenants with one new migration, against a baseline in
// the same run: the same migration's `up` applied by a plain loop of pg clients at the same
// concurrency (connect, BEGIN, up, record it, COMMIT). The difference is what the CLI adds per tenant:
// the owner-stamp check, the registry status writes, the re-grant of table rights, progress.
//
// "One new migration" is the newest tenant migration of the build: every tenant is first rolled back
// one version (before rsm by `rsm migrate --to <previous>`, itself measured; before the baseline by the
// plain loop running the migration's `down`), then brought forward. Rounds alternate rsm and baseline.
// Writes (or replaces) its section of BENCHMARKS.md.
// Needs the api build (npm run build). Env: DATABASE_URL (else embedded PostgreSQL),
// BENCH_MIGRATE_TENANTS (1000), BENCH_MIGRATE_CONCURRENCY (4), BENCH_MIGRATE_ROUNDS (2), BENCH_OUTPUT.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { median } from '../lib/report.mjs';
import { startPostgres } from '../lib/postgres.mjs';
import { killAllChildrenNow, runToCompletion, stopAllChildren } from '../lib/proc.mjs';
import { replaceMarkedSection, sectionMarkers } from '../lib/compare.mjs';
import { copyDatabaseSql, durability } from '../lib/many-studios.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(here, '..', '..');
const output = path.resolve(rootDir, process.env.BENCH_OUTPUT ?? 'BENCHMARKS.md');
const rsmBin = path.join(rootDir, 'api/dist/cli/rsm.js');
const num = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const config = { tenants: num('BENCH_MIGRATE_TENANTS', 1000), concurrency: num('BENCH_MIGRATE_CONCURRENCY', 4), rounds: num('BENCH_MIGRATE_ROUNDS', 2) };
const log = (msg) => process.stderr.write(`[bench:migrate] ${msg}\n`);
const { start: START, end: END } = sectionMarkers('migrate');

let postgres;
const cleanup = async () => {
  await stopAllChildren().catch(() => undefined);
  await postgres?.stop().catch(() => undefined);
};
process.once('SIGINT', () => cleanup().finally(() => process.exit(130)));
process.on('exit', () => killAllChildrenNow());

/** Runs `fn(item, worker)` over `items`, `concurrency` at a time (`worker`: 0 … concurrency - 1). */
async function pool(items, concurrency, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async (_, worker) => {
    while (next < items.length) await fn(items[next++], worker);
  }));
}

/** `config.tenants` copies of the template, stamped and registered `ready` at the latest version, as `rsm migrate` expects. */
async function createTenants({ control, prefix, names, latest }) {
  log(`creating ${config.tenants} tenant databases from the template`);
  const createStarted = performance.now();
  const tenants = Array.from({ length: config.tenants }, () => {
    const id = randomUUID();
    return { id, database: prefix + id.replaceAll('-', '') };
  });
  // fsync off for the copies on the bench's own server only (back on, checkpointed and synced before any run).
  if (postgres.embedded) await durability(postgres.serverUrl('postgres'), false);
  const admins = await Promise.all(Array.from({ length: 4 }, async () => {
    const c = new pg.Client({ connectionString: postgres.serverUrl('postgres') });
    await c.connect();
    return c;
  }));
  await pool(tenants, admins.length, async (t, worker) => {
    const admin = admins[worker];
    await admin.query(copyDatabaseSql(t.database, names.template));
    await admin.query(`COMMENT ON DATABASE "${t.database}" IS 'rsm:tenant:${t.id}'`);
  });
  await Promise.all(admins.map((c) => c.end()));
  if (postgres.embedded) await durability(postgres.serverUrl('postgres'), true);
  await control.query(`INSERT INTO organizations (id, name, slug) SELECT id, 'Bench ' || id, 'bench-' || id FROM unnest($1::uuid[]) id`, [tenants.map((t) => t.id)]);
  await control.query(
    `INSERT INTO tenant_databases (organization_id, database_name, server, schema_version, status)
     SELECT id, db, 'default', $3, 'ready' FROM unnest($1::uuid[], $2::text[]) AS x(id, db)`,
    [tenants.map((t) => t.id), tenants.map((t) => t.database), latest],
  );
  return { tenants, createMs: performance.now() - createStarted };
}

async function main() {
  if (!existsSync(rsmBin)) throw new Error(`${rsmBin} is missing: run npm run build first`);
  const { TENANT_MIGRATIONS, LATEST_TENANT_SCHEMA_VERSION } = await import(pathToFileURL(path.join(rootDir, 'api/dist/tenant-schema/tenant-migrations.js')).href);
  const newest = TENANT_MIGRATIONS.at(-1);
  const previous = /(\d{13})$/.exec(TENANT_MIGRATIONS.at(-2).name)[1];

  // BENCH_MIGRATE_FLEET (set by many-tenants when `npm run bench` runs both): that scenario's server and its
  // studios, already provisioned, instead of a server and 1,000 copies of our own.
  const fleet = process.env.BENCH_MIGRATE_FLEET ? JSON.parse(process.env.BENCH_MIGRATE_FLEET) : undefined;
  postgres = await startPostgres({ databaseUrl: fleet?.serverUrl ?? process.env.DATABASE_URL });
  const prefix = fleet?.prefix ?? `rsm_bm${randomBytes(3).toString('hex')}_`;
  const names = { control: fleet?.control ?? `${prefix}control`, template: fleet?.template ?? `${prefix}template` };
  const env = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PUBLIC_URL: 'https://bench.example.com', // production configuration, as the API's (unused by migrations)
    RSM_SECRET_KEY: fleet?.secretKey ?? randomBytes(24).toString('base64url'),
    DATABASE_URL: postgres.serverUrl(names.control),
    TENANT_TEMPLATE_DATABASE: names.template,
    TENANT_DATABASE_PREFIX: prefix,
  };
  const rsm = async (...args) => {
    const started = performance.now();
    const result = await runToCompletion(process.execPath, [rsmBin, ...args, '--json'], { cwd: rootDir, env, timeoutMs: 30 * 60_000 });
    const ms = performance.now() - started;
    if (result.code !== 0) throw new Error(`rsm ${args.join(' ')} exited ${result.code}:\n${result.stderr.slice(-2000)}`);
    return { ms, report: JSON.parse(result.stdout) };
  };

  log(`PostgreSQL ${postgres.version}; setting up the control database and template (rsm migrate)`);
  await rsm('migrate');
  const control = new pg.Client({ connectionString: env.DATABASE_URL });
  control.on('error', () => undefined); // the server going away on Ctrl-C must not crash the cleanup
  await control.connect();

  let tenants;
  let createMs;
  if (fleet) {
    tenants = (await control.query(`SELECT organization_id AS id, database_name AS database FROM tenant_databases WHERE status = 'ready'`)).rows;
    config.tenants = tenants.length;
    log(`the many-tenants scenario's ${tenants.length} studios, already provisioned`);
  } else {
    ({ tenants, createMs } = await createTenants({ control, prefix, names, latest: LATEST_TENANT_SCHEMA_VERSION }));
    log(`created in ${(createMs / 1000).toFixed(1)} s`);
  }


  /**
   * The plain loop over every tenant: the newest migration's own `up` (the baseline) or `down` (the
   * untimed rollback before it), on plain pg clients, one transaction per tenant, its migrations row
   * written or deleted as TypeORM does; then the registry says so (rsm skips tenants the registry has at
   * the target already).
   */
  const plainLoop = async (direction) => {
    const started = performance.now();
    await pool(tenants, config.concurrency, async (t) => {
      const client = new pg.Client({ connectionString: postgres.serverUrl(t.database) });
      await client.connect();
      try {
        await client.query('BEGIN');
        await new newest()[direction]({ query: async (sql, params) => (await client.query(sql, params)).rows });
        if (direction === 'up') await client.query(`INSERT INTO migrations ("timestamp", name) VALUES ($1, $2)`, [Number(LATEST_TENANT_SCHEMA_VERSION), newest.name]);
        else await client.query(`DELETE FROM migrations WHERE "timestamp" = $1`, [Number(LATEST_TENANT_SCHEMA_VERSION)]);
        await client.query('COMMIT');
      } finally {
        await client.end();
      }
    });
    await control.query(`UPDATE tenant_databases SET schema_version = $1`, [direction === 'up' ? LATEST_TENANT_SCHEMA_VERSION : previous]);
    return performance.now() - started;
  };

  // Each round rolls every tenant back once per variant: through `rsm migrate --to` before rsm (timed: the
  // rollback row of the table), through the plain loop's `down` before the baseline (untimed, and about half
  // as long as the rsm rollback it replaces there).
  const results = { rsm: [], baseline: [], rollback: [] };
  for (let round = 0; round < config.rounds; round++) {
    for (const variant of round % 2 ? ['baseline', 'rsm'] : ['rsm', 'baseline']) {
      let ms;
      if (variant === 'rsm') {
        const back = await rsm('migrate', '--to', previous, '--concurrency', String(config.concurrency));
        if (back.report.summary.migrated !== config.tenants) throw new Error(`rollback migrated ${back.report.summary.migrated}`);
        results.rollback.push(back.ms);
        const forward = await rsm('migrate', '--concurrency', String(config.concurrency));
        if (forward.report.summary.migrated !== config.tenants || forward.report.summary.failed) throw new Error(`rsm migrate: ${JSON.stringify(forward.report.summary)}`);
        ms = forward.ms;
      } else {
        await plainLoop('down');
        ms = await plainLoop('up');
      }
      results[variant].push(ms);
      log(`round ${round + 1}/${config.rounds} ${variant}: ${(ms / 1000).toFixed(1)} s`);
    }
  }
  // Every registry row is at the newest version (rsm writes each database's own version there).
  const check = await rsm('migrate', '--dry-run');
  if (check.report.summary['up-to-date'] !== config.tenants) throw new Error(`not all up to date: ${JSON.stringify(check.report.summary)}`);
  await control.end();

  const per = (ms) => `${((ms / config.tenants) * config.concurrency).toFixed(1)} ms`;
  const [r, b, back] = [median(results.rsm), median(results.baseline), median(results.rollback)];
  const section = [
    START,
    `## rsm migrate: ${config.tenants.toLocaleString('en-US')} tenants, one new migration`,
    '',
    `_Generated by bench/migrate/run.mjs (\`npm run bench:migrate -w bench\`, part of \`npm run bench\`) on ${new Date().toISOString()}._`,
    '',
    `${config.tenants} tenant databases (copies of the template) on one PostgreSQL ${postgres.version} (${os.cpus().length} CPUs, shared with the`,
    `CLI). The new migration is the newest tenant migration (\`${newest.name}\`): every tenant is rolled back one`,
    `version first (\`rsm migrate --to ${previous}\` before rsm, timed; the plain loop below running \`down\` before the baseline), then brought forward. Baseline in the same run: that migration's own \`up\``,
    'applied by a plain loop of pg clients (connect, BEGIN, up, record it, COMMIT; no stamp check, no registry',
    `status, no re-grant, no progress). Both at concurrency ${config.concurrency}, ${config.rounds} alternating round(s); medians. The rsm time`,
    'includes the process start, the control and template steps and the summary.',
    '',
    '| run | wall time | per tenant (× concurrency) | tenants/s |',
    '| --- | ---: | ---: | ---: |',
    `| \`rsm migrate\` | ${(r / 1000).toFixed(1)} s | ${per(r)} | ${(config.tenants / (r / 1000)).toFixed(0)} |`,
    `| baseline (plain pg loop) | ${(b / 1000).toFixed(1)} s | ${per(b)} | ${(config.tenants / (b / 1000)).toFixed(0)} |`,
    `| \`rsm migrate --to ${previous}\` (rollback) | ${(back / 1000).toFixed(1)} s | ${per(back)} | ${(config.tenants / (back / 1000)).toFixed(0)} |`,
    '',
    `rsm / baseline: ${(r / b).toFixed(2)}×. ` +
      (fleet
        ? `The databases are the many-tenants scenario's studios (its ${(config.tenants - 1).toLocaleString('en-US')} and its one real sign-up; 20 clients and a role each), on its server, measured right after it.`
        : `Creating the ${config.tenants} databases from the template took ${(createMs / 1000).toFixed(1)} s (4 at a time, FILE_COPY${postgres.embedded ? ', fsync off on this throw-away server, then back on, checkpointed and synced' : ''}).`),
    `Raw: rsm ${results.rsm.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s; baseline ${results.baseline.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s; rollback ${results.rollback.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s.`,
    END,
    '',
  ].join('\n');
  const markdown = existsSync(output) ? readFileSync(output, 'utf8') : '# Benchmarks\n';
  writeFileSync(output, replaceMarkedSection(markdown, 'migrate', section));
  log(`rsm ${(r / 1000).toFixed(1)} s, baseline ${(b / 1000).toFixed(1)} s, ratio ${(r / b).toFixed(2)}× → ${path.relative(rootDir, output)}`);

  if (process.env.DATABASE_URL && !fleet) {
    // A shared server: leave nothing behind (a fleet's server is its owner's to clear).
    const admin = new pg.Client({ connectionString: postgres.serverUrl('postgres') });
    await admin.connect();
    const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS "${prefix}app"`);
    await admin.end();
  }
}

main()
  .then(cleanup)
  .catch(async (err) => {
    process.stderr.write(`[bench:migrate] failed: ${err?.stack ?? err}\n`);
    await cleanup();
    process.exit(1);
  });
