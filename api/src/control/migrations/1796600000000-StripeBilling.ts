import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11, money: the studios' connected Stripe accounts (routing Connect webhooks to a tenant),
 * processed platform Stripe events, and each studio's own subscription on its organization row.
 * Studios without a period end start a 14-day trial from now.
 *
 * Like tenant migrations (tenant-schema/rollback-safe.ts), a rollback loses nothing: `down` keeps the
 * tables and columns (the older code ignores them) and `up` is written to run again over them.
 */
export class StripeBilling1796600000000 implements MigrationInterface {
  name = 'StripeBilling1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS "platform_stripe_events" ("id" character varying(255) NOT NULL, "type" character varying(100) NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2833a1c9a5a590387b028e480e4" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE IF NOT EXISTS "stripe_accounts" ("account_id" character varying(255) NOT NULL, "organization_id" uuid NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'onboarding', "charges_enabled" boolean NOT NULL DEFAULT false, "payouts_enabled" boolean NOT NULL DEFAULT false, "details_submitted" boolean NOT NULL DEFAULT false, "disconnected_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_stripe_accounts_status" CHECK ("status" IN ('onboarding', 'active', 'restricted', 'disconnected')), CONSTRAINT "PK_334bc57fa7d1c90e335354d1e67" PRIMARY KEY ("account_id"))`);
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS "UQ_stripe_accounts_live_org" ON "stripe_accounts" ("organization_id") WHERE "status" <> 'disconnected'`);
    await q.query(`ALTER TABLE "organizations" ADD COLUMN IF NOT EXISTS "stripe_customer_id" character varying(255)`);
    await q.query(`ALTER TABLE "organizations" ADD COLUMN IF NOT EXISTS "stripe_subscription_id" character varying(255)`);
    await q.query(`ALTER TABLE "organizations" ADD COLUMN IF NOT EXISTS "subscription_status" character varying(20) NOT NULL DEFAULT 'trialing'`);
    await q.query(`ALTER TABLE "organizations" ADD COLUMN IF NOT EXISTS "current_period_end" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "organizations" ADD COLUMN IF NOT EXISTS "past_due_since" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "organizations" DROP CONSTRAINT IF EXISTS "CHK_organizations_subscription_status"`);
    await q.query(`ALTER TABLE "organizations" ADD CONSTRAINT "CHK_organizations_subscription_status" CHECK ("subscription_status" IN ('trialing', 'active', 'past_due', 'canceled'))`);
    await q.query(`ALTER TABLE "stripe_accounts" DROP CONSTRAINT IF EXISTS "FK_b3e0a5fa56d3f005348dc76a22e"`);
    await q.query(`ALTER TABLE "stripe_accounts" ADD CONSTRAINT "FK_b3e0a5fa56d3f005348dc76a22e" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`UPDATE "organizations" SET "current_period_end" = now() + interval '14 days' WHERE "current_period_end" IS NULL AND "subscription_status" = 'trialing'`);
  }

  async down(): Promise<void> {
    // Keeps the Stripe ids and subscription state: dropping them would lose the link to each studio's billing.
  }
}
