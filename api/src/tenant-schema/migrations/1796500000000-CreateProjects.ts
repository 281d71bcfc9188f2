import type { MigrationInterface, QueryRunner } from 'typeorm';
import { restoreTablesSetAside, setTablesAside } from '../rollback-safe.js';

/** Tables this migration creates, in an order that satisfies their foreign keys. */
const TABLES = ['projects', 'tracks', 'files', 'file_peaks', 'deliverables', 'deliverable_versions', 'review_comments', 'outbox'];

/**
 * Issue 10: projects, tracks, files (+ waveform peaks), deliverables with versions and review comments,
 * and the outbox (domain events stored for the real-time issue). Bookings' project_id gains its
 * foreign key and index here; a rollback drops those (they hold no data) and sets the tables aside.
 */
export class CreateProjects1796500000000 implements MigrationInterface {
  name = 'CreateProjects1796500000000';

  async up(q: QueryRunner): Promise<void> {
    if (!(await restoreTablesSetAside(q, TABLES))) await this.createTables(q);
    await this.linkBookings(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "bookings" DROP CONSTRAINT "FK_bf35a1fd058f7fb8d5fd4ad0d0a"`);
    await q.query(`DROP INDEX "idx_bookings_project"`);
    await setTablesAside(q, TABLES); // never drops studio data (rollback-safe.ts)
  }

  private async linkBookings(q: QueryRunner): Promise<void> {
    // Before this migration (or while it was rolled back) bookings.project_id had no foreign key, so it
    // may hold ids of no project; they pointed at nothing already, and the constraint can't keep them.
    await q.query(`UPDATE "bookings" b SET "project_id" = NULL WHERE "project_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "projects" p WHERE p."id" = b."project_id")`);
    await q.query(`CREATE INDEX "idx_bookings_project" ON "bookings" ("project_id", "starts_at")`);
    await q.query(`ALTER TABLE "bookings" ADD CONSTRAINT "FK_bf35a1fd058f7fb8d5fd4ad0d0a" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  private async createTables(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "projects" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "client_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "type" character varying(20) NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'planned', "included_revision_rounds" integer NOT NULL DEFAULT '2', "budget_minor" bigint, "budget_currency" character(3), "due_date" date, "notes" text, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_projects_budget" CHECK (("budget_minor" IS NULL AND "budget_currency" IS NULL) OR ("budget_minor" >= 0 AND "budget_currency" IS NOT NULL)), CONSTRAINT "CHK_projects_rounds" CHECK ("included_revision_rounds" >= 0 AND "included_revision_rounds" <= 100), CONSTRAINT "CHK_projects_status" CHECK ("status" IN ('planned', 'in_progress', 'delivered', 'archived')), CONSTRAINT "CHK_projects_type" CHECK ("type" IN ('album', 'ep', 'single', 'podcast', 'soundtrack', 'other')), CONSTRAINT "PK_6271df0a7aed1d6c0691ce6ac50" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_projects_status_order" ON "projects" ("status", "created_at", "id")`);
    await q.query(`CREATE INDEX "idx_projects_client" ON "projects" ("client_id", "created_at")`);
    await q.query(`CREATE TABLE "tracks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "position" integer NOT NULL, "artist" character varying(200), "isrc" character(12), "bpm" numeric(6,2), "musical_key" character varying(20), "status" character varying(20) NOT NULL DEFAULT 'recording', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_tracks_project_position" UNIQUE ("project_id", "position") DEFERRABLE INITIALLY DEFERRED, CONSTRAINT "CHK_tracks_position" CHECK ("position" >= 1), CONSTRAINT "CHK_tracks_bpm" CHECK ("bpm" IS NULL OR ("bpm" > 0 AND "bpm" < 1000)), CONSTRAINT "CHK_tracks_isrc" CHECK ("isrc" IS NULL OR "isrc" ~ '^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$'), CONSTRAINT "CHK_tracks_status" CHECK ("status" IN ('recording', 'editing', 'mixing', 'mastering', 'done')), CONSTRAINT "PK_242a37ffc7870380f0e611986e8" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "files" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid, "track_id" uuid, "booking_id" uuid, "original_name" character varying(255) NOT NULL, "storage" character varying(10) NOT NULL, "storage_key" character varying(300) NOT NULL, "size_bytes" bigint NOT NULL, "content_type" character varying(127) NOT NULL, "declared_type" character varying(127), "sha256" character(64) NOT NULL, "peaks_status" character varying(10) NOT NULL DEFAULT 'none', "uploaded_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_e916afbf2015d561fd0842ff898" UNIQUE ("storage_key"), CONSTRAINT "CHK_files_peaks_status" CHECK ("peaks_status" IN ('none', 'pending', 'ready', 'failed')), CONSTRAINT "CHK_files_storage" CHECK ("storage" IN ('local', 's3')), CONSTRAINT "CHK_files_size" CHECK ("size_bytes" > 0), CONSTRAINT "CHK_files_owner" CHECK ("project_id" IS NOT NULL OR "booking_id" IS NOT NULL), CONSTRAINT "PK_6c16b9093a142e0e7613b04a3d9" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_files_booking" ON "files" ("booking_id")`);
    await q.query(`CREATE INDEX "idx_files_track" ON "files" ("track_id")`);
    await q.query(`CREATE INDEX "idx_files_project" ON "files" ("project_id", "created_at")`);
    await q.query(`CREATE TABLE "deliverables" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "project_id" uuid NOT NULL, "track_id" uuid, "title" character varying(200) NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'open', "rounds_used" integer NOT NULL DEFAULT '0', "approved_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_deliverables_rounds" CHECK ("rounds_used" >= 0), CONSTRAINT "CHK_deliverables_status" CHECK ("status" IN ('open', 'approved')), CONSTRAINT "PK_13367f7b271fb2b95ccb18d78a3" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_deliverables_project" ON "deliverables" ("project_id", "created_at")`);
    await q.query(`CREATE TABLE "deliverable_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "deliverable_id" uuid NOT NULL, "number" integer NOT NULL, "file_id" uuid NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'awaiting_review', "notes" text, "revision_round" integer, "extra_round" boolean NOT NULL DEFAULT false, "decided_at" TIMESTAMP WITH TIME ZONE, "decided_by_user_id" uuid, "decided_by_portal_account_id" uuid, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_deliverable_versions_number" UNIQUE ("deliverable_id", "number"), CONSTRAINT "CHK_deliverable_versions_round" CHECK (("status" = 'changes_requested') = ("revision_round" IS NOT NULL)), CONSTRAINT "CHK_deliverable_versions_number" CHECK ("number" >= 1), CONSTRAINT "CHK_deliverable_versions_status" CHECK ("status" IN ('awaiting_review', 'changes_requested', 'approved')), CONSTRAINT "PK_e5596f2a3726c79bc6e05bb0078" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "review_comments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version_id" uuid NOT NULL, "parent_id" uuid, "at_seconds" numeric(10,3), "end_seconds" numeric(10,3), "body" text NOT NULL, "resolved" boolean NOT NULL DEFAULT false, "resolved_at" TIMESTAMP WITH TIME ZONE, "author_user_id" uuid, "author_portal_account_id" uuid, "author_name" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_review_comments_author" CHECK ("author_user_id" IS NOT NULL OR "author_portal_account_id" IS NOT NULL), CONSTRAINT "CHK_review_comments_body" CHECK (char_length("body") BETWEEN 1 AND 5000), CONSTRAINT "CHK_review_comments_range" CHECK ("at_seconds" >= 0 AND ("end_seconds" IS NULL OR "end_seconds" > "at_seconds")), CONSTRAINT "CHK_review_comments_position" CHECK (("parent_id" IS NULL) = ("at_seconds" IS NOT NULL)), CONSTRAINT "PK_7a18556c348d381630855d05f0a" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_review_comments_parent" ON "review_comments" ("parent_id")`);
    await q.query(`CREATE INDEX "idx_review_comments_version" ON "review_comments" ("version_id", "at_seconds")`);
    await q.query(`CREATE TABLE "file_peaks" ("file_id" uuid NOT NULL, "duration_seconds" double precision NOT NULL, "sample_rate" integer NOT NULL, "channels" integer NOT NULL, "peaks" jsonb NOT NULL, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9b5694536cd2bf29d01aefb0248" PRIMARY KEY ("file_id"))`);
    await q.query(`CREATE TABLE "outbox" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "type" character varying(100) NOT NULL, "subject_type" character varying(50) NOT NULL, "subject_id" uuid NOT NULL, "payload" jsonb NOT NULL, "actor_id" uuid, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "dispatched_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`);
    await q.query(`ALTER TABLE "projects" ADD CONSTRAINT "FK_ca29f959102228649e714827478" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "tracks" ADD CONSTRAINT "FK_0d277c8a0ff5626f388bd2dfe06" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "files" ADD CONSTRAINT "FK_b3c17c323fdc479a109e517f138" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "files" ADD CONSTRAINT "FK_c0692d5b401ff5fed0ee1d12f2e" FOREIGN KEY ("track_id") REFERENCES "tracks"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "files" ADD CONSTRAINT "FK_66929251750703b76192f193589" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "deliverables" ADD CONSTRAINT "FK_6c2d7f581b9a17022806c9644a1" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "deliverables" ADD CONSTRAINT "FK_99592d44c23f131a2abe2c05fd1" FOREIGN KEY ("track_id") REFERENCES "tracks"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "deliverable_versions" ADD CONSTRAINT "FK_9c8f758495a8a4ef7e0733fe17c" FOREIGN KEY ("deliverable_id") REFERENCES "deliverables"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "deliverable_versions" ADD CONSTRAINT "FK_63b51346d51178651b28a50991c" FOREIGN KEY ("file_id") REFERENCES "files"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "review_comments" ADD CONSTRAINT "FK_53f29ba20c74dfa0c34404d5f1a" FOREIGN KEY ("version_id") REFERENCES "deliverable_versions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "review_comments" ADD CONSTRAINT "FK_4273cc28b4f580da698d4fa4bcf" FOREIGN KEY ("parent_id") REFERENCES "review_comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "file_peaks" ADD CONSTRAINT "FK_9b5694536cd2bf29d01aefb0248" FOREIGN KEY ("file_id") REFERENCES "files"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`CREATE INDEX "idx_outbox_undispatched" ON "outbox" ("id") WHERE "dispatched_at" IS NULL`);
  }
}
