import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { ProblemException, ValidationProblem } from '../common/problem.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { User } from '../control/user.entity.js';
import { BackgroundMail } from '../mail/background-mail.service.js';
import { MailOutbox } from '../mail/mail-outbox.service.js';
import { passwordChangedMail, passwordResetMail } from '../mail/mail-templates.js';
import { normalizeEmail } from './auth.service.js';
import { homeStudioName } from './home-studio.js';
import type { Principal } from './auth.types.js';
import { OneTimeTokens } from './one-time-tokens.service.js';
import { PasswordHasher } from './password-hasher.service.js';
import { SessionsService } from './sessions.service.js';

const PURPOSE = 'password-reset';

export const resetLinkInvalid = () =>
  new ProblemException(410, 'reset-link-invalid', 'This password reset link has expired or was already used. Ask for a new one.');

const wrongCurrentPassword = () =>
  new ValidationProblem([{ field: 'currentPassword', messages: ['currentPassword is not your current password'] }], 'The current password is incorrect.');

/**
 * Issue 7, accounts-mail: forgotten and changed passwords.
 *
 * A reset request answers before anything about the address is looked up: the lookup, the token and
 * the email happen in the background, so the answer (202, one body) and its timing are the same for
 * an address with an account and one without. The link carries a one-time 256-bit token, stored as
 * its SHA-256 and looked up by that hash (timing-safe: no string comparison of secrets in code),
 * valid for PASSWORD_RESET_TOKEN_MINUTES (1 h). Using it sets the password and ends every session
 * of the user; a change (current + new password) ends every session but the current one.
 */
@Injectable()
export class AccountPasswords {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly tokens: OneTimeTokens,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly mail: MailOutbox,
    private readonly background: BackgroundMail,
    private readonly audit: AuditLog,
  ) {}

  /** Starts a reset for `email` in the background and returns at once, known address or not. */
  requestReset(email: string, linkOrigin: string): void {
    this.background.run('password reset email', () => this.issueAndSend(normalizeEmail(email), linkOrigin));
  }

  /**
   * Spends a reset token: the new password, every session ended, every other reset link dead. 410
   * when the link is spent. Recorded as `password.reset` in every studio of the user: the reset
   * signs them out of all of them, and no session says which one is acting (the actor is the user).
   */
  async confirmReset(token: string, password: string, linkOrigin: string): Promise<void> {
    const holder = await this.tokens.holder(token, PURPOSE);
    if (!holder) throw resetLinkInvalid();
    const studios: Array<{ organization_id: string }> = await this.control.query(
      `SELECT organization_id FROM memberships WHERE user_id = $1 ORDER BY created_at, organization_id`,
      [holder],
    );
    await this.audit.aroundEach(
      studios.map((s) => s.organization_id),
      () =>
        this.control.transaction(async (m) => {
          const owner = await this.tokens.consume(token, PURPOSE, m);
          if (owner !== holder) throw resetLinkInvalid(); // spent meanwhile: rolls back, nothing written
          await this.setPassword(m, owner, password);
          await this.sessions.revokeAllOf(owner, undefined, m);
        }),
      () => ({ action: 'password.reset', targetType: 'user', targetId: holder }),
      await this.audit.userActor(holder),
    );
    this.notifyChanged(holder, linkOrigin);
  }

  /** The signed-in user's change: the current password must be right; the user's other sessions end. */
  async change(principal: Principal, currentPassword: string, newPassword: string, linkOrigin: string): Promise<void> {
    const user = await this.control.getRepository(User).findOneByOrFail({ id: principal.userId });
    if (!(await this.passwords.verify(user.passwordHash, currentPassword))) throw wrongCurrentPassword();
    // Recorded in the studio of the session making the change.
    await this.audit.around(
      principal.organizationId,
      () =>
        this.control.transaction(async (m) => {
          // Still the hash that was checked: a concurrent change or reset wins, this one fails as "wrong password".
          const unchanged: unknown[] = await m.query(`SELECT 1 FROM users WHERE id = $1 AND password_hash = $2 FOR UPDATE`, [user.id, user.passwordHash]);
          if (!unchanged.length) throw wrongCurrentPassword();
          await this.setPassword(m, user.id, newPassword);
          await this.sessions.revokeAllOf(user.id, principal.sessionId, m);
        }),
      () => ({ action: 'password.changed', targetType: 'user', targetId: user.id }),
    );
    this.notifyChanged(user.id, linkOrigin);
  }

  /** Resolves when the background mail started so far is done (tests). */
  settled(): Promise<void> {
    return this.background.settled();
  }

  private async setPassword(m: EntityManager, userId: string, password: string): Promise<void> {
    await m.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [userId, await this.passwords.hash(password)]);
    // A reset link asked for before the change must not undo it later.
    await m.query(`DELETE FROM one_time_tokens WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`, [userId, PURPOSE]);
  }

  private async issueAndSend(email: string, linkOrigin: string): Promise<void> {
    const user = await this.control.getRepository(User).findOneBy({ email });
    if (!user) return; // nothing to send; the request was answered the same way already
    const ttl = this.config.passwordReset.tokenTtlMs;
    const token = await this.tokens.issue(user.id, PURPOSE, ttl);
    const link = `${this.config.signup.publicUrl ?? linkOrigin}/reset-password?token=${token}`;
    const studioName = await homeStudioName(this.control, user.id);
    await this.mail.send({ to: user.email, kind: 'password-reset', senderName: studioName, ...passwordResetMail({ link, validityMs: ttl, studioName }) });
  }

  /** Tells the address owner, so a takeover (or a reset they did not ask for) does not go unnoticed. */
  private notifyChanged(userId: string, linkOrigin: string): void {
    this.background.run('password changed email', async () => {
      const user = await this.control.getRepository(User).findOneByOrFail({ id: userId });
      const studioName = await homeStudioName(this.control, userId);
      const loginLink = `${this.config.signup.publicUrl ?? linkOrigin}/login`;
      await this.mail.send({ to: user.email, kind: 'password-changed', senderName: studioName, ...passwordChangedMail({ loginLink, studioName }) });
    });
  }

}
