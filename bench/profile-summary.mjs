#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (node --cpu-prof) by where the time goes: self time per package (or
// node internal / garbage collection / idle), and the inclusive share of a few named parts of the
// request path. Used for BENCHMARKS.md's profile summaries (issue 14).
//   node bench/profile-summary.mjs <file.cpuprofile> [top] [--timeline] [--from S --to S]
// --timeline prints the busy share of each second of the profile; --from/--to (seconds since the
// profile started) keep only that window, e.g. the app's own timed run: a whole-process profile also
// holds start-up, seeding and the time the app idles while the bench drives the other targets,
// which dilutes the per-request shares.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: { timeline: { type: 'boolean' }, from: { type: 'string' }, to: { type: 'string' } },
});
const [file, topArg] = positionals;
if (!file) {
  console.error('usage: profile-summary.mjs <file.cpuprofile> [top] [--timeline] [--from S --to S]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
// Shares are of the busy samples: the app idles while the bench drives the other targets.
const idleIds = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
// When each sample was taken, in seconds since the profile started (timeDeltas are µs between samples).
const sampleSeconds = [];
let clock = 0;
for (const delta of profile.timeDeltas) sampleSeconds.push((clock += delta) / 1e6);
if (options.timeline) {
  const perSecond = [];
  profile.samples.forEach((id, i) => {
    const second = (perSecond[Math.floor(sampleSeconds[i])] ??= { busy: 0, all: 0 });
    second.all++;
    if (!idleIds.has(id)) second.busy++;
  });
  console.log('busy share per second (choose --from/--to from these):');
  perSecond.forEach((s, second) => s && console.log(`  ${String(second).padStart(4)} s  ${((100 * s.busy) / s.all).toFixed(0).padStart(3)} %`));
}
const from = Number(options.from ?? -Infinity);
const to = Number(options.to ?? Infinity);
if (Number.isNaN(from) || Number.isNaN(to) || from >= to) throw new Error('--from and --to are seconds, --from below --to');
const busy = profile.samples.filter((id, i) => !idleIds.has(id) && sampleSeconds[i] >= from && sampleSeconds[i] < to);
const total = busy.length;
const self = new Map();
for (const id of busy) self.set(id, (self.get(id) ?? 0) + 1);

/** The package (or bucket) a frame belongs to. */
function bucket(frame) {
  const { url, functionName } = frame.callFrame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return '(program)';
  if (!url) return 'node internals / native';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.includes('/api/dist/')) return `app: ${url.split('/api/dist/')[1].split('/')[0]}`;
  return url;
}
const byBucket = new Map();
for (const [id, count] of self) {
  const b = bucket(nodes.get(id));
  byBucket.set(b, (byBucket.get(b) ?? 0) + count);
}
const pct = (n) => `${((100 * n) / total).toFixed(1)} %`;
const top = Number(topArg ?? 25);
console.log(`busy samples: ${total} of ${profile.samples.length}${options.from || options.to ? ` (seconds ${options.from ?? 0} to ${options.to ?? 'end'})` : ''}`);
console.log('\nself time by package:');
for (const [b, n] of [...byBucket].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(n).padStart(7)}  ${b}`);

// Inclusive: a sample counts for a package when any frame of its stack belongs to it (once per sample).
const inclusive = new Map();
for (const id of busy) {
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) seen.add(bucket(nodes.get(at)));
  for (const b of seen) inclusive.set(b, (inclusive.get(b) ?? 0) + 1);
}
console.log('\ninclusive (any frame on the stack):');
for (const [b, n] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(n).padStart(7)}  ${b}`);
