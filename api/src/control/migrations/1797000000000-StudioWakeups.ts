import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Background work visits only the studios that have work due (jobs/studio-sweep.service.ts): one row per
 * studio saying when it next may. `version` grows with every mark, so a sweep that read a studio's
 * database can tell whether work was announced since, and then leaves the studio due.
 *
 * Rollback-safe like every control migration: the table holds only hints (a missing row means "due"),
 * and `down` drops it.
 */
export class StudioWakeups1797000000000 implements MigrationInterface {
  name = 'StudioWakeups1797000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE IF NOT EXISTS "studio_wakeups" (
         "organization_id" uuid PRIMARY KEY REFERENCES "organizations" ("id") ON DELETE CASCADE,
         "due_at" timestamptz NOT NULL,
         "version" bigint NOT NULL DEFAULT 1
       )`,
    );
    await q.query(`CREATE INDEX IF NOT EXISTS "IDX_studio_wakeups_due_at" ON "studio_wakeups" ("due_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS "studio_wakeups"`);
  }
}
