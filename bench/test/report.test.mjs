import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median, renderMarkdown, summarize } from '../lib/report.mjs';

const run = (requestsPerSec, p50, p99) => ({
  requestsPerSec, p50, p99, latencyAvg: p50 + 1, requests: requestsPerSec * 10, non2xx: 0, errors: 0,
});

test('median of odd and even counts', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('summarize takes each figure’s median independently', () => {
  assert.deepEqual(summarize([run(100, 9, 30), run(300, 5, 20), run(200, 7, 90)]), { requestsPerSec: 200, p50: 7, p99: 30 });
});

test('renderMarkdown has the summary table, the ratio and every raw run', () => {
  const md = renderMarkdown({
    date: '2026-01-01T00:00:00.000Z',
    machine: { cpus: 2, cpuModel: 'Test CPU', os: 'Linux', node: 'v20.20.2', postgres: '17.10', loadBefore: 0.25 },
    method: { connections: 20, duration: 10, runs: 3, warmup: 5, clients: 200, limit: 20, pgSource: 'embedded' },
    targets: [
      { key: 'app', label: 'app', runs: [run(1000, 18, 40), run(1100, 17, 38), run(900, 20, 45)] },
      { key: 'baseline', label: 'baseline', runs: [run(2000, 9, 20), run(2200, 8, 19), run(1800, 10, 22)] },
    ],
    notes: ['a note'],
  });
  assert.match(md, /^# Benchmarks\n/);
  assert.match(md, /\| app \| 1,000 \| 18\.0 ms \| 40\.0 ms \|/);
  assert.match(md, /\| baseline \| 2,000 \| 9\.00 ms \| 20\.0 ms \|/);
  assert.match(md, /\*\*0\.50×\*\*/);
  assert.equal(md.match(/^\| (app|baseline) \| \d \|/gm).length, 6);
  assert.match(md, /PostgreSQL: 17\.10/);
  assert.match(md, /load average when the bench started: 0\.25/);
  assert.match(md, /- a note\n$/);
});
