import { PgBoss } from 'pg-boss';
import { EXIT } from '../src/cli/exit-codes.js';
import type { FailedJob, QueueSummary } from '../src/cli/job-admin.service.js';
import { JOBS_SCHEMA } from '../src/jobs/job-queue.service.js';
import { MAINTENANCE_QUEUE } from '../src/jobs/maintenance.job.js';
import { rsm } from './support/cli.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Issue 8: `rsm jobs list|retry` over the API's pg-boss queue. */
describe('rsm jobs', () => {
  let t: TestApp;
  let boss: PgBoss;
  const QUEUE = 'cli-test';

  /** A job that ran and failed (fetched and failed by hand: no worker in the test). */
  async function failedJob(message: string): Promise<string> {
    const id = (await boss.send(QUEUE, { message }))!;
    const [job] = await boss.fetch(QUEUE);
    expect(job.id).toBe(id);
    await boss.fail(QUEUE, id, { message });
    return id;
  }
  const stateOf = async (id: string) => (await t.control.query(`SELECT state FROM ${JOBS_SCHEMA}.job WHERE id = $1`, [id])).rows[0].state as string;

  beforeAll(async () => {
    t = await createTestApp({ JOBS_ENABLED: 'true' });
    boss = new PgBoss({ connectionString: t.config.databaseUrl, schema: JOBS_SCHEMA, supervise: false, schedule: false });
    boss.on('error', () => undefined);
    await boss.start();
    await boss.createQueue(QUEUE, { retryLimit: 0 });
  });
  afterAll(async () => {
    await boss?.stop({ graceful: false });
    await t?.close();
  });

  it('list: every queue with its counts; --failed: the failed jobs with their error', async () => {
    const id = await failedJob('boom');
    const queues = await rsm(t, ['jobs', 'list', '--json']);
    expect(queues.code).toBe(EXIT.OK);
    const byName = Object.fromEntries(queues.json<QueueSummary[]>().map((q) => [q.name, q]));
    expect(byName[MAINTENANCE_QUEUE]).toMatchObject({ policy: 'exclusive' });
    expect(byName[QUEUE]).toMatchObject({ failed: 1, total: 1 });
    const table = await rsm(t, ['jobs', 'list']);
    expect(table.stdout).toMatch(new RegExp(`^${QUEUE}\\s+\\S+\\s+0\\s+0\\s+1\\s+1$`, 'm'));

    const failed = await rsm(t, ['jobs', 'list', '--failed', '--json']);
    expect(failed.json<FailedJob[]>()).toEqual([expect.objectContaining({ id, queue: QUEUE, error: 'boom' })]);
  });

  it('retry: by id, or every failed job of a queue with --all', async () => {
    const [a, b, c] = [await failedJob('a'), await failedJob('b'), await failedJob('c')];
    const one = await rsm(t, ['jobs', 'retry', QUEUE, a, '--json']);
    expect(one.code).toBe(EXIT.OK);
    expect(one.json()).toEqual({ queue: QUEUE, retried: 1 });
    expect(await stateOf(a)).not.toBe('failed');
    expect([await stateOf(b), await stateOf(c)]).toEqual(['failed', 'failed']);

    const all = await rsm(t, ['jobs', 'retry', QUEUE, '--all']);
    expect(all.code).toBe(EXIT.OK);
    expect(all.stdout).toMatch(/Retried [1-9]\d* job\(s\) of cli-test/);
    expect(await stateOf(b)).not.toBe('failed');
    expect(await stateOf(c)).not.toBe('failed');
    expect((await rsm(t, ['jobs', 'list', '--failed', '--queue', QUEUE, '--json'])).json()).toEqual([]);
  });

  it('usage errors: retry with neither ids nor --all, an unknown queue', async () => {
    const neither = await rsm(t, ['jobs', 'retry', QUEUE]);
    expect(neither.code).toBe(EXIT.USAGE);
    expect(neither.stderr).toMatch(/give job ids, or --all/);
    const unknown = await rsm(t, ['jobs', 'retry', 'no-such-queue', '--all']);
    expect(unknown.code).toBe(EXIT.USAGE);
    expect(unknown.stderr).toMatch(/No queue no-such-queue/);
  });
});
