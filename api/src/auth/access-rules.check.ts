import { Injectable, type OnApplicationBootstrap, RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { describe, type RouteRule, routeRuleOf } from './access.decorator.js';

/** One route handler of the app, with the access rule it declares (undefined: none). */
export interface DeclaredRoute {
  controller: Type;
  /** The handler's method name (= the OpenAPI operationId). */
  name: string;
  handler: Function;
  /** `GET`, `POST`, ... */
  method: string;
  /** `/api/v1/clients/:id` */
  path: string;
  rule: RouteRule | undefined;
}

const joinPath = (...parts: unknown[]) =>
  '/' +
  parts
    .map((p) => String(Array.isArray(p) ? p[0] : (p ?? '')))
    .join('/')
    .split('/')
    .filter(Boolean)
    .join('/');

/**
 * The app's route table as Nest's router builds it (controllers' and handlers' metadata), with each
 * route's access rule. The guard, the OpenAPI contract, the start-up check and the authorization
 * matrix test all read the same declarations through this.
 */
export function declaredRoutes(modules: ModulesContainer): DeclaredRoute[] {
  const reflector = new Reflector();
  const routes: DeclaredRoute[] = [];
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name] as unknown;
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const handlerPath = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
        if (handlerPath === undefined) continue; // not a route
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const path = joinPath(Reflect.getMetadata(PATH_METADATA, controller), handlerPath);
        routes.push({ controller, name, handler, method, path, rule: routeRuleOf(reflector, handler, controller) });
      }
    }
  }
  return routes;
}

/**
 * Stops start-up when a route declares no access rule: a route added without @Access() or
 * @Public() must never be served with whatever a default would be.
 */
@Injectable()
export class AccessRulesCheck implements OnApplicationBootstrap {
  constructor(private readonly modules: ModulesContainer) {}

  onApplicationBootstrap(): void {
    const undeclared = declaredRoutes(this.modules).filter((r) => r.rule === undefined);
    if (undeclared.length) {
      const list = undeclared.map((r) => `${r.method} ${r.path} (${describe(r.handler, r.controller)})`).join(', ');
      throw new Error(`Routes without an access rule (add @Access(role) or @Public()): ${list}`);
    }
  }
}
