import type { MigrationInterface, QueryRunner } from 'typeorm';
import { restoreTablesSetAside, setTablesAside } from '../rollback-safe.js';

/** Set aside by a rollback (rsm migrate --to), with their rows; their triggers travel with them. */
const TABLES = ['booking_equipment', 'booking_engineers', 'bookings'];

/**
 * Issue 9 (scheduling): bookings and their engineer/equipment assignments, with no double booking
 * guaranteed by PostgreSQL.
 *
 * Each table carries `span` = [starts_at - setup, ends_at + teardown) and `active` (the status occupies the
 * calendar) and an EXCLUDE USING gist constraint over (resource, span) WHERE active. `span` cannot be a
 * generated column (timestamptz ± interval is not immutable: it depends on the session's time zone for day
 * arithmetic, though minutes never do), so triggers keep it: BEFORE INSERT/UPDATE on bookings computes it,
 * AFTER UPDATE copies it into the assignment rows, and BEFORE INSERT/UPDATE on assignment rows reads it from
 * their booking. The API therefore never writes span/active, and a raw SQL write is checked the same way.
 *
 * btree_gist (for `uuid WITH =` in a gist index) is a trusted extension: the migrating role (the database
 * owner) may create it, and CREATE DATABASE ... TEMPLATE copies it into every new studio's database.
 */
export class CreateBookings1796100000000 implements MigrationInterface {
  name = 'CreateBookings1796100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    // Rolled back earlier: the studio's bookings come back (the trigger functions were kept for them).
    if (await restoreTablesSetAside(q, TABLES)) return;
    await q.query(`CREATE TABLE "bookings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "client_id" uuid NOT NULL, "room_id" uuid NOT NULL, "project_id" uuid, "series_id" uuid, "title" character varying(200) NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "setup_minutes" integer NOT NULL DEFAULT '0', "teardown_minutes" integer NOT NULL DEFAULT '0', "status" character varying(20) NOT NULL DEFAULT 'confirmed', "hold_expires_at" TIMESTAMP WITH TIME ZONE, "cancellation_reason" character varying(500), "notes" text, "hourly_rate_minor" integer NOT NULL, "day_rate_minor" integer, "currency" character(3) NOT NULL, "actual_start_at" TIMESTAMP WITH TIME ZONE, "actual_end_at" TIMESTAMP WITH TIME ZONE, "access_code" character varying(16) NOT NULL, "rules_overridden_by" uuid, "created_by" uuid, "span" tstzrange NOT NULL, "active" boolean NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_bookings_actuals" CHECK ("actual_end_at" IS NULL OR ("actual_start_at" IS NOT NULL AND "actual_end_at" >= "actual_start_at")), CONSTRAINT "CHK_bookings_rates" CHECK ("hourly_rate_minor" >= 0 AND ("day_rate_minor" IS NULL OR "day_rate_minor" >= 0)), CONSTRAINT "CHK_bookings_hold_expiry" CHECK ("status" <> 'hold' OR "hold_expires_at" IS NOT NULL), CONSTRAINT "CHK_bookings_status" CHECK ("status" IN ('hold', 'confirmed', 'in_progress', 'completed', 'cancelled', 'no_show')), CONSTRAINT "CHK_bookings_buffers" CHECK ("setup_minutes" >= 0 AND "setup_minutes" <= 1440 AND "teardown_minutes" >= 0 AND "teardown_minutes" <= 1440), CONSTRAINT "CHK_bookings_order" CHECK ("ends_at" > "starts_at"), CONSTRAINT "EXC_bookings_room_overlap" EXCLUDE USING gist ("room_id" WITH =, "span" WITH &&) WHERE ("active"), CONSTRAINT "PK_bee6805982cc1e248e94ce94957" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_bookings_series" ON "bookings"("series_id", "starts_at")`);
    await q.query(`CREATE TABLE "booking_engineers" ("booking_id" uuid NOT NULL, "user_id" uuid NOT NULL, "span" tstzrange NOT NULL, "active" boolean NOT NULL, CONSTRAINT "EXC_booking_engineers_overlap" EXCLUDE USING gist ("user_id" WITH =, "span" WITH &&) WHERE ("active"), CONSTRAINT "PK_d52357ef96f6df8be947bf393c6" PRIMARY KEY ("booking_id", "user_id"))`);
    await q.query(`CREATE TABLE "booking_equipment" ("booking_id" uuid NOT NULL, "equipment_id" uuid NOT NULL, "span" tstzrange NOT NULL, "active" boolean NOT NULL, CONSTRAINT "EXC_booking_equipment_overlap" EXCLUDE USING gist ("equipment_id" WITH =, "span" WITH &&) WHERE ("active"), CONSTRAINT "PK_b29eeb258bb4956dbd26675f85c" PRIMARY KEY ("booking_id", "equipment_id"))`);
    await q.query(`CREATE INDEX "idx_booking_equipment_item" ON "booking_equipment"("equipment_id")`);
    await q.query(`ALTER TABLE "bookings" ADD CONSTRAINT "FK_23096dca2f7a9d1505d0267d4c6" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "bookings" ADD CONSTRAINT "FK_0b0fc32fe6bd0119e281628df7a" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "booking_engineers" ADD CONSTRAINT "FK_68457e8cdd895e52fd88c9b01f5" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "booking_equipment" ADD CONSTRAINT "FK_95a2f0cac9c99a594ea0b2c1d69" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "booking_equipment" ADD CONSTRAINT "FK_c1d1e206962f98c4f7307e7f246" FOREIGN KEY ("equipment_id") REFERENCES "equipment"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    // The calendar query (bookings overlapping [from, to) of any room) and the hold-expiry sweep.
    await q.query(`CREATE INDEX "idx_bookings_span" ON "bookings" USING gist ("span")`);
    await q.query(`CREATE INDEX "idx_bookings_hold_expiry" ON "bookings" ("hold_expires_at") WHERE "status" = 'hold'`);
    await q.query(`CREATE FUNCTION bookings_compute_span() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.span := tstzrange(NEW.starts_at - make_interval(mins => NEW.setup_minutes), NEW.ends_at + make_interval(mins => NEW.teardown_minutes), '[)');
  NEW.active := NEW.status IN ('hold', 'confirmed', 'in_progress', 'completed');
  RETURN NEW;
END $$`);
    await q.query(`CREATE TRIGGER bookings_compute_span BEFORE INSERT OR UPDATE ON "bookings" FOR EACH ROW EXECUTE FUNCTION bookings_compute_span()`);
    await q.query(`CREATE FUNCTION bookings_propagate_span() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "booking_engineers" SET span = NEW.span, active = NEW.active WHERE booking_id = NEW.id;
  UPDATE "booking_equipment" SET span = NEW.span, active = NEW.active WHERE booking_id = NEW.id;
  RETURN NULL;
END $$`);
    await q.query(`CREATE TRIGGER bookings_propagate_span AFTER UPDATE ON "bookings" FOR EACH ROW WHEN (OLD.span IS DISTINCT FROM NEW.span OR OLD.active IS DISTINCT FROM NEW.active) EXECUTE FUNCTION bookings_propagate_span()`);
    await q.query(`CREATE FUNCTION booking_assignment_copy_span() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT b.span, b.active INTO NEW.span, NEW.active FROM "bookings" b WHERE b.id = NEW.booking_id;
  RETURN NEW;
END $$`);
    await q.query(`CREATE TRIGGER booking_engineers_copy_span BEFORE INSERT OR UPDATE ON "booking_engineers" FOR EACH ROW EXECUTE FUNCTION booking_assignment_copy_span()`);
    await q.query(`CREATE TRIGGER booking_equipment_copy_span BEFORE INSERT OR UPDATE ON "booking_equipment" FOR EACH ROW EXECUTE FUNCTION booking_assignment_copy_span()`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Never drops studio data (rollback-safe.ts). The trigger functions stay: the set-aside tables' triggers use them.
    // btree_gist stays too: other objects may use it, and dropping an extension is not this migration's to do.
    await setTablesAside(q, TABLES);
  }
}
