import type { Command } from 'commander';
import pino from 'pino';
import type { CliRuntime } from './cli.js';
import { DEMO_DEFAULTS } from './demo-accounts.js';
import { EXIT } from './exit-codes.js';
import { writeJson } from './output.js';

export function registerSeedCommand(program: Command, runtime: CliRuntime): void {
  program
    .command('seed')
    .description('Create a demo studio (not in production): owner, two engineers, rooms, equipment, clients, studio hours, bookings over the next weeks, projects with tracks, files and a mix under review; prints how to log in')
    .option('--demo', 'the demo studio (the only seed there is)')
    .option('--email <email>', 'the owner\'s email (engineers get +alex / +sam variants)', DEMO_DEFAULTS.email)
    .option('--password <password>', 'the password of every demo account', DEMO_DEFAULTS.password)
    .action(async (options: { demo?: boolean; email: string; password: string }, command: Command) => {
      if (!options.demo) command.error('say --demo: it is the only seed', { exitCode: EXIT.USAGE });
      // Sign-up needs most of the API (auth, mail, audit, rate limits, logging): the seed runs in the API's own
      // application context (no HTTP listener; no job worker, no metrics port), loaded only for this command.
      const [{ NestFactory }, { AppModule }, { DemoSeed }] = await Promise.all([
        import('@nestjs/core'),
        import('../app.module.js'),
        import('./demo-seed.service.js'),
      ]);
      const base = runtime.config();
      const config = { ...base, logLevel: program.opts().verbose ? base.logLevel : ('error' as const), jobs: { ...base.jobs, enabled: false }, metrics: { ...base.metrics, port: undefined } };
      const app = await NestFactory.createApplicationContext(AppModule.register(config, pino.destination(2)), { logger: false, abortOnError: false });
      let studio;
      try {
        studio = await DemoSeed.from(app).seed(options);
      } finally {
        await app.close();
      }
      if (program.opts().json) return writeJson(runtime.io, studio);
      runtime.io.stdout.write(
        `Demo studio "${studio.studioName}" is ready (${Object.entries(studio.counts).map(([k, n]) => `${n} ${k}`).join(', ')}).\n` +
          `Bookings: ${studio.bookings.total} (${studio.bookings.confirmed} confirmed over the next 3 weeks, ${studio.bookings.recurring} in a weekly series, ${studio.bookings.holds} holds, ${studio.bookings.completed} completed).\n` +
          `Projects: ${studio.projects.projects} (${studio.projects.tracks} tracks, ${studio.projects.files} files, ${studio.projects.deliverables} deliverable with ${studio.projects.versions} versions and ${studio.projects.comments} review comments).\n` +
          `Not in the demo yet (not built yet): ${studio.notYet.join(', ')}.\n` +
          `Log in at ${studio.loginUrl}\n  owner:     ${studio.owner.email} / ${studio.owner.password}\n` +
          studio.engineers.map((e) => `  engineer:  ${e.email} / ${e.password}\n`).join(''),
      );
    });
}
