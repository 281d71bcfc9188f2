import type { MigrationInterface, QueryRunner } from 'typeorm';
import { restoreTablesSetAside, setTablesAside } from '../rollback-safe.js';

/** Issue 9 (booking-extras): secret, revocable ICS feed URLs per room and per engineer (token hashes only). */
export class CreateCalendarFeeds1796160000000 implements MigrationInterface {
  name = 'CreateCalendarFeeds1796160000000';

  async up(q: QueryRunner): Promise<void> {
    if (await restoreTablesSetAside(q, ['calendar_feeds'])) return; // rolled back earlier: its rows come back
    await q.query(`CREATE TABLE "calendar_feeds" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(20) NOT NULL, "resource_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_calendar_feeds_kind" CHECK ("kind" IN ('room', 'engineer')), CONSTRAINT "PK_045067d8bb57f971f3c5426ea71" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "UQ_calendar_feeds_live" ON "calendar_feeds" ("kind", "resource_id") WHERE "revoked_at" IS NULL`);
    await q.query(`CREATE UNIQUE INDEX "UQ_calendar_feeds_token_hash" ON "calendar_feeds" ("token_hash")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await setTablesAside(q, ['calendar_feeds']); // never drops studio data (rollback-safe.ts)
  }
}
