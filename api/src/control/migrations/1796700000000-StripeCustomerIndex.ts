import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11, money: platform subscription webhooks find their studio by its Stripe customer id
 * (subscription-events.service.ts), so the column is indexed, and unique: one Stripe customer
 * billing two studios would let one studio's payment change another's standing.
 *
 * Rollback-safe like every control migration: `down` drops only the index, no data.
 */
export class StripeCustomerIndex1796700000000 implements MigrationInterface {
  name = 'StripeCustomerIndex1796700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS "UQ_organizations_stripe_customer" ON "organizations" ("stripe_customer_id") WHERE "stripe_customer_id" IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS "UQ_organizations_stripe_customer"`);
  }
}
