import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartupError, checkReachableByPostgresUser, chooseEmbeddedPort, firstUnenterableDirectory, isPortFree } from './embedded-preflight.js';

describe('chooseEmbeddedPort', () => {
  let blocker: Server;
  let taken: number;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', res));
    taken = (blocker.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((res) => blocker.close(() => res())));

  it('keeps a free port, silently', async () => {
    const probe = createServer();
    await new Promise<void>((res) => probe.listen(0, '127.0.0.1', res));
    const free = (probe.address() as { port: number }).port;
    await new Promise<void>((res) => probe.close(() => res()));
    const notices: string[] = [];
    expect(await chooseEmbeddedPort({ port: free, explicit: true, notice: (l) => notices.push(l) })).toBe(free);
    expect(notices).toEqual([]);
  });

  it('the default port taken: picks a free one and says which, in one line', async () => {
    const notices: string[] = [];
    const port = await chooseEmbeddedPort({ port: taken, explicit: false, notice: (l) => notices.push(l) });
    expect(port).not.toBe(taken);
    expect(await isPortFree(port)).toBe(true);
    expect(notices).toEqual([`Port ${taken} (the default EMBEDDED_PG_PORT) is in use: embedded PostgreSQL uses port ${port} instead`]);
  });

  it('an explicitly set port taken: a StartupError naming the port and EMBEDDED_PG_PORT', async () => {
    const attempt = chooseEmbeddedPort({ port: taken, explicit: true });
    await expect(attempt).rejects.toThrow(StartupError);
    await expect(attempt).rejects.toThrow(new RegExp(`^EMBEDDED_PG_PORT ${taken} is already in use`));
  });
});

describe('firstUnenterableDirectory', () => {
  const root = mkdtempSync(join(tmpdir(), 'rsm-reach-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const stranger = { uid: 123456, gid: 123456 };

  it('finds the folder a stranger may not enter on the way to a path, even one not created yet', () => {
    chmodSync(root, 0o755);
    const locked = join(root, 'locked');
    mkdirSync(join(locked, 'inner'), { recursive: true });
    chmodSync(locked, 0o700);
    expect(firstUnenterableDirectory(join(locked, 'inner', 'not-yet', 'pg'), stranger)).toBe(locked);
    chmodSync(locked, 0o711);
    expect(firstUnenterableDirectory(join(locked, 'inner', 'not-yet', 'pg'), stranger)).toBeUndefined();
  });

  it('lets the owner through a folder only it may enter', () => {
    const own = join(root, 'own');
    mkdirSync(own);
    chmodSync(own, 0o700);
    expect(firstUnenterableDirectory(own, { uid: process.getuid!(), gid: 123456 })).toBeUndefined();
  });
});

describe('checkReachableByPostgresUser', () => {
  const root = mkdtempSync(join(tmpdir(), 'rsm-reach-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  // Start-up makes RSM_DATA_DIR itself enterable (chmod 755) right after this check, as root: a
  // data directory made by `mktemp -d` (mode 700) must not be refused for a mode it is about to lose.
  it('as root, accepts a data directory that is itself mode 700 when its parents may be entered', () => {
    chmodSync(root, 0o755);
    const dataDir = join(root, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    chmodSync(dataDir, 0o700);
    expect(() => checkReachableByPostgresUser({ dataDir, binaries: root })).not.toThrow();
  });

  it('as root, still refuses a data directory behind a parent the postgres user may not enter', () => {
    const locked = join(root, 'locked');
    mkdirSync(join(locked, 'data'), { recursive: true });
    chmodSync(locked, 0o700);
    const check = () => checkReachableByPostgresUser({ dataDir: join(locked, 'data'), binaries: root });
    if (process.getuid?.() === 0) expect(check).toThrow(new RegExp(`cannot enter ${locked} \\(mode 700\\)`));
    else expect(check).not.toThrow(); // not root: PostgreSQL runs as us, nothing to check
  });
});
