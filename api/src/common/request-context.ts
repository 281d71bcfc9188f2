import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Caller, PortalPrincipal } from '../auth/auth.types.js';

/**
 * The request being served, for singletons that need it (TenantConnection). Each request runs in
 * its own AsyncLocalStorage context entered by an onRequest hook (see app.factory.ts), so the
 * store is per request by construction: there is no shared "current request" to overwrite.
 *
 * Why not a request-scoped provider: bench/request-scope measures Nest's per-request DI at +30 % or
 * more latency on a small route, and it took the real clients list from 0.59× to 0.50× of a raw
 * Fastify baseline (BENCHMARKS.md), far over DESIGN.md's 5 % budget.
 */
/** The context of work done for one studio outside any request (a job): it names its tenant, and nothing else. */
interface TenantWork {
  tenantWork: { organizationId: string };
}

/**
 * One store for the process: each request (or tenant work) runs in its own context of it, so sharing it
 * between instances (tests build several apps in one process) shares nothing but the mechanism. Module
 * level so that the logger's mixin (logging.ts) reads the same request without a provider.
 */
const storage = new AsyncLocalStorage<FastifyRequest | TenantWork>();

/** Issue 14, perf: the request being served, if any (not tenant work): the log lines' request fields. */
export function currentRequest(): FastifyRequest | undefined {
  const store = storage.getStore();
  return store && !('tenantWork' in store) ? store : undefined;
}

@Injectable()
export class RequestContext {
  private readonly storage = storage;

  /** Runs the rest of the request (`next`) inside its own context. */
  run(request: FastifyRequest, next: () => void): void {
    this.storage.run(request, next);
  }

  /**
   * Issue 9 (bookings, hold expiry): runs `fn` as work of studio `organizationId` outside any request (a
   * job names its tenant), so TenantConnection reaches that studio's database by the same path as a
   * request. There is no caller: principal() is undefined and the audit log needs an explicit actor.
   */
  runForTenant<T>(organizationId: string, fn: () => Promise<T>): Promise<T> {
    return this.storage.run({ tenantWork: { organizationId } }, fn);
  }

  /** The studio the current request's caller (or the current tenant work) belongs to. */
  tenantId(): string | undefined {
    const store = this.storage.getStore();
    return store && 'tenantWork' in store ? store.tenantWork.organizationId : (this.principal()?.organizationId ?? this.portalPrincipal()?.organizationId);
  }

  /** The authenticated caller of the current request (session or API key), if any. */
  principal(): Caller | undefined {
    const store = this.storage.getStore();
    return store && !('tenantWork' in store) ? (store as FastifyRequest & { user?: Caller }).user : undefined;
  }

  /** Issue 12: the portal client of the current request (the portal cookie), if any; never a staff caller. */
  portalPrincipal(): PortalPrincipal | undefined {
    const store = this.storage.getStore();
    return store && !('tenantWork' in store) ? (store as FastifyRequest & { portal?: PortalPrincipal }).portal : undefined;
  }

  /** The client address of the current request (after TRUST_PROXY), for the audit log. */
  ip(): string | undefined {
    const store = this.storage.getStore();
    return store && !('tenantWork' in store) ? store.ip : undefined;
  }
}
