import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';

/**
 * Where links in emails point: PUBLIC_URL, else this request's origin (fine locally; production
 * requires PUBLIC_URL, or a forged Host header could point a victim's link at another site).
 * Issue 7, accounts-mail; the same rule as AuthController's for the verification link.
 */
export function linkOrigin(config: AppConfig, request: FastifyRequest): string {
  return config.signup.publicUrl ?? `${request.protocol}://${request.host}`;
}
