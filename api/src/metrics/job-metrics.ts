import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics.registry.js';

/** The counts pg-boss keeps per queue (its `getQueues()` answer), as far as the metrics use them. */
export interface QueueCounts {
  name: string;
  readyCount: number;
  deferredCount: number;
  activeCount: number;
  failedCount: number;
  readyOldestSeconds: number | null;
}

/** The `state` label of rsm_job_queue_jobs, from the counts pg-boss caches on each monitor pass. */
const STATES = { ready: 'readyCount', deferred: 'deferredCount', active: 'activeCount', failed: 'failedCount' } as const;

/**
 * Job queue metrics (issue 8). Attempts are counted where they run (per instance); the queue depth
 * is read at scrape time from the counts pg-boss caches on its queue table (one small read, no job
 * table scan: pg-boss refreshes them every JOBS_MONITOR_INTERVAL_SECONDS), so every instance that
 * runs the queue reports the same depth: aggregate with max(), not sum().
 */
@Injectable()
export class JobMetrics {
  private readonly logger = new Logger(JobMetrics.name);
  private readonly attempts: Counter<'queue' | 'result'>;
  private readCounts: (() => Promise<QueueCounts[]>) | undefined;
  private readFailed = false;
  private pending: Promise<QueueCounts[] | undefined> | undefined;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.attempts = new Counter({
      name: 'rsm_jobs_processed_total',
      help: 'Job attempts run by this instance, by queue and result (a retried job counts once per attempt)',
      labelNames: ['queue', 'result'],
      registers: [registry],
    });
    const self = this;
    new Gauge({
      name: 'rsm_job_queue_jobs',
      help: 'Jobs in each queue by state (ready: waiting for a worker now; failed: failed for good, still retained)',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        const queues = await self.snapshot();
        this.reset();
        for (const queue of queues ?? []) {
          for (const [state, field] of Object.entries(STATES)) this.set({ queue: queue.name, state }, queue[field]);
        }
      },
    });
    new Gauge({
      name: 'rsm_job_queue_oldest_ready_seconds',
      help: 'How long the oldest ready job of each queue had waited at the last pg-boss monitor pass',
      labelNames: ['queue'],
      registers: [registry],
      async collect() {
        const queues = await self.snapshot();
        this.reset();
        for (const queue of queues ?? []) this.set({ queue: queue.name }, queue.readyOldestSeconds ?? 0);
      },
    });
  }

  /** The job queue, once started, names where the counts come from; undefined when it stops. */
  observeQueues(read: (() => Promise<QueueCounts[]>) | undefined): void {
    this.readCounts = read;
  }

  /** Wraps a queue's handler so each attempt is counted by result. */
  instrument<J extends unknown[], R>(queue: string, handler: (jobs: J) => Promise<R>): (jobs: J) => Promise<R> {
    this.attempts.inc({ queue, result: 'completed' }, 0);
    this.attempts.inc({ queue, result: 'failed' }, 0);
    return async (jobs) => {
      try {
        const result = await handler(jobs);
        this.attempts.inc({ queue, result: 'completed' }, jobs.length);
        return result;
      } catch (err) {
        this.attempts.inc({ queue, result: 'failed' }, jobs.length);
        throw err;
      }
    };
  }

  /** One read per scrape: the gauges collect at once and share the read in flight. */
  private snapshot(): Promise<QueueCounts[] | undefined> {
    this.pending ??= this.counts().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** The queues' counts, or undefined (no series) when they cannot be read: a scrape never fails for it. */
  private async counts(): Promise<QueueCounts[] | undefined> {
    if (!this.readCounts) return undefined;
    try {
      const counts = await this.readCounts();
      this.readFailed = false;
      return counts;
    } catch (err) {
      // Once per outage, not per scrape (the control database's outage is reported elsewhere).
      if (!this.readFailed) this.logger.warn({ err: String(err) }, 'Could not read the job queue counts for /metrics');
      this.readFailed = true;
      return undefined;
    }
  }
}
