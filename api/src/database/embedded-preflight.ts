import { execFileSync } from 'node:child_process';
import { constants, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';

/** A start-up problem the operator can fix; its message is one line saying what and how. */
export class StartupError extends Error {}

/** Whether nothing listens on 127.0.0.1:`port` (where the embedded server listens). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' || err.code === 'EACCES' ? res(false) : rej(err)));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => res(true)));
  });
}

/** A port the OS says is free on 127.0.0.1 right now. */
export function anyFreePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer().once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => res(port));
    });
  });
}

/**
 * The port for the embedded server. A port the operator chose (EMBEDDED_PG_PORT) that is taken is
 * an error naming it; the default being taken (another instance, another PostgreSQL) is not: a
 * free port is picked and `notice` says which.
 */
export async function chooseEmbeddedPort(options: { port: number; explicit: boolean; notice?: (line: string) => void }): Promise<number> {
  if (await isPortFree(options.port)) return options.port;
  if (options.explicit) {
    throw new StartupError(
      `EMBEDDED_PG_PORT ${options.port} is already in use on 127.0.0.1: stop whatever listens there, or set EMBEDDED_PG_PORT to a free port (or unset it to pick one)`,
    );
  }
  const port = await anyFreePort();
  options.notice?.(`Port ${options.port} (the default EMBEDDED_PG_PORT) is in use: embedded PostgreSQL uses port ${port} instead`);
  return port;
}

/** uid/gid of the OS user the embedded server runs as when we are root (created later if missing). */
function postgresUser(): { uid: number; gid: number } {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return { uid: -1, gid: -1 }; // not created yet: it will own nothing and be in no other group
  }
}

/** The first directory on the way to `path` that `user` may not enter (execute bit), if any. */
export function firstUnenterableDirectory(path: string, user: { uid: number; gid: number }): string | undefined {
  const chain: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    if (existsSync(dir)) chain.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of chain) {
    const { mode, uid, gid } = statSync(dir);
    const bit = uid === user.uid ? constants.S_IXUSR : gid === user.gid ? constants.S_IXGRP : constants.S_IXOTH;
    if (!(mode & bit)) return dir;
  }
  return undefined;
}

/**
 * As root, PostgreSQL runs as the `postgres` OS user, which must be able to reach both its binaries
 * (in node_modules) and the data directory. A clone under /root (mode 700) blocks it and initdb
 * fails with a bare EACCES; say which folder blocks it and what to do instead.
 */
export function checkReachableByPostgresUser(paths: { dataDir: string; binaries: string }): void {
  if (process.getuid?.() !== 0) return;
  const user = postgresUser();
  // RSM_DATA_DIR itself is not checked: start-up makes it enterable (chmod 755) right after this, as
  // `mktemp -d` creates it 700. Only the folders above it are ours to report.
  const reach = [
    ['the PostgreSQL binaries', paths.binaries, paths.binaries],
    ['RSM_DATA_DIR', paths.dataDir, dirname(resolve(paths.dataDir))],
  ] as const;
  for (const [what, path, mustEnter] of reach) {
    const blocked = firstUnenterableDirectory(mustEnter, user);
    if (blocked) {
      const mode = (statSync(blocked).mode & 0o777).toString(8);
      throw new StartupError(
        `Embedded PostgreSQL runs as the OS user "postgres" (we are root), which cannot enter ${blocked} (mode ${mode}) on the way to ${what} (${path}): ` +
          `move the project and RSM_DATA_DIR under a directory other users may enter (or chmod o+x ${blocked}), run as a non-root user, or set DATABASE_URL`,
      );
    }
  }
}
