// Mutation testing (issue 15): run through `npm run mutate` at the repo root (api/test/support/mutate.mjs),
// which starts one embedded PostgreSQL and runs Stryker once per scope below with DATABASE_URL set.
// Not part of `npm test`. Results go to RELIABILITY.md.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jestConfig from './jest.config.js';

const support = join(dirname(fileURLToPath(import.meta.url)), 'test', 'support');

/**
 * What each run mutates, and the tests that exercise it. The e2e suites boot the real app, so Jest's
 * findRelatedTests would select nearly all of them for any file; each scope names its tests instead.
 * Files run in the order listed (unit specs first), and a mutant's run stops at its first failing
 * test (test/support/mutate-*.cjs): list the fast, targeted files first.
 */
export const scopes = {
  common: {
    mutate: ['src/common/**/*.ts', '!src/common/**/*.spec.ts'],
    tests: [
      'src/common/**/*.spec.ts',
      'test/openapi.e2e-spec.ts', // problem DTOs, the cursor's pattern, @ApiProblems; no database, so first
      'test/clients.e2e-spec.ts',
      'test/http-edges.e2e-spec.ts',
      'test/http-shell.e2e-spec.ts',
      'test/browser-writes.e2e-spec.ts',
      'test/logging.e2e-spec.ts',
      'test/dependency-outage.e2e-spec.ts',
    ],
  },
  auth: {
    mutate: ['src/auth/**/*.ts', '!src/auth/**/*.spec.ts'],
    tests: [
      'src/auth/**/*.spec.ts',
      // First: the only test that kills the many decorator mutants (paths, summaries, DTO constraints)
      // and it needs no database.
      'test/openapi.e2e-spec.ts',
      'test/auth.e2e-spec.ts',
      'test/auth-timing.e2e-spec.ts',
      'test/browser-writes.e2e-spec.ts',
      'test/signup-verification.e2e-spec.ts',
      'test/signup-race.e2e-spec.ts',
      // Issue 7 grew auth/ (studio switch, the session list, API keys, password reset, read-only
      // standing): without these, mutants there survived only because nothing in the selection ran them.
      'test/studio-switch.e2e-spec.ts',
      'test/sessions.e2e-spec.ts',
      'test/api-keys.e2e-spec.ts',
      'test/password-reset.e2e-spec.ts',
      'test/auth-session.e2e-spec.ts',
      'test/portal-sessions.e2e-spec.ts',
      'test/jobs.e2e-spec.ts',
      'test/tenant-resolution.e2e-spec.ts',
      'test/portal-magic-link.e2e-spec.ts',
      'test/subscription-standing.e2e-spec.ts',
      'test/mail.e2e-spec.ts',
      'test/authorization-matrix.e2e-spec.ts', // ~2 min: last
    ],
  },
  // auth in four parts (like tenancy below), each with the suites that drive its files, so that a surviving
  // mutant pays for a few files instead of the whole selection above. Together they mutate every file of
  // src/auth once (test/mutate-config.e2e-spec.ts): a file added there must join one of them.
  'auth-login': {
    // Sign-up and sign-in: the service, its controller and strategy, the hasher and the password rules.
    mutate: [
      'src/auth/auth.service.ts',
      'src/auth/auth.controller.ts',
      'src/auth/local.strategy.ts',
      'src/auth/password-hasher.service.ts',
      'src/auth/password-policy.ts',
      'src/auth/slug.ts',
      'src/auth/auth.errors.ts',
      'src/auth/auth.types.ts',
      'src/auth/home-studio.ts',
      'src/auth/dto/**/*.ts',
    ],
    tests: [
      'src/auth/**/*.spec.ts',
      'test/openapi.e2e-spec.ts', // DTO constraints and summaries; no database, so first
      'test/auth.e2e-spec.ts',
      'test/auth-timing.e2e-spec.ts',
      'test/signup-verification.e2e-spec.ts',
      'test/studio-switch.e2e-spec.ts', // the home studio a login lands in
      'test/signup-race.e2e-spec.ts',
    ],
  },
  'auth-access': {
    // The one guard, the route rules it enforces, the start-up check that every route has one, and the
    // standing (read-only, suspended) it applies.
    mutate: [
      'src/auth/auth.guards.ts',
      'src/auth/access.decorator.ts',
      'src/auth/access-rules.check.ts',
      'src/auth/allow-while-read-only.decorator.ts',
      'src/auth/allow-while-suspended.decorator.ts',
      'src/auth/current-principal.decorator.ts',
      'src/auth/public.decorator.ts',
      'src/auth/optional-session.decorator.ts',
      'src/auth/studio-standing.ts',
      'src/auth/auth.module.ts',
    ],
    tests: [
      'test/openapi.e2e-spec.ts', // each route's rule as openapi.json shows it; no database
      'test/auth.e2e-spec.ts',
      'test/auth-session.e2e-spec.ts',
      'test/api-keys.e2e-spec.ts', // a key's scopes against the route's rule
      'test/tenant-resolution.e2e-spec.ts',
      'test/subscription-standing.e2e-spec.ts', // read-only and suspended studios
      'test/authorization-matrix.e2e-spec.ts', // every route × every kind of caller: ~2 min, last
    ],
  },
  'auth-sessions': {
    // Sessions of studio users and of portal clients: issuing, looking up, listing, revoking, switching.
    mutate: [
      'src/auth/sessions.service.ts',
      'src/auth/user-sessions.service.ts',
      'src/auth/session.strategy.ts',
      'src/auth/session-cookie.ts',
      'src/auth/session-lookup.sql.ts',
      'src/auth/sessions.controller.ts',
      'src/auth/studios.service.ts',
      'src/auth/studios.controller.ts',
      'src/auth/portal-sessions.service.ts',
    ],
    tests: [
      'test/sessions.e2e-spec.ts',
      'test/auth-session.e2e-spec.ts',
      'test/portal-sessions.e2e-spec.ts',
      'test/studio-switch.e2e-spec.ts',
      'test/auth.e2e-spec.ts',
      'test/portal-magic-link.e2e-spec.ts',
    ],
  },
  'auth-accounts': {
    // One-time tokens (password reset, email verification), the unverified studios' sweep, API keys.
    mutate: [
      'src/auth/account-passwords.service.ts',
      'src/auth/password.controller.ts',
      'src/auth/one-time-token-table.ts',
      'src/auth/one-time-tokens.service.ts',
      'src/auth/email-verification.service.ts',
      'src/auth/unverified-studios.service.ts',
      'src/auth/api-key-credentials.service.ts',
    ],
    tests: [
      'test/password-reset.e2e-spec.ts',
      'test/api-keys.e2e-spec.ts',
      'test/signup-verification.e2e-spec.ts',
      'test/jobs.e2e-spec.ts', // the maintenance job: overdue studios suspended, abandoned ones dropped
      'test/auth.e2e-spec.ts',
      'test/portal-magic-link.e2e-spec.ts', // the token table's other user: portal links, a disabled account's
      'test/mail.e2e-spec.ts', // mail that cannot be sent: sign-up and reset still answer, the operator is warned
    ],
  },
  tenancy: {
    mutate: ['src/tenancy/**/*.ts', '!src/tenancy/**/*.spec.ts'], // not the unit specs (tenant-servers-config.spec.ts)
    tests: [
      'src/tenancy/tenant-connection.spec.ts',
      'src/tenancy/tenant-servers-config.spec.ts',
      'test/typed-sql.e2e-spec.ts',
      'test/tenancy-shared-metadata.e2e-spec.ts',
      'test/schema-drift.e2e-spec.ts',
      'test/tenancy-busy.e2e-spec.ts',
      'test/tenancy-recovery.e2e-spec.ts',
      'test/tenancy-failures.e2e-spec.ts',
      'test/tenant-resolution.e2e-spec.ts',
      'test/tenancy-roles.e2e-spec.ts',
      'test/tenancy-provisioning.e2e-spec.ts',
      'test/tenancy-schema-version.e2e-spec.ts',
      'test/tenant-schema-steps.e2e-spec.ts',
      'test/cli-rollback.e2e-spec.ts',
      'test/signup-verification.e2e-spec.ts',
      'test/dependency-outage.e2e-spec.ts',
      'test/tenancy-pool-close-timeout.e2e-spec.ts',
      'test/tenancy-pool-close.e2e-spec.ts',
      'test/cli-tenants.e2e-spec.ts',
      'test/cli-tenants-move.e2e-spec.ts',
      'test/tenancy-servers.e2e-spec.ts',
      'test/tenancy-isolation.e2e-spec.ts',
      'test/cli-migrate.e2e-spec.ts',
    ],
  },
  // tenancy in four parts that can run one after another (each with its own tests), or as one scope above.
  // Together the parts mutate every file of src/tenancy once (test/mutate-config.e2e-spec.ts): a file added
  // there must join one of them.
  'tenancy-pools': {
    mutate: [
      'src/tenancy/tenant-data-sources.service.ts',
      'src/tenancy/tenant-connection.ts',
      'src/tenancy/tenancy.errors.ts',
      // Opening a pool: its verification query, the shared entity metadata, the sockets it closes (issue 14).
      'src/tenancy/tenant-pool-verification.ts',
      'src/tenancy/tenant-metadata.ts',
      'src/tenancy/pool-sockets.ts',
      'src/tenancy/typed-sql.ts', // the prepared statements TenantConnection and the session lookup run
    ],
    tests: [
      'src/tenancy/tenant-connection.spec.ts', // the tenant only from the request or tenant work (a unit test: 1 s)
      'test/typed-sql.e2e-spec.ts', // statement names and DB_PREPARED_STATEMENTS (one small app)
      'test/tenancy-shared-metadata.e2e-spec.ts', // one metadata, a driver and pool per studio; the server facts
      'test/tenancy-busy.e2e-spec.ts',
      'test/tenancy-recovery.e2e-spec.ts',
      'test/tenancy-failures.e2e-spec.ts',
      'test/tenant-resolution.e2e-spec.ts',
      'test/dependency-outage.e2e-spec.ts', // a tenant 503's cause, in the operator's warning (tenancy.errors.ts)
      // retireTenant (the registry watch retiring a pool): without it, 2026-11-27's partial run left it without coverage.
      'test/tenancy-schema-version.e2e-spec.ts',
      'test/tenancy-pool-close-timeout.e2e-spec.ts', // a pool that fails to close: reported, its slot given back
      'test/tenancy-pool-close.e2e-spec.ts', // eviction: least recently used, one per pool waited for (issue 14)
      // The verification's refusals: a forged owner stamp, a role that cannot sign in (a changed key).
      'test/tenancy-roles.e2e-spec.ts',
      'test/tenancy-isolation.e2e-spec.ts', // 30 s: last, so only survivors pay for it
    ],
  },
  // Measured 2026-11-27 as one scope with the first four tests of tenancy-setup below: 26.9 %, 95 of its 268
  // scored mutants never reached (most in the migrator, which only the rsm migrate suites drive). Now
  // two scopes, each with the suites that drive its code (RELIABILITY.md, "fourth session").
  'tenancy-setup': {
    mutate: ['src/tenancy/tenant-roles.ts', 'src/tenancy/tenant-provisioner.service.ts', 'src/tenancy/tenant-registry.service.ts', 'src/tenancy/tenancy.module.ts'],
    tests: [
      'test/tenancy-roles.e2e-spec.ts',
      'test/tenancy-provisioning.e2e-spec.ts', // the survivors of 2026-11-27: migrations rights, existing roles, a busy template, registry filters
      'test/tenancy-failures.e2e-spec.ts',
      'test/tenant-resolution.e2e-spec.ts',
      'test/signup-verification.e2e-spec.ts', // unverified studios' databases dropped (provisioner.drop)
      'test/tenancy-servers.e2e-spec.ts', // a studio on a second server (the registry's server column)
    ],
  },
  'tenancy-migrator': {
    // tenant-schema-steps: the plan and the one transaction of each database's migration (read and written
    // directly since the ninth session, issue 14), exercised by the same tests.
    mutate: ['src/tenancy/tenant-migrator.service.ts', 'src/tenancy/tenant-schema-steps.ts'],
    tests: [
      // The steps' order, the --to bound and a failed step's rollback, without the app (~10 s): first.
      'test/tenant-schema-steps.e2e-spec.ts',
      'test/tenancy-schema-version.e2e-spec.ts',
      // ensureTenantAccess (roles for tenants made before them, a registry mix-up, a changed key): without
      // it, 2026-11-27's partial run left lines 133–161 without coverage.
      'test/tenancy-roles.e2e-spec.ts',
      'test/cli-rollback.e2e-spec.ts',
      'test/schema-drift.e2e-spec.ts',
      'test/cli-tenants.e2e-spec.ts', // databaseVersionOf: the version `rsm tenants check` reads from a database
      'test/cli-migrate.e2e-spec.ts', // ~2 min: last, so only survivors pay for it
    ],
  },
  // Studios on several PostgreSQL servers: placing, moving (copy, verify, flip, sweep) and the registry
  // watch that tells every instance of a move or a retirement.
  'tenancy-servers': {
    mutate: [
      'src/tenancy/tenant-servers.service.ts',
      'src/tenancy/tenant-mover.service.ts',
      'src/tenancy/tenant-copy.ts',
      'src/tenancy/tenant-registry-watch.service.ts',
    ],
    tests: [
      'src/tenancy/tenant-servers-config.spec.ts', // TENANT_SERVERS parsing, no database: first
      'test/cli-tenants-move.e2e-spec.ts',
      'test/tenancy-recovery.e2e-spec.ts', // a move fences writes before this instance hears of it: 503 "moving"
      'test/tenancy-schema-version.e2e-spec.ts', // the registry watch retiring a pool
      'test/dependency-outage.e2e-spec.ts', // the watch while the registry is down
      'test/tenancy-provisioning.e2e-spec.ts',
      'test/tenancy-servers.e2e-spec.ts', // two servers, moves under writes: the longest, last
    ],
  },
  clients: {
    mutate: ['src/clients/clients.service.ts'],
    tests: ['test/clients.e2e-spec.ts', 'test/clients-integrity.e2e-spec.ts'],
  },
  // Feature services (issue 15: "each feature's service"), each with the suites that drive it, the most
  // targeted first. Not in the default run (`npm run mutate` with no scope): name them.
  bookings: {
    // The double-booking guard (conflict checks under the lock), edits and moves, holds, series.
    mutate: ['src/bookings/bookings.service.ts', 'src/bookings/booking-changes.service.ts', 'src/bookings/booking-conflicts.ts'],
    tests: [
      'test/bookings-conflicts.e2e-spec.ts',
      'test/bookings-api.e2e-spec.ts',
      'test/bookings-holds.e2e-spec.ts',
      'test/bookings-series.e2e-spec.ts',
      'test/bookings-projects.e2e-spec.ts',
    ],
  },
  invoices: {
    mutate: [
      'src/invoices/invoices.service.ts',
      'src/invoices/invoice-lifecycle.service.ts',
      'src/invoices/invoice-from-bookings.service.ts',
      'src/invoices/invoice-settlement.ts',
    ],
    tests: [
      'src/invoices/invoice-settlement.spec.ts', // properties of the settlement arithmetic: no database, first
      'test/invoices.e2e-spec.ts',
      'test/invoices-numbering.e2e-spec.ts',
      'test/invoices-from-bookings.e2e-spec.ts',
      'test/payments.e2e-spec.ts',
      'test/payments-shares.e2e-spec.ts',
    ],
  },
  quotes: {
    mutate: ['src/quotes/quotes.service.ts', 'src/quotes/quote-lifecycle.service.ts'],
    tests: ['test/quotes-input.e2e-spec.ts', 'test/quotes.e2e-spec.ts', 'test/quote-documents.e2e-spec.ts', 'test/portal-quotes.e2e-spec.ts'],
  },
  projects: {
    mutate: ['src/projects/projects.service.ts', 'src/projects/tracks.service.ts'],
    tests: ['test/projects.e2e-spec.ts', 'test/tracks.e2e-spec.ts', 'test/bookings-projects.e2e-spec.ts'],
  },
  // The smallest useful run, for trying the setup: `npm run mutate -- smoke`.
  smoke: {
    mutate: ['src/common/pagination.ts'],
    tests: ['test/clients.e2e-spec.ts'],
  },
};

const scopeName = process.env.MUTATE_SCOPE ?? 'smoke';
const scope = scopes[scopeName];
if (!scope) throw new Error(`Unknown MUTATE_SCOPE ${scopeName}; one of ${Object.keys(scopes).join(', ')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning'],
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  jest: {
    projectType: 'custom',
    config: {
      ...jestConfig,
      testMatch: scope.tests.map((glob) => `<rootDir>/${glob}`),
      // Absolute paths: Stryker reads testEnvironment before Jest resolves <rootDir>.
      testEnvironment: join(support, 'mutate-bail-environment.cjs'),
      testSequencer: join(support, 'mutate-test-sequencer.cjs'),
      // Niced runners on busy cores: createTestApp in a beforeAll passed Jest's 60 s and the run ended
      // as a RuntimeError (not counted). Stryker's own timeout still stops real hangs.
      testTimeout: 180000,
    },
    // Scopes name their tests (above); findRelatedTests would pick every e2e suite.
    enableFindRelatedTests: false,
  },
  // The e2e suites share one app (and its rows) between the tests of a file, so a test may rely on
  // an earlier one; perTest would run single tests alone. 'all' runs the scope's whole selection.
  // MUTATE_COVERAGE=perTest runs only the tests that reached each mutant (see RELIABILITY.md).
  coverageAnalysis: process.env.MUTATE_COVERAGE ?? 'all',
  mutate: scope.mutate,
  ignoreStatic: false, // only allowed with perTest, and static mutants (decorator arguments, module constants) matter here
  concurrency: 2, // 2 cores; more runners made every run slow enough to hit the timeout
  maxTestRunnerReuse: 1, // a fresh runner per mutant: a failed e2e run can leave pools and servers open
  // On top of timeoutFactor × the dry run's net time. Generous: the runners are niced on shared cores
  // and a run that is merely slow must not count as a Timeout (i.e. as detected). A real hang (a
  // mutated loop paging forever) still stops here, before Jest's own 60 s test timeout.
  timeoutMS: 45000,
  timeoutFactor: 3,
  incremental: true,
  incrementalFile: `reports/stryker-incremental-${scopeName}${process.env.MUTATE_COVERAGE === 'perTest' ? '-pertest' : ''}.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${scopeName}${process.env.MUTATE_COVERAGE === 'perTest' ? '-pertest' : ''}.html` },
  jsonReporter: { fileName: `reports/mutation/${scopeName}${process.env.MUTATE_COVERAGE === 'perTest' ? '-pertest' : ''}.json` },
  // Anchored to api/ (gitignore rules): an unanchored 'reports' also dropped src/reports from the
  // sandbox, and every run failed its dry run (test/mutate-config.e2e-spec.ts).
  ignorePatterns: ['/dist', '/reports', '/coverage'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
