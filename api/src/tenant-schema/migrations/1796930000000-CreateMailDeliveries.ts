import type { MigrationInterface, QueryRunner } from 'typeorm';
import { restoreTablesSetAside, setTablesAside } from '../rollback-safe.js';

const TABLES = ['mail_deliveries'];

/**
 * Issue 13, mailnotify: the studio's outgoing mail queue (`mail_deliveries`: notification emails, booking
 * mails with .ics, reminders; one row per message with a unique dedupe key, so a message is queued at most
 * once) and the studio's reminder offsets (`studio_settings.reminder_offsets_minutes`, 24 h and 2 h by
 * default). A rollback sets the table aside and keeps the column (the older code ignores it).
 */
export class CreateMailDeliveries1796930000000 implements MigrationInterface {
  name = 'CreateMailDeliveries1796930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "studio_settings" ADD COLUMN IF NOT EXISTS "reminder_offsets_minutes" integer array NOT NULL DEFAULT '{1440,120}'`);
    if (await restoreTablesSetAside(q, TABLES)) return;
    await q.query(
      `CREATE TABLE "mail_deliveries" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "dedupe_key" character varying(300) NOT NULL, "kind" character varying(40) NOT NULL, "to_address" character varying(320) NOT NULL, "sender_name" character varying(200), "subject" character varying(300) NOT NULL, "body_text" text NOT NULL, "body_html" text, "attachments" jsonb NOT NULL DEFAULT '[]', "booking_id" uuid, "booking_starts_at" TIMESTAMP WITH TIME ZONE, "reminder_offset_minutes" integer, "attempts" integer NOT NULL DEFAULT 0, "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, "skipped_at" TIMESTAMP WITH TIME ZONE, "failed_at" TIMESTAMP WITH TIME ZONE, "last_error" character varying(500), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_mail_deliveries_dedupe_key" UNIQUE ("dedupe_key"), CONSTRAINT "PK_mail_deliveries" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "idx_mail_deliveries_pending" ON "mail_deliveries" ("next_attempt_at", "id") WHERE "sent_at" IS NULL AND "skipped_at" IS NULL AND "failed_at" IS NULL`);
    await q.query(`CREATE INDEX "idx_mail_deliveries_booking" ON "mail_deliveries" ("booking_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await setTablesAside(q, TABLES); // never drops studio data (rollback-safe.ts); the settings column stays
  }
}
