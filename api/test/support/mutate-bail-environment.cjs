// Used only by `npm run mutate` (api/stryker.config.mjs), never by `npm test`.
//
// Stryker runs a scope's whole test selection in one in-band Jest run per mutant, and Jest's `bail`
// cannot be set through the API Stryker uses. Once a test has failed the mutant is killed, and the
// rest of the run (often a minute of e2e suites) only costs time: this environment skips every
// describe block that starts after a failure (its beforeAll/afterAll too, so nothing is left open)
// and every later test. Blocks already running still run their afterAll hooks.
const { TestEnvironment } = require('jest-environment-node');

// One in-band Jest run: module state is shared by all its test files. Keyed by Stryker's active
// mutant, so a runner that is reused for the next mutant starts clean.
let failedRun;
const currentRun = () => process.env.__STRYKER_ACTIVE_MUTANT__ ?? 'no-mutant';

class MutateBailEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    const failed = failedRun !== undefined && failedRun === currentRun();
    if ((event.name === 'test_done' && event.test.errors.length) || event.name === 'hook_failure') failedRun = currentRun();
    else if (failed && event.name === 'run_describe_start') event.describeBlock.mode = 'skip';
    else if (failed && event.name === 'test_start') event.test.mode = 'skip';
  }
}

module.exports = MutateBailEnvironment;
