import { join } from 'node:path';
import { type Env, envSchema, parseOrigins, parseTenantServers, type TenantServerConfig } from './env-schema.js';
import { type FilesConfig, filesConfig } from './files-config.js';
import { type StripeConfig, stripeConfig } from './stripe-config.js';
import { type PortalConfig, portalConfig } from './portal-config.js'; // issue 12, portal
import { type WebhooksConfig, webhooksConfig } from './webhooks-config.js'; // issue 13, webhooks
import { type SubscriptionConfig, subscriptionConfig } from './subscription-config.js';

// Importers keep reading these from app-config.js.
export type { S3StorageConfig } from './files-config.js';
export { parseStripeApiBase, type StripeConfig } from './stripe-config.js';
export type { TenantServerConfig } from './env-schema.js';

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
