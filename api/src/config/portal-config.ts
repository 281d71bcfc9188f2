import { z } from 'zod';
import { limit, positiveInt } from './env-values.js';

/** Issue 12, portal: client portal sessions, links and limits (part of envSchema in env-schema.ts). */
const portalEnvSchema = z.object({
  PORTAL_SESSION_IDLE_TIMEOUT_MINUTES: positiveInt(12 * 60),
  PORTAL_SESSION_ABSOLUTE_TIMEOUT_HOURS: positiveInt(7 * 24),
  PORTAL_INVITE_TTL_HOURS: positiveInt(7 * 24),
  PORTAL_MAGIC_LINK_MINUTES: positiveInt(15),
  /** Login, accept-invite and magic-link requests per client IP per hour (0: off). */
  RATE_LIMIT_PORTAL_AUTH_PER_IP_PER_HOUR: limit(30),
  /** Login and magic-link requests per email address per hour, known or not (0: off). */
  RATE_LIMIT_PORTAL_AUTH_PER_EMAIL_PER_HOUR: limit(10),
});
export const portalEnv = portalEnvSchema.shape;
export type PortalEnv = z.infer<typeof portalEnvSchema>;

export interface PortalConfig {
  /**
   * The portal cookie's name: its own, never the staff one. Secure cookies take `__Secure-`, not
   * `__Host-`: `__Host-` demands Path=/, and the portal cookie is scoped to /api/v1/portal.
   */
  cookieName: string;
  cookiePath: string;
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  inviteTtlMs: number;
  magicLinkTtlMs: number;
  authPerIpPerHour: number;
  authPerEmailPerHour: number;
}

export function portalConfig(env: PortalEnv, secure: boolean): PortalConfig {
  return {
    cookieName: `${secure ? '__Secure-' : ''}rsm_portal`,
    cookiePath: '/api/v1/portal',
    idleTimeoutMs: env.PORTAL_SESSION_IDLE_TIMEOUT_MINUTES * 60_000,
    absoluteTimeoutMs: env.PORTAL_SESSION_ABSOLUTE_TIMEOUT_HOURS * 3_600_000,
    inviteTtlMs: env.PORTAL_INVITE_TTL_HOURS * 3_600_000,
    magicLinkTtlMs: env.PORTAL_MAGIC_LINK_MINUTES * 60_000,
    authPerIpPerHour: env.RATE_LIMIT_PORTAL_AUTH_PER_IP_PER_HOUR,
    authPerEmailPerHour: env.RATE_LIMIT_PORTAL_AUTH_PER_EMAIL_PER_HOUR,
  };
}
