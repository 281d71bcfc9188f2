// `npm test`'s order of test files. Jest runs the files it timed slowest first, but a fresh clone (CI)
// has no timings and falls back to file size: a 100-second suite could then start last and leave the
// other worker idle at the end. The suites known to take longest (measured on 2 cores) go first;
// everything else keeps Jest's own order.
const Sequencer = require('@jest/test-sequencer').default;

const SLOWEST_FIRST = [
  'test/cli-migrate.e2e-spec.ts',
  'test/authorization-matrix.e2e-spec.ts',
  'test/tenancy-isolation.e2e-spec.ts',
  'test/start.e2e-spec.ts',
  'test/cli-output.e2e-spec.ts',
  'test/start-demo.e2e-spec.ts',
  'test/file-peaks.e2e-spec.ts',
  'test/bookings-holds.e2e-spec.ts',
  'test/fuzz.e2e-spec.ts',
];

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const rank = (test) => {
      const i = SLOWEST_FIRST.findIndex((suffix) => test.path.endsWith(suffix));
      return i < 0 ? SLOWEST_FIRST.length : i;
    };
    const byJest = super.sort(tests);
    const order = new Map(byJest.map((test, i) => [test, i]));
    return [...byJest].sort((a, b) => rank(a) - rank(b) || order.get(a) - order.get(b));
  }
}

module.exports = SlowFirstSequencer;
