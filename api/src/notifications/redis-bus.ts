import type { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';

/** How long to wait before the n-th reconnect (from 1): the same backoff as the LISTEN connection's. */
export const busReconnectDelay = (attempt: number) => Math.min(30_000, 250 * 2 ** (attempt - 1));

export interface RedisBusOptions {
  url: string;
  channel: string;
  logger: Logger;
  connectTimeoutMs: number;
  /** A message arrived on the channel (the raw payload; the bus parses it). */
  onPayload: (payload: string) => void;
  /** Subscribed again after (re)connecting: messages sent while away are lost, so readers re-read. */
  onSubscribed: () => void;
}

/**
 * Issue 13, perf: the notification bus over Redis pub/sub (REDIS_URL). Two connections, since one in
 * subscriber mode can send nothing else: one publishes, one subscribes. Redis keeps no message for a
 * subscriber that is away, exactly like NOTIFY, so nothing depends on delivery: after every
 * (re)subscription the bus tells streams to re-read the table.
 *
 * ioredis reconnects on its own (with the bus's backoff); the subscription is made by hand on each
 * `ready`, so that the re-read starts only once Redis has confirmed it (ioredis's autoResubscribe
 * would report ready before). The publisher has no offline queue: while Redis is away a publish
 * fails at once (logged by the dispatcher) instead of queuing messages the re-read makes useless.
 */
export class RedisBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private subscribed = false;
  private stopped = false;

  constructor(private readonly options: RedisBusOptions) {
    const common = { connectTimeout: options.connectTimeoutMs, retryStrategy: busReconnectDelay, lazyConnect: true };
    this.publisher = new Redis(options.url, { ...common, connectionName: 'rsm:bus:pub', enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.subscriber = new Redis(options.url, { ...common, connectionName: 'rsm:bus:sub', autoResubscribe: false });
    for (const [name, client] of [
      ['publisher', this.publisher],
      ['subscriber', this.subscriber],
    ] as const) {
      // ioredis retries by itself; an error event without a listener would crash the process.
      client.on('error', (err: Error) => options.logger.warn({ err: String(err), connection: name }, 'Redis notification bus connection error; reconnecting'));
    }
    this.subscriber.on('message', (channel: string, payload: string) => {
      if (channel === options.channel) options.onPayload(payload);
    });
    this.subscriber.on('close', () => {
      this.subscribed = false;
    });
    this.subscriber.on('ready', () => void this.subscribe());
  }

  /** Subscribed, and able to publish: the publishing connection reconnects on its own schedule. */
  get listening(): boolean {
    return this.subscribed && this.publisher.status === 'ready';
  }

  /** Connects both (the first attempt only: on failure ioredis keeps retrying in the background, as the LISTEN connection does). */
  async start(): Promise<void> {
    await Promise.all([this.publisher.connect(), this.subscriber.connect()].map((p) => p.catch(() => undefined)));
  }

  async publish(payload: string): Promise<void> {
    await this.publisher.publish(this.options.channel, payload);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.subscribed = false;
    await Promise.all([this.publisher, this.subscriber].map((client) => client.quit().catch(() => client.disconnect())));
  }

  /** Drops the subscriber's connection as a network failure would; ioredis reconnects it (tests). */
  dropSubscriberForTest(): void {
    this.subscriber.disconnect(true);
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(this.options.channel);
    } catch (err) {
      // The connection went away again; its next `ready` subscribes.
      this.options.logger.warn({ err: String(err) }, 'Redis notification bus could not subscribe');
      return;
    }
    if (this.stopped) return;
    this.subscribed = true;
    this.options.onSubscribed();
  }
}
