import type { MigrationInterface, QueryRunner } from 'typeorm';

/** rate-limiter-flexible's counter table, for RATE_LIMIT_STORE=postgres (see api/src/rate-limit/). */
export class RateLimits1764500000000 implements MigrationInterface {
  name = 'RateLimits1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "rate_limits" ("key" character varying(255) NOT NULL, "points" integer NOT NULL DEFAULT '0', "expire" bigint, CONSTRAINT "PK_8cb6aa4831e3e775ccf370521db" PRIMARY KEY ("key"))`);
    await q.query(`CREATE INDEX "IDX_cac030c83c48caa700859f20c8" ON "rate_limits" ("expire")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "rate_limits"`);
  }
}
