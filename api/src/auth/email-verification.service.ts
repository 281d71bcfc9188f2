import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { User } from '../control/user.entity.js';
import { MailOutbox, mailErrorForLog } from '../mail/mail-outbox.service.js';
import { verifyEmailMail } from '../mail/mail-templates.js';
import { emailAlreadyVerified, studioRemoved, verificationLinkInvalid } from './auth.errors.js';
import { homeStudioName } from './home-studio.js';
import { OneTimeTokens } from './one-time-tokens.service.js';

const PURPOSE = 'email-verification';

/**
 * Proves that a staff user owns their email address. Sign-up issues a link; opening it marks the user
 * verified and lifts their studios' probation (see UnverifiedStudios for what happens without it).
 */
@Injectable()
export class EmailVerification {
  private readonly logger = new Logger(EmailVerification.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly tokens: OneTimeTokens,
    private readonly mail: MailOutbox,
  ) {}

  /** A fresh verification token for `userId`, inside the caller's transaction (sign-up). */
  issue(userId: string, manager: EntityManager): Promise<string> {
    return this.tokens.issue(userId, PURPOSE, this.config.signup.verificationTokenTtlMs, manager);
  }

  /**
   * Sends the link. A failure is logged, not thrown: the studio exists either way, and the owner can
   * ask for a new link from the app.
   */
  async send(email: string, token: string, publicUrl: string, studioName?: string): Promise<void> {
    const link = `${this.config.signup.publicUrl ?? publicUrl}/verify-email?token=${token}`;
    try {
      const rendered = verifyEmailMail({ link, validityMs: this.config.signup.verificationTokenTtlMs, studioName });
      await this.mail.send({ to: email, kind: 'verify-email', senderName: studioName, ...rendered });
    } catch (err) {
      this.logger.warn({ err: mailErrorForLog(err, this.config.mail.logLinks) }, 'Could not send the verification email');
    }
  }

  /** Issues a new link for a signed-in user who has not verified yet (the old link stops working). */
  async resend(userId: string, publicUrl: string): Promise<void> {
    const user = await this.control.getRepository(User).findOneByOrFail({ id: userId });
    if (user.emailVerifiedAt) throw emailAlreadyVerified();
    const token = await this.tokens.issue(userId, PURPOSE, this.config.signup.verificationTokenTtlMs);
    await this.send(user.email, token, publicUrl, await homeStudioName(this.control, userId));
  }

  /**
   * Spends a link: the user is verified, and every studio they own leaves probation (and suspension).
   * All in one transaction, so a link is never spent without its effect. 410 when the link is
   * unknown, expired or already used, or when the studio is already being removed as abandoned.
   */
  async verify(token: string): Promise<void> {
    await this.control.transaction(async (m) => {
      const userId = await this.tokens.consume(token, PURPOSE, m);
      if (!userId) throw verificationLinkInvalid();
      await m.query(`UPDATE users SET email_verified_at = now() WHERE id = $1 AND email_verified_at IS NULL`, [userId]);
      // A studio whose registry row is archived is being dropped as abandoned (UnverifiedStudios):
      // lifting its probation now would answer "verified" and then lose the studio anyway, or
      // leave it archived for good after a failed drop. Locking the organization rows waits for an
      // archiving transaction in flight (it locks them first); the next statement's snapshot then
      // sees its committed status.
      const owned: Array<{ id: string }> = await m.query(
        `SELECT id FROM organizations WHERE id IN (SELECT organization_id FROM memberships WHERE user_id = $1 AND role = 'owner') FOR UPDATE`,
        [userId],
      );
      const studios: Array<{ id: string; archived: boolean }> = await m.query(
        `SELECT o.id, td.status IS NOT DISTINCT FROM 'archived' AS archived
           FROM organizations o LEFT JOIN tenant_databases td ON td.organization_id = o.id
          WHERE o.id = ANY($1::uuid[])`,
        [owned.map((o) => o.id)],
      );
      const kept = studios.filter((s) => !s.archived).map((s) => s.id);
      if (studios.length && !kept.length) throw studioRemoved(); // rolls back: nothing spent or changed
      await m.query(`UPDATE organizations SET unverified_until = NULL, suspended_at = NULL WHERE id = ANY($1::uuid[])`, [kept]);
    });
  }
}
