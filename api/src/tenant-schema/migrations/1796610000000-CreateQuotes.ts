import type { MigrationInterface, QueryRunner } from 'typeorm';
import { restoreTablesSetAside, setTablesAside } from '../rollback-safe.js';

/** Tables this migration creates, in an order that satisfies their foreign keys. */
const TABLES = ['quotes', 'quote_lines'];

/**
 * Issue 11, quotes: quotes (numbered when sent, deposit asked as a percent or an amount, the invoice
 * accepting created) and their lines (the columns of invoice_lines). Invoices gain `quote_id`: the
 * quote they come from (kept on a rollback: nullable, and older code ignores it; its foreign key
 * travels with the quotes table set aside and comes back with it).
 */
export class CreateQuotes1796610000000 implements MigrationInterface {
  name = 'CreateQuotes1796610000000';

  async up(q: QueryRunner): Promise<void> {
    // IF NOT EXISTS: a rollback keeps this column (see down).
    await q.query(`ALTER TABLE "invoices" ADD COLUMN IF NOT EXISTS "quote_id" uuid`);
    if (await restoreTablesSetAside(q, TABLES)) return;
    await q.query(`CREATE TABLE "quotes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" character varying(60), "status" character varying(20) NOT NULL DEFAULT 'draft', "client_id" uuid NOT NULL, "project_id" uuid, "booking_id" uuid, "currency" character(3) NOT NULL, "issue_date" date, "valid_until" date, "notes" text, "terms" text, "bill_to_name" character varying(200) NOT NULL, "bill_to_address" text, "bill_to_tax_id" character varying(50), "bill_to_email" character varying(320), "subtotal_minor" bigint NOT NULL DEFAULT '0', "tax_minor" bigint NOT NULL DEFAULT '0', "total_minor" bigint NOT NULL DEFAULT '0', "deposit_percent" numeric(7,4), "deposit_minor" bigint, "accepted_at" TIMESTAMP WITH TIME ZONE, "declined_at" TIMESTAMP WITH TIME ZONE, "decline_reason" text, "invoice_id" uuid, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_quotes_totals" CHECK ("total_minor" = "subtotal_minor" + "tax_minor" AND "subtotal_minor" >= 0 AND "tax_minor" >= 0), CONSTRAINT "CHK_quotes_deposit" CHECK (("deposit_percent" IS NULL OR "deposit_minor" IS NULL) AND ("deposit_percent" IS NULL OR ("deposit_percent" > 0 AND "deposit_percent" <= 100)) AND ("deposit_minor" IS NULL OR "deposit_minor" > 0)), CONSTRAINT "CHK_quotes_valid_until" CHECK ("status" = 'draft' OR ("valid_until" IS NOT NULL AND "issue_date" IS NOT NULL)), CONSTRAINT "CHK_quotes_number" CHECK (("status" = 'draft') = ("number" IS NULL)), CONSTRAINT "CHK_quotes_status" CHECK ("status" IN ('draft', 'sent', 'accepted', 'declined')), CONSTRAINT "PK_99a0e8bcbcd8719d3a41f23c263" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_quotes_invoice" ON "quotes" ("invoice_id")`);
    await q.query(`CREATE INDEX "idx_quotes_client" ON "quotes" ("client_id", "created_at")`);
    await q.query(`CREATE INDEX "idx_quotes_order" ON "quotes" ("created_at", "id")`);
    await q.query(`CREATE UNIQUE INDEX "UQ_quotes_number" ON "quotes" ("number")`);
    await q.query(`CREATE TABLE "quote_lines" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "quote_id" uuid NOT NULL, "position" integer NOT NULL, "kind" character varying(20) NOT NULL DEFAULT 'manual', "booking_id" uuid, "description" text NOT NULL, "quantity" numeric(12,3) NOT NULL, "unit" character varying(20), "unit_price_minor" bigint NOT NULL, "discount_minor" bigint NOT NULL DEFAULT '0', "tax_rate_id" uuid, "tax_name" character varying(100), "tax_rate_percent" numeric(7,4) NOT NULL DEFAULT '0', "tax_inclusive" boolean NOT NULL DEFAULT false, "net_minor" bigint NOT NULL, "tax_minor" bigint NOT NULL, "gross_minor" bigint NOT NULL, CONSTRAINT "UQ_quote_lines_position" UNIQUE ("quote_id", "position") DEFERRABLE INITIALLY DEFERRED, CONSTRAINT "CHK_quote_lines_position" CHECK ("position" >= 1), CONSTRAINT "CHK_quote_lines_tax" CHECK ("tax_rate_percent" >= 0 AND "tax_rate_percent" <= 100), CONSTRAINT "CHK_quote_lines_amounts" CHECK ("quantity" >= 0 AND "unit_price_minor" >= 0 AND "discount_minor" >= 0 AND "net_minor" >= 0 AND "tax_minor" >= 0 AND "gross_minor" = "net_minor" + "tax_minor"), CONSTRAINT "CHK_quote_lines_kind" CHECK ("kind" IN ('manual', 'room', 'engineer', 'equipment', 'deposit')), CONSTRAINT "PK_4589e13e3a55c06472a7dee6e31" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_quote_lines_booking" ON "quote_lines" ("booking_id")`);
    await q.query(`CREATE INDEX IF NOT EXISTS "idx_invoices_quote" ON "invoices" ("quote_id")`);
    await q.query(`ALTER TABLE "invoices" ADD CONSTRAINT "FK_ef437a9f7fe270821665a27863f" FOREIGN KEY ("quote_id") REFERENCES "quotes"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "quotes" ADD CONSTRAINT "FK_c7436620804208a7496ad03aff9" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "quotes" ADD CONSTRAINT "FK_48f2dd2ff22c259c8a028267f76" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "quotes" ADD CONSTRAINT "FK_f0ed2f7e07d7c1bdc02518386bd" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "quotes" ADD CONSTRAINT "FK_2deee476e8b81c368e63fd1d52d" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE SET NULL ON UPDATE NO ACTION DEFERRABLE INITIALLY IMMEDIATE`);
    await q.query(`ALTER TABLE "quote_lines" ADD CONSTRAINT "FK_0338d96b421976a57a640570a38" FOREIGN KEY ("quote_id") REFERENCES "quotes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "quote_lines" ADD CONSTRAINT "FK_97750a6c9d9700359114373858c" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "quote_lines" ADD CONSTRAINT "FK_2af0912a6791632ce6de19907e5" FOREIGN KEY ("tax_rate_id") REFERENCES "tax_rates"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await setTablesAside(q, TABLES); // never drops studio data (rollback-safe.ts); invoices.quote_id stays
  }
}
