import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13, webhooks: `leased_until` marks a delivery whose attempt is in flight (set when a worker claims
 * it, cleared when that attempt records its outcome). A manual redelivery of a delivery in flight is
 * refused (409): it used to make the delivery due at once, and a second worker claimed and sent it while
 * the first attempt was still waiting for the receiver — two requests of one delivery at the same time.
 */
export class WebhookDeliveryLease1796960000000 implements MigrationInterface {
  name = 'WebhookDeliveryLease1796960000000';

  async up(q: QueryRunner): Promise<void> {
    // IF NOT EXISTS: after a rollback the column is still there (down keeps it, see below).
    await q.query(`ALTER TABLE "webhook_deliveries" ADD COLUMN IF NOT EXISTS "leased_until" TIMESTAMP WITH TIME ZONE`);
  }

  async down(): Promise<void> {
    // Never drops studio data (rollback-safe.ts): the nullable column stays, and the older code neither
    // sets nor reads it; a value it leaves behind lies in the past by the time this release runs again.
  }
}
