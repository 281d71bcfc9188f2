import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ApiKeyCredentials } from './api-key-credentials.service.js';
import type { AuthenticatedRequest, Caller } from './auth.types.js';
import { invalidApiKey, unauthenticated } from './auth.errors.js';
import { SessionsService } from './sessions.service.js';

/**
 * Resolves the caller of a staff request: an API key (`Authorization: Bearer rsm_live_…`) when one is
 * presented (then the cookie is not consulted at all: a request says who it is once), else the
 * session cookie. 401 problem when missing, unknown, revoked or expired.
 */
@Injectable()
export class SessionStrategy extends PassportStrategy(Strategy, 'session') {
  constructor(
    private readonly sessions: SessionsService,
    private readonly apiKeys: ApiKeyCredentials,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async validate(request: AuthenticatedRequest): Promise<Caller> {
    const presented = apiKeyIn(request.headers.authorization);
    if (presented !== undefined) {
      const caller = await this.apiKeys.resolve(presented);
      if (!caller) throw invalidApiKey();
      return caller;
    }
    const token = request.cookies?.[this.config.cookie.name];
    if (!token || token.length > 200) throw unauthenticated();
    const principal = await this.sessions.resolve(token);
    if (!principal) throw unauthenticated();
    return principal;
  }
}

/**
 * The API key of an `Authorization: Bearer rsm_live_…` header. Any other Authorization value (HTTP
 * Basic added by a staging proxy, a token meant for something else) is not ours and is ignored: the
 * browser's session cookie still decides.
 */
export function apiKeyIn(authorization: string | undefined): string | undefined {
  return authorization ? /^Bearer +(rsm_live_\S{0,200})$/i.exec(authorization)?.[1] : undefined;
}
