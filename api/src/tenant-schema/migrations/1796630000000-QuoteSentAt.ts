import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11: sending a quote numbers it first and mails it after that commits (documents.service.ts
 * sendQuote), so a numbered quote may not have been mailed yet (the SMTP server refused): `sent_at`
 * says whether it was. Every quote numbered before this was mailed in the same transaction, so it gets
 * the time of its `quote.sent` event (or its last update when the outbox no longer holds that event).
 */
export class QuoteSentAt1796630000000 implements MigrationInterface {
  name = 'QuoteSentAt1796630000000';

  async up(q: QueryRunner): Promise<void> {
    // After a rollback the column is still there (down keeps it, see below) and may hold a numbered
    // quote whose mail was refused (sent_at null): the backfill runs only when the column is new, so
    // such a quote never reads as mailed. (A quote the older release sent during a rollback keeps
    // sent_at null and offers Send again: at worst the client gets its quote twice.)
    const [{ exists }] = (await q.query(
      `SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'quotes' AND column_name = 'sent_at') AS "exists"`,
    )) as Array<{ exists: boolean }>;
    if (!exists) {
      await q.query(`ALTER TABLE "quotes" ADD COLUMN "sent_at" TIMESTAMP WITH TIME ZONE`);
      await q.query(
        `UPDATE "quotes" SET "sent_at" = COALESCE(
           (SELECT max("occurred_at") FROM "outbox" WHERE "type" = 'quote.sent' AND "subject_id" = "quotes"."id"), "updated_at")
         WHERE "status" <> 'draft'`,
      );
    }
    await q.query(`ALTER TABLE "quotes" DROP CONSTRAINT IF EXISTS "CHK_quotes_sent_at"`);
    await q.query(`ALTER TABLE "quotes" ADD CONSTRAINT "CHK_quotes_sent_at" CHECK ("status" <> 'draft' OR "sent_at" IS NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Never drops studio data (rollback-safe.ts): the nullable column stays and the older code ignores
    // it; only the check goes, since the older code never sets the column.
    await q.query(`ALTER TABLE "quotes" DROP CONSTRAINT IF EXISTS "CHK_quotes_sent_at"`);
  }
}
