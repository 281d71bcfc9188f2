import type { FastifyRequest } from 'fastify';
import type { Role } from '../control/membership.entity.js';

/** Who is calling, as established by the session (later also portal sessions and API keys). */
export interface Principal {
  userId: string;
  organizationId: string;
  role: Role;
  sessionId: string;
  /** The studio is suspended (owner's email unverified past its deadline): most staff routes refuse. */
  studioSuspended: boolean;
}

/** What a correct email + password establishes, before a session exists. */
export type Credentials = Omit<Principal, 'sessionId' | 'studioSuspended'>;

export type AuthenticatedRequest = FastifyRequest & { user?: Principal };
