import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11: sending a quote numbers it first and mails it after that commits (documents.service.ts
 * sendQuote), so a numbered quote may not have been mailed yet (the SMTP server refused): `sent_at`
 * says whether it was, and `mailing_since` marks the one request mailing it now.
 */
export class QuoteSentAt1796630000000 implements MigrationInterface {
  name = 'QuoteSentAt1796630000000';

  async up(q: QueryRunner): Promise<void> {
    // IF NOT EXISTS: after a rollback the columns are still there (down keeps them, see below).
    await q.query(`ALTER TABLE "quotes" ADD COLUMN IF NOT EXISTS "sent_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "quotes" ADD COLUMN IF NOT EXISTS "mailing_since" TIMESTAMP WITH TIME ZONE`);
    // Which numbered quotes were mailed: those with a `quote.sent` event (this release writes it only
    // once the mail went out), and those numbered by an older release (no `quote.issued` audit entry:
    // it numbered and mailed in one transaction). Safe to run again after a rollback, and it then also
    // marks the quotes the older release mailed meanwhile. The time: the event's, else the last update.
    await q.query(
      `UPDATE "quotes" SET "sent_at" = COALESCE(
         (SELECT max("occurred_at") FROM "outbox" WHERE "type" = 'quote.sent' AND "subject_id" = "quotes"."id"), "updated_at")
       WHERE "status" <> 'draft' AND "sent_at" IS NULL
         AND (EXISTS (SELECT 1 FROM "outbox" WHERE "type" = 'quote.sent' AND "subject_id" = "quotes"."id")
              OR NOT EXISTS (SELECT 1 FROM "audit_log" WHERE "action" = 'quote.issued' AND "target_id" = "quotes"."id"::text))`,
    );
    await q.query(`ALTER TABLE "quotes" DROP CONSTRAINT IF EXISTS "CHK_quotes_sent_at"`);
    await q.query(`ALTER TABLE "quotes" ADD CONSTRAINT "CHK_quotes_sent_at" CHECK ("status" <> 'draft' OR "sent_at" IS NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Never drops studio data (rollback-safe.ts): the nullable column stays and the older code ignores
    // it; only the check goes, since the older code never sets the column.
    await q.query(`ALTER TABLE "quotes" DROP CONSTRAINT IF EXISTS "CHK_quotes_sent_at"`);
  }
}
