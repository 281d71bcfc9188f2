import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 6: the client list sorts by date added too (both ways: a descending sort scans it backwards). */
export class ClientsCreatedOrder1795680000000 implements MigrationInterface {
  name = 'ClientsCreatedOrder1795680000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "idx_clients_created_order" ON "clients" ("created_at", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_clients_created_order"`);
  }
}
