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

/**
 * A claimed key whose effect has not completed for this long is taken to be abandoned (the process
 * died mid-send) and may be claimed again. Longer than a mail can take: nodemailer gives up on a
 * silent SMTP server after 10 minutes (socketTimeout).
 */
const ABANDONED_CLAIM_MINUTES = 15;

/** Work with an effect outside the database (an email), done after the claim commits (see runWithEffect). */
export interface EffectSteps<P, T> {
  /** Checks and reads, in a transaction that commits (with the key's claim) before the effect. */
  prepare: (manager: EntityManager) => Promise<P>;
  /** Outside any transaction: no row is locked while it runs. Throwing releases the claim. */
  effect: (prepared: P) => Promise<void>;
  /** Records what was done, in a second transaction that also stores the answer under the key. */
  complete: (manager: EntityManager, prepared: P) => Promise<T>;
}

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
 * An effect outside the database (an email) does not belong in `work`: use `runWithEffect`, which
 * commits before the effect and records after it.
 */
@Injectable()
export class IdempotentWrites {
  constructor(private readonly tenant: TenantConnection) {}

  async run<T>(scope: string, key: string | undefined, request: unknown, work: (manager: EntityManager) => Promise<T>): Promise<IdempotentResult<T>> {
    if (key === undefined) return { replayed: false, body: await this.tenant.transaction(work) };
    const requestHash = hashRequest(key, request);
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

  /**
   * For work whose effect cannot be rolled back (an email), so it must not run inside a transaction
   * that holds locks or could still fail after it: commit first, then act, then record.
   *
   *  1. `prepare` runs in a transaction that also inserts the key as a claim (status 0, no answer) and commits;
   *  2. `effect` runs outside any transaction; if it throws, the claim is deleted and a retry does it all again;
   *  3. `complete` runs in a second transaction that stores the answer under the key.
   *
   * A retry after step 3 gets the stored answer and nothing is done again. A retry while the claim is
   * still open (another request is in step 2) is a 409 `idempotency-key-in-use` (as the IETF
   * Idempotency-Key draft says): it can be retried a moment later. A claim left open longer than
   * ABANDONED_CLAIM_MINUTES (the process died in step 2 or 3) may be claimed again: if the effect had
   * happened, it happens twice — the one case a retry repeats it.
   */
  async runWithEffect<P, T>(scope: string, key: string | undefined, request: unknown, steps: EffectSteps<P, T>): Promise<IdempotentResult<T>> {
    if (key === undefined) {
      const prepared = await this.tenant.transaction(steps.prepare);
      await steps.effect(prepared);
      return { replayed: false, body: await this.tenant.transaction((m) => steps.complete(m, prepared)) };
    }
    const requestHash = hashRequest(key, request);
    const claimed = await this.tenant.transaction(async (m): Promise<{ replay: T } | { prepared: P }> => {
      const inserted = (await m.query(
        `INSERT INTO "idempotency_keys" ("scope", "key", "request_hash", "status_code") VALUES ($1, $2, $3, 0)
         ON CONFLICT ("scope", "key") DO NOTHING RETURNING "scope"`,
        [scope, key, requestHash],
      )) as unknown[];
      if (!inserted.length) {
        const [stored] = (await m.query(
          `SELECT "request_hash", "status_code", "response", "created_at" < now() - make_interval(mins => $3) AS "abandoned"
             FROM "idempotency_keys" WHERE "scope" = $1 AND "key" = $2 FOR UPDATE`,
          [scope, key, ABANDONED_CLAIM_MINUTES],
        )) as Array<{ request_hash: string; status_code: number; response: T; abandoned: boolean }>;
        if (stored.request_hash !== requestHash) {
          throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'idempotency-key-reused', 'This Idempotency-Key was used with a different request.');
        }
        if (stored.status_code !== 0) return { replay: stored.response };
        if (!stored.abandoned) {
          throw new ProblemException(HttpStatus.CONFLICT, 'idempotency-key-in-use', 'A request with this Idempotency-Key is still being processed: retry in a moment to get its answer.');
        }
        await m.query(`UPDATE "idempotency_keys" SET "created_at" = now() WHERE "scope" = $1 AND "key" = $2`, [scope, key]);
      }
      return { prepared: await steps.prepare(m) };
    });
    if ('replay' in claimed) return { replayed: true, body: claimed.replay };
    try {
      await steps.effect(claimed.prepared);
    } catch (err) {
      await this.tenant.transaction((m) => m.query(`DELETE FROM "idempotency_keys" WHERE "scope" = $1 AND "key" = $2 AND "status_code" = 0`, [scope, key]));
      throw err;
    }
    const body = await this.tenant.transaction(async (m) => {
      const done = await steps.complete(m, claimed.prepared);
      await m.query(`UPDATE "idempotency_keys" SET "status_code" = 200, "response" = $3 WHERE "scope" = $1 AND "key" = $2`, [scope, key, JSON.stringify(done ?? null)]);
      return done;
    });
    return { replayed: false, body };
  }
}

/**
 * A malformed key is a 400 (run and runWithEffect check it first). Exported for work that writes
 * something before its idempotent step (sendQuote numbers a draft first): check the key before that.
 */
export function assertIdempotencyKey(key: string | undefined): void {
  if (key !== undefined && !KEY.test(key)) {
    throw new ProblemException(HttpStatus.BAD_REQUEST, 'invalid-idempotency-key', 'Idempotency-Key must be 1 to 255 printable ASCII characters without spaces.');
  }
}

/** Checks the key's form; the SHA-256 of the request body, compared on a retry. */
function hashRequest(key: string, request: unknown): string {
  assertIdempotencyKey(key);
  return createHash('sha256').update(JSON.stringify(request ?? null)).digest('hex');
}
