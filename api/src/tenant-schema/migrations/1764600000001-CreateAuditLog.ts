import type { MigrationInterface, QueryRunner } from 'typeorm';
import { restoreTablesSetAside, setTablesAside } from '../rollback-safe.js';

/** Issue 7: the studio's audit log (see api/src/audit/). */
export class CreateAuditLog1764600000001 implements MigrationInterface {
  name = 'CreateAuditLog1764600000001';

  async up(q: QueryRunner): Promise<void> {
    if (await restoreTablesSetAside(q, ['audit_log'])) return; // rolled back earlier: its rows come back
    await q.query(`CREATE TABLE "audit_log" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), "actor_type" character varying(20) NOT NULL, "actor_id" uuid, "actor_label" character varying(320), "action" character varying(60) NOT NULL, "target_type" character varying(40) NOT NULL, "target_id" character varying(100), "ip" character varying(45), "details" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_15a6f5aad57db494c17986ed2e" ON "audit_log" ("actor_id")`);
    await q.query(`CREATE INDEX "IDX_951e6339a77994dfbad976b35c" ON "audit_log" ("action")`);
    await q.query(`CREATE INDEX "IDX_7368834c55d62d1853a7eef090" ON "audit_log" ("target_id")`);
    // The list's order (newest first) and its cursor.
    await q.query(`CREATE INDEX "idx_audit_log_order" ON "audit_log" ("occurred_at", "id")`);
  }

  // Issue 8, ops-cli: a rollback keeps the studio's audit log aside instead of dropping it (rollback-safe.ts).
  async down(q: QueryRunner): Promise<void> {
    await setTablesAside(q, ['audit_log']);
  }
}
