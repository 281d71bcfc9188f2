import { type INestApplicationContext, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import { isConnectionFailure } from '../common/pg-errors.js';
import { ConfigError, loadConfig, type AppConfig } from '../config/app-config.js';
import { readOrCreateSecretFile } from '../database/secrets.js';
import type { TenantMigrationOptions } from '../tenancy/tenant-migrator.service.js';
import { CliModule } from './cli.module.js';
import { CliError, EXIT } from './exit-codes.js';
import { registerJobsCommands } from './jobs.command.js';
import { registerMigrateCommand } from './migrate.command.js';
import { registerSeedCommand } from './seed.command.js';
import type { CliIo } from './output.js';
import { registerTenantsCommands } from './tenants.command.js';
import { registerTenantMoveCommand } from './tenants-move.command.js'; // issue 8, ops-servers

export interface CliOverrides {
  /** The configuration to use instead of loading it from the environment (tests). */
  config?: AppConfig;
  /** The tenant migration list (tests add a migration); the code's list otherwise. */
  migrations?: TenantMigrationOptions['migrations'];
  env?: NodeJS.ProcessEnv;
}

/** What every command gets: its output streams, and a way into the application context. */
export interface CliRuntime {
  io: CliIo;
  /** Runs `fn` in the CLI's Nest application context (opened once per command, closed afterwards). */
  withApp<T>(fn: (app: INestApplicationContext) => Promise<T>): Promise<T>;
  /** The command's exit code (commands set it; the highest wins). */
  exit(code: number): void;
  /** The configuration (from the environment, or the test's). */
  config(): AppConfig;
}

/** Positive integer option parser (commander turns the thrown error into a usage error). */
export function intOption(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    return n;
  };
}

/** Nest's log lines go to stderr (stdout carries results and JSON), and only with --verbose. */
class StderrLogger implements LoggerService {
  constructor(private readonly io: CliIo) {}
  private write(level: string, message: unknown, context?: unknown) {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    this.io.stderr.write(`${level}${typeof context === 'string' ? ` [${context}]` : ''} ${text}\n`);
  }
  log(message: unknown, context?: unknown) {
    this.write('log', message, context);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest.at(-1));
  }
  warn(message: unknown, context?: unknown) {
    this.write('warn', message, context);
  }
}

/** The control database is down, missing, refusing us, or unreachable (not: a bug in the module graph). */
const cannotConnect = isConnectionFailure;

function configFrom(overrides: CliOverrides): AppConfig {
  if (overrides.config) return overrides.config;
  const env = overrides.env ?? process.env;
  let config: AppConfig;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(EXIT.USAGE, err.message);
    throw err;
  }
  if (!config.databaseUrl) {
    throw new CliError(EXIT.USAGE, 'DATABASE_URL is not set: rsm works on the PostgreSQL server the API uses (set it as for the API)');
  }
  if (!config.secretKey && config.env !== 'production') {
    // As the API does outside production: the key generated into RSM_DATA_DIR.
    config = { ...config, secretKey: readOrCreateSecretFile(resolve(config.dataDir, 'secret-key')).secret };
  }
  return config;
}

/**
 * Runs one `rsm` command line (without the program name) and resolves with its exit code; never
 * calls process.exit, so tests run it in-process. See exit-codes.ts for what the codes mean.
 */
export async function runCli(argv: string[], io: CliIo, overrides: CliOverrides = {}): Promise<number> {
  let exitCode: number = EXIT.OK;
  const program = new Command('rsm')
    .description('Recording Studio Manager operations: migrations across every tenant, the tenant registry, the job queue.')
    .addOption(new Option('--json', 'machine-readable output on stdout (progress stays on stderr)'))
    .addOption(new Option('--verbose', 'log what the services do, on stderr'))
    .showHelpAfterError('(rsm --help lists the commands; rsm <command> --help their options)')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 some tenants failed or have problems, 2 usage or configuration error,\n3 the control database cannot be reached, 4 unexpected error.\nConfiguration comes from the same environment variables as the API (DATABASE_URL, TENANT_*, RSM_SECRET_KEY).',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  const runtime: CliRuntime = {
    io,
    exit: (code) => {
      exitCode = Math.max(exitCode, code);
    },
    config: () => configFrom(overrides),
    async withApp(fn) {
      const config = configFrom(overrides);
      const verbose = Boolean(program.opts().verbose);
      let app: INestApplicationContext;
      try {
        app = await NestFactory.createApplicationContext(CliModule.register(config, { migrations: overrides.migrations }), {
          logger: verbose ? new StderrLogger(io) : false,
          abortOnError: false,
        });
      } catch (err) {
        if (!cannotConnect(err)) throw err; // a bug (a missing provider, say): exit 4 with its stack
        throw new CliError(EXIT.CONTROL_UNREACHABLE, `Cannot reach the control database: ${err instanceof Error ? err.message : String(err)}`);
      }
      try {
        return await fn(app);
      } finally {
        await app.close();
      }
    },
  };

  registerMigrateCommand(program, runtime);
  registerTenantsCommands(program, runtime);
  registerTenantMoveCommand(program, runtime); // issue 8, ops-servers: rsm tenants move
  registerJobsCommands(program, runtime);
  registerSeedCommand(program, runtime);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with code 0; every other commander error is a usage error.
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (err instanceof CliError) {
      io.stderr.write(`rsm: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`rsm: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.FAILED;
  }
}
