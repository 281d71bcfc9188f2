// The built API as the write-path scenarios (client-create, bookings, cold-tenant) drive it: started on a free
// port against the bench's database, a studio signed up, JSON calls with its session cookie.
import { randomBytes } from 'node:crypto';
import { freePort, startChild, stopAllChildren, waitForHttp } from './proc.mjs';

/**
 * One call to the app, as a browser tab would make it (same-origin `origin`, JSON in and out). Throws with
 * the answer's start unless its status is `expect` (when given). `json` parses the body when asked.
 */
export async function call(base, method, urlPath, { body, cookie, expect, headers = {} } = {}) {
  const res = await fetch(new URL(urlPath, base), {
    method,
    headers: { accept: 'application/json', origin: base, ...(body ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (expect && res.status !== expect) throw new Error(`${method} ${urlPath} → ${res.status}: ${text.slice(0, 300)}`);
  return {
    status: res.status,
    headers: res.headers,
    text,
    get json() {
      return text ? JSON.parse(text) : undefined;
    },
  };
}

/** The `cookie` header that sends back every cookie an answer set. */
export function sessionCookie(headers) {
  return headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

/**
 * api/dist/main.js in production mode on a free port, with a fresh secret key and no per-user API rate limit
 * (the load would trip it); `env` adds or overrides settings, `nodeArgs` go before the entry. Resolves once /health/ready answers.
 */
export async function startApp({ appEntry, cwd, databaseUrl, verbose = false, env = {}, nodeArgs = [] }) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = startChild('app', process.execPath, [...nodeArgs, appEntry], {
    cwd,
    echo: verbose,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PUBLIC_URL: base,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      RSM_SECRET_KEY: randomBytes(32).toString('base64url'),
      RATE_LIMIT_API_PER_USER_PER_MINUTE: '0',
      ...env,
    },
  });
  await waitForHttp(`${base}/health/ready`, { timeoutMs: 120_000, child });
  return { base, child };
}

/** Signs up a new studio (names made unique by `stamp`): the register answer and its owner's session cookie. */
export async function registerStudio(base, { studioPrefix = 'Bench', stamp = `${Date.now().toString(36)}${process.pid}` } = {}) {
  const registered = await call(base, 'POST', '/api/v1/auth/register', {
    expect: 201,
    body: { studioName: `${studioPrefix} ${stamp}`, name: 'Bench Owner', email: `owner-${stamp}@bench.example`, password: 'bench-password-123' },
  });
  return { registered, cookie: sessionCookie(registered.headers) };
}

/**
 * Runs a scenario's `main` and exits the process: 1 with the error logged when it threw. Either way the
 * children it started and its database (`stopDatabase`, when it started one) are stopped first.
 */
export async function runScenario(main, { log, stopDatabase }) {
  let code = 0;
  try {
    await main();
  } catch (err) {
    code = 1;
    log(`FAILED: ${err?.stack ?? err}`);
  } finally {
    await stopAllChildren().catch(() => undefined);
    await Promise.resolve()
      .then(stopDatabase)
      .catch(() => undefined);
  }
  process.exit(code);
}
