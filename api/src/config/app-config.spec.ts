import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('works with no configuration at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, dataDir: '.data', cookie: { secure: false, name: 'rsm_session' } });
    expect(config.session.idleTimeoutMs).toBe(12 * 3_600_000);
    expect(config.session.absoluteTimeoutMs).toBe(7 * 24 * 3_600_000);
  });

  it('makes cookies Secure with the __Host- prefix in production or with COOKIE_SECURE', () => {
    const production = { NODE_ENV: 'production', PUBLIC_URL: 'https://studio.example.com' };
    expect(loadConfig(production).cookie).toEqual({ secure: true, domain: undefined, name: '__Host-rsm_session' });
    expect(loadConfig({ COOKIE_SECURE: 'true' }).cookie.name).toBe('__Host-rsm_session');
    expect(loadConfig({ ...production, COOKIE_SECURE: 'false' }).cookie.name).toBe('rsm_session');
  });

  // Issue 12, portal: its own cookie, scoped to the portal API, so never `__Host-` (which demands Path=/).
  it('names the portal cookie apart from the staff one, __Secure- when cookies are secure', () => {
    expect(loadConfig({}).portal).toMatchObject({ cookieName: 'rsm_portal', cookiePath: '/api/v1/portal', magicLinkTtlMs: 15 * 60_000 });
    expect(loadConfig({ COOKIE_SECURE: 'true' }).portal.cookieName).toBe('__Secure-rsm_portal');
  });

  // Issue 13, webhooks (SSRF): private endpoint addresses are refused unless allowed, whatever NODE_ENV forgot to say.
  it('refuses private webhook addresses by default outside the test suite; WEBHOOKS_ALLOW_PRIVATE_URLS decides when set', () => {
    expect(loadConfig({}).webhooks.allowPrivateUrls).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development' }).webhooks.allowPrivateUrls).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://studio.example.com' }).webhooks.allowPrivateUrls).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).webhooks.allowPrivateUrls).toBe(true);
    expect(loadConfig({ WEBHOOKS_ALLOW_PRIVATE_URLS: 'true' }).webhooks.allowPrivateUrls).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', WEBHOOKS_ALLOW_PRIVATE_URLS: 'false' }).webhooks.allowPrivateUrls).toBe(false);
  });

  it('requires PUBLIC_URL in production, so links in emails never follow a forged Host header', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PUBLIC_URL: is required in production/);
    expect(loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://studio.example.com/' }).signup.publicUrl).toBe('https://studio.example.com');
    expect(loadConfig({}).signup.publicUrl).toBeUndefined();
  });

  it('uses __Secure- when a cookie domain is set (__Host- forbids one)', () => {
    expect(loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://studio.example', COOKIE_DOMAIN: 'studio.example' }).cookie).toEqual({
      secure: true,
      domain: 'studio.example',
      name: '__Secure-rsm_session',
    });
  });

  it('refuses a connection budget smaller than one tenant pool', () => {
    expect(() => loadConfig({ DB_CONNECTION_BUDGET: '2', TENANT_POOL_SIZE: '3' })).toThrow(/DB_CONNECTION_BUDGET: must be at least TENANT_POOL_SIZE/);
  });

  it('rejects bad values in one readable line naming each variable', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', COOKIE_SECURE: 'maybe' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (err) {
      const message = (err as Error).message;
      expect(message.split('\n')).toHaveLength(1);
      expect(message).toMatch(/PORT/);
      expect(message).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
      expect(message).toMatch(/COOKIE_SECURE/);
    }
  });

  it('has production-sensible rate limits by default; 0 turns a limit off, negatives are refused', () => {
    expect(loadConfig({}).rateLimit).toEqual({
      store: 'memory',
      login: { failuresPerAccountIp: 5, failuresPerAccount: 20, failuresPerIp: 50, delaySeconds: 1, maxDelaySeconds: 900 },
      registerPerIpPerHour: 5,
      verificationResendPerUserPerHour: 5,
      passwordResetPerIpPerHour: 10,
      passwordResetPerEmailPerHour: 3,
      passwordResetConfirmPerIpPerHour: 20,
      passwordChangePerUserPerHour: 10,
      apiPerUserPerMinute: 600,
      apiPerIpPerMinute: 300,
      // Issue 7, accounts-access.
      invitesPerUserPerHour: 30,
      invitesPerIpPerHour: 60,
      inviteAcceptPerIpPerHour: 20,
      switchPerUserPerHour: 120,
      switchPerIpPerHour: 300,
    });
    expect(loadConfig({}).invites).toEqual({ ttlMs: 7 * 24 * 3_600_000 });
    expect(loadConfig({ RATE_LIMIT_API_PER_USER_PER_MINUTE: '0' }).rateLimit.apiPerUserPerMinute).toBe(0);
    expect(() => loadConfig({ RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '-1' })).toThrow(/RATE_LIMIT_REGISTER_PER_IP_PER_HOUR/);
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'redis' })).toThrow(/RATE_LIMIT_STORE/);
  });
});

// --- issue 5, HTTP edges ---
describe('loadConfig: HTTP edges', () => {
  it('has documented defaults for timeouts, trusted origins, metrics and API docs', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ requestTimeoutMs: 30_000, headersTimeoutMs: 15_000, keepAliveTimeoutMs: 72_000, connectionTimeoutMs: 60_000 });
    expect(config.trustedOrigins).toEqual([]);
    expect(config.metrics).toEqual({ port: undefined, token: undefined });
    expect(config.apiDocs).toBe(true);
    expect(loadConfig({ API_DOCS: 'false' }).apiDocs).toBe(false);
  });

  it('reads TRUSTED_ORIGINS as a list of normalised origins, and refuses anything that is not an origin', () => {
    expect(loadConfig({ TRUSTED_ORIGINS: 'https://app.example.com, http://localhost:5173/' }).trustedOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    for (const bad of ['app.example.com', 'https://app.example.com/path', 'ftp://files.example', '*']) {
      expect(() => loadConfig({ TRUSTED_ORIGINS: bad })).toThrow(/TRUSTED_ORIGINS/);
    }
  });

  it('refuses a headers timeout longer than the request timeout, and a short metrics token', () => {
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '2000' })).toThrow(/HEADERS_TIMEOUT_MS/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });
});

// --- issue 7, accounts-mail ---
describe('loadConfig: email', () => {
  it('writes .eml files to RSM_DATA_DIR/mail without SMTP_URL, and logs links outside production only', () => {
    expect(loadConfig({ RSM_DATA_DIR: '/srv/rsm' }).mail).toEqual({ smtpUrl: undefined, from: 'no-reply@localhost', outboxDir: '/srv/rsm/mail', logLinks: true });
    expect(loadConfig({ NODE_ENV: 'test' }).mail.outboxDir).toBeUndefined();
    const smtp = loadConfig({ SMTP_URL: 'smtps://user:pass@mail.example.com:465', MAIL_FROM: 'studio@example.com' }).mail;
    expect(smtp).toEqual({ smtpUrl: 'smtps://user:pass@mail.example.com:465', from: 'studio@example.com', outboxDir: undefined, logLinks: true });
    expect(loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://a.example' }).mail.logLinks).toBe(false);
    expect(loadConfig({}).passwordReset).toEqual({ tokenTtlMs: 3_600_000 });
  });

  it('refuses a non-SMTP URL, a bad sender, and SMTP in production without MAIL_FROM', () => {
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.com' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ MAIL_FROM: 'not an address' })).toThrow(/MAIL_FROM/);
    expect(() => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://a.example', SMTP_URL: 'smtp://mail.example.com' })).toThrow(/MAIL_FROM: is required in production/);
  });

  // Issue 10, files.
  it('has a 2 GiB upload limit and a 3-hour upload deadline by default, local storage unless S3_BUCKET is set, and S3 keys only as a pair', () => {
    expect(loadConfig({}).files).toEqual({ maxUploadBytes: 2048 * 1024 * 1024, uploadTimeoutMs: 3 * 60 * 60 * 1000, s3: undefined });
    expect(loadConfig({ MAX_UPLOAD_MB: '5' }).files.maxUploadBytes).toBe(5 * 1024 * 1024);
    expect(() => loadConfig({ MAX_UPLOAD_MB: '0' })).toThrow(/MAX_UPLOAD_MB/);
    const s3 = { S3_BUCKET: 'studio-files', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: 'true' };
    expect(loadConfig(s3).files.s3).toEqual({ endpoint: 'http://127.0.0.1:9000', bucket: 'studio-files', region: 'us-east-1', credentials: undefined, forcePathStyle: true });
    expect(loadConfig({ ...s3, S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret' }).files.s3?.credentials).toEqual({ accessKeyId: 'id', secretAccessKey: 'secret' });
    expect(() => loadConfig({ ...s3, S3_ACCESS_KEY_ID: 'id' })).toThrow(/S3_SECRET_ACCESS_KEY/);
    expect(() => loadConfig({ S3_ENDPOINT: 'not a url' })).toThrow(/S3_ENDPOINT/);
  });
});
