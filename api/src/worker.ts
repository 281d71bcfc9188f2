import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { resolve } from 'node:path';
import pg from 'pg';
import { AppModule } from './app.module.js';
import { isConnectionFailure } from './common/pg-errors.js';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config.js';
import { readOrCreateSecretFile } from './database/secrets.js';

/**
 * Issue 9, worker: `npm run worker` (api/dist/worker.js), the job workers without the HTTP server, for
 * deployments that run web instances (JOBS_ENABLED=false: they only send jobs) apart from workers.
 * It boots the API's own module graph (AppModule, so the job handlers get exactly the providers they
 * have in the API: control database, tenancy, audit, hold expiry, maintenance) as an application
 * context: no port, no routes. JOBS_ENABLED only decides for API processes; a worker always works.
 */

/** Stops start-up with one line on stderr and exit code 1. */
function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** The API's configuration, with the job workers on and a database to share with the API. */
function workerConfig(): AppConfig {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  // No embedded PostgreSQL here: a worker works the queue of the database the API instances use.
  if (!config.databaseUrl) fail('DATABASE_URL is not set: the worker works the job queue of the PostgreSQL server the API uses (set it as for the API)');
  if (!config.secretKey) {
    // Tenant role passwords derive from the key: it must be the API's. Outside production, as the API
    // and rsm do: the key generated into RSM_DATA_DIR.
    if (config.env === 'production') fail('Invalid configuration: RSM_SECRET_KEY: is required in production (database role passwords derive from it; use the API\'s)');
    config = { ...config, secretKey: readOrCreateSecretFile(resolve(config.dataDir, 'secret-key')).secret };
  }
  return { ...config, jobs: { ...config.jobs, enabled: true } };
}

/**
 * One connection to the control database before anything else: an unreachable or refusing database is
 * the operator's to fix, so it gets one line (Nest would print its own stack first) and exit 1.
 */
async function checkControlDatabase(config: AppConfig): Promise<void> {
  const client = new pg.Client({ connectionString: config.databaseUrl, connectionTimeoutMillis: config.tenancy.connectTimeoutMs, application_name: 'rsm:worker' });
  client.on('error', () => undefined); // a connection lost during the check is reported by connect/query
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    fail(`Cannot reach the control database (DATABASE_URL): ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const config = workerConfig();
  await checkControlDatabase(config);
  let app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>;
  try {
    // Runs the bootstrap hooks too: the job queue starts its workers and schedules here.
    app = await NestFactory.createApplicationContext(AppModule.register(config), { bufferLogs: true, abortOnError: false });
  } catch (err) {
    // The database went away after the check, or a bug in the module graph (then with its stack).
    const message = err instanceof Error ? err.message : String(err);
    if (isConnectionFailure(err)) fail(`Cannot reach the control database (DATABASE_URL): ${message}`);
    fail(`Worker start-up failed: ${err instanceof Error ? err.stack : message}`);
  }
  app.useLogger(app.get(Logger));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: worker shutting down\n`);
    // The job queue lets a running job finish (≤ 10 s) and the pools close (≤ 10 s); this is the last
    // resort should something hang anyway.
    const force = setTimeout(() => process.exit(1), 30_000).unref();
    let exitCode = 0;
    try {
      await app.close();
    } catch (err) {
      process.stderr.write(`Error while closing the worker: ${String(err)}\n`);
      exitCode = 1;
    }
    clearTimeout(force);
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  process.stdout.write('Recording Studio Manager worker is ready: working the job queue (no HTTP server)\n');
}

main().catch((err: unknown) => fail(`Worker start-up failed: ${err instanceof Error ? err.stack : String(err)}`));
