import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLog, portalAccountActor } from '../audit/audit-log.service.js';
import { invalidCredentials, unauthenticated } from '../auth/auth.errors.js';
import { normalizeEmail } from '../auth/auth.service.js';
import { PasswordHasher } from '../auth/password-hasher.service.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BackgroundMail } from '../mail/background-mail.service.js';
import { MailOutbox } from '../mail/mail-outbox.service.js';
import { portalMagicLinkMail } from '../mail/mail-templates.js';
import { TenantDataSources } from '../tenancy/tenant-data-sources.service.js';
import type { PortalAcceptInviteDto, PortalLoginDto, PortalMeDto } from './dto/portal-auth.dto.js';
import { PortalAccount } from './portal-account.entity.js';
import { portalLinkInvalid } from './portal-problems.js';
import { type PortalStudio, PortalSessions } from '../auth/portal-sessions.service.js';
import { consumePortalToken, issuePortalToken } from './portal-tokens.js';

/** What a new portal session needs from the request (read by the controller: services never see Fastify). */
export interface PortalSignIn {
  /** The portal cookie the browser presented, ended when it is this studio's (a fresh token at every sign-in). */
  presentedCookie: string | undefined;
  userAgent: string | undefined;
}

/** A signed-in answer: the cookie value to set and the body. */
export interface PortalSignedIn {
  cookie: string;
  body: PortalMeDto;
}

/**
 * Issue 12, portal: signing in to a studio's client portal, under the studio's slug. The studio comes
 * from the slug (public), the account from its email in that studio's database only; the session goes
 * into that database (PortalSessions). Answers never say whether an address has an account: a wrong
 * password, an unknown address, an account without a password yet, a disabled one and an unknown studio
 * all get the same 401 after the same argon2 work (a decoy hash when there is nothing to check), and a
 * magic-link request is answered before anything is looked up.
 */
@Injectable()
export class PortalAuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: PortalSessions,
    private readonly dataSources: TenantDataSources,
    private readonly passwords: PasswordHasher,
    private readonly mail: MailOutbox,
    private readonly background: BackgroundMail,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async login(slug: string, dto: PortalLoginDto, signIn: PortalSignIn): Promise<PortalSignedIn> {
    const email = normalizeEmail(dto.email);
    const studio = await this.sessions.studioBySlug(slug);
    const account = studio ? await this.dataSources.withTenant(studio.id, (ds) => ds.getRepository(PortalAccount).findOneBy({ email })) : null;
    const usable = account && account.disabledAt === null ? account : null;
    const ok = await this.passwords.verify(usable?.passwordHash ?? undefined, dto.password);
    if (!studio || !usable || !ok) throw invalidCredentials();
    return this.signIn(studio, signIn, 'password', async (m) => {
      // The password checked must still be the account's once locked: an invitation accepted meanwhile
      // ended every session and must not be followed by one started with the old password.
      const same: unknown[] = await m.query(`SELECT 1 FROM client_portal_accounts WHERE id = $1 AND password_hash = $2 FOR UPDATE`, [usable.id, usable.passwordHash]);
      if (!same.length) throw invalidCredentials();
      return usable.id;
    });
  }

  /** Starts a magic link in the background and returns at once, known address or not. */
  requestMagicLink(slug: string, email: string, publicUrl: string): void {
    this.background.run('portal sign-in link', async () => {
      const studio = await this.sessions.studioBySlug(slug);
      if (!studio) return;
      await this.dataSources.withTenant(studio.id, async (ds) => {
        const token = await ds.transaction(async (m) => {
          const [account] = (await m.query(`SELECT id FROM client_portal_accounts WHERE email = $1 AND disabled_at IS NULL FOR UPDATE`, [normalizeEmail(email)])) as Array<{ id: string }>;
          return account ? issuePortalToken(m, account.id, 'magic-link', this.config.portal.magicLinkTtlMs, this.clock.now()) : undefined;
        });
        if (!token) return; // nothing to send; the request was answered the same way already
        const link = `${publicUrl}/portal/${studio.slug}/magic-link?token=${token}`;
        await this.mail.send({
          to: normalizeEmail(email),
          kind: 'portal-magic-link',
          senderName: studio.name,
          ...portalMagicLinkMail({ link, validityMs: this.config.portal.magicLinkTtlMs, studioName: studio.name }),
        });
      });
    });
  }

  /** Spends a magic link: a new session. 410 when the link is unknown, used, expired or its account disabled. */
  async verifyMagicLink(slug: string, token: string, signIn: PortalSignIn): Promise<PortalSignedIn> {
    const studio = await this.sessions.studioBySlug(slug);
    if (!studio) throw portalLinkInvalid();
    return this.signIn(studio, signIn, 'magic-link', async (m) => {
      const accountId = await consumePortalToken(m, token, 'magic-link', this.clock.now());
      if (!accountId) throw portalLinkInvalid();
      return accountId;
    });
  }

  /** Spends an invitation: the account's password, then a new session. 410 as for magic links. */
  async acceptInvite(slug: string, dto: PortalAcceptInviteDto, signIn: PortalSignIn): Promise<PortalSignedIn> {
    const studio = await this.sessions.studioBySlug(slug);
    if (!studio) throw portalLinkInvalid();
    const passwordHash = await this.passwords.hash(dto.password); // before the transaction: argon2 holds no connection
    return this.signIn(studio, signIn, 'invite', async (m) => {
      const accountId = await consumePortalToken(m, dto.token, 'invite', this.clock.now());
      if (!accountId) throw portalLinkInvalid();
      await m.query(`UPDATE client_portal_accounts SET password_hash = $2 WHERE id = $1`, [accountId, passwordHash]);
      // A new password ends every other session of the account (one left signed in elsewhere, or started
      // with the old password), in this transaction: the only session afterwards is the one created below.
      await m.query(`DELETE FROM client_portal_sessions WHERE account_id = $1`, [accountId]);
      const account = await m.getRepository(PortalAccount).findOneByOrFail({ id: accountId });
      await this.audit.record(m, { action: 'portal_account.password_set', targetType: 'portal_account', targetId: accountId, details: { clientId: account.clientId } }, portalAccountActor(account));
      return accountId;
    });
  }

  /** The signed-in client, their account and the studio (GET /portal/me, and every sign-in's answer). */
  async me(m: EntityManager, studio: PortalStudio, accountId: string): Promise<PortalMeDto> {
    const [row] = (await m.query(
      `SELECT a.id, a.email, a.name, c.id AS client_id, c.name AS client_name
         FROM client_portal_accounts a JOIN clients c ON c.id = a.client_id WHERE a.id = $1`,
      [accountId],
    )) as Array<{ id: string; email: string; name: string | null; client_id: string; client_name: string }>;
    // The client (and with it the account and its sessions) deleted since the session was resolved: signed out.
    if (!row) throw unauthenticated();
    return {
      studio: { name: studio.name, slug: studio.slug },
      client: { id: row.client_id, name: row.client_name },
      account: { id: row.id, email: row.email, name: row.name },
    };
  }

  /**
   * One sign-in, in one tenant transaction: `accountOf` proves who it is (a password checked, a token
   * spent), the account is locked and must still be enabled (a concurrent disable waits, then its
   * DELETE of sessions sees this one), the browser's old session of this studio ends, a new one starts,
   * and the sign-in is recorded (the client page's portal activity reads it from the audit log).
   */
  private async signIn(studio: PortalStudio, signIn: PortalSignIn, method: 'password' | 'magic-link' | 'invite', accountOf: (m: EntityManager) => Promise<string>): Promise<PortalSignedIn> {
    return this.dataSources.withTenant(studio.id, (ds) =>
      ds.transaction(async (m) => {
        const accountId = await accountOf(m);
        const enabled: unknown[] = await m.query(`SELECT 1 FROM client_portal_accounts WHERE id = $1 AND disabled_at IS NULL FOR UPDATE`, [accountId]);
        if (!enabled.length) throw invalidCredentials();
        await this.sessions.revokeCookie(signIn.presentedCookie, studio.id, m);
        const cookie = await this.sessions.create(m, studio.id, accountId, signIn.userAgent);
        const body = await this.me(m, studio, accountId);
        const actor = portalAccountActor({ id: accountId, email: body.account.email });
        await this.audit.record(m, { action: 'portal_account.signed_in', targetType: 'portal_account', targetId: accountId, details: { clientId: body.client.id, method } }, actor);
        return { cookie, body };
      }),
    );
  }

  /** Resolves when the background mail started so far is done (tests). */
  settled(): Promise<void> {
    return this.background.settled();
  }

}
