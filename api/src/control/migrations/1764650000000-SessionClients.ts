import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 7, accounts-mail: the user agent and IP address a session started from, for the user's list
 * of their sessions. Sessions that exist before this migration show neither (null).
 */
export class SessionClients1764650000000 implements MigrationInterface {
  name = 'SessionClients1764650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "sessions" ADD "user_agent" character varying(512)`);
    await q.query(`ALTER TABLE "sessions" ADD "ip_address" character varying(64)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "sessions" DROP COLUMN "ip_address"`);
    await q.query(`ALTER TABLE "sessions" DROP COLUMN "user_agent"`);
  }
}
