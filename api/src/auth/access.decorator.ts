import { SetMetadata, type Type } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { ROLES, type Role } from '../control/membership.entity.js';
import { IS_PUBLIC } from './public.decorator.js';

export const ACCESS = 'rsm:access';

/**
 * Who may call a route. Every route declares one (or `@Public()`): the global SessionAuthGuard
 * enforces it, start-up refuses a route without one (AccessRulesCheck), and openapi.json shows it as
 * `x-rsm-roles` on each operation.
 *
 *  - a role: that role or a higher one (viewer < engineer < admin < owner), through a session or an
 *    API key carrying such a role;
 *  - `member`: any member of the studio, through a session only (who am I, log out, switch studio):
 *    an API key is not a person and has no "self" to manage;
 *  - `{ role, sessionOnly: true }`: the role, and a session: API keys may not mint or revoke API keys,
 *    so a leaked key cannot entrench itself.
 */
export type AccessLevel = Role | 'member' | 'portal';

export interface AccessRule {
  level: AccessLevel;
  /** API keys are refused (403) even when their role would do. Always true for `member`. */
  sessionOnly: boolean;
}

/**
 * Issue 12, portal: `portal` routes are for a client signed in to the studio's portal, through the
 * portal cookie only. The same guard reads it (SessionAuthGuard): staff sessions and API keys are
 * refused there (401), and a portal cookie is never read on a staff route (401 too).
 */
export const PortalAccess = () => SetMetadata(ACCESS, { level: 'portal', sessionOnly: true } satisfies AccessRule);

/** True for the rule of a portal route. */
export const isPortalRule = (rule: RouteRule | undefined): rule is AccessRule & { level: 'portal' } => rule !== undefined && rule !== 'public' && rule.level === 'portal';

/** The anonymous rule of @Public() routes, as the guard, the contract and the matrix see it. */
export type RouteRule = AccessRule | 'public';

/** Lowest first: a higher index may do everything a lower one may. */
export const ROLE_HIERARCHY: readonly Role[] = ['viewer', 'engineer', 'admin', 'owner'];

export const roleRank = (role: Role) => ROLE_HIERARCHY.indexOf(role);

/** True when `role` is `minimum` or above it. */
export const roleAtLeast = (role: Role, minimum: Role) => roleRank(role) >= roleRank(minimum);

/** The lesser of two roles (an API key never outranks its creator's current role). */
export const lesserRole = (a: Role, b: Role): Role => (roleRank(a) <= roleRank(b) ? a : b);

/** Declares the minimum role (or `member`) a route needs. On a controller it applies to each of its routes. */
export const Access = (level: Role | 'member', options: { sessionOnly?: boolean } = {}) =>
  SetMetadata(ACCESS, { level, sessionOnly: level === 'member' || options.sessionOnly === true } satisfies AccessRule);

/** The roles a rule admits (for the contract and the matrix); every role for `member`. */
export function rolesAdmittedBy(rule: RouteRule): Role[] {
  if (rule === 'public' || rule.level === 'portal') return [];
  if (rule.level === 'member') return [...ROLES];
  const minimum = rule.level;
  return ROLES.filter((r) => roleAtLeast(r, minimum));
}

/**
 * The rule of one route handler: the handler's own declaration, else its controller's. Undefined
 * when neither declares one (start-up refuses that); throws when one level declares both @Public()
 * and @Access(), which would be ambiguous.
 */
export function routeRuleOf(reflector: Reflector, handler: Function, controller: Type | Function): RouteRule | undefined {
  for (const target of [handler, controller]) {
    const isPublic = reflector.get<boolean | undefined>(IS_PUBLIC, target) === true;
    const access = reflector.get<AccessRule | undefined>(ACCESS, target);
    if (isPublic && access) throw new Error(`${describe(handler, controller)} declares both @Public() and @Access()`);
    if (isPublic) return 'public';
    if (access) return access;
  }
  return undefined;
}

export const describe = (handler: Function, controller: Type | Function) => `${controller.name}.${handler.name}`;
