import { join } from 'node:path';
import { z } from 'zod';
import { bool, limit, positiveInt } from './env-values.js';
import { type FilesConfig, filesConfig, filesEnv, s3KeyPairRule } from './files-config.js';
import { type StripeConfig, stripeConfig, stripeEnv } from './stripe-config.js';
import { type PortalConfig, portalConfig, portalEnv } from './portal-config.js'; // issue 12, portal
import { type WebhooksConfig, webhooksConfig, webhooksEnv } from './webhooks-config.js'; // issue 13, webhooks
import { type SubscriptionConfig, subscriptionConfig, subscriptionEnv } from './subscription-config.js';

// Importers keep reading these from app-config.js.
export type { S3StorageConfig } from './files-config.js';
export { parseStripeApiBase, type StripeConfig } from './stripe-config.js';

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
  // Issue 5, per-tenant database roles and start-up: the master key that tenant and control role
  // passwords are derived from (generated into RSM_DATA_DIR outside production), and whether
  // EMBEDDED_PG_PORT was chosen by the operator (then a taken port stops start-up). Start-up (main.ts)
  // refuses a missing key in production.
  RSM_SECRET_KEY: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional(),
  // --- issue 5, HTTP edges: browser writes, timeouts, operator endpoints ---
  TRUSTED_ORIGINS: z.string().default(''),
  REQUEST_TIMEOUT_MS: positiveInt(30_000),
  HEADERS_TIMEOUT_MS: positiveInt(15_000),
  KEEP_ALIVE_TIMEOUT_MS: positiveInt(72_000),
  CONNECTION_TIMEOUT_MS: positiveInt(60_000),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  API_DOCS: bool.default(true),
  // --- end of HTTP edges ---
  // Rate limits (issue 5, "Rate limits"): see api/src/rate-limit/. 0 turns a limit off.
  RATE_LIMIT_STORE: z.enum(['memory', 'postgres']).default('memory'),
  RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT_IP: limit(5),
  RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: limit(20),
  RATE_LIMIT_LOGIN_FAILURES_PER_IP: limit(50),
  RATE_LIMIT_LOGIN_DELAY_SECONDS: positiveInt(1),
  RATE_LIMIT_LOGIN_MAX_DELAY_SECONDS: positiveInt(900),
  RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: limit(5),
  RATE_LIMIT_VERIFICATION_RESEND_PER_USER_PER_HOUR: limit(5),
  RATE_LIMIT_API_PER_USER_PER_MINUTE: limit(600),
  RATE_LIMIT_API_PER_IP_PER_MINUTE: limit(300),
  // Issue 7, accounts-access: invites, accepting them, switching studios.
  RATE_LIMIT_INVITES_PER_USER_PER_HOUR: limit(30),
  RATE_LIMIT_INVITES_PER_IP_PER_HOUR: limit(60),
  RATE_LIMIT_INVITE_ACCEPT_PER_IP_PER_HOUR: limit(20),
  RATE_LIMIT_SWITCH_PER_USER_PER_HOUR: limit(120),
  RATE_LIMIT_SWITCH_PER_IP_PER_HOUR: limit(300),
  INVITE_TTL_HOURS: positiveInt(7 * 24),
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
  // --- issue 7, accounts-mail: email transport, password reset and change, sessions ---
  SMTP_URL: z.string().regex(/^smtps?:\/\/\S+$/, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.email().max(320).optional(),
  PASSWORD_RESET_TOKEN_MINUTES: positiveInt(60),
  RATE_LIMIT_PASSWORD_RESET_PER_IP_PER_HOUR: limit(10),
  RATE_LIMIT_PASSWORD_RESET_PER_EMAIL_PER_HOUR: limit(3),
  RATE_LIMIT_PASSWORD_RESET_CONFIRM_PER_IP_PER_HOUR: limit(20),
  RATE_LIMIT_PASSWORD_CHANGE_PER_USER_PER_HOUR: limit(10),
  // --- end of accounts-mail ---
  // --- issue 9, bookings: how often each worker looks for due jobs (hold expiry waits at most this long) ---
  JOBS_POLL_INTERVAL_SECONDS: z.coerce.number().min(0.5).max(300).default(2),
  // --- end of bookings ---
  // --- issue 8, ops-deploy: graceful shutdown, job queue monitoring, release label ---
  SHUTDOWN_TIMEOUT_MS: positiveInt(20_000),
  JOBS_MONITOR_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  RSM_RELEASE: z.string().regex(/^[\w.+-]{1,128}$/, 'must be a tag such as 2026.11.26-1 or a commit id').default('dev'),
  // --- end of ops-deploy ---
  // --- issue 8, ops-servers: tenants on several PostgreSQL servers, moves, schema version watch ---
  TENANT_SERVERS: z.string().default(''),
  TENANT_REGISTRY_WATCH_MS: limit(5000),
  TENANT_MOVE_GRACE_HOURS: limit(24),
  // --- end of ops-servers ---
  // --- issue 8, ops-cli: deployments that run `rsm migrate` before switching traffic turn this off ---
  MIGRATE_ON_START: bool.default(true),
  // --- end of ops-cli ---
  // --- issue 8, ops-finish: `npm start` seeds the demo studio on a first run ---
  RSM_DEMO: bool.default(false),
  // --- end of ops-finish ---
  // --- issue 10, files: upload limit and the optional S3-compatible store (files-config.ts) ---
  ...filesEnv,
  // --- end of files ---
  // --- issue 11, the studio's own subscription (subscription-config.ts) ---
  ...subscriptionEnv,
  // --- end of subscription ---
  // --- issue 11, stripe: Connect payments through the official SDK, unset key: online payment is off (stripe-config.ts) ---
  ...stripeEnv,
  // --- end of stripe ---
  // --- issue 12, portal: client portal sessions, links and limits (portal-config.ts) ---
  ...portalEnv,
  // --- end of portal ---
  // --- issue 12, bookreq: a session's door code shows in the client portal from this many hours before its start (0: at the start) ---
  PORTAL_ACCESS_CODE_RELEASE_HOURS: limit(24),
  // --- end of bookreq ---
  // --- issue 14, perf: the hot reads (session lookup, clients list) as named prepared statements; false for a
  // pooler that cannot keep them (PgBouncer transaction mode before 1.21, or without max_prepared_statements) ---
  DB_PREPARED_STATEMENTS: bool.default(true),
  // --- end of perf ---
  // --- issue 13, realtime: notification streams (Server-Sent Events) ---
  SSE_KEEPALIVE_SECONDS: z.coerce.number().int().min(1).max(300).default(30),
  SSE_MAX_STREAMS_PER_USER: z.coerce.number().int().min(1).max(100).default(5),
  SSE_RETRY_MS: z.coerce.number().int().min(100).max(600_000).default(3000),
  // --- end of realtime ---
  // --- issue 13, perf: the notification bus over Redis pub/sub instead of LISTEN/NOTIFY when set ---
  REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL').optional(),
  // --- end of perf ---
  // --- issue 13, webhooks: outgoing webhook deliveries (webhooks-config.ts) ---
  ...webhooksEnv,
  // --- end of webhooks ---
}).refine((env) => env.DB_CONNECTION_BUDGET >= env.TENANT_POOL_SIZE, {
  path: ['DB_CONNECTION_BUDGET'],
  message: 'must be at least TENANT_POOL_SIZE (one tenant pool must fit in the budget)',
}).refine((env) => env.HEADERS_TIMEOUT_MS <= env.REQUEST_TIMEOUT_MS, {
  path: ['HEADERS_TIMEOUT_MS'],
  message: 'must not exceed REQUEST_TIMEOUT_MS (Node.js refuses it)',
}).refine((env) => env.NODE_ENV !== 'production' || env.PUBLIC_URL !== undefined, {
  // Links in emails would otherwise follow the request's Host header, which a sign-up can forge to
  // send a victim a genuine verification email whose link leaks its token to another site.
  path: ['PUBLIC_URL'],
  message: 'is required in production (the origin links in emails point to, e.g. https://studio.example.com)',
}).refine((env) => env.NODE_ENV !== 'production' || env.SMTP_URL === undefined || env.MAIL_FROM !== undefined, {
  // accounts-mail: a made-up sender address is rejected or spam-filtered by real mail servers.
  path: ['MAIL_FROM'],
  message: 'is required in production when SMTP_URL is set (the address emails are sent from, e.g. no-reply@studio.example.com)',
}).refine((env) => parseTenantServers(env.TENANT_SERVERS) !== undefined, {
  // Issue 8, ops-servers.
  path: ['TENANT_SERVERS'],
  message: 'must be `name=postgres://…,name2=postgres://…` or a JSON array of {"name","url"|"urlFile","capacity"?} (names: lower-case letters, digits, _ and -)',
}).refine((env) => s3KeyPairRule.check(env), {
  // Issue 10, files.
  path: s3KeyPairRule.path,
  message: s3KeyPairRule.message,
}).refine((env) => parseOrigins(env.TRUSTED_ORIGINS) !== undefined, {
  path: ['TRUSTED_ORIGINS'],
  message: 'must be a comma-separated list of origins such as https://app.example.com (scheme, host and optional port only)',
});

/** `https://a.example, http://b.example:8080` → normalised origins; undefined when one is not an origin. */
function parseOrigins(list: string): string[] | undefined {
  const origins: string[] = [];
  for (const item of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    try {
      const url = new URL(item);
      if (!/^https?:$/.test(url.protocol) || url.origin !== item.replace(/\/$/, '')) return undefined;
      origins.push(url.origin);
    } catch {
      return undefined;
    }
  }
  return origins;
}

/**
 * Issue 8, ops-servers: one PostgreSQL server tenants may live on. The URL (with the credentials of a
 * CREATEDB CREATEROLE role) comes from configuration, inline or from a file such as a Docker secret,
 * never from the control database: `tenant_servers` holds only name, capacity and status.
 */
export interface TenantServerConfig {
  name: string;
  url?: string;
  urlFile?: string;
  capacity?: number;
}

const tenantServerSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/),
    url: z.string().regex(/^postgres(ql)?:\/\//).optional(),
    urlFile: z.string().min(1).optional(),
    capacity: z.number().int().positive().optional(),
  })
  .strict();

/** `a=postgres://…,b=postgres://…` or JSON; undefined when malformed or a name repeats. */
export function parseTenantServers(text: string): TenantServerConfig[] | undefined {
  const trimmed = text.trim();
  if (!trimmed) return [];
  let items: unknown;
  if (trimmed.startsWith('[')) {
    try {
      items = JSON.parse(trimmed);
    } catch {
      return undefined;
    }
  } else {
    items = trimmed.split(',').map((pair) => {
      const at = pair.indexOf('=');
      return { name: pair.slice(0, at).trim(), url: pair.slice(at + 1).trim() };
    });
  }
  const parsed = z.array(tenantServerSchema).safeParse(items);
  if (!parsed.success) return undefined;
  const servers = parsed.data;
  if (new Set(servers.map((s) => s.name)).size !== servers.length) return undefined;
  // Every server but `default` (DATABASE_URL's unless given) needs a way to reach it.
  if (servers.some((s) => s.name !== 'default' && !s.url && !s.urlFile)) return undefined;
  return servers;
}

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
  /** Issue 14, perf: DB_PREPARED_STATEMENTS (api/src/tenancy/typed-sql.ts). */
  preparedStatements: boolean;
  webDistDir: string | undefined;
  /** How many reverse proxies in front of us to believe X-Forwarded-For from (0: none). */
  trustProxyHops: number;
  // Issue 5, per-tenant database roles and start-up.
  /** Master key for derived database role passwords. Undefined until start-up decides (RSM_SECRET_KEY or RSM_DATA_DIR). */
  secretKey: string | undefined;
  /** True when EMBEDDED_PG_PORT was set: a taken port is then an error instead of a reason to pick another. */
  embeddedPgPortExplicit: boolean;
  // --- issue 5, HTTP edges ---
  /** Origins besides our own allowed to make unsafe requests (a separately hosted web app). */
  trustedOrigins: string[];
  http: { requestTimeoutMs: number; headersTimeoutMs: number; keepAliveTimeoutMs: number; connectionTimeoutMs: number };
  /** METRICS_PORT: /metrics on its own listener (0: any free port); METRICS_TOKEN: bearer token on the main port. */
  metrics: { port: number | undefined; token: string | undefined };
  apiDocs: boolean;
  /** Rate limits (issue 5); a limit of 0 is off. See api/src/rate-limit/. */
  rateLimit: {
    /** Where counters live: this process, or the control database (shared by every instance). */
    store: 'memory' | 'postgres';
    login: {
      /** Consecutive failures for one account from one IP before the growing delay starts. */
      failuresPerAccountIp: number;
      /** Failures for one account from any IP (IPs the account logged in from before are exempt). */
      failuresPerAccount: number;
      /** Failures from one IP across all accounts. */
      failuresPerIp: number;
      /** The first delay; it doubles with each further failure, up to maxDelaySeconds. */
      delaySeconds: number;
      maxDelaySeconds: number;
    };
    registerPerIpPerHour: number;
    verificationResendPerUserPerHour: number;
    // Issue 7, accounts-mail.
    passwordResetPerIpPerHour: number;
    passwordResetPerEmailPerHour: number;
    passwordResetConfirmPerIpPerHour: number;
    passwordChangePerUserPerHour: number;
    apiPerUserPerMinute: number;
    apiPerIpPerMinute: number;
    // Issue 7, accounts-access.
    invitesPerUserPerHour: number;
    invitesPerIpPerHour: number;
    inviteAcceptPerIpPerHour: number;
    switchPerUserPerHour: number;
    switchPerIpPerHour: number;
  };
  /** Issue 7, accounts-access: how long an invitation link works (once). */
  invites: { ttlMs: number };
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
  /**
   * Outgoing mail (issue 7, accounts-mail): SMTP when smtpUrl is set; otherwise each message is written
   * to outboxDir as an .eml file (none when undefined: tests without an outbox). logLinks: whether log
   * lines may carry recipients and links (with their one-time tokens); off in production.
   */
  mail: { smtpUrl: string | undefined; from: string; outboxDir: string | undefined; logLinks: boolean };
  /** Issue 7, accounts-mail: password reset links. */
  passwordReset: { tokenTtlMs: number };
  jobs: { enabled: boolean; maintenanceCron: string };
  /** Issue 9, bookings: seconds between a worker's fetches of due jobs (pg-boss pollingIntervalSeconds, >= 0.5). */
  jobPolling: { intervalSeconds: number };
  // --- issue 8, ops-deploy ---
  /** After SIGTERM, how long in-flight HTTP requests get to finish before their connections are closed. */
  shutdownTimeoutMs: number;
  /** How often pg-boss refreshes its per-queue counts (the job queue metrics) and supervises its queues. */
  jobsMonitorIntervalSeconds: number;
  /** The release this instance runs (the image tag), shown in rsm_build_info. */
  release: string;
  // --- end of ops-deploy ---
  /**
   * Issue 8, ops-servers. servers: TENANT_SERVERS (`default` is DATABASE_URL's server unless listed with a URL);
   * registryWatchMs: how often open tenant pools are checked against the registry (server, status,
   * schema version), 0 off; moveGraceMs: how long a moved tenant's old database is kept.
   */
  tenantServers: { servers: TenantServerConfig[]; registryWatchMs: number; moveGraceMs: number };
  /** Issue 8, ops-cli: whether start-up migrates the tenants that are behind (the template always is). */
  migrateOnStart: boolean;
  /** Issue 8, ops-finish: RSM_DEMO, start-up seeds the demo studio (`rsm seed --demo`) when there is no studio yet. */
  demoOnFirstStart: boolean;
  /** Issue 10, files: see FilesConfig. */
  files: FilesConfig;
  /** Issue 11: the studio's own subscription, see SubscriptionConfig. */
  subscription: SubscriptionConfig;
  /** Issue 11, stripe: see StripeConfig. */
  stripe: StripeConfig;
  /** Issue 12: the client portal, see PortalConfig. */
  portal: PortalConfig;
  /** Issue 12, bookreq: how long before a session its door code shows in the portal. */
  portalBookings: { accessCodeReleaseMs: number };
  /**
   * Issue 13, realtime: notification streams. keepaliveSeconds: a comment (and a session re-check and re-read)
   * this often; maxStreamsPerUser: open streams per user per instance (429 beyond); retryMs: the `retry:` hint.
   */
  sse: { keepaliveSeconds: number; maxStreamsPerUser: number; retryMs: number };
  /** Issue 13, perf: Redis for the notification bus (pub/sub); undefined: LISTEN/NOTIFY on the control database. */
  redisUrl: string | undefined;
  /** Issue 13, webhooks: see WebhooksConfig. */
  webhooks: WebhooksConfig;
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
    preparedStatements: env.DB_PREPARED_STATEMENTS, // issue 14, perf
    webDistDir: env.WEB_DIST_DIR,
    trustProxyHops: env.TRUST_PROXY,
    // Issue 5, per-tenant database roles and start-up.
    secretKey: env.RSM_SECRET_KEY,
    embeddedPgPortExplicit: source.EMBEDDED_PG_PORT !== undefined && source.EMBEDDED_PG_PORT !== '',
    trustedOrigins: parseOrigins(env.TRUSTED_ORIGINS) ?? [],
    http: {
      requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
      headersTimeoutMs: env.HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: env.KEEP_ALIVE_TIMEOUT_MS,
      connectionTimeoutMs: env.CONNECTION_TIMEOUT_MS,
    },
    metrics: { port: env.METRICS_PORT, token: env.METRICS_TOKEN },
    apiDocs: env.API_DOCS,
    rateLimit: {
      store: env.RATE_LIMIT_STORE,
      login: {
        failuresPerAccountIp: env.RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT_IP,
        failuresPerAccount: env.RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT,
        failuresPerIp: env.RATE_LIMIT_LOGIN_FAILURES_PER_IP,
        delaySeconds: env.RATE_LIMIT_LOGIN_DELAY_SECONDS,
        maxDelaySeconds: env.RATE_LIMIT_LOGIN_MAX_DELAY_SECONDS,
      },
      registerPerIpPerHour: env.RATE_LIMIT_REGISTER_PER_IP_PER_HOUR,
      verificationResendPerUserPerHour: env.RATE_LIMIT_VERIFICATION_RESEND_PER_USER_PER_HOUR,
      passwordResetPerIpPerHour: env.RATE_LIMIT_PASSWORD_RESET_PER_IP_PER_HOUR,
      passwordResetPerEmailPerHour: env.RATE_LIMIT_PASSWORD_RESET_PER_EMAIL_PER_HOUR,
      passwordResetConfirmPerIpPerHour: env.RATE_LIMIT_PASSWORD_RESET_CONFIRM_PER_IP_PER_HOUR,
      passwordChangePerUserPerHour: env.RATE_LIMIT_PASSWORD_CHANGE_PER_USER_PER_HOUR,
      apiPerUserPerMinute: env.RATE_LIMIT_API_PER_USER_PER_MINUTE,
      apiPerIpPerMinute: env.RATE_LIMIT_API_PER_IP_PER_MINUTE,
      // Issue 7, accounts-access.
      invitesPerUserPerHour: env.RATE_LIMIT_INVITES_PER_USER_PER_HOUR,
      invitesPerIpPerHour: env.RATE_LIMIT_INVITES_PER_IP_PER_HOUR,
      inviteAcceptPerIpPerHour: env.RATE_LIMIT_INVITE_ACCEPT_PER_IP_PER_HOUR,
      switchPerUserPerHour: env.RATE_LIMIT_SWITCH_PER_USER_PER_HOUR,
      switchPerIpPerHour: env.RATE_LIMIT_SWITCH_PER_IP_PER_HOUR,
    },
    invites: { ttlMs: env.INVITE_TTL_HOURS * 3_600_000 },
    // Issue 5, sign-up protection and background jobs.
    signup: {
      publicUrl: env.PUBLIC_URL?.replace(/\/$/, ''),
      unverifiedUsableMs: env.UNVERIFIED_STUDIO_DAYS * 86_400_000,
      unverifiedGraceMs: env.UNVERIFIED_STUDIO_GRACE_DAYS * 86_400_000,
      verificationTokenTtlMs: env.EMAIL_VERIFICATION_TOKEN_HOURS * 3_600_000,
    },
    // Issue 7, accounts-mail. Without SMTP_URL, mail lands in RSM_DATA_DIR/mail as .eml files, where a
    // developer (or the e2e suite) opens the links; tests get no outbox unless they ask for one.
    mail: {
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM ?? 'no-reply@localhost',
      outboxDir: env.MAIL_OUTBOX_DIR ?? (env.SMTP_URL === undefined && env.NODE_ENV !== 'test' ? join(env.RSM_DATA_DIR, 'mail') : undefined),
      logLinks: env.NODE_ENV !== 'production',
    },
    passwordReset: { tokenTtlMs: env.PASSWORD_RESET_TOKEN_MINUTES * 60_000 },
    jobs: { enabled: env.JOBS_ENABLED, maintenanceCron: env.JOBS_MAINTENANCE_CRON },
    // Issue 9, bookings.
    jobPolling: { intervalSeconds: env.JOBS_POLL_INTERVAL_SECONDS },
    // Issue 8, ops-deploy.
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    jobsMonitorIntervalSeconds: env.JOBS_MONITOR_INTERVAL_SECONDS,
    release: env.RSM_RELEASE,
    // Issue 8, ops-servers.
    tenantServers: {
      servers: parseTenantServers(env.TENANT_SERVERS) ?? [],
      registryWatchMs: env.TENANT_REGISTRY_WATCH_MS,
      moveGraceMs: env.TENANT_MOVE_GRACE_HOURS * 3_600_000,
    },
    // Issue 8, ops-cli.
    migrateOnStart: env.MIGRATE_ON_START,
    // Issue 8, ops-finish.
    demoOnFirstStart: env.RSM_DEMO,
    // Issue 10, files.
    files: filesConfig(env),
    // Issue 11, the studio's own subscription.
    subscription: subscriptionConfig(env),
    // Issue 11, stripe.
    stripe: stripeConfig(env),
    // Issue 12, portal.
    portal: portalConfig(env, secure),
    // Issue 12, bookreq.
    portalBookings: { accessCodeReleaseMs: env.PORTAL_ACCESS_CODE_RELEASE_HOURS * 3_600_000 },
    // Issue 13, realtime.
    sse: { keepaliveSeconds: env.SSE_KEEPALIVE_SECONDS, maxStreamsPerUser: env.SSE_MAX_STREAMS_PER_USER, retryMs: env.SSE_RETRY_MS },
    // Issue 13, perf.
    redisUrl: env.REDIS_URL,
    // Issue 13, webhooks.
    webhooks: webhooksConfig(env),
  };
}

/** DI token for the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
