import type { MigrationInterface, QueryRunner } from 'typeorm';
import { restoreTablesSetAside, setTablesAside } from '../rollback-safe.js';

const TABLES = ['webhook_endpoints', 'webhook_deliveries'];

/**
 * Issue 13, webhooks: integrators' endpoints (URL, event filter, signing secret, enabled, failing since) and
 * the delivery log (one row per event and endpoint, with its attempts). A rollback sets both aside.
 */
export class CreateWebhooks1796940000000 implements MigrationInterface {
  name = 'CreateWebhooks1796940000000';

  async up(q: QueryRunner): Promise<void> {
    if (await restoreTablesSetAside(q, TABLES)) return;
    await q.query(`CREATE TABLE "webhook_endpoints" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "url" character varying(2048) NOT NULL, "description" character varying(500), "events" character varying(100) array NOT NULL, "secret" character varying(100) NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "disabled_reason" character varying(200), "failing_since" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_webhook_endpoints" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "endpoint_id" uuid NOT NULL, "event_id" bigint, "event_type" character varying(100) NOT NULL, "data" jsonb NOT NULL, "event_created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'pending', "attempt_count" integer NOT NULL DEFAULT 0, "next_attempt_at" TIMESTAMP WITH TIME ZONE, "give_up_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_attempt_at" TIMESTAMP WITH TIME ZONE, "last_response_code" integer, "last_duration_ms" integer, "last_error" character varying(500), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_webhook_deliveries_status" CHECK ("status" IN ('pending', 'succeeded', 'failed', 'abandoned')), CONSTRAINT "PK_webhook_deliveries" PRIMARY KEY ("id"), CONSTRAINT "FK_webhook_deliveries_endpoint" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await q.query(`CREATE UNIQUE INDEX "UQ_webhook_deliveries_endpoint_event" ON "webhook_deliveries" ("endpoint_id", "event_id")`);
    await q.query(`CREATE INDEX "idx_webhook_deliveries_endpoint" ON "webhook_deliveries" ("endpoint_id", "created_at", "id")`);
    // What the worker claims: due attempts only, however long the log grows.
    await q.query(`CREATE INDEX "idx_webhook_deliveries_due" ON "webhook_deliveries" ("next_attempt_at") WHERE "status" IN ('pending', 'failed')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await setTablesAside(q, TABLES); // never drops studio data (rollback-safe.ts)
  }
}
