import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { invalidCredentials } from '../auth/auth.errors.js';
import { AuthService, normalizeEmail } from '../auth/auth.service.js';
import type { Caller, Principal } from '../auth/auth.types.js';
import type { AuthSessionDto } from '../auth/dto/auth-session.dto.js';
import { PasswordHasher } from '../auth/password-hasher.service.js';
import { newPasswordErrors } from '../auth/password-policy.js';
import { hashToken, type SessionClient, SessionsService } from '../auth/sessions.service.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, invalidCursor } from '../common/pagination.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import type { Role } from '../control/membership.entity.js';
import { recordEvent } from '../outbox/record-event.js'; // issue 13, realtime
import { MailOutbox, mailErrorForLog } from '../mail/mail-outbox.service.js';
import { inviteMail } from '../mail/mail-templates.js';
import { alreadyMember, ownersOnly } from '../members/members.errors.js';
import { LoginThrottle } from '../rate-limit/login-throttle.service.js';
import type { AcceptInviteDto, CreateInviteDto, InviteDto, InviteListDto, ListInvitesQueryDto } from './dto/invite.dto.js';
import { existingAccountPasswordMissing, inviteInvalid, inviteRaced, inviteNotFound, newAccountFieldsMissing, weakNewPassword } from './invites.errors.js';

interface InviteRow {
  id: string;
  organization_id: string;
  email: string;
  role: Role;
  invited_by: string | null;
  created_at: Date;
  expires_at: Date;
}

const COLUMNS = 'id, organization_id, email, role, invited_by, created_at, expires_at';

const toDto = (r: InviteRow): InviteDto => ({
  id: r.id,
  email: r.email,
  role: r.role,
  invitedBy: r.invited_by,
  createdAt: new Date(r.created_at).toISOString(),
  expiresAt: new Date(r.expires_at).toISOString(),
});

/**
 * Invitations to join a studio: a one-time link emailed to the address (256-bit token, only its
 * SHA-256 stored, INVITE_TTL_HOURS to use it). Accepting creates the account or, when the email
 * already has one, attaches it, which its current password must prove (checked under the login
 * brute-force limits, so an invite link is no password oracle); then a session in that studio starts.
 */
@Injectable()
export class InvitesService {
  private readonly logger = new Logger(InvitesService.name);

  constructor(
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditLog,
    private readonly mail: MailOutbox,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottle,
  ) {}

  /** Invites (or invites again, replacing the earlier link) `email` with `role`, and emails the link. */
  async create(caller: Principal, dto: CreateInviteDto, publicUrl: string): Promise<InviteDto> {
    if (dto.role === 'owner' && caller.role !== 'owner') throw ownersOnly();
    const email = normalizeEmail(dto.email);
    const token = randomBytes(32).toString('base64url');
    const invite = await this.audit.around(
      caller.organizationId,
      () =>
        this.control.transaction(async (m) => {
          const member = await m.query(
            `SELECT 1 FROM memberships mb JOIN users u ON u.id = mb.user_id WHERE mb.organization_id = $1 AND u.email = $2`,
            [caller.organizationId, email],
          );
          if (member.length) throw alreadyMember();
          const [row] = (await m.query(
            `INSERT INTO invites (organization_id, email, role, token_hash, invited_by, expires_at)
             VALUES ($1, $2, $3, $4, $5, now() + $6 * interval '1 millisecond')
             ON CONFLICT (organization_id, email) DO UPDATE
               SET role = EXCLUDED.role, token_hash = EXCLUDED.token_hash, invited_by = EXCLUDED.invited_by,
                   expires_at = EXCLUDED.expires_at, created_at = now()
             RETURNING ${COLUMNS}`,
            [caller.organizationId, email, dto.role, hashToken(token), caller.userId, this.config.invites.ttlMs],
          )) as InviteRow[];
          return row;
        }),
      (row) => ({ action: 'invite.created', targetType: 'invite', targetId: row.id, details: { email: row.email, role: row.role } }),
    );
    await this.send(invite, token, publicUrl);
    return toDto(invite);
  }

  /** Pending invitations (expired ones included, with their expiry), by email. */
  async list(caller: Caller, query: ListInvitesQueryDto): Promise<InviteListDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const params: unknown[] = [caller.organizationId, limit + 1];
    let after = '';
    if (query.cursor) {
      const [email] = decodeCursor(query.cursor, ['string']) as [string];
      if (email.length > 320) throw invalidCursor();
      params.push(email);
      after = 'AND email > $3';
    }
    const rows: InviteRow[] = await this.control.query(`SELECT ${COLUMNS} FROM invites WHERE organization_id = $1 ${after} ORDER BY email LIMIT $2`, params);
    const page = rows.slice(0, limit);
    return { items: page.map(toDto), nextCursor: rows.length > limit ? encodeCursor([page[page.length - 1].email]) : null };
  }

  /** Revokes a pending invitation: its link stops working. */
  async revoke(caller: Principal, id: string): Promise<void> {
    await this.audit.around(
      caller.organizationId,
      () =>
        this.control.transaction(async (m) => {
          const [row] = (await m.query(`SELECT ${COLUMNS} FROM invites WHERE id = $1 AND organization_id = $2 FOR UPDATE`, [id, caller.organizationId])) as InviteRow[];
          if (!row) throw inviteNotFound();
          if (row.role === 'owner' && caller.role !== 'owner') throw ownersOnly();
          await m.query(`DELETE FROM invites WHERE id = $1`, [id]);
          return row;
        }),
      (row) => ({ action: 'invite.revoked', targetType: 'invite', targetId: row.id, details: { email: row.email, role: row.role } }),
    );
  }

  /**
   * Spends an invitation. 410 for a link that is unknown, expired, revoked, replaced or used; 400
   * when a new account lacks a name or password, or an existing one its password; 401 for a wrong
   * password (counted like a failed login); 409 when already a member. Nothing is written unless it
   * all succeeds.
   */
  async accept(dto: AcceptInviteDto, client: SessionClient & { ip: string }): Promise<{ token: string; body: AuthSessionDto }> {
    const tokenHash = hashToken(dto.token);
    const [invite] = (await this.control.query(`SELECT ${COLUMNS} FROM invites WHERE token_hash = $1 AND expires_at > now()`, [tokenHash])) as InviteRow[];
    if (!invite) throw inviteInvalid();
    const [existing] = (await this.control.query(`SELECT id, password_hash FROM users WHERE email = $1`, [invite.email])) as Array<{
      id: string;
      password_hash: string;
    }>;
    let newAccount: { id: string; name: string; passwordHash: string } | undefined;
    if (existing) {
      if (!dto.password) throw existingAccountPasswordMissing();
      const attempt = await this.throttle.begin(invite.email, client.ip);
      if (!(await this.passwords.verify(existing.password_hash, dto.password))) throw invalidCredentials();
      await attempt.succeeded();
    } else {
      const missing = (['name', 'password'] as const).filter((f) => !dto[f]);
      if (missing.length) throw newAccountFieldsMissing([...missing]);
      // The one password policy (as at sign-up, reset and change): at least 12 characters, not a common password.
      const weak = newPasswordErrors(dto.password!);
      if (weak.length) throw weakNewPassword(weak);
      newAccount = { id: randomUUID(), name: dto.name!, passwordHash: await this.passwords.hash(dto.password!) };
    }
    const userId = existing?.id ?? newAccount!.id;

    const token = await this.audit.around(
      invite.organization_id,
      () =>
        this.control.transaction(async (m) => {
          // Spent here, once: of two concurrent accepts only one deletes the row.
          const [spent] = (await m.query(`DELETE FROM invites WHERE id = $1 AND token_hash = $2 AND expires_at > now() RETURNING id`, [
            invite.id,
            tokenHash,
          ])) as [unknown[], number];
          if (!spent.length) throw inviteInvalid();
          if (newAccount) {
            // Following the emailed link proves the address: the new account starts verified.
            const [created] = (await m.query(
              `INSERT INTO users (id, name, email, password_hash, email_verified_at) VALUES ($1, $2, $3, $4, now())
               ON CONFLICT (email) DO NOTHING RETURNING id`,
              [newAccount.id, newAccount.name, invite.email, newAccount.passwordHash],
            )) as Array<{ id: string }>;
            if (!created) throw inviteRaced(); // the email got an account meanwhile: accept again with its password
          }
          const [joined] = (await m.query(
            `INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT (organization_id, user_id) DO NOTHING RETURNING id`,
            [invite.organization_id, userId, invite.role],
          )) as Array<{ id: string }>;
          if (!joined) throw alreadyMember();
          return this.sessions.create(userId, invite.organization_id, m, client);
        }),
      () => ({ action: 'invite.accepted', targetType: 'invite', targetId: invite.id, details: { email: invite.email, role: invite.role, newAccount: !existing } }),
      { type: 'user', id: userId, label: invite.email },
      (m) => recordEvent(m, { type: 'member.joined', subjectType: 'user', subjectId: userId, payload: { email: invite.email, role: invite.role, newAccount: !existing }, actorId: userId }), // issue 13
    );
    const { user, organization } = await this.auth.me({ userId, organizationId: invite.organization_id, role: invite.role });
    return { token, body: { user, organization } };
  }

  /** The email, in the studio's name; a failure is logged, not thrown: the invite exists and can be sent again. */
  private async send(invite: InviteRow, token: string, publicUrl: string): Promise<void> {
    const [studio] = (await this.control.query(`SELECT name FROM organizations WHERE id = $1`, [invite.organization_id])) as Array<{ name: string }>;
    const link = `${publicUrl}/accept-invite?token=${token}`;
    try {
      const rendered = inviteMail({ link, validityMs: this.config.invites.ttlMs, studioName: studio.name, role: invite.role });
      await this.mail.send({ to: invite.email, kind: 'invite', senderName: studio.name, ...rendered });
    } catch (err) {
      this.logger.warn({ err: mailErrorForLog(err, this.config.mail.logLinks), inviteId: invite.id }, 'Could not send the invitation email');
    }
  }
}
