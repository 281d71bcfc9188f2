import type { EntityManager } from 'typeorm';
import { OUTBOX_RECORDED } from './outbox-commits.js';

export interface DomainEvent {
  type: string;
  subjectType: string;
  subjectId: string;
  payload?: Record<string, unknown>;
  actorId?: string | null;
}

/**
 * Records a domain event in the outbox (table `outbox`, see OutboxEvent). Pass the manager of the transaction making the change: the
 * event then commits or rolls back with it (never an event for a change that did not happen).
 */
export async function recordEvent(manager: EntityManager, event: DomainEvent): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error(`recordEvent(${event.type}) outside a transaction: the event would not commit with its change`);
  await manager.query('INSERT INTO "outbox" ("type", "subject_type", "subject_id", "payload", "actor_id") VALUES ($1, $2, $3, $4, $5)', [
    event.type,
    event.subjectType,
    event.subjectId,
    JSON.stringify(event.payload ?? {}),
    event.actorId ?? null,
  ]);
  // Issue 13, realtime: after COMMIT, OutboxCommitSubscriber wakes the dispatcher (outbox-commits.ts).
  manager.queryRunner!.data = { ...manager.queryRunner!.data, [OUTBOX_RECORDED]: true };
}
