import { EventEmitter } from 'node:events';
import { type EntitySubscriberInterface, EventSubscriber, type TransactionCommitEvent } from 'typeorm';

/**
 * Issue 13, realtime: tells the dispatcher that a tenant transaction which recorded events has just
 * committed, so they are turned into notifications at once instead of at the next sweep. recordEvent marks
 * its transaction (QueryRunner.data); this subscriber, on every tenant pool, emits after the outermost
 * COMMIT, naming the studio whose pool committed (openVerifiedPool names each pool `rsm:<tenant id>`): the
 * caller may have none (accepting an invitation is public) or another (a change spanning studios). Only a hint: losing it (a crash right after COMMIT)
 * delays the events until the sweep, it never loses them (they are rows in `outbox`).
 */
export const outboxCommits = new EventEmitter<{ committed: [tenantId: string | undefined] }>();
outboxCommits.setMaxListeners(0); // one listener per app instance; tests start several in one process

export const OUTBOX_RECORDED = 'rsm:outboxRecorded';

@EventSubscriber() // only on the data sources that list it (the tenant pools)
export class OutboxCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit(event: TransactionCommitEvent): void {
    const runner = event.queryRunner;
    if (runner.isTransactionActive || !runner.data?.[OUTBOX_RECORDED]) return; // a savepoint, or nothing recorded
    delete runner.data[OUTBOX_RECORDED];
    outboxCommits.emit('committed', tenantOfPool((event.dataSource.options as { applicationName?: string }).applicationName));
  }
}

/** The studio a tenant pool belongs to, from its application_name (`rsm:<organization id>`, tenant-pool-verification.ts). */
export function tenantOfPool(applicationName: string | undefined): string | undefined {
  return /^rsm:([0-9a-f-]{36})$/.exec(applicationName ?? '')?.[1];
}
