import { z } from 'zod';
import { bool, limit, positiveInt } from './env-values.js';
import { filesEnv, s3KeyPairRule } from './files-config.js';
import { stripeEnv } from './stripe-config.js';
import { portalEnv } from './portal-config.js'; // issue 12, portal
import { webhooksEnv } from './webhooks-config.js'; // issue 13, webhooks
import { subscriptionEnv } from './subscription-config.js';

// The environment's schema and the parsers of its list-valued variables; app-config.ts turns a parsed
// environment into AppConfig.
/** Every environment variable the API reads, with its default. README's configuration table mirrors this. */
export const envSchema = z.object({
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
export function parseOrigins(list: string): string[] | undefined {
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
