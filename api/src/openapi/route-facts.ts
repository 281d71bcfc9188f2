import { type INestApplication, ParseUUIDPipe, type Type } from '@nestjs/common';
import { PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '../auth/public.decorator.js';

/** What the contract needs to know about one route handler that the swagger document does not say. */
export interface RouteFacts {
  /** Marked @Public(): no session needed. Every other route requires one (the global session guard). */
  isPublic: boolean;
  /** Path parameters validated by ParseUUIDPipe: they are UUIDs, and a valid one may still be 404. */
  uuidParams: Set<string>;
}

// Nest stores @Param('id', pipe) as `${RouteParamtypes.PARAM}:${index}` → {data: 'id', pipes}.
const PARAM_KIND = '5:';

/**
 * Facts per handler, keyed by method name (= operationId, see buildOpenApiDocument). Read from the
 * same metadata the router and guards use, so the document cannot drift from what is enforced.
 */
export function collectRouteFacts(app: INestApplication): Map<string, RouteFacts> {
  const reflector = new Reflector();
  const facts = new Map<string, RouteFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name] as unknown;
        if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue; // not a route
        if (facts.has(name)) throw new Error(`Two route handlers are named ${name}: operationIds must be unique`);
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, { data?: unknown; pipes?: unknown[] }>;
        const uuidParams = new Set(
          Object.entries(args)
            .filter(([key, arg]) => key.startsWith(PARAM_KIND) && typeof arg.data === 'string' && arg.pipes?.some((p) => p instanceof ParseUUIDPipe))
            .map(([, arg]) => arg.data as string),
        );
        facts.set(name, { isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, controller]) === true, uuidParams });
      }
    }
  }
  return facts;
}
