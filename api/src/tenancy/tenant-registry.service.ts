import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
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
  async register(manager: EntityManager, entry: Pick<TenantDatabase, 'organizationId' | 'databaseName' | 'schemaVersion'>): Promise<void> {
    await manager.getRepository(TenantDatabase).insert({ ...entry, server: 'default', status: 'ready' });
  }

  async setSchemaVersion(organizationId: string, schemaVersion: string): Promise<void> {
    await this.control.getRepository(TenantDatabase).update({ organizationId }, { schemaVersion });
  }
}
