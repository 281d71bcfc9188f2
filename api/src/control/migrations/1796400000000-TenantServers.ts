import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 8, ops-servers: the PostgreSQL servers tenants live on (no URLs: configuration gives those by
 * name), which `tenant_databases.server` must name, and the record of tenant moves (old copies to drop).
 * Expand-only: the previous release never reads these tables, and every server name it wrote
 * ('default') gets its row before the foreign key is added.
 */
export class TenantServers1796400000000 implements MigrationInterface {
  name = 'TenantServers1796400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE "public"."tenant_server_status" AS ENUM('active', 'draining', 'offline')`);
    await q.query(`CREATE TABLE "tenant_servers" ("name" character varying(100) NOT NULL, "capacity" integer NOT NULL DEFAULT '5000', "status" "public"."tenant_server_status" NOT NULL DEFAULT 'active', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0199a805992953f26ae01834aed" PRIMARY KEY ("name"))`);
    await q.query(`CREATE TYPE "public"."tenant_move_status" AS ENUM('copying', 'done', 'failed')`);
    await q.query(`CREATE TABLE "tenant_moves" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "database_name" character varying(63) NOT NULL, "from_server" character varying(100) NOT NULL, "to_server" character varying(100) NOT NULL, "status" "public"."tenant_move_status" NOT NULL, "retired_database" character varying(63), "report" jsonb, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, "drop_after" TIMESTAMP WITH TIME ZONE, "dropped_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_c1da0b48cdf25a4aa447c83d68f" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_tenant_moves_pending_drop" ON "tenant_moves"  ("drop_after") WHERE "dropped_at" IS NULL`);
    // Every server a registry row already names (only 'default' so far) becomes a known server.
    await q.query(`INSERT INTO "tenant_servers" ("name") SELECT 'default' UNION SELECT DISTINCT "server" FROM "tenant_databases"`);
    await q.query(`ALTER TABLE "tenant_databases" ADD CONSTRAINT "FK_d200b3db5aa368ff63c2d9f74e5" FOREIGN KEY ("server") REFERENCES "tenant_servers"("name") ON DELETE RESTRICT ON UPDATE CASCADE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tenant_databases" DROP CONSTRAINT "FK_d200b3db5aa368ff63c2d9f74e5"`);
    await q.query(`DROP INDEX "public"."idx_tenant_moves_pending_drop"`);
    await q.query(`DROP TABLE "tenant_moves"`);
    await q.query(`DROP TYPE "public"."tenant_move_status"`);
    await q.query(`DROP TABLE "tenant_servers"`);
    await q.query(`DROP TYPE "public"."tenant_server_status"`);
  }
}
