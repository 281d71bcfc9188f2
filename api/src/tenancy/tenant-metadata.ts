import { DataSource, type DataSourceOptions } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { OutboxCommitSubscriber } from '../outbox/outbox-commits.js';
import { TENANT_ENTITIES } from '../tenant-schema/tenant-entities.js';
import { TENANT_MIGRATIONS } from '../tenant-schema/tenant-migrations.js';

/**
 * Issue 14, perf: what every tenant DataSource has in common — entities, subscribers, migrations and
 * the options that shape their metadata (naming, uuid). Only the connection differs per tenant.
 */
export const TENANT_MAPPING_OPTIONS = {
  type: 'postgres',
  entities: TENANT_ENTITIES,
  subscribers: [OutboxCommitSubscriber], // issue 13, realtime: wakes the notification dispatcher after a commit
  migrations: TENANT_MIGRATIONS,
  uuidExtension: 'pgcrypto',
  installExtensions: false,
  logging: false,
} as const satisfies DataSourceOptions;

interface TenantMetadata {
  entityMetadatas: DataSource['entityMetadatas'];
  entityMetadatasMap: DataSource['entityMetadatasMap'];
  migrations: DataSource['migrations'];
}

let shared: Promise<TenantMetadata> | undefined;

/**
 * The tenant entity metadata, built once per process. TypeORM rebuilds it for every DataSource it
 * initializes (~9 ms of CPU for our ~40 entities, 13 % of the app's busy time with 1,000 studios
 * taking turns in 20 pools): it depends only on the entity classes and the mapping options above,
 * never on the database, so every tenant pool can read the same objects.
 *
 * It is built on a DataSource of its own that is never initialized: each EntityMetadata keeps a
 * reference to the DataSource it was built on (TypeORM reads its options and naming from it, and
 * would load lazy relations through it), so that reference is a DataSource with no pool. Anything
 * that ever tried to query through it fails instead of reaching some tenant's database.
 */
export function sharedTenantMetadata(): Promise<TenantMetadata> {
  shared ??= buildOnce().catch((err) => {
    shared = undefined; // never cache a failure
    throw err;
  });
  return shared;
}

async function buildOnce(): Promise<TenantMetadata> {
  const holder = new MetadataOnlyDataSource(TENANT_MAPPING_OPTIONS);
  await holder.buildOwnMetadata();
  return { entityMetadatas: holder.entityMetadatas, entityMetadatasMap: holder.entityMetadatasMap, migrations: holder.migrations };
}

class MetadataOnlyDataSource extends DataSource {
  buildOwnMetadata(): Promise<void> {
    return super.buildMetadatas();
  }
}

/**
 * A tenant's DataSource: its own driver and pg pool (built by TypeORM from its own options, as
 * usual), but the process-wide entity metadata instead of a fresh copy. Subscribers stay per
 * DataSource (instances are cheap and TypeORM hands them the DataSource of each event).
 */
export class TenantDataSource extends DataSource {
  protected override async buildMetadatas(): Promise<void> {
    const metadata = await sharedTenantMetadata();
    const subscribers = this.options.subscribers?.length ? (this.options.subscribers as Array<new () => object>).map((Subscriber) => new Subscriber()) : [];
    // The same assignment TypeORM's own buildMetadatas ends with (its properties are read-only in the types).
    Object.assign(this, { subscribers, ...metadata });
  }

  /**
   * What TypeORM asks the server right after connecting (`version()`, `current_schema()`: two round
   * trips on every cold start), given in advance from a pool already verified on the same server.
   * The verification query reads both again and `confirmServerFacts` corrects them before use.
   */
  presetServerFacts(facts: ServerFacts | undefined): void {
    if (!facts) return;
    const driver = this.driver as PostgresDriver;
    driver.version = facts.version;
    driver.searchSchema = facts.searchSchema;
  }

  /** Sets what the verification query read on this very connection, whatever was preset. */
  confirmServerFacts(facts: ServerFacts): void {
    const driver = this.driver as PostgresDriver;
    if (driver.version === facts.version && driver.searchSchema === facts.searchSchema) return;
    driver.version = facts.version;
    driver.searchSchema = facts.searchSchema;
    driver.schema = facts.searchSchema; // tenant pools set no schema option: TypeORM falls back to the search schema
    driver.isGeneratedColumnsSupported = Number.parseFloat(facts.version) >= 12;
  }
}

export interface ServerFacts {
  /** As TypeORM parses `version()`: "17.10". */
  version: string;
  searchSchema: string;
}

/** TypeORM's own parse of `SELECT version()` (PostgresQueryRunner.getVersion). */
export const parseServerVersion = (version: string) => version.replace(/^PostgreSQL ([\d.]+).*$/, '$1');
