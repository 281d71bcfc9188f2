import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 7, accounts and access: pending invitations and integrators' API keys. */
export class AccountsAccess1764600000000 implements MigrationInterface {
  name = 'AccountsAccess1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "created_by" uuid NOT NULL, "name" character varying(100) NOT NULL, "prefix" character(12) NOT NULL, "secret_hash" character(64) NOT NULL, "role" "public"."membership_role" NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_6f6105c8efe05b310d046cbdb3d" UNIQUE ("prefix"), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_a283bdef18876e525aefaec042" ON "api_keys" ("organization_id")`);
    await q.query(`CREATE INDEX "IDX_983d7eb19ca94bb8e343293068" ON "api_keys" ("created_by")`);
    await q.query(`CREATE TABLE "invites" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "email" character varying(320) NOT NULL, "role" "public"."membership_role" NOT NULL, "token_hash" character(64) NOT NULL, "invited_by" uuid, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_0843131f4ae91435709527a4f18" UNIQUE ("token_hash"), CONSTRAINT "PK_aa52e96b44a714372f4dd31a0af" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_6e727f063d839c0090364ea95f" ON "invites" ("invited_by")`);
    await q.query(`CREATE UNIQUE INDEX "IDX_508f3cb117f5e6cb32ddd15845" ON "invites" ("organization_id", "email")`);
    await q.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "FK_a283bdef18876e525aefaec042f" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "FK_983d7eb19ca94bb8e343293068e" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "invites" ADD CONSTRAINT "FK_908b1dec8c6907c99a381e5c580" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "invites" ADD CONSTRAINT "FK_6e727f063d839c0090364ea95f3" FOREIGN KEY ("invited_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "invites"`);
    await q.query(`DROP TABLE "api_keys"`);
  }
}
