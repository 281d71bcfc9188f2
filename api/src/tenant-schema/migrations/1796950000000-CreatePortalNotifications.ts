import type { MigrationInterface, QueryRunner } from 'typeorm';
import { restoreTablesSetAside, setTablesAside } from '../rollback-safe.js';

const TABLES = ['portal_notifications'];

/**
 * Issue 13, board helper: notifications for client portal accounts (PortalNotification), and an index for
 * the room board's "what changed since" read of dispatched booking events. A rollback sets the table aside
 * (its rows come back with the next `up`) and drops the index (no data in it).
 */
export class CreatePortalNotifications1796950000000 implements MigrationInterface {
  name = 'CreatePortalNotifications1796950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS "idx_outbox_board" ON "outbox" ("dispatched_at") WHERE "subject_type" IN ('booking', 'booking_series')`);
    if (await restoreTablesSetAside(q, TABLES)) return;
    await q.query(`CREATE TABLE "portal_notifications" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "portal_account_id" uuid NOT NULL, "event_id" bigint NOT NULL, "type" character varying(100) NOT NULL, "title" character varying(200) NOT NULL, "body" text, "payload" jsonb NOT NULL, "subject_type" character varying(50) NOT NULL, "subject_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "read_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_portal_notifications_title" CHECK (char_length("title") BETWEEN 1 AND 200), CONSTRAINT "PK_84b9fa5d1665a127ff9e7bb4008" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_portal_notifications_account" ON "portal_notifications" ("portal_account_id", "id")`);
    await q.query(`CREATE UNIQUE INDEX "UQ_portal_notifications_event_account" ON "portal_notifications" ("event_id", "portal_account_id")`);
    await q.query(`ALTER TABLE "portal_notifications" ADD CONSTRAINT "FK_1daff02180d2cffc6669483a487" FOREIGN KEY ("portal_account_id") REFERENCES "client_portal_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS "idx_outbox_board"`);
    await setTablesAside(q, TABLES); // never drops studio data (rollback-safe.ts)
  }
}
