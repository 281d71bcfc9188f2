import { Injectable } from '@nestjs/common';
import type { EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import { RequestContext } from '../common/request-context.js';
import { TenantDataSources } from './tenant-data-sources.service.js';
import { TypedSql, type TypedQuery } from './typed-sql.js';

/**
 * The request's way into its studio's database. The tenant comes only from the authenticated
 * principal of the current request (session membership, later portal session or API key), never
 * from a header or body. It holds no connection: every call leases the tenant's pool for exactly
 * its own duration.
 */
@Injectable()
export class TenantConnection {
  constructor(
    private readonly context: RequestContext,
    private readonly dataSources: TenantDataSources,
    private readonly sql: TypedSql,
  ) {}

  get tenantId(): string {
    const tenantId = this.context.tenantId(); // the caller's studio, or the studio a job names (RequestContext.runForTenant)
    // A programming error (tenant data on a route without auth), not a client error.
    if (!tenantId) throw new Error('TenantConnection used outside a request with an authenticated tenant');
    return tenantId;
  }

  /** Runs `fn` with the tenant's entity manager (each statement autocommits). */
  run<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSources.withTenant(this.tenantId, (ds) => fn(ds.manager));
  }

  /** Runs `fn` with one repository of a tenant entity. */
  withRepository<E extends ObjectLiteral, T>(entity: EntityTarget<E>, fn: (repo: Repository<E>) => Promise<T>): Promise<T> {
    return this.dataSources.withTenant(this.tenantId, (ds) => fn(ds.getRepository(entity)));
  }

  /**
   * Issue 14, perf: a hot read as fixed SQL, rows mapped by the query (typed-sql.ts), under the same
   * lease and failure handling as every other call. Only where bench/ shows TypeORM's cost matters.
   */
  read<Params extends readonly unknown[], Row, Result>(query: TypedQuery<Params, Row, Result>, params: Params): Promise<Result[]> {
    return this.dataSources.withTenant(this.tenantId, (ds) => this.sql.rows(ds, query, params));
  }

  /** Runs `fn` in one transaction: it all commits, or it all rolls back and the error propagates. */
  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSources.withTenant(this.tenantId, (ds) => ds.transaction(fn));
  }
}
