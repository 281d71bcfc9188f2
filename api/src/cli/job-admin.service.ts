import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PgBoss } from 'pg-boss';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { JOBS_SCHEMA } from '../jobs/job-queue.service.js';
import { CliError, EXIT } from './exit-codes.js';

export interface QueueSummary {
  name: string;
  policy: string | undefined;
  queued: number;
  active: number;
  failed: number;
  total: number;
}

export interface FailedJob {
  id: string;
  queue: string;
  retries: number;
  failedAt: Date | null;
  error: string | null;
  data: unknown;
}

/**
 * `rsm jobs …` over the API's pg-boss queue (JobQueue, in the control database's JOBS_SCHEMA). Its own
 * pg-boss client that works no queue, runs no maintenance and no schedules: it only reads and retries.
 */
@Injectable()
export class JobAdmin implements OnApplicationShutdown {
  private boss: PgBoss | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {}

  /**
   * Every queue with live counts. pg-boss's own counts (getQueues) are refreshed by its monitor,
   * which this client does not run, so the counts come from its job table, read-only.
   */
  async queues(): Promise<QueueSummary[]> {
    const queues = await (await this.client()).getQueues();
    const counts = (await this.control.query(`SELECT name, state::text, count(*)::int AS n FROM ${JOBS_SCHEMA}.job GROUP BY name, state`)) as Array<{
      name: string;
      state: string;
      n: number;
    }>;
    const count = (name: string, states: string[]) => counts.filter((c) => c.name === name && states.includes(c.state)).reduce((n, c) => n + c.n, 0);
    return queues
      .map((q) => ({
        name: q.name,
        policy: q.policy,
        queued: count(q.name, ['created', 'retry']),
        active: count(q.name, ['active']),
        failed: count(q.name, ['failed']),
        total: count(q.name, counts.map((c) => c.state)),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Failed jobs still retained, newest first. pg-boss has no "find by state", so this reads its job
   * table (schema JOBS_SCHEMA) directly, read-only.
   */
  async failed(queue?: string, limit = 100): Promise<FailedJob[]> {
    await this.client();
    const rows = (await this.control.query(
      `SELECT id::text, name AS queue, retry_count AS retries, completed_on AS "failedAt", output, data
         FROM ${JOBS_SCHEMA}.job WHERE state = 'failed' AND ($1::text IS NULL OR name = $1) ORDER BY completed_on DESC NULLS LAST LIMIT $2`,
      [queue ?? null, limit],
    )) as Array<Omit<FailedJob, 'error'> & { output: unknown }>;
    return rows.map(({ output, ...job }) => ({ ...job, error: errorOf(output) }));
  }

  /** Retries the given failed jobs of a queue (or all of its failed jobs); returns how many were requeued. */
  async retry(queue: string, ids?: string[]): Promise<number> {
    const boss = await this.client();
    if (!(await boss.getQueue(queue))) throw new CliError(EXIT.USAGE, `No queue ${queue}`);
    const targets = ids?.length ? ids : (await this.failed(queue, 100_000)).map((j) => j.id);
    if (!targets.length) return 0;
    // The typings declare an empty CommandResponse; at run time it carries `affected` (pg-boss manager.js).
    const response = (await boss.retry(queue, targets)) as { affected?: number };
    return response.affected ?? 0;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.boss?.stop({ graceful: false, close: true });
  }

  private async client(): Promise<PgBoss> {
    if (this.boss) return this.boss;
    const [installed] = (await this.control.query(`SELECT to_regclass($1) IS NOT NULL AS yes`, [`${JOBS_SCHEMA}.job`])) as Array<{ yes: boolean }>;
    if (!installed.yes) throw new CliError(EXIT.USAGE, 'No job queue in this control database (the API has not run with JOBS_ENABLED=true yet)');
    const boss = new PgBoss({
      connectionString: this.config.databaseUrl,
      schema: JOBS_SCHEMA,
      application_name: 'rsm:cli',
      max: 2,
      supervise: false,
      schedule: false,
      migrate: false,
      createSchema: false,
    });
    boss.on('error', () => undefined); // a CLI command reports its own failure
    await boss.start();
    this.boss = boss;
    return boss;
  }
}

function errorOf(output: unknown): string | null {
  if (!output || typeof output !== 'object') return output == null ? null : String(output);
  const o = output as { message?: unknown; value?: unknown };
  return typeof o.message === 'string' ? o.message : JSON.stringify(output).slice(0, 500);
}
