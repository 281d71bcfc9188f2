#!/usr/bin/env node
// Load with a different session cookie on each request (issue 14, many-tenants), run as its own process:
//   node cookie-load.mjs <spec.json>   → one JSON line on stdout
// spec: { url, cookies: [cookie per studio], namePrefixes: [prefix every client name of studio i starts
// with], distribution: 'uniform' | 'zipf' | 'single', s, seed, connections, duration, checkEvery }; for
// another per-tenant header than the cookie: header (e.g. 'x-tenant') with values in place of cookies,
// and checkField, the item field the prefix is checked on (default 'name').
//
// Why autocannon's programmatic API (a one-entry `requests` array whose `setupRequest` picks the next
// studio) and not a hand-written loop: it is the same load generator, on the same keep-alive
// connections with the same HDR histogram, as every other section of BENCHMARKS.md, so the figures
// compare; the per-request work it adds is one sampler draw and one header object. The process is
// separate from the app (as the CLI runs elsewhere) so sampling and checking never cost the app CPU
// directly. `onResponse` checks every `checkEvery`-th answer: a studio's own rows only (each studio's
// clients carry its distinctive prefix), the studio being the one whose cookie the connection sent
// (the connection's context, one request in flight per connection).
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { summarizeAutocannon } from './autocannon.mjs';
import { tenantSampler } from './tenant-sampler.mjs';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
if (new URL(spec.url).hostname !== '127.0.0.1') throw new Error(`refusing to load anything but 127.0.0.1: ${spec.url}`);
const header = spec.header ?? 'cookie';
const values = spec.values ?? spec.cookies;
const checkField = spec.checkField ?? 'name';
const n = values.length;
const sampler = spec.distribution === 'single' ? { next: () => 0 } : tenantSampler({ n, distribution: spec.distribution, s: spec.s, seed: spec.seed });
const checkEvery = spec.checkEvery ?? 10;
const touched = new Uint32Array(n);
const check = { checked: 0, mismatches: 0, examples: [] };
let seen = 0;

const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.duration,
  timeout: 10,
  requests: [
    {
      method: 'GET',
      setupRequest(request, context) {
        const studio = sampler.next();
        context.studio = studio;
        touched[studio]++;
        return { ...request, headers: { accept: 'application/json', [header]: values[studio] } };
      },
      onResponse(status, body, context) {
        if (status !== 200 || seen++ % checkEvery) return;
        check.checked++;
        const prefix = spec.namePrefixes[context.studio];
        let names;
        try {
          names = JSON.parse(body).items.map((c) => String(c[checkField]));
        } catch {
          names = [`<unparsable ${String(body).slice(0, 80)}>`];
        }
        if (names.length === 0 || names.some((name) => !name.startsWith(prefix))) {
          check.mismatches++;
          if (check.examples.length < 3) check.examples.push({ studio: context.studio, expected: prefix, got: names.slice(0, 3) });
        }
      },
    },
  ],
});

let distinct = 0;
let top = 0;
for (const c of touched) {
  if (c) distinct++;
  if (c > top) top = c;
}
process.stdout.write(
  `${JSON.stringify({
    ...summarizeAutocannon(result),
    studiosTouched: distinct,
    busiestStudioShare: top / Math.max(1, touched.reduce((a, b) => a + b, 0)),
    ...check,
  })}\n`,
);
