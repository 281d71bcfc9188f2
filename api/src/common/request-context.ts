import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Caller } from '../auth/auth.types.js';

/**
 * The request being served, for singletons that need it (TenantConnection). Each request runs in
 * its own AsyncLocalStorage context entered by an onRequest hook (see app.factory.ts), so the
 * store is per request by construction: there is no shared "current request" to overwrite.
 *
 * Why not a request-scoped provider: bench/request-scope measures Nest's per-request DI at +30 % or
 * more latency on a small route, and it took the real clients list from 0.59× to 0.50× of a raw
 * Fastify baseline (BENCHMARKS.md), far over DESIGN.md's 5 % budget.
 */
@Injectable()
export class RequestContext {
  private readonly storage = new AsyncLocalStorage<FastifyRequest>();

  /** Runs the rest of the request (`next`) inside its own context. */
  run(request: FastifyRequest, next: () => void): void {
    this.storage.run(request, next);
  }

  /** The authenticated caller of the current request (session or API key), if any. */
  principal(): Caller | undefined {
    return (this.storage.getStore() as (FastifyRequest & { user?: Caller }) | undefined)?.user;
  }

  /** The client address of the current request (after TRUST_PROXY), for the audit log. */
  ip(): string | undefined {
    return this.storage.getStore()?.ip;
  }
}
