import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateClients1764000000001 implements MigrationInterface {
  name = 'CreateClients1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "clients" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "email" character varying(320), "phone" character varying(50), "company" character varying(200), "notes" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f1ab7cf3a5714dbc6bb4e1c28a4" PRIMARY KEY ("id"))`);
    // The list's sort order (case-insensitive name, then id for a stable cursor).
    await q.query(`CREATE INDEX "idx_clients_name_order" ON "clients" (lower("name"), "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "clients"`);
  }
}
