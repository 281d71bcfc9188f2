import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { withDatabase } from '../src/database/postgres-url.js';
import { type FuzzOperation, type FuzzRequest, fuzzCases, fuzzOperations } from './support/openapi-fuzz.js';
import { createTestApp, newStudio, registerStudio, type TestApp } from './support/test-app.js';

/**
 * Contract fuzz: malformed requests (fast-check, fixed seed) over every operation of the committed
 * openapi.json, anonymous and as a signed-in owner. Never a 5xx; every 4xx is problem+json with
 * status, title and requestId; every status is one the spec declares for the operation; malformed
 * input an operation validates is rejected; nothing is written by a 4xx (control rows, the studio's
 * clients, databases). `npm test` sends 600 requests (every one of the ~450 kinds of malformation once,
 * then the first ones again in the other mode); `npm run fuzz` sets FUZZ_RUNS=10000.
 */
const SEED = 20260505;
const RUNS = Number(process.env.FUZZ_RUNS ?? 600);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const spec = JSON.parse(readFileSync(resolve(root, 'openapi.json'), 'utf8'));
const operations = fuzzOperations(spec);
const byId = new Map(operations.map((op) => [op.id, op]));

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** One request over a real socket, the target sent byte for byte (supertest would re-encode it). */
function send(port: number, agent: http.Agent, req: FuzzRequest, target: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    let answered = false;
    const outgoing = http.request(
      {
        host: '127.0.0.1',
        port,
        method: req.method,
        path: target,
        agent,
        headers: {
          ...headers,
          ...(req.contentType ? { 'content-type': req.contentType } : {}),
          ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}),
        },
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    // The server may answer (413) and close before a large body is written: the answer is what counts.
    outgoing.on('error', (err) => {
      if (!answered) reject(err);
    });
    outgoing.end(req.body);
  });
}

describe('contract fuzz (fast-check, fixed seed) over every openapi.json operation', () => {
  let t: TestApp;
  let port: number;
  let tenantDb: pg.Client;
  let owner: Awaited<ReturnType<typeof registerStudio>>;
  /** Another studio whose real credentials are the base of the login bodies (so a form login is visible as 200). */
  let other: Awaited<ReturnType<typeof registerStudio>>;
  let cookie: string;
  let clientId: string;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  // A browser's same-origin request: the Origin rule must not stop the fuzz before validation does.
  const sameSite = { 'sec-fetch-site': 'same-origin' };

  const json = async (method: string, path: string, body: unknown, withCookie = true) => {
    const headers: Record<string, string> = { ...sameSite, ...(withCookie ? { cookie } : {}) };
    const outgoing = http.request({ host: '127.0.0.1', port, method, path, agent, headers: { ...headers, 'content-type': 'application/json' } });
    return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }>((ok, fail) => {
      outgoing.on('response', (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined }));
      });
      outgoing.on('error', fail);
      outgoing.end(JSON.stringify(body));
    });
  };
  const logIn = async (attempt = 1): Promise<void> => {
    const res = await json('POST', '/api/v1/auth/login', { email: owner.credentials.email, password: owner.credentials.password }, false);
    if (res.status === 429 && attempt < 5) {
      // Login limits (per IP) may be reached by the fuzz's own login attempts: wait as told.
      await new Promise((r) => setTimeout(r, Math.min(Number(res.headers['retry-after'] ?? 1), 5) * 1000));
      return logIn(attempt + 1);
    }
    if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
    cookie = (res.headers['set-cookie'] as string[]).map((c) => c.split(';')[0]).join('; ');
  };
  const newClient = async () => {
    const res = await json('POST', '/api/v1/clients', { name: `Fuzz target ${Date.now()}` });
    if (res.status !== 201) throw new Error(`create client failed: ${res.status}`);
    clientId = res.body.id;
  };

  const counts = async () => {
    const tables = ['organizations', 'users', 'memberships', 'sessions', 'tenant_databases'];
    const control = await t.control.query(`SELECT ${tables.map((x) => `(SELECT count(*) FROM ${x})::int AS ${x}`).join(', ')}`);
    const clients = await tenantDb.query('SELECT count(*)::int AS clients FROM clients');
    const databases = await t.admin.query(`SELECT count(*)::int AS databases FROM pg_database WHERE datname LIKE $1`, [`${t.config.tenancy.databasePrefix}%`]);
    return { ...control.rows[0], ...clients.rows[0], ...databases.rows[0] } as Record<string, number>;
  };

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    owner = await registerStudio(t, 'Fuzz');
    other = await registerStudio(t, 'Fuzz other');
    const { rows } = await t.control.query(`SELECT database_name FROM tenant_databases WHERE organization_id = $1`, [owner.organizationId]);
    // The test server's superuser (not the app's control role, which may not reach tenant databases).
    tenantDb = new pg.Client({ connectionString: withDatabase(process.env.RSM_TEST_PG_URL!, rows[0].database_name) });
    await tenantDb.connect();
    await logIn();
    for (let i = 0; i < 3; i++) await newClient();
  });
  afterAll(async () => {
    agent.destroy();
    await tenantDb?.end();
    await t?.close();
  });

  it(`answers ${RUNS} malformed requests with 4xx problems that write nothing, never a 5xx`, async () => {
    const validBody = (op: FuzzOperation): Record<string, unknown> => {
      if (op.id === 'login') return { email: other.credentials.email, password: other.credentials.password };
      if (op.id === 'register') return newStudio('Fuzz sign-up');
      return Object.fromEntries(
        Object.entries(op.body!.properties).map(([name, schema]) => [
          name,
          schema.format === 'email' ? `fuzz-${name}@fuzz.test` : (schema.minLength ?? 0) >= 10 ? 'correct horse battery' : `Fuzz ${name}`,
        ]),
      );
    };
    const cases = fuzzCases(operations, { validBody }, RUNS, SEED);

    const failures: Array<{ group: string; example: string }> = [];
    let before = await counts();
    for (const [mode, req] of cases) {
      const op = byId.get(req.operation)!;
      const target = req.target.replace('{{id}}', clientId);
      const headers = { ...sameSite, ...(mode === 'owner' ? { cookie } : {}) };
      const mustReject = req.mustReject || (mode === 'anonymous' && !op.isPublic);
      const where = `${mode} ${req.method} ${op.path} [${req.kind}]`;
      const fail = (why: string, answer?: Answer) =>
        failures.push({
          group: `${where} → ${why}`,
          example: `${mode} ${req.method} ${target.slice(0, 100)}${target.length > 100 ? '…' : ''} body=${(req.body ?? '').slice(0, 80)} → ${answer ? `${answer.status} ${answer.contentType} ${answer.text.slice(0, 160)}` : why}`,
        });

      let answer: Answer;
      try {
        answer = await send(port, agent, req, target, headers);
      } catch (err) {
        fail(`no answer (${(err as NodeJS.ErrnoException).code ?? err})`);
        continue;
      }
      const { status } = answer;
      // FUZZ_DEBUG=<text>: print every answer whose case label contains <text>.
      if (process.env.FUZZ_DEBUG && where.includes(process.env.FUZZ_DEBUG)) console.log(where, answer.status, answer.text.slice(0, 200));
      if (status >= 500) fail(`${status}`, answer);
      if (status >= 400) {
        let problem: Record<string, unknown> = {};
        try {
          problem = JSON.parse(answer.text);
        } catch {
          // reported below as not a problem
        }
        const isProblem =
          answer.contentType.startsWith('application/problem+json') &&
          problem.status === status &&
          typeof problem.title === 'string' &&
          typeof problem.requestId === 'string' &&
          (problem.requestId as string).length > 0;
        if (!isProblem) fail(`${status} is not a problem+json with status/title/requestId`, answer);
      }
      if (!op.statuses.has(status)) fail(`${status} is not declared in openapi.json`, answer);
      if (mustReject && status < 400) fail(`accepted (${status})`, answer);

      const after = await counts();
      if (status >= 400 && JSON.stringify(after) !== JSON.stringify(before)) {
        fail(`${status} but rows changed ${JSON.stringify(before)} → ${JSON.stringify(after)}`, answer);
      }
      // Keep the owner able to act: a login or logout that got through replaced or ended the session,
      // a delete that got through removed the client the ids point at.
      if (status < 300 && ['login', 'logout', 'register'].includes(op.id) && mode === 'owner') await logIn();
      if (status < 300 && op.id === 'deleteClient' && mode === 'owner') await newClient();
      before = await counts();
    }

    const groups = new Map<string, string[]>();
    for (const f of failures) groups.set(f.group, [...(groups.get(f.group) ?? []), f.example]);
    if (groups.size) {
      console.log(
        `${failures.length} of ${cases.length} requests failed (seed ${SEED}):\n` +
          [...groups].map(([group, examples]) => `- ${group} (×${examples.length})\n    e.g. ${examples[0]}`).join('\n'),
      );
    }
    expect([...groups.keys()]).toEqual([]);
  }, 60_000 + RUNS * 200);
});
