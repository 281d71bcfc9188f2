// Used only by `npm run mutate` (api/stryker.config.mjs), never by `npm test`.
//
// Runs a scope's test files in the order the scope lists them (unit specs and matched globs first),
// not Jest's default of slowest first: with mutate-bail-environment.cjs a mutant is killed by the
// first failing test, so the fast, targeted files go first.
const Sequencer = require('@jest/test-sequencer').default;

class ScopeOrderSequencer extends Sequencer {
  sort(tests) {
    const rank = (test) => test.context.config.testMatch.indexOf(test.path);
    return [...tests].sort((a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : 1));
  }
}

module.exports = ScopeOrderSequencer;
