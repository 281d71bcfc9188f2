import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const loader = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../lib/cookie-load.mjs');
const dir = mkdtempSync(path.join(os.tmpdir(), 'rsm-cookie-load-test-'));
let server;
let url;
let leakFrom; // when set, this tenant's answers carry tenant 0's rows (the bug the check must catch)

before(async () => {
  server = createServer((req, res) => {
    const asked = req.headers['x-tenant'];
    const tenant = asked === leakFrom ? 'tenant-0.' : asked;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ items: [{ tenant }, { tenant }] }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${server.address().port}/`;
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function load(spec) {
  const file = path.join(dir, `${Math.random()}.json`);
  const values = Array.from({ length: 50 }, (_, i) => `tenant-${i}.`);
  writeFileSync(file, JSON.stringify({ url, header: 'x-tenant', values, namePrefixes: values, checkField: 'tenant', connections: 4, duration: 1, checkEvery: 1, seed: 1, ...spec }));
  const { stdout } = await promisify(execFile)(process.execPath, [loader, file]);
  return JSON.parse(stdout.trim().split('\n').pop());
}

test('each request carries the drawn tenant, and every checked answer matches it', async () => {
  leakFrom = undefined;
  const r = await load({ distribution: 'uniform' });
  assert.ok(r.requests > 0 && r.checked > 0);
  assert.equal(r.mismatches, 0);
  assert.equal(r.studiosTouched, 50);
});

test("an answer holding another tenant's rows is counted as a mismatch", async () => {
  leakFrom = 'tenant-7.';
  const r = await load({ distribution: 'uniform' });
  assert.ok(r.mismatches > 0, JSON.stringify(r));
  assert.equal(r.examples[0].studio, 7);
  assert.deepEqual(r.examples[0].got, ['tenant-0.', 'tenant-0.']);
});

test("'single' sends every request to the first tenant", async () => {
  leakFrom = undefined;
  const r = await load({ distribution: 'single' });
  assert.equal(r.studiosTouched, 1);
  assert.equal(r.busiestStudioShare, 1);
});
