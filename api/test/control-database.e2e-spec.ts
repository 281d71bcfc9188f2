import { openControlDatabase } from '../src/control/control-database.js';
import { databaseNameOf } from '../src/database/postgres-url.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('Opening the control database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  // Several instances starting at once (a rolling deploy, replicas) used to race on closing the
  // control database to PUBLIC outside the migration lock: "tuple concurrently updated" (XX000).
  it('several instances opening it at the same time all start, and PUBLIC ends up without CONNECT', async () => {
    const database = databaseNameOf(t.config.databaseUrl!);
    // A race: a few rounds, so the unfixed code loses it reliably.
    for (let round = 0; round < 10; round++) {
      // As on a control database just created: PUBLIC's default CONNECT, which every start closes.
      await t.admin.query(`GRANT CONNECT ON DATABASE "${database}" TO PUBLIC`);
      // The race is the point, not connect latency: on a loaded CI machine a connection once took past
      // the default 5 s (DB_CONNECT_TIMEOUT_MS) and two of eight starts failed for that alone.
      const config = { ...t.config, tenancy: { ...t.config.tenancy, connectTimeoutMs: 30_000 } };
      const opened = await Promise.allSettled(Array.from({ length: 8 }, () => openControlDatabase(config)));
      for (const o of opened) if (o.status === 'fulfilled') await o.value.destroy();
      expect(opened.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
      const { rows } = await t.admin.query(`SELECT has_database_privilege('public', $1, 'CONNECT') AS open`, [database]);
      expect(rows[0].open).toBe(false);
    }
  });
});
