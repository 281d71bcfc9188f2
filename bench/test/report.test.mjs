import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median, summarize } from '../lib/report.mjs';

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
