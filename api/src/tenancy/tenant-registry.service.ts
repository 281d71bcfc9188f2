import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { TenantDatabase } from '../control/tenant-database.entity.js';

/** Reads and writes the control database's `tenant_databases` registry. */
@Injectable()
export class TenantRegistry {
  constructor(@Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource) {}

  find(organizationId: string): Promise<TenantDatabase | null> {
    return this.control.getRepository(TenantDatabase).findOneBy({ organizationId });
  }

  listReady(): Promise<TenantDatabase[]> {
    return this.control.getRepository(TenantDatabase).find({ where: { status: 'ready' }, order: { createdAt: 'ASC' } });
  }

  /** Registers a database inside the caller's control transaction. */
  async register(
    manager: EntityManager,
    entry: Pick<TenantDatabase, 'organizationId' | 'databaseName' | 'schemaVersion'> & { server?: string },
  ): Promise<void> {
    await manager.getRepository(TenantDatabase).insert({ ...entry, server: entry.server ?? 'default', status: 'ready' });
  }

  /**
   * Issue 8, ops-servers: what open pools are checked against (server, status, schema version),
   * for many tenants in one query.
   */
  findMany(organizationIds: string[]): Promise<TenantDatabase[]> {
    if (!organizationIds.length) return Promise.resolve([]);
    return this.control.getRepository(TenantDatabase).findBy({ organizationId: In(organizationIds) });
  }
}
