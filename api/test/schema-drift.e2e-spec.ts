import { DataSource } from 'typeorm';
import { CONTROL_ENTITIES } from '../src/control/control-entities.js';
import { withDatabase } from '../src/database/postgres-url.js';
import { TENANT_ENTITIES } from '../src/tenant-schema/tenant-entities.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Entities and migrations must agree: generating a migration from the entities must yield nothing. */
describe('schema drift', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const pendingSchemaChanges = async (url: string, entities: Function[]) => {
    const ds = new DataSource({ type: 'postgres', url, entities, uuidExtension: 'pgcrypto', installExtensions: false });
    await ds.initialize();
    try {
      return (await ds.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
    } finally {
      await ds.destroy();
    }
  };

  it('control database: migrations match the entities', async () => {
    expect(await pendingSchemaChanges(t.config.databaseUrl!, CONTROL_ENTITIES)).toEqual([]);
  });

  it('tenant template: migrations match the entities', async () => {
    const url = withDatabase(t.config.databaseUrl!, t.config.tenancy.templateDatabase);
    expect(await pendingSchemaChanges(url, TENANT_ENTITIES)).toEqual([]);
  });
});
