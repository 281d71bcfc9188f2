import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { RedisBus } from './redis-bus.js'; // issue 13, perf

/** The LISTEN/NOTIFY channel on the control database. */
export const NOTIFICATION_CHANNEL = 'rsm_notifications';

/** A bus message: which studio has new notifications, and the highest id written. Ids only: the stream reads the rows. */
export interface BusMessage {
  tenantId: string;
  notificationId: string;
}

type Listener = (message: BusMessage) => void;

/**
 * Issue 13: fan-out across API instances through PostgreSQL LISTEN/NOTIFY on the control database (DESIGN.md,
 * "Notifications"). One dedicated listening connection per process, reconnected with backoff. NOTIFY may be
 * lost (a listener reconnecting, a crash): nothing depends on it but latency. Streams read the table after
 * their last id on every message, and `onResync` tells them to re-read after the listener reconnects.
 * With REDIS_URL set, Redis pub/sub carries the same messages instead (redis-bus.ts), with the same contract.
 */
@Injectable()
export class NotificationBus implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('NotificationBus');
  private readonly listeners = new Set<Listener>();
  private readonly resyncListeners = new Set<() => void>();
  private client: pg.Client | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  /** Issue 13, perf: set when REDIS_URL is; then it carries every message and LISTEN/NOTIFY is not used. */
  private redis: RedisBus | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {}

  /** Announces new notifications of a studio to every instance (this one included, through its listener). */
  async publish(tenantId: string, notificationId: string): Promise<void> {
    const payload = JSON.stringify({ t: tenantId, n: notificationId });
    if (this.redis) return this.redis.publish(payload);
    await this.control.query('SELECT pg_notify($1, $2)', [NOTIFICATION_CHANNEL, payload]);
  }

  onMessage(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after the listener (re)connects: messages sent while it was away are lost, so readers re-read. */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  get listening(): boolean {
    return this.redis ? this.redis.listening : this.client !== undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.redisUrl) {
      this.redis = new RedisBus({
        url: this.config.redisUrl,
        channel: await this.redisChannel(),
        logger: this.logger,
        connectTimeoutMs: this.config.tenancy.connectTimeoutMs,
        onPayload: (payload) => this.deliver(payload),
        onSubscribed: () => this.resynced(),
      });
      return this.redis.start();
    }
    await this.connect();
  }

  /**
   * One Redis may serve several deployments (staging and production, two regions): each publishes and
   * listens on a channel named after its own control database — the PostgreSQL cluster's identifier
   * (the same through any host name, pooler or replica) and the database's name — so a deployment's
   * streams are never woken by another's events. LISTEN/NOTIFY needs none of this: it is scoped to the
   * control database already.
   */
  private async redisChannel(): Promise<string> {
    const [row] = (await this.control.query(`SELECT system_identifier::text AS cluster, current_database() AS db FROM pg_control_system()`)) as Array<{ cluster: string; db: string }>;
    return `${NOTIFICATION_CHANNEL}:${row.cluster}:${row.db}`;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.redis?.stop();
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Drops the listening connection as a network failure would (tests: the reconnect and its re-read). */
  disconnectForTest(): void {
    this.redis?.dropSubscriberForTest();
    this.client?.emit('error', new Error('connection dropped (test)'));
  }

  private async connect(): Promise<void> {
    if (this.stopped || !this.config.databaseUrl) return;
    const client = new pg.Client({ connectionString: this.config.databaseUrl, application_name: 'rsm:bus', connectionTimeoutMillis: this.config.tenancy.connectTimeoutMs });
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      if (!this.stopped) {
        // One warning per outage: the retries that fail while it lasts (every 250 ms, doubling to 30 s) are
        // debug lines, and the reconnection is an info line. A control database that is down is reported by
        // the request path already (dependency-outage.e2e-spec counts the loud lines).
        if (this.failures === 0) this.logger.warn({ err: err ? String(err) : 'ended' }, 'Notification bus connection lost; reconnecting');
        else this.logger.debug({ err: err ? String(err) : 'ended', failures: this.failures }, 'Notification bus still not connected; retrying');
        this.scheduleReconnect();
      }
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (msg) => {
      if (msg.channel === NOTIFICATION_CHANNEL && msg.payload) this.deliver(msg.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFICATION_CHANNEL}`);
    } catch (err) {
      onLost(err as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.failures > 0) this.logger.log({ failures: this.failures }, 'Notification bus reconnected');
    this.failures = 0;
    this.resynced();
  }

  private deliver(payload: string): void {
    const parsed = parseMessage(payload);
    if (parsed) for (const listener of this.listeners) listener(parsed);
  }

  private resynced(): void {
    for (const listener of this.resyncListeners) listener();
  }

  private scheduleReconnect(): void {
    clearTimeout(this.retryTimer);
    const delay = Math.min(30_000, 250 * 2 ** this.failures++);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }
}

function parseMessage(payload: string): BusMessage | undefined {
  try {
    const { t, n } = JSON.parse(payload) as { t?: unknown; n?: unknown };
    if (typeof t === 'string' && typeof n === 'string' && /^\d{1,19}$/.test(n)) return { tenantId: t, notificationId: n };
  } catch {
    // not ours
  }
  return undefined;
}
