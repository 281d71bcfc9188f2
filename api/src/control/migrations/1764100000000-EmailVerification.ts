import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 5, sign-up protection: verified emails, the unverified studio's deadline and suspension,
 * and one-time tokens. Studios that exist before this migration keep a null deadline: they are not
 * put on probation retroactively.
 */
export class EmailVerification1764100000000 implements MigrationInterface {
  name = 'EmailVerification1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "one_time_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" character(64) NOT NULL, "purpose" character varying(40) NOT NULL, "user_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_22e595d22f108ce4f2843e043ae" UNIQUE ("token_hash"), CONSTRAINT "PK_8e470cc9ffc1b2afa054304db17" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_0dc2deee64e514ad6f7e69504e" ON "one_time_tokens" ("user_id")`);
    await q.query(`CREATE INDEX "IDX_60fdec2f662cd4053f347e3daa" ON "one_time_tokens" ("expires_at")`);
    await q.query(`ALTER TABLE "organizations" ADD "unverified_until" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "organizations" ADD "suspended_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "users" ADD "email_verified_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`CREATE INDEX "IDX_1049ad35095707ed9ed1a8d32e" ON "organizations" ("unverified_until")`);
    await q.query(`ALTER TABLE "one_time_tokens" ADD CONSTRAINT "FK_0dc2deee64e514ad6f7e69504e1" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "one_time_tokens" DROP CONSTRAINT "FK_0dc2deee64e514ad6f7e69504e1"`);
    await q.query(`DROP INDEX "public"."IDX_1049ad35095707ed9ed1a8d32e"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "email_verified_at"`);
    await q.query(`ALTER TABLE "organizations" DROP COLUMN "suspended_at"`);
    await q.query(`ALTER TABLE "organizations" DROP COLUMN "unverified_until"`);
    await q.query(`DROP INDEX "public"."IDX_60fdec2f662cd4053f347e3daa"`);
    await q.query(`DROP INDEX "public"."IDX_0dc2deee64e514ad6f7e69504e"`);
    await q.query(`DROP TABLE "one_time_tokens"`);
  }
}
