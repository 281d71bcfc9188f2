import type { Command } from 'commander';
import type { CliRuntime } from './cli.js';
import { JobAdmin } from './job-admin.service.js';
import { formatTable, writeJson } from './output.js';

export function registerJobsCommands(program: Command, runtime: CliRuntime): void {
  const jobs = program.command('jobs').description('The background job queue (pg-boss, in the control database)');
  const json = () => Boolean(program.opts().json);
  const out = (s: string): void => {
    runtime.io.stdout.write(s);
  };
  const withJobs = async (fn: (admin: JobAdmin) => Promise<void>): Promise<void> => runtime.withApp((app) => fn(app.get(JobAdmin)));

  jobs
    .command('list')
    .description('Queues with their job counts; with --failed, the failed jobs still retained')
    .option('--failed', 'list failed jobs instead of queues')
    .option('--queue <name>', 'only this queue\'s failed jobs')
    .action((options: { failed?: boolean; queue?: string }) =>
      withJobs(async (admin) => {
        if (options.failed || options.queue) {
          const failed = await admin.failed(options.queue);
          if (json()) return writeJson(runtime.io, failed);
          if (!failed.length) return out('No failed jobs.\n');
          return out(formatTable(failed as unknown as Array<Record<string, unknown>>, ['id', 'queue', 'retries', 'failedAt', 'error']));
        }
        const queues = await admin.queues();
        if (json()) return writeJson(runtime.io, queues);
        out(formatTable(queues as unknown as Array<Record<string, unknown>>, ['name', 'policy', 'queued', 'active', 'failed', 'total']));
      }),
    );

  jobs
    .command('retry')
    .description('Retry failed jobs of a queue: the given ids, or every failed one with --all')
    .argument('<queue>', 'queue name (see rsm jobs list)')
    .argument('[ids...]', 'job ids')
    .option('--all', 'every failed job of the queue')
    .action((queue: string, ids: string[], options: { all?: boolean }) =>
      withJobs(async (admin) => {
        if (!ids.length && !options.all) {
          jobs.commands.find((c) => c.name() === 'retry')!.error('give job ids, or --all for every failed job of the queue', { exitCode: 2 });
        }
        const retried = await admin.retry(queue, options.all ? undefined : ids);
        if (json()) return writeJson(runtime.io, { queue, retried });
        out(`Retried ${retried} job(s) of ${queue}\n`);
      }),
    );
}
