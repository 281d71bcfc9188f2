import type { MigrationInterface, QueryRunner } from 'typeorm';
import { restoreTablesSetAside, setTablesAside } from '../rollback-safe.js';

/** Issue 8, ops-cli: what a rollback sets aside and a roll-forward brings back (rollback-safe.ts). */
const TABLES = ['equipment', 'rooms', 'engineer_time_off', 'engineer_profiles', 'studio_settings'];

/**
 * Issue 9 (scheduling): what a studio books. Studio settings (one row, created here so reads never invent
 * defaults), rooms, equipment, and engineers' working hours and time off (engineers are members: their
 * user id comes from the control database).
 */
export class CreateStudioResources1796000000000 implements MigrationInterface {
  name = 'CreateStudioResources1796000000000';

  async up(q: QueryRunner): Promise<void> {
    if (await restoreTablesSetAside(q, TABLES)) return; // rolled back earlier: the studio's rows come back
    await q.query(`CREATE TABLE "engineer_profiles" ("user_id" uuid NOT NULL, "working_hours" jsonb NOT NULL DEFAULT '[]', "specialties" character varying(200), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_55271b3dfc23a57ed436d82198d" PRIMARY KEY ("user_id"))`);
    await q.query(`CREATE TABLE "engineer_time_off" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" character varying(200), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_engineer_time_off_order" CHECK ("ends_at" > "starts_at"), CONSTRAINT "PK_7c21a517c4d7191be4bb337ff3f" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_engineer_time_off_user" ON "engineer_time_off"("user_id", "starts_at")`);
    await q.query(`CREATE TABLE "rooms" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(120) NOT NULL, "description" text, "capacity" integer, "hourly_rate_minor" integer NOT NULL DEFAULT '0', "day_rate_minor" integer, "currency" character(3) NOT NULL, "colour" character varying(7) NOT NULL DEFAULT '#6366f1', "active" boolean NOT NULL DEFAULT true, "min_notice_minutes" integer NOT NULL DEFAULT '0', "min_length_minutes" integer NOT NULL DEFAULT '30', "max_length_minutes" integer, "opening_hours" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_rooms_lengths" CHECK ("min_notice_minutes" >= 0 AND "min_length_minutes" >= 1 AND ("max_length_minutes" IS NULL OR "max_length_minutes" >= "min_length_minutes")), CONSTRAINT "CHK_rooms_capacity" CHECK ("capacity" IS NULL OR "capacity" >= 1), CONSTRAINT "CHK_rooms_rates" CHECK ("hourly_rate_minor" >= 0 AND ("day_rate_minor" IS NULL OR "day_rate_minor" >= 0)), CONSTRAINT "PK_0368a2d7c215f2d0458a54933f2" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "equipment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "category" character varying(80) NOT NULL, "serial_number" character varying(120), "home_room_id" uuid, "status" character varying(20) NOT NULL DEFAULT 'available', "rate_minor" integer, "rate_unit" character varying(10) NOT NULL DEFAULT 'session', "currency" character(3), "notes" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_equipment_rate_unit" CHECK ("rate_unit" IN ('hour', 'session')), CONSTRAINT "CHK_equipment_rate" CHECK ("rate_minor" IS NULL OR ("rate_minor" >= 0 AND "currency" IS NOT NULL)), CONSTRAINT "CHK_equipment_status" CHECK ("status" IN ('available', 'maintenance', 'retired')), CONSTRAINT "PK_0722e1b9d6eb19f5874c1678740" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "studio_settings" ("id" smallint NOT NULL DEFAULT '1', "time_zone" character varying(64) NOT NULL DEFAULT 'UTC', "default_currency" character(3) NOT NULL DEFAULT 'EUR', "opening_hours" jsonb NOT NULL DEFAULT '[]', "default_setup_minutes" integer NOT NULL DEFAULT '0', "default_teardown_minutes" integer NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_studio_settings_buffers" CHECK ("default_setup_minutes" >= 0 AND "default_teardown_minutes" >= 0), CONSTRAINT "CHK_studio_settings_singleton" CHECK ("id" = 1), CONSTRAINT "PK_ea6615c2d3ecc5a55696d18c00a" PRIMARY KEY ("id"))`);
    await q.query(`ALTER TABLE "equipment" ADD CONSTRAINT "FK_1ce487b78461c9afcdfcf7d2a36" FOREIGN KEY ("home_room_id") REFERENCES "rooms"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    // Room names are unique regardless of case ("Studio A" twice would make the calendar ambiguous).
    await q.query(`CREATE UNIQUE INDEX "idx_rooms_name_unique" ON "rooms" (lower("name"))`);
    // The equipment list's order (case-insensitive name, then id for a stable cursor).
    await q.query(`CREATE INDEX "idx_equipment_name_order" ON "equipment" (lower("name"), "id")`);
    await q.query(`INSERT INTO "studio_settings" ("id") VALUES (1)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await setTablesAside(q, TABLES);
  }
}
