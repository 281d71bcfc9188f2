// Which studio the next request goes to (issue 14, many-tenants): uniform or Zipf-skewed over n studios,
// from a seeded PRNG so that two runs (and the app and a baseline) see the same sequence. Pure; unit-tested
// in test/tenant-sampler.test.mjs.

/** mulberry32: a tiny, fast 32-bit PRNG; returns floats in [0, 1). Deterministic for a seed. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Zipf probabilities of ranks 1 … n with exponent s (rank k ∝ 1 / k^s), as an array summing to 1. */
export function zipfProbabilities(n, s) {
  if (!(n >= 1) || !Number.isInteger(n)) throw new Error(`n must be a positive integer, got ${n}`);
  if (!(s >= 0)) throw new Error(`s must be ≥ 0, got ${s}`);
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

/** A seeded permutation of 0 … n-1 (Fisher–Yates): which studio holds which popularity rank. */
export function permutation(n, seed) {
  const random = mulberry32(seed ^ 0x9e3779b9);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/**
 * `next()` → a studio index in 0 … n-1. `distribution`: 'uniform', or 'zipf' with exponent `s`
 * (ranks assigned to studios by a seeded permutation, so the most popular studio is not simply the
 * first one created). Zipf draws by binary search over the cumulative distribution: O(log n).
 */
export function tenantSampler({ n, distribution, s = 1.1, seed = 1 }) {
  const random = mulberry32(seed);
  if (distribution === 'uniform') return { next: () => Math.floor(random() * n) };
  if (distribution !== 'zipf') throw new Error(`unknown distribution ${distribution}`);
  const probabilities = zipfProbabilities(n, s);
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += probabilities[i];
  cdf[n - 1] = 1; // no rounding gap at the top
  const studioOfRank = permutation(n, seed);
  return {
    next() {
      const u = random();
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      return studioOfRank[lo];
    },
    rankOf: (studio) => studioOfRank.indexOf(studio),
  };
}

/** How many of `n` studios hold `share` (e.g. 0.8) of the draws under Zipf(s): the skew in one number. */
export function studiosHoldingShare(n, s, share) {
  const probabilities = zipfProbabilities(n, s);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += probabilities[i];
    if (sum >= share) return i + 1;
  }
  return n;
}
