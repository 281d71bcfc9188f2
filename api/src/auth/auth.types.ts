import type { FastifyRequest } from 'fastify';
import type { Role } from '../control/membership.entity.js';

/** Who is calling through a staff session (the cookie). */
export interface Principal {
  userId: string;
  organizationId: string;
  role: Role;
  sessionId: string;
  /** The user's email, read with the session: the audit log names the actor without another query. */
  label?: string;
  /** The studio is suspended (owner's email unverified past its deadline): most staff routes refuse. */
  studioSuspended: boolean;
  /** Issue 11: the subscription lapsed past its grace period: writes answer 402 (studio-standing.ts). */
  studioReadOnly: boolean;
}

/**
 * Who is calling with an API key (`Authorization: Bearer rsm_live_…`). `userId` is the member who
 * created the key; `role` is the key's role capped at that member's current role.
 */
export interface ApiKeyPrincipal {
  userId: string;
  organizationId: string;
  role: Role;
  apiKeyId: string;
  /** The key's name, for the audit log. */
  label?: string;
  studioSuspended: boolean;
  studioReadOnly: boolean;
}

/** Any authenticated staff caller: a session or an API key. */
export type Caller = Principal | ApiKeyPrincipal;

export const isApiKeyCaller = (caller: Caller): caller is ApiKeyPrincipal => 'apiKeyId' in caller;

/** What a correct email + password establishes, before a session exists. */
export interface Credentials {
  userId: string;
  organizationId: string;
  role: Role;
}

/**
 * Issue 12, portal: a client's contact signed in to one studio's portal (the portal cookie). Never a
 * staff Caller: it lives on `request.portal`, not `request.user`, so no staff code can mistake it for a
 * member (RequestContext.principal() stays undefined on portal requests); only the tenant is shared.
 */
export interface PortalPrincipal {
  organizationId: string;
  studioSlug: string;
  studioName: string;
  accountId: string;
  clientId: string;
  sessionId: string;
  email: string;
  studioSuspended: boolean;
  studioReadOnly: boolean;
}

export type AuthenticatedRequest = FastifyRequest & { user?: Caller; portal?: PortalPrincipal };
