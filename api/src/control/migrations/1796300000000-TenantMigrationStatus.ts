import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 8, ops-cli: what the last `rsm migrate` (or start-up) did to each tenant database, so an
 * operator sees failures in the registry, and when the sweep first saw a database that no registry
 * row owns (PostgreSQL keeps no creation time a non-superuser can read, so the grace period starts
 * at the first sighting).
 */
export class TenantMigrationStatus1796300000000 implements MigrationInterface {
  name = 'TenantMigrationStatus1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tenant_databases" ADD "migration_status" character varying(20)`);
    await q.query(`ALTER TABLE "tenant_databases" ADD "migration_error" text`);
    await q.query(`ALTER TABLE "tenant_databases" ADD "migrated_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`CREATE TABLE "orphan_database_sightings" ("database_name" character varying(63) NOT NULL, "first_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_orphan_database_sightings" PRIMARY KEY ("database_name"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "orphan_database_sightings"`);
    await q.query(`ALTER TABLE "tenant_databases" DROP COLUMN "migrated_at"`);
    await q.query(`ALTER TABLE "tenant_databases" DROP COLUMN "migration_error"`);
    await q.query(`ALTER TABLE "tenant_databases" DROP COLUMN "migration_status"`);
  }
}
