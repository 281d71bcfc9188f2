import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ApiKeyCredentials } from './api-key-credentials.service.js';
import type { AuthenticatedRequest, Caller } from './auth.types.js';
import { invalidApiKey, unauthenticated } from './auth.errors.js';
import { SessionsService } from './sessions.service.js';

/**
 * Resolves the caller of a staff request: an `Authorization: Bearer` API key when the header is
 * present (then the cookie is not consulted at all: a request says who it is once), else the session
 * cookie. 401 problem when missing, unknown, revoked or expired.
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
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const bearer = /^Bearer +(\S{1,200})$/i.exec(authorization)?.[1];
      const caller = bearer ? await this.apiKeys.resolve(bearer) : null;
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
