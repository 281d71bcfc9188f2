import pg from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The connections one tenant pool has opened and not yet seen closed.
 *
 * pg-pool's `end()` resolves once it has asked every client to end, not once their sockets have
 * closed (brianc/node-postgres#2328, still open): for a moment PostgreSQL still counts those
 * backends. The connection budget is a promise about what PostgreSQL sees, so a retired pool gives
 * its slot back only after every connection it opened has really gone (a client's 'end' event is
 * its socket's 'close', which the server sends as its backend exits).
 */
export class PoolSockets {
  private readonly open = new Set<pg.Client>();
  private wakeWhenEmpty: Array<() => void> = [];

  /** The pg Client class a pool should build its clients with (pg-pool's documented `Client` option). */
  readonly Client: typeof pg.Client;

  constructor() {
    const sockets = this;
    this.Client = class TrackedClient extends pg.Client {
      constructor(config?: string | pg.ClientConfig) {
        super(config);
        sockets.open.add(this);
        this.once('end', () => sockets.forget(this));
      }
    };
  }

  get size(): number {
    return this.open.size;
  }

  /** Resolves true once every tracked connection has closed; false if some are still open at `timeoutMs`. */
  allClosed(timeoutMs: number): Promise<boolean> {
    if (this.open.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeWhenEmpty = this.wakeWhenEmpty.filter((w) => w !== wake);
        resolve(false);
      }, timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.wakeWhenEmpty.push(wake);
    });
  }

  private forget(client: pg.Client): void {
    this.open.delete(client);
    if (this.open.size > 0) return;
    const waiting = this.wakeWhenEmpty;
    this.wakeWhenEmpty = [];
    for (const wake of waiting) wake();
  }
}

const socketsOf = new WeakMap<DataSource, PoolSockets>();

/** Records which tracker belongs to a DataSource built with `sockets.Client`, for `closeTenantPool`. */
export function trackPoolSockets(dataSource: DataSource, sockets: PoolSockets): void {
  socketsOf.set(dataSource, sockets);
}

/**
 * Destroys a tenant DataSource and waits until PostgreSQL has seen every one of its connections go
 * (at most `timeoutMs`; a socket that outlives it is reported, and the slot is given back anyway so
 * one stuck socket cannot wedge the process). Returns how many connections were still open then.
 */
export async function closeTenantPool(dataSource: DataSource, timeoutMs = 5_000): Promise<number> {
  if (dataSource.isInitialized) await dataSource.destroy();
  const sockets = socketsOf.get(dataSource);
  if (!sockets) return 0;
  await sockets.allClosed(timeoutMs);
  return sockets.size;
}
