import type { FastifyRequest } from 'fastify';
import type { Role } from '../control/membership.entity.js';

/** Who is calling, as established by the session (later also portal sessions and API keys). */
export interface Principal {
  userId: string;
  organizationId: string;
  role: Role;
  sessionId: string;
}

export type AuthenticatedRequest = FastifyRequest & { user?: Principal };
