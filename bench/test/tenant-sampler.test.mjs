import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32, permutation, studiosHoldingShare, tenantSampler, zipfProbabilities } from '../lib/tenant-sampler.mjs';

const draw = (sampler, count) => Array.from({ length: count }, () => sampler.next());
const counts = (values, n) => {
  const c = new Array(n).fill(0);
  for (const v of values) c[v]++;
  return c;
};

test('the PRNG and both samplers are deterministic for a seed, and differ between seeds', () => {
  assert.deepEqual(draw({ next: mulberry32(7) }, 5), draw({ next: mulberry32(7) }, 5));
  for (const distribution of ['uniform', 'zipf']) {
    const a = draw(tenantSampler({ n: 1000, distribution, seed: 42 }), 500);
    assert.deepEqual(a, draw(tenantSampler({ n: 1000, distribution, seed: 42 }), 500));
    assert.notDeepEqual(a, draw(tenantSampler({ n: 1000, distribution, seed: 43 }), 500));
  }
});

test('zipf probabilities fall as 1/k^s and sum to 1', () => {
  const p = zipfProbabilities(1000, 1.1);
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  assert.ok(Math.abs(p[0] / p[1] - 2 ** 1.1) < 1e-9);
  assert.ok(Math.abs(p[0] / p[9] - 10 ** 1.1) < 1e-9);
  assert.deepEqual(zipfProbabilities(4, 0), [0.25, 0.25, 0.25, 0.25]);
  assert.throws(() => zipfProbabilities(0, 1), /positive integer/);
});

test('the zipf sampler draws each rank at its probability (the most popular studios within a few %)', () => {
  const n = 1000;
  const sampler = tenantSampler({ n, distribution: 'zipf', s: 1.1, seed: 3 });
  const draws = 200_000;
  const c = counts(draw(sampler, draws), n);
  const p = zipfProbabilities(n, 1.1);
  for (let rank = 0; rank < 5; rank++) {
    const studio = permutation(n, 3)[rank];
    assert.equal(sampler.rankOf(studio), rank);
    const expected = p[rank] * draws;
    // 4 standard deviations of a binomial: fails on a wrong exponent or an off-by-one rank.
    assert.ok(Math.abs(c[studio] - expected) < 4 * Math.sqrt(expected), `rank ${rank + 1}: ${c[studio]} vs ${expected.toFixed(0)}`);
  }
  // The skew: with s = 1.1 a small head takes most of the traffic.
  const sorted = [...c].sort((a, b) => b - a);
  const head = sorted.slice(0, studiosHoldingShare(n, 1.1, 0.5)).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(head / draws - 0.5) < 0.02, `head share ${head / draws}`);
});

test('the uniform sampler spreads evenly and reaches every studio', () => {
  const n = 1000;
  const c = counts(draw(tenantSampler({ n, distribution: 'uniform', seed: 9 }), 100_000), n);
  assert.ok(c.every((x) => x > 0));
  const max = Math.max(...c);
  const min = Math.min(...c);
  assert.ok(max < 100 + 4 * 10 * 1.5 && min > 100 - 4 * 10 * 1.5, `min ${min} max ${max}`);
});

test('the rank permutation is a permutation', () => {
  const order = permutation(1000, 5);
  assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
  assert.throws(() => tenantSampler({ n: 3, distribution: 'pareto' }), /unknown distribution/);
});
