import type { MigrationInterface, QueryRunner } from 'typeorm';
import { restoreTablesSetAside, setTablesAside } from '../rollback-safe.js';

/** Tables this migration creates. */
const TABLES = ['booking_requests'];

/**
 * Issue 12, booking requests: a portal client's request for a session (room or any, 1–3 preferred
 * windows, a length, notes) and what staff decided (approved with the booking made, declined with a reason).
 */
export class CreateBookingRequests1796900000000 implements MigrationInterface {
  name = 'CreateBookingRequests1796900000000';

  async up(q: QueryRunner): Promise<void> {
    if (await restoreTablesSetAside(q, TABLES)) return;
    await q.query(`CREATE TABLE "booking_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "client_id" uuid NOT NULL, "portal_account_id" uuid, "room_id" uuid, "preferred_slots" jsonb NOT NULL, "duration_minutes" integer NOT NULL, "notes" text, "status" character varying(20) NOT NULL DEFAULT 'pending', "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "decline_reason" character varying(500), "booking_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_booking_requests_decided" CHECK ("status" = 'pending' OR "decided_at" IS NOT NULL), CONSTRAINT "CHK_booking_requests_duration" CHECK ("duration_minutes" BETWEEN 15 AND 1440), CONSTRAINT "CHK_booking_requests_slots" CHECK (jsonb_typeof("preferred_slots") = 'array' AND jsonb_array_length("preferred_slots") BETWEEN 1 AND 3), CONSTRAINT "CHK_booking_requests_status" CHECK ("status" IN ('pending', 'approved', 'declined', 'withdrawn')), CONSTRAINT "PK_62c29ee249979fe0bcdcde33dae" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_booking_requests_client" ON "booking_requests" ("client_id", "created_at")`);
    await q.query(`CREATE INDEX "idx_booking_requests_status" ON "booking_requests" ("status", "created_at")`);
    await q.query(`ALTER TABLE "booking_requests" ADD CONSTRAINT "FK_5f1ca910ee96e6fb67a44485f5c" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "booking_requests" ADD CONSTRAINT "FK_87e9a186cb8c8d95567c6922271" FOREIGN KEY ("portal_account_id") REFERENCES "client_portal_accounts"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "booking_requests" ADD CONSTRAINT "FK_477f05a92d88b24c1b8d5ac9e49" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "booking_requests" ADD CONSTRAINT "FK_b396fc694bd397eaf854385cf26" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await setTablesAside(q, TABLES); // never drops studio data (rollback-safe.ts)
  }
}
