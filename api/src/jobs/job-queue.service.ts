import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { PgBoss, type Queue, type SendOptions, type WorkHandler } from 'pg-boss';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { JobMetrics } from '../metrics/job-metrics.js';

/** pg-boss keeps its tables in this schema of the control database, apart from ours. */
export const JOBS_SCHEMA = 'pgboss';

interface Registration {
  queue: Queue & { name: string };
  handler: WorkHandler<object>;
  /** A cron expression (UTC) on which pg-boss sends one job, once across all instances. */
  cron?: string;
}

/**
 * Queues earlier versions scheduled and this one no longer has: deleted at start (with their schedules and
 * jobs), or pg-boss would keep sending them jobs that no worker takes. Issue 14: the four per-minute
 * sweeps that each visited every studio became one, StudioSweep (studio-sweep.service.ts).
 */
export const RETIRED_QUEUES = ['notifications-sweep', 'mail-delivery', 'booking-reminders', 'webhooks-sweep'];

/**
 * The PostgreSQL-backed job queue (pg-boss) on the control database. Feature services register
 * their queues while modules initialise; once the application is bootstrapped the queue starts, creates
 * the queues, installs their schedules and starts their workers. JOBS_ENABLED=false starts nothing
 * (a web-only instance): jobs sent elsewhere still run on the instances that work them.
 */
@Injectable()
export class JobQueue implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly registrations: Registration[] = [];
  private boss: PgBoss | undefined;
  /** JOBS_ENABLED=false: a queue that only sends (no workers, no schedules), started on first send. */
  private sender: Promise<PgBoss> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: JobMetrics,
  ) {}

  /** Declares a queue and its worker; call from a provider's constructor or onModuleInit. */
  register(registration: Registration): void {
    this.registrations.push(registration);
  }

  get started(): boolean {
    return this.boss !== undefined;
  }

  /** Sends a job now (e.g. to run the maintenance outside its schedule). Null when the queue's policy refused it. */
  async send(queue: string, data: object = {}): Promise<string | null> {
    if (!this.boss) throw new Error('The job queue is not running (JOBS_ENABLED=false)');
    return this.boss.send(queue, data);
  }

  /**
   * Issue 9, bookings: sends a job that becomes due at `after` (pg-boss startAfter), e.g. a hold's expiry.
   * Works on a web-only instance too (JOBS_ENABLED=false): the job is stored in the shared queue and an
   * instance with workers runs it. Null when the queue's policy refused it (same singletonKey queued).
   */
  async sendAfter(queue: string, data: object, after: Date, options: SendOptions = {}): Promise<string | null> {
    const boss = this.boss ?? (await this.startSender());
    return boss.sendAfter(queue, data, options, after);
  }

  private startSender(): Promise<PgBoss> {
    this.sender ??= (async () => {
      const boss = this.newBoss({ supervise: false, schedule: false });
      await boss.start();
      for (const { queue } of this.registrations) {
        const { name, policy, partition, ...settings } = queue;
        await boss.createQueue(name, { policy, partition, ...settings });
      }
      return boss;
    })().catch((err: unknown) => {
      this.sender = undefined; // not cached: the next send tries again
      throw err;
    });
    return this.sender;
  }

  private newBoss(options: { supervise?: boolean; schedule?: boolean } = {}): PgBoss {
    const boss = new PgBoss({
      connectionString: this.config.databaseUrl,
      schema: JOBS_SCHEMA,
      application_name: 'rsm:jobs',
      max: 3,
      connectionTimeoutMillis: this.config.tenancy.connectTimeoutMs,
      // Issue 8, ops-deploy: how fresh the per-queue counts behind the job metrics are.
      monitorIntervalSeconds: this.config.jobsMonitorIntervalSeconds,
      superviseIntervalSeconds: this.config.jobsMonitorIntervalSeconds,
      ...options,
    });
    // pg-boss reports background failures (a lost connection, a failed maintenance pass) as events.
    boss.on('error', (err) => this.logger.error({ err: String(err) }, 'Job queue error'));
    return boss;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.jobs.enabled) return;
    const boss = this.newBoss();
    await boss.start();
    this.boss = boss;
    for (const name of RETIRED_QUEUES) {
      await boss.unschedule(name);
      await boss.deleteQueue(name);
    }
    for (const { queue, handler, cron } of this.registrations) {
      const { name, policy, partition, ...settings } = queue;
      // createQueue does nothing when the queue exists (another instance, an earlier start); its
      // policy is fixed at creation, while the other settings follow the code on every start.
      await boss.createQueue(name, { policy, partition, ...settings });
      if (Object.keys(settings).length) await boss.updateQueue(name, settings);
      if (cron) await boss.schedule(name, cron, {}, { tz: 'UTC' });
      else await boss.unschedule(name);
      const pollingIntervalSeconds = this.config.jobPolling.intervalSeconds;
      await boss.work(name, { pollingIntervalSeconds }, this.metrics.instrument(name, handler));
    }
    this.metrics.observeQueues(() => boss.getQueues());
    this.logger.log(`Job queue started (${this.registrations.map((r) => r.queue.name).join(', ') || 'no queues'})`);
  }

  /** Before the control database closes: stop fetching, and let a running job finish (bounded). */
  async beforeApplicationShutdown(): Promise<void> {
    const boss = this.boss;
    this.boss = undefined;
    this.metrics.observeQueues(undefined);
    await boss?.stop({ graceful: true, timeout: 10_000 });
    const sender = this.sender;
    this.sender = undefined;
    await (await sender?.catch(() => undefined))?.stop({ graceful: true, timeout: 10_000 });
  }
}
