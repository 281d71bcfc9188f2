import { SubscriptionModule } from '../subscription/subscription.module.js';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AuthController } from './auth.controller.js';
import { SessionAuthGuard } from './auth.guards.js';
import { AuthService } from './auth.service.js';
import { LocalStrategy } from './local.strategy.js';
import { PasswordHasher } from './password-hasher.service.js';
import { SessionStrategy } from './session.strategy.js';
import { SessionsService } from './sessions.service.js';
import { MailModule } from '../mail/mail.module.js';
import { EmailVerification } from './email-verification.service.js';
import { OneTimeTokens } from './one-time-tokens.service.js';
import { UnverifiedStudios } from './unverified-studios.service.js';
// Issue 7, accounts-mail: password reset and change, the user's sessions, the session clock.
import { Clock } from '../common/clock.js';
import { AccountPasswords } from './account-passwords.service.js';
import { PasswordController } from './password.controller.js';
import { SessionsController } from './sessions.controller.js';
import { UserSessions } from './user-sessions.service.js';
// Issue 7, accounts-access: API keys in the one staff strategy, the access-rule start-up check, several studios per user.
import { AccessRulesCheck } from './access-rules.check.js';
import { ApiKeyCredentials } from './api-key-credentials.service.js';
import { StudiosController } from './studios.controller.js';
import { StudiosService } from './studios.service.js';
// Issue 12, portal: portal sessions (auth/portal-sessions.service.ts), read by the one access guard (SessionAuthGuard) on portal routes.
import { PortalSessions } from './portal-sessions.service.js';

@Module({
  imports: [PassportModule, MailModule, SubscriptionModule],
  controllers: [AuthController, PasswordController, SessionsController, StudiosController],
  providers: [
    AuthService,
    PasswordHasher,
    SessionsService,
    OneTimeTokens,
    EmailVerification,
    UnverifiedStudios,
    LocalStrategy,
    SessionStrategy,
    Clock,
    AccountPasswords,
    UserSessions,
    { provide: APP_GUARD, useClass: SessionAuthGuard },
    ApiKeyCredentials,
    AccessRulesCheck,
    StudiosService,
    PortalSessions, // issue 12, portal
  ],
  // The maintenance job (jobs/) calls these: expired sessions, spent tokens, unverified studios.
  exports: [AuthService, SessionsService, OneTimeTokens, UnverifiedStudios, Clock, PasswordHasher, PortalSessions],
})
export class AuthModule {}
