import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11: a split invoice's settlement removes a share left with nothing paid and nothing to pay
 * (a credit note covering it, a refund re-splitting the balance), and re-splitting or un-splitting an
 * invoice replaces its shares. A payment or a checkout link that named such a share used to block
 * that delete (ON DELETE RESTRICT): the whole settlement rolled back, so a credit note answered 500
 * and a Stripe refund webhook failed on every retry. Naming a share is a pointer, not ownership: the
 * payment and the checkout session keep their amounts and stop naming it. A share with money paid
 * on it is never deleted (the services check paid_minor first), so nothing paid loses its share.
 */
const FOREIGN_KEYS = [
  { table: 'payments', name: 'FK_9fad3ac98b539723d871c77df92' },
  { table: 'checkout_sessions', name: 'FK_84a79306c4d5429bdb1b220bb44' },
];

export class SharesDetachOnDelete1796620000000 implements MigrationInterface {
  name = 'SharesDetachOnDelete1796620000000';

  async up(q: QueryRunner): Promise<void> {
    await setShareReference(q, 'SET NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    // Constraint only, no data: the older code's schema had RESTRICT.
    await setShareReference(q, 'RESTRICT');
  }
}

async function setShareReference(q: QueryRunner, onDelete: 'SET NULL' | 'RESTRICT'): Promise<void> {
  for (const { table, name } of FOREIGN_KEYS) {
    await q.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${name}"`);
    await q.query(`ALTER TABLE "${table}" ADD CONSTRAINT "${name}" FOREIGN KEY ("share_id") REFERENCES "invoice_shares"("id") ON DELETE ${onDelete} ON UPDATE NO ACTION`);
  }
}
