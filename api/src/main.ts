import 'reflect-metadata';
import { resolve } from 'node:path';
import { createApp } from './app.factory.js';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './database/embedded-postgres.js';
import { withDatabase } from './database/postgres-url.js';

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

  let embedded: EmbeddedServer | undefined;
  if (!config.databaseUrl) {
    const dataDir = resolve(config.dataDir);
    process.stdout.write(`No DATABASE_URL: starting embedded PostgreSQL in ${dataDir}\n`);
    embedded = await startEmbeddedPostgres({ dataDir, port: config.embeddedPgPort, persistent: true });
    config = { ...config, databaseUrl: withDatabase(embedded.serverUrl, 'rsm_control') };
  }

  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let stopping = false;
  const stop = async (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: shutting down\n`);
    const force = setTimeout(() => process.exit(1), 20_000).unref();
    let exitCode = code;
    try {
      await app?.close();
    } catch (err) {
      process.stderr.write(`Error while closing the app: ${String(err)}\n`);
      exitCode = 1;
    }
    try {
      await embedded?.stop(); // always, or the next start finds PostgreSQL still holding the data
    } catch (err) {
      process.stderr.write(`Error while stopping PostgreSQL: ${String(err)}\n`);
      exitCode = 1;
    }
    clearTimeout(force);
    process.exit(exitCode);
  };
  // embedded-postgres installs signal handlers (async-exit-hook) that stop PostgreSQL and exit at
  // once; we own the order instead: stop taking requests, close pools, then stop PostgreSQL.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  try {
    app = await createApp(config);
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    process.stderr.write(`Start-up failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    await stop('start-up failure', 1);
    return;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  process.stdout.write(`Recording Studio Manager is ready: http://${host}:${port}/ (API docs: http://${host}:${port}/api/docs)\n`);
}

void main();
