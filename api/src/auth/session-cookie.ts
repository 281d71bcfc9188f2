import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import type { SessionClient } from './sessions.service.js';

/** The session cookie's attributes (DESIGN.md "Auth"): one definition for every route that sets or clears it. */
export function sessionCookieOptions(config: AppConfig) {
  const { secure, domain } = config.cookie;
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, ...(domain ? { domain } : {}) };
}

export function setSessionCookie(reply: FastifyReply, config: AppConfig, token: string): void {
  reply.setCookie(config.cookie.name, token, { ...sessionCookieOptions(config), maxAge: Math.floor(config.session.absoluteTimeoutMs / 1000) });
}

export function clearSessionCookie(reply: FastifyReply, config: AppConfig): void {
  reply.clearCookie(config.cookie.name, sessionCookieOptions(config));
}

/**
 * Where links in emails point: PUBLIC_URL, else this request's origin (fine locally; in production
 * PUBLIC_URL is required, or a forged Host header could point a victim's link at another site).
 */
export function publicUrlOf(config: AppConfig, request: FastifyRequest): string {
  return config.signup.publicUrl ?? `${request.protocol}://${request.host}`;
}

/**
 * Issue 7: what a new session records about its client (shown in the user's list of sessions). The
 * one reading of it for every route that starts a session: sign-up, login, invite accept, studio switch.
 */
export function sessionClientOf(request: FastifyRequest): SessionClient & { ip: string } {
  return { userAgent: request.headers['user-agent'], ip: request.ip };
}
