import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { call, registerStudio, sessionCookie } from '../lib/app.mjs';

// A stand-in for the app: echoes what it was sent, sets two cookies on sign-up.
let server;
let base;
const seen = [];
before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      if (req.url === '/api/v1/auth/register') {
        res.writeHead(201, { 'content-type': 'application/json', 'set-cookie': ['rsm_session=abc; Path=/; HttpOnly', 'rsm_csrf=def; Path=/'] });
        res.end(JSON.stringify({ organization: { id: 'org-1' } }));
      } else if (req.url === '/text') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('plain words');
      } else {
        res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ echoed: body ? JSON.parse(body) : null }));
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((resolve) => server.close(resolve)));

test('call sends JSON from the app’s own origin with the cookie, and reads JSON or text back', async () => {
  const answer = await call(base, 'POST', '/clients', { body: { name: 'A' }, cookie: 'rsm_session=abc', expect: 200 });
  assert.deepEqual(answer.json, { echoed: { name: 'A' } });
  const sent = seen.at(-1);
  assert.equal(sent.headers.origin, base);
  assert.equal(sent.headers['content-type'], 'application/json');
  assert.equal(sent.headers.cookie, 'rsm_session=abc');
  assert.equal((await call(base, 'GET', '/text', { headers: { authorization: 'Bearer t' } })).text, 'plain words');
  assert.equal(seen.at(-1).headers.authorization, 'Bearer t');
});

test('call throws on an unexpected status, naming the request', async () => {
  await assert.rejects(call(base, 'GET', '/missing', { expect: 200 }), /GET \/missing → 404/);
  assert.equal((await call(base, 'GET', '/missing')).status, 404);
});

test('registerStudio signs up a uniquely named studio and returns its session cookie', async () => {
  const { registered, cookie } = await registerStudio(base, { studioPrefix: 'Cold', stamp: 's1' });
  assert.equal(cookie, 'rsm_session=abc; rsm_csrf=def');
  assert.equal(registered.json.organization.id, 'org-1');
  assert.deepEqual(JSON.parse(seen.at(-1).body), { studioName: 'Cold s1', name: 'Bench Owner', email: 'owner-s1@bench.example', password: 'bench-password-123' });
  assert.equal(sessionCookie(new Headers()), '');
});

test('runScenario stops the database and exits 1 when the scenario throws, 0 when it ends', async () => {
  const { execFileSync } = await import('node:child_process');
  const script = (fails) => `
    import { runScenario } from ${JSON.stringify(new URL('../lib/app.mjs', import.meta.url).href)};
    await runScenario(async () => { if (${fails}) throw new Error('planted'); }, {
      log: (m) => process.stdout.write(m.split('\\n')[0] + '\\n'),
      stopDatabase: async () => process.stdout.write('database stopped\\n'),
    });`;
  const run = (fails) => {
    try {
      return { code: 0, out: execFileSync(process.execPath, ['--input-type=module', '-e', script(fails)], { encoding: 'utf8' }) };
    } catch (err) {
      return { code: err.status, out: err.stdout };
    }
  };
  assert.deepEqual(run(false), { code: 0, out: 'database stopped\n' });
  assert.deepEqual(run(true), { code: 1, out: 'FAILED: Error: planted\ndatabase stopped\n' });
});
