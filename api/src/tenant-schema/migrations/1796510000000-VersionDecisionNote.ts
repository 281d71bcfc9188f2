import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10: the note a reviewer gives with a decision ("vocals up in the chorus") is kept on the version,
 * not only in its event and audit entry, so the page can show it.
 */
export class VersionDecisionNote1796510000000 implements MigrationInterface {
  name = 'VersionDecisionNote1796510000000';

  async up(q: QueryRunner): Promise<void> {
    // IF NOT EXISTS: after a rollback the column is still there (down keeps it, see below).
    await q.query(`ALTER TABLE "deliverable_versions" ADD COLUMN IF NOT EXISTS "decision_note" text`);
    await q.query(`ALTER TABLE "deliverable_versions" DROP CONSTRAINT IF EXISTS "CHK_deliverable_versions_decision_note"`);
    await q.query(`ALTER TABLE "deliverable_versions" ADD CONSTRAINT "CHK_deliverable_versions_decision_note" CHECK (char_length("decision_note") <= 2000)`);
  }

  async down(): Promise<void> {
    // Never drops studio data (rollback-safe.ts): the nullable column stays, and the older code ignores it.
  }
}
