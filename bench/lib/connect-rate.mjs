#!/usr/bin/env node
// PostgreSQL's own ceiling for cold starts (issue 14, many-tenants and cold-tenant; started through lib/bare-connections.mjs), run as its own
// process like the load generator:
//   node connect-rate.mjs <spec.json>   → one JSON line on stdout
// spec: { urls: [a studio's own role on its own database, per studio], distribution: 'uniform' or
// 'zipf', s, seed, connections (workers at once), duration (s) }.
//
// Each operation is the least a cold tenant pool can cost: a new connection as the studio's role to
// its database (fork, authentication, backend start-up), one `SELECT 1`, and the close, awaited until
// the socket is gone (as the app waits before reusing a pool's slot). No app, no TypeORM, no
// verification query: what PostgreSQL on this machine allows at most, measured in the same run as the
// app so that a missed ratio can be read against it.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { tenantSampler } from './tenant-sampler.mjs';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const url of spec.urls) if (new URL(url).hostname !== '127.0.0.1') throw new Error('refusing to connect anywhere but 127.0.0.1');
const sampler = tenantSampler({ n: spec.urls.length, distribution: spec.distribution, s: spec.s, seed: spec.seed });
const latencies = [];
let failures = 0;
const started = performance.now();
const end = started + spec.duration * 1000;

await Promise.all(
  Array.from({ length: spec.connections }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const client = new pg.Client({ connectionString: spec.urls[sampler.next()], application_name: 'rsm-bench-ceiling' });
      try {
        await client.connect();
        await client.query('SELECT 1');
        await client.end();
        latencies.push(performance.now() - t0);
      } catch {
        failures++;
        await client.end().catch(() => undefined);
      }
    }
  }),
);

const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] : NaN);
process.stdout.write(
  `${JSON.stringify({ operations: latencies.length, failures, duration: seconds, perSec: latencies.length / seconds, p50: Math.round(at(0.5)), p99: Math.round(at(0.99)) })}\n`,
);
