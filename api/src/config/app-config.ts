import { join } from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Every environment variable the API reads, with its default. README's configuration table mirrors this. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  RSM_DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  COOKIE_SECURE: bool.optional(),
  COOKIE_DOMAIN: z.string().min(1).optional(),
  SESSION_IDLE_TIMEOUT_MINUTES: positiveInt(12 * 60),
  SESSION_ABSOLUTE_TIMEOUT_HOURS: positiveInt(7 * 24),
  DB_CONNECTION_BUDGET: positiveInt(40),
  TENANT_POOL_SIZE: z.coerce.number().int().min(1).max(10).default(3),
  TENANT_ACQUIRE_TIMEOUT_MS: positiveInt(5000),
  DB_STATEMENT_TIMEOUT_MS: positiveInt(15000),
  DB_CONNECT_TIMEOUT_MS: positiveInt(5000),
  TENANT_TEMPLATE_DATABASE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case PostgreSQL identifier')
    .default('rsm_tenant_template'),
  TENANT_DATABASE_PREFIX: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,30}$/, 'must be a lower-case PostgreSQL identifier prefix')
    .default('rsm_tenant_'),
  WEB_DIST_DIR: z.string().min(1).optional(),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  // Issue 5, sign-up protection and background jobs: email verification, unverified studios' deadlines, the job queue.
  PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^/?#\s]+\/?$/, 'must be an origin such as https://app.example.com')
    .optional(),
  UNVERIFIED_STUDIO_DAYS: positiveInt(7),
  UNVERIFIED_STUDIO_GRACE_DAYS: positiveInt(30),
  EMAIL_VERIFICATION_TOKEN_HOURS: positiveInt(7 * 24),
  MAIL_OUTBOX_DIR: z.string().min(1).optional(),
  JOBS_ENABLED: bool.default(true),
  JOBS_MAINTENANCE_CRON: z.string().min(9).max(100).default('*/5 * * * *'),
}).refine((env) => env.DB_CONNECTION_BUDGET >= env.TENANT_POOL_SIZE, {
  path: ['DB_CONNECTION_BUDGET'],
  message: 'must be at least TENANT_POOL_SIZE (one tenant pool must fit in the budget)',
});

export type Env = z.infer<typeof envSchema>;

export interface AppConfig {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  /** Undefined until start-up decides: the given URL, or the embedded server's. */
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  logLevel: Env['LOG_LEVEL'];
  cookie: { secure: boolean; domain: string | undefined; name: string };
  session: { idleTimeoutMs: number; absoluteTimeoutMs: number };
  tenancy: {
    connectionBudget: number;
    poolSize: number;
    acquireTimeoutMs: number;
    statementTimeoutMs: number;
    connectTimeoutMs: number;
    templateDatabase: string;
    databasePrefix: string;
  };
  webDistDir: string | undefined;
  /** How many reverse proxies in front of us to believe X-Forwarded-For from (0: none). */
  trustProxyHops: number;
  // Issue 5, sign-up protection and background jobs.
  signup: {
    /** Origin that links in emails point to; unset: the origin of the request that caused the email. */
    publicUrl: string | undefined;
    /** How long a studio may be used before its owner verifies their email. */
    unverifiedUsableMs: number;
    /** How long a suspended unverified studio is kept before its database is dropped. */
    unverifiedGraceMs: number;
    verificationTokenTtlMs: number;
  };
  /** Until the accounts issue brings SMTP, outgoing mail is logged and, when set, written here as text files. */
  mail: { outboxDir: string | undefined };
  jobs: { enabled: boolean; maintenanceCron: string };
}

export class ConfigError extends Error {}

/** Parses and validates the environment; throws ConfigError with one readable line on bad input. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${issues}`);
  }
  const env = parsed.data;
  const secure = env.COOKIE_SECURE ?? env.NODE_ENV === 'production';
  // __Host- forbids a Domain attribute; __Secure- allows it. Both require Secure.
  const cookiePrefix = !secure ? '' : env.COOKIE_DOMAIN ? '__Secure-' : '__Host-';
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    dataDir: env.RSM_DATA_DIR,
    embeddedPgPort: env.EMBEDDED_PG_PORT,
    logLevel: env.LOG_LEVEL,
    cookie: { secure, domain: env.COOKIE_DOMAIN, name: `${cookiePrefix}rsm_session` },
    session: {
      idleTimeoutMs: env.SESSION_IDLE_TIMEOUT_MINUTES * 60_000,
      absoluteTimeoutMs: env.SESSION_ABSOLUTE_TIMEOUT_HOURS * 3_600_000,
    },
    tenancy: {
      connectionBudget: env.DB_CONNECTION_BUDGET,
      poolSize: env.TENANT_POOL_SIZE,
      acquireTimeoutMs: env.TENANT_ACQUIRE_TIMEOUT_MS,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
      templateDatabase: env.TENANT_TEMPLATE_DATABASE,
      databasePrefix: env.TENANT_DATABASE_PREFIX,
    },
    webDistDir: env.WEB_DIST_DIR,
    trustProxyHops: env.TRUST_PROXY,
    // Issue 5, sign-up protection and background jobs.
    signup: {
      publicUrl: env.PUBLIC_URL?.replace(/\/$/, ''),
      unverifiedUsableMs: env.UNVERIFIED_STUDIO_DAYS * 86_400_000,
      unverifiedGraceMs: env.UNVERIFIED_STUDIO_GRACE_DAYS * 86_400_000,
      verificationTokenTtlMs: env.EMAIL_VERIFICATION_TOKEN_HOURS * 3_600_000,
    },
    // In development the links land in RSM_DATA_DIR/mail, where a developer (or the e2e suite) reads them.
    mail: { outboxDir: env.MAIL_OUTBOX_DIR ?? (env.NODE_ENV === 'development' ? join(env.RSM_DATA_DIR, 'mail') : undefined) },
    jobs: { enabled: env.JOBS_ENABLED, maintenanceCron: env.JOBS_MAINTENANCE_CRON },
  };
}

/** DI token for the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
