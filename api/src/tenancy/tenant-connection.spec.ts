import { RequestContext } from '../common/request-context.js';
import { TenantConnection } from './tenant-connection.js';
import type { TenantDataSources } from './tenant-data-sources.service.js';
import type { TypedSql } from './typed-sql.js';

/**
 * TenantConnection takes its tenant from the current request or tenant work only. Outside both it must
 * fail loudly before any pool is touched: a default (or a remembered tenant) would be the original system's
 * "wrong database" failure. The pools are a recording stand-in here; the real path is in tenant-resolution.
 */
describe('TenantConnection', () => {
  const context = new RequestContext();
  const leased: string[] = [];
  const dataSources = {
    withTenant: async (tenantId: string, fn: (ds: unknown) => Promise<unknown>) => {
      leased.push(tenantId);
      return fn({ manager: 'manager', getRepository: () => 'repository', transaction: (inner: (m: string) => unknown) => inner('transaction') });
    },
  } as unknown as TenantDataSources;
  const connection = new TenantConnection(context, dataSources, {} as TypedSql);

  beforeEach(() => {
    leased.length = 0;
  });

  it('outside a request or tenant work every call throws, and no pool is leased', () => {
    const message = 'TenantConnection used outside a request with an authenticated tenant';
    expect(() => connection.tenantId).toThrow(message);
    // Thrown at the call, before a promise exists: nothing is queued for a pool.
    expect(() => connection.run(async () => 'ran')).toThrow(message);
    expect(() => connection.withRepository(class Entity {}, async () => 'ran')).toThrow(message);
    expect(() => connection.transaction(async () => 'ran')).toThrow(message);
    expect(leased).toEqual([]);
  });

  it('inside tenant work every call leases that tenant, and only it', async () => {
    const results = await context.runForTenant('org-a', async () => [
      connection.tenantId,
      await connection.run(async (manager) => manager),
      await connection.withRepository(class Entity {}, async (repo) => repo),
      await connection.transaction(async (manager) => manager),
    ]);
    expect(results).toEqual(['org-a', 'manager', 'repository', 'transaction']);
    expect(leased).toEqual(['org-a', 'org-a', 'org-a']);
  });
});
