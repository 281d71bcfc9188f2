import type { MigrationInterface, QueryRunner } from 'typeorm';
import { restoreTablesSetAside, setTablesAside } from '../rollback-safe.js';

/** Tables this migration creates, in an order that satisfies their foreign keys. */
const TABLES = ['client_portal_accounts', 'client_portal_sessions', 'client_portal_tokens'];

/**
 * Issue 12, portal: client portal accounts (a client's contacts who may sign in, email unique in the
 * studio case-insensitively), their sessions (hashed tokens, idle and absolute expiry) and one-time
 * links (invitations, magic links; hashed). All in the studio's own database.
 */
export class CreatePortal1796810000000 implements MigrationInterface {
  name = 'CreatePortal1796810000000';

  async up(q: QueryRunner): Promise<void> {
    if (await restoreTablesSetAside(q, TABLES)) return;
    await q.query(`CREATE TABLE "client_portal_accounts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "client_id" uuid NOT NULL, "email" character varying(320) NOT NULL, "name" character varying(200), "password_hash" character varying(255), "disabled_at" TIMESTAMP WITH TIME ZONE, "last_login_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_client_portal_accounts_email" CHECK ("email" = lower(btrim("email"))), CONSTRAINT "PK_a41e8e9771a13d9f7041812b1dc" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_client_portal_accounts_client" ON "client_portal_accounts" ("client_id", "created_at")`);
    await q.query(`CREATE UNIQUE INDEX "UQ_client_portal_accounts_email" ON "client_portal_accounts" ("email")`);
    await q.query(`CREATE TABLE "client_portal_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" character(64) NOT NULL, "account_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "idle_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "user_agent" character varying(512), CONSTRAINT "PK_d578a271624ff9190cefbc512f3" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_client_portal_sessions_account" ON "client_portal_sessions" ("account_id")`);
    await q.query(`CREATE UNIQUE INDEX "UQ_client_portal_sessions_token" ON "client_portal_sessions" ("token_hash")`);
    await q.query(`CREATE TABLE "client_portal_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" character(64) NOT NULL, "account_id" uuid NOT NULL, "purpose" character varying(20) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_client_portal_tokens_purpose" CHECK ("purpose" IN ('invite', 'magic-link')), CONSTRAINT "PK_84ff0db87cb1fa677db12ff6573" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "idx_client_portal_tokens_account" ON "client_portal_tokens" ("account_id", "purpose")`);
    await q.query(`CREATE UNIQUE INDEX "UQ_client_portal_tokens_hash" ON "client_portal_tokens" ("token_hash")`);
    await q.query(`ALTER TABLE "client_portal_accounts" ADD CONSTRAINT "FK_cf7171fc0ae24797761f010490b" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "client_portal_sessions" ADD CONSTRAINT "FK_df4c4e0831df336d76d694ddfb4" FOREIGN KEY ("account_id") REFERENCES "client_portal_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "client_portal_tokens" ADD CONSTRAINT "FK_60a569a4debac1c44f0af1de0da" FOREIGN KEY ("account_id") REFERENCES "client_portal_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await setTablesAside(q, TABLES); // never drops studio data (rollback-safe.ts)
  }
}
