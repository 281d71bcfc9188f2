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

@Module({
  imports: [PassportModule, MailModule],
  controllers: [AuthController, PasswordController, SessionsController],
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
  ],
  // The maintenance job (jobs/) calls these: expired sessions, spent tokens, unverified studios.
  exports: [AuthService, SessionsService, OneTimeTokens, UnverifiedStudios, Clock],
})
export class AuthModule {}
