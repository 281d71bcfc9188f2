import { createHash } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { EntityManager } from 'typeorm';
import { ProblemException } from '../common/problem.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';

/** Header documented on every route that honours it (DESIGN.md "REST API conventions"). */
export const IdempotencyKeyHeader = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    // Bounded like every request string (test/openapi.e2e-spec.ts); KEY below enforces it.
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]{1,255}$' },
    description: 'Any unique string (a UUID) up to 255 characters: a retry with the same key and body returns the first answer instead of doing it again.',
  });

const KEY = /^[\x21-\x7e]{1,255}$/;

export interface IdempotentResult<T> {
  /** True when this is a retry answered from the first request's stored result. */
  replayed: boolean;
  body: T;
}

/**
 * Writes that a retry must not repeat (recording a payment, sending an invoice). With an
 * `Idempotency-Key`, the key row is inserted first in the same tenant transaction as the work: a
 * concurrent retry with the same key waits on that row, then finds the stored answer; a failed
 * attempt rolls the key back with everything else, so a retry does the work. The same key with a
 * different body is a client error (422), never a silent replay of something else.
 *
 * Side effects outside the database (an email) happen inside `work`, before the commit: a commit
 * failing after the mail left could still mail twice on retry; nothing can make mail transactional.
 */
@Injectable()
export class IdempotentWrites {
  constructor(private readonly tenant: TenantConnection) {}

  async run<T>(scope: string, key: string | undefined, request: unknown, work: (manager: EntityManager) => Promise<T>): Promise<IdempotentResult<T>> {
    if (key === undefined) return { replayed: false, body: await this.tenant.transaction(work) };
    if (!KEY.test(key)) {
      throw new ProblemException(HttpStatus.BAD_REQUEST, 'invalid-idempotency-key', 'Idempotency-Key must be 1 to 255 printable ASCII characters without spaces.');
    }
    const requestHash = createHash('sha256').update(JSON.stringify(request ?? null)).digest('hex');
    return this.tenant.transaction(async (m) => {
      const inserted = (await m.query(
        `INSERT INTO "idempotency_keys" ("scope", "key", "request_hash", "status_code") VALUES ($1, $2, $3, 0)
         ON CONFLICT ("scope", "key") DO NOTHING RETURNING "scope"`,
        [scope, key, requestHash],
      )) as unknown[];
      if (!inserted.length) {
        const [stored] = (await m.query(`SELECT "request_hash", "response" FROM "idempotency_keys" WHERE "scope" = $1 AND "key" = $2`, [scope, key])) as Array<{
          request_hash: string;
          response: T;
        }>;
        if (stored.request_hash !== requestHash) {
          throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'idempotency-key-reused', 'This Idempotency-Key was used with a different request.');
        }
        return { replayed: true, body: stored.response };
      }
      const body = await work(m);
      await m.query(`UPDATE "idempotency_keys" SET "status_code" = 200, "response" = $3 WHERE "scope" = $1 AND "key" = $2`, [scope, key, JSON.stringify(body ?? null)]);
      return { replayed: false, body };
    });
  }
}
