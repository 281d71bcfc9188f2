// Used only by `npm run mutate` (api/stryker.config.mjs); npm test checks it on fixtures (mutate-config.e2e-spec.ts).
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

// Skipping starts only once a *test* has been reported failed. A failed hook alone must not start it:
// after a failed beforeAll (a mutant that breaks createTestApp) Jest fails that block's tests with the
// hook's error, unless they are skipped first — which reported the run as "2 skipped, 0 failed" and
// let Stryker count the mutant as survived (found 2026-11-27: `groupRole` → "" survived while every
// test of the scope fails with it planted by hand).
class MutateBailEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    const failed = failedRun !== undefined && failedRun === currentRun();
    if (event.name === 'test_done' && event.test.errors.length) failedRun = currentRun();
    else if (failed && event.name === 'run_describe_start') event.describeBlock.mode = 'skip';
    else if (failed && event.name === 'test_start') event.test.mode = 'skip';
  }
}

module.exports = MutateBailEnvironment;
