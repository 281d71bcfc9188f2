import type { MigrationInterface, QueryRunner } from 'typeorm';
import { restoreTablesSetAside, setTablesAside } from '../rollback-safe.js';

const TABLES = ['notifications', 'notification_preferences'];

/**
 * Issue 13, realtime: the notification centre. `notifications` (one row per recipient, its id the SSE event
 * id) and `notification_preferences` (channel per user and category). A rollback sets both aside.
 */
export class CreateNotifications1796800000000 implements MigrationInterface {
  name = 'CreateNotifications1796800000000';

  async up(q: QueryRunner): Promise<void> {
    if (await restoreTablesSetAside(q, TABLES)) return;
    await q.query(`CREATE TABLE "notifications" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "recipient_user_id" uuid NOT NULL, "event_id" bigint NOT NULL, "type" character varying(100) NOT NULL, "category" character varying(30) NOT NULL, "title" character varying(200) NOT NULL, "body" text, "payload" jsonb NOT NULL, "subject_type" character varying(50) NOT NULL, "subject_id" uuid NOT NULL, "actor_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "read_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_notifications_title" CHECK (char_length("title") BETWEEN 1 AND 200), CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_notifications_recipient" ON "notifications" ("recipient_user_id", "id")`);
    await q.query(`CREATE UNIQUE INDEX "UQ_notifications_event_recipient" ON "notifications" ("event_id", "recipient_user_id")`);
    await q.query(`CREATE TABLE "notification_preferences" ("user_id" uuid NOT NULL, "category" character varying(30) NOT NULL, "channel" character varying(10) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_notification_preferences_channel" CHECK ("channel" IN ('in_app', 'email', 'both', 'none')), CONSTRAINT "PK_5906e7816659c2d55066f409bff" PRIMARY KEY ("user_id", "category"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await setTablesAside(q, TABLES); // never drops studio data (rollback-safe.ts)
  }
}
