import 'reflect-metadata';
import { resolve } from 'node:path';
import { createApp } from './app.factory.js';
import { offerDemoOnFirstStart } from './cli/demo-on-start.js';
import { drainHttp, ShutdownState } from './common/graceful-shutdown.js';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config.js';
import { StartupError, startEmbeddedPostgres, type EmbeddedServer } from './database/embedded-postgres.js';
import { withDatabase } from './database/postgres-url.js';
import { readOrCreateSecretFile } from './database/secrets.js';

/** Stops start-up with one line (or PostgreSQL's last lines) on stderr and exit code 1. */
function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/**
 * The master key database role passwords derive from: RSM_SECRET_KEY, required in production;
 * elsewhere generated once into RSM_DATA_DIR (mode 600) so development needs no setup.
 */
function resolveSecretKey(config: AppConfig): string {
  if (config.secretKey) return config.secretKey;
  if (config.env === 'production') fail('Invalid configuration: RSM_SECRET_KEY: is required in production (database role passwords derive from it; e.g. `openssl rand -base64 32`)');
  const file = resolve(config.dataDir, 'secret-key');
  const { secret, created } = readOrCreateSecretFile(file);
  if (created) process.stdout.write(`Generated a secret key in ${file} (keep it with the data: database role passwords derive from it)\n`);
  return secret;
}

/**
 * `npm start`: with no DATABASE_URL, runs an embedded PostgreSQL under RSM_DATA_DIR (reused on the
 * next start), then serves the API and the built web app on PORT. Ctrl-C stops both cleanly.
 */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  config = { ...config, secretKey: resolveSecretKey(config) };

  let embedded: EmbeddedServer | undefined;
  /** PostgreSQL died under us: whatever happens next, the exit code says so. */
  let postgresDied = false;
  if (!config.databaseUrl) {
    const dataDir = resolve(config.dataDir);
    process.stdout.write(`No DATABASE_URL: starting embedded PostgreSQL in ${dataDir}\n`);
    try {
      embedded = await startEmbeddedPostgres({
        dataDir,
        port: config.embeddedPgPort,
        portExplicit: config.embeddedPgPortExplicit,
        persistent: true,
        masterKey: config.secretKey!,
        notice: (line) => process.stdout.write(`${line}\n`),
      });
    } catch (err) {
      fail(err instanceof StartupError ? err.message : `Embedded PostgreSQL could not start: ${err instanceof Error ? err.message : String(err)}`);
    }
    config = { ...config, databaseUrl: withDatabase(embedded.serverUrl, 'rsm_control') };
    void embedded.unexpectedExit.then((how) => {
      postgresDied = true;
      process.stderr.write(`Embedded PostgreSQL exited unexpectedly (${how}); requests get 503 until a restart. Stop with Ctrl-C.\n`);
    });
  }

  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let stopping = false;
  const stop = async (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: shutting down\n`);
    // Issue 8, graceful shutdown: the drain has SHUTDOWN_TIMEOUT_MS; the job worker (≤ 10 s) and the
    // pools (≤ 10 s) have their own bounds; this is the last resort should something hang anyway.
    const force = setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 30_000).unref();
    let exitCode = code;
    try {
      // First the HTTP server: refuse new connections, answer the requests in flight (which still have
      // the job queue, pools and control database), then Nest's shutdown hooks stop the rest.
      if (app) {
        const busy = await drainHttp(app.getHttpServer(), app.get(ShutdownState), config.shutdownTimeoutMs);
        if (busy) process.stderr.write(`Closed ${busy} connection(s) still busy after SHUTDOWN_TIMEOUT_MS=${config.shutdownTimeoutMs}\n`);
      }
      await app?.close();
    } catch (err) {
      process.stderr.write(`Error while closing the app: ${String(err)}\n`);
      exitCode = 1;
    }
    try {
      await embedded?.stop(); // always, or the next start finds PostgreSQL still holding the data (no-op once it died)
    } catch (err) {
      process.stderr.write(`Error while stopping PostgreSQL: ${String(err)}\n`);
      exitCode = 1;
    }
    clearTimeout(force);
    if (postgresDied) exitCode = 1; // checked last: it may have died while we were closing
    process.exit(exitCode);
  };
  // embedded-postgres installs handlers (async-exit-hook) that stop PostgreSQL and exit 0 on their
  // own, waiting up to 10 s; we own the order and the exit code instead: stop taking requests, close
  // pools, then stop PostgreSQL. (Its 'exit' hook stays: a last resort that kills the server.)
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'beforeExit'] as const) process.removeAllListeners(event);
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGHUP', () => void stop('SIGHUP'));

  try {
    app = await createApp(config);
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    // A StartupError is the operator's to fix and says how in one line: no stack.
    process.stderr.write(`Start-up failed: ${err instanceof StartupError ? err.message : err instanceof Error ? err.stack : String(err)}\n`);
    await stop('start-up failure', 1);
    return;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  // Issue 8: a first run offers the demo studio (RSM_DEMO=true seeds it), before "ready" so it can be used at once.
  for (const line of await offerDemoOnFirstStart(app, config, `http://${host}:${port}`)) process.stdout.write(`${line}\n`);
  process.stdout.write(`Recording Studio Manager is ready: http://${host}:${port}/ (API docs: http://${host}:${port}/api/docs)\n`);
}

main().catch((err: unknown) => fail(`Start-up failed: ${err instanceof Error ? err.stack : String(err)}`));
