import { type INestApplication, ParseUUIDPipe } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { allowedWhileReadOnly } from '../auth/allow-while-read-only.decorator.js';
import type { RouteRule } from '../auth/access.decorator.js';
import { declaredRoutes } from '../auth/access-rules.check.js';

/** What the contract needs to know about one route handler that the swagger document does not say. */
export interface RouteFacts {
  /** Marked @Public(): no session needed. Every other route requires one (the global session guard). */
  isPublic: boolean;
  /** The declared access rule (public, or a minimum role; see access.decorator.ts). */
  rule: RouteRule;
  /** Path parameters validated by ParseUUIDPipe: they are UUIDs, and a valid one may still be 404. */
  uuidParams: Set<string>;
  /** Issue 11: a write that still works while the studio is read-only (its subscription lapsed). */
  allowedWhileReadOnly: boolean;
}

// Nest stores @Param('id', pipe) as `${RouteParamtypes.PARAM}:${index}` → {data: 'id', pipes}.
const PARAM_KIND = '5:';

/**
 * Facts per handler, keyed by method name (= operationId, see buildOpenApiDocument). Read from the
 * same metadata the router and guards use, so the document cannot drift from what is enforced.
 */
export function collectRouteFacts(app: INestApplication): Map<string, RouteFacts> {
  const facts = new Map<string, RouteFacts>();
  const reflector = new Reflector();
  for (const { controller, handler, name, rule, method, path } of declaredRoutes(app.get(ModulesContainer))) {
    if (facts.has(name)) throw new Error(`Two route handlers are named ${name}: operationIds must be unique`);
    if (!rule) throw new Error(`${method} ${path} declares no access rule: add @Access(role) or @Public()`);
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, { data?: unknown; pipes?: unknown[] }>;
    const uuidParams = new Set(
      Object.entries(args)
        .filter(([key, arg]) => key.startsWith(PARAM_KIND) && typeof arg.data === 'string' && arg.pipes?.some((p) => p instanceof ParseUUIDPipe))
        .map(([, arg]) => arg.data as string),
    );
    facts.set(name, { isPublic: rule === 'public', rule, uuidParams, allowedWhileReadOnly: allowedWhileReadOnly(reflector, [handler, controller]) });
  }
  return facts;
}
