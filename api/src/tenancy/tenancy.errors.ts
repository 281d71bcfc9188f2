import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem.js';

export type TenantUnavailableReason =
  | 'busy' // every connection slot is leased and none freed up in time
  | 'not-ready' // registry says provisioning / migrating / failed / archived, or no registry row
  | 'unreachable' // the database is gone or restarting
  | 'schema-mismatch' // its schema version is not the one this code serves
  | 'wrong-database' // connected to a database other than the registry names
  // Issue 8, ops-servers:
  | 'schema-ahead' // another instance migrated it past the newest migration this release knows
  | 'read-only' // its database is being moved to another server: reads work, writes wait
  | 'moving'; // the registry moved it to another server since this instance looked; retry

const DETAIL: Record<TenantUnavailableReason, string> = {
  busy: 'The studio database is busy; retry shortly.',
  'not-ready': 'The studio database is not ready.',
  unreachable: 'The studio database is unavailable.',
  'schema-mismatch': 'The studio database is being upgraded; retry shortly.',
  'wrong-database': 'The studio database could not be verified.',
  'schema-ahead': 'The studio database was upgraded by a newer release; retry shortly.',
  'read-only': 'The studio is read-only while its data is being moved; retry shortly.',
  moving: 'The studio database has just moved; retry shortly.',
};

/** 503: the tenant's data cannot be served safely right now. Never a reason to try another database. */
export class TenantUnavailableError extends ProblemException {
  constructor(
    readonly reason: TenantUnavailableReason,
    readonly tenantId: string,
    cause?: unknown,
  ) {
    super(HttpStatus.SERVICE_UNAVAILABLE, `tenant-${reason}`, DETAIL[reason]);
    if (cause !== undefined) this.cause = cause;
  }
}
