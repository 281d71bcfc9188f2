import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { AuthenticatedRequest, Principal } from './auth.types.js';
import { SessionsService } from './sessions.service.js';
import { unauthenticated } from './auth.errors.js';

/** Resolves the session cookie to a principal; 401 problem when missing, unknown or expired. */
@Injectable()
export class SessionStrategy extends PassportStrategy(Strategy, 'session') {
  constructor(
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async validate(request: AuthenticatedRequest): Promise<Principal> {
    const token = request.cookies?.[this.config.cookie.name];
    if (!token || token.length > 200) throw unauthenticated();
    const principal = await this.sessions.resolve(token);
    if (!principal) throw unauthenticated();
    return principal;
  }
}
