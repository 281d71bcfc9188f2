import type { MigrationInterface, QueryRunner } from 'typeorm';
import { restoreTablesSetAside, setTablesAside } from '../rollback-safe.js';

/** Issue 9 (booking-extras): recall / track sheets, one row per saved version of a booking's sheet. */
export class CreateRecallSheets1796150000000 implements MigrationInterface {
  name = 'CreateRecallSheets1796150000000';

  async up(q: QueryRunner): Promise<void> {
    if (await restoreTablesSetAside(q, ['booking_recall_sheets'])) return; // rolled back earlier: its rows come back
    await q.query(`CREATE TABLE "booking_recall_sheets" ("booking_id" uuid NOT NULL, "version" integer NOT NULL, "tracks" jsonb NOT NULL, "settings" jsonb NOT NULL, "notes" text NOT NULL, "saved_by" uuid, "saved_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_booking_recall_sheets_version" CHECK ("version" >= 1), CONSTRAINT "PK_945a0c8182e92bb42c3f439eeb6" PRIMARY KEY ("booking_id", "version"))`);
    await q.query(`ALTER TABLE "booking_recall_sheets" ADD CONSTRAINT "FK_f7018d3242e6f33c8f3ec30a205" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await setTablesAside(q, ['booking_recall_sheets']); // never drops studio data (rollback-safe.ts)
  }
}
