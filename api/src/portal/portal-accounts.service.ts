import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { normalizeEmail } from '../auth/auth.service.js';
import { Clock } from '../common/clock.js';
import { pgErrorCode } from '../common/pg-errors.js';
import { ProblemException } from '../common/problem.js';
import { RequestContext } from '../common/request-context.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { MailOutbox, mailErrorForLog } from '../mail/mail-outbox.service.js';
import { portalInviteMail } from '../mail/mail-templates.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { CreatePortalInviteDto, PortalAccountDto, PortalAccountListDto } from './dto/portal-accounts.dto.js';
import { PortalAccount } from './portal-account.entity.js';
import { portalAccountDisabled, portalAccountNotFound, portalEmailTaken, portalInviteNotMailed } from './portal-problems.js';
import { issuePortalToken } from './portal-tokens.js';

const clientNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No client with this id in your studio.');

export function toPortalAccountDto(a: PortalAccount): PortalAccountDto {
  return {
    id: a.id,
    clientId: a.clientId,
    email: a.email,
    name: a.name,
    status: a.disabledAt ? 'disabled' : a.passwordHash ? 'active' : 'invited',
    lastLoginAt: a.lastLoginAt?.toISOString() ?? null,
    disabledAt: a.disabledAt?.toISOString() ?? null,
    createdAt: a.createdAt.toISOString(),
  };
}

/**
 * Issue 12, portal, staff side: a client's portal accounts. Inviting creates the account (or finds the
 * client's existing one for that address) and emails a one-time link to choose a password; disabling
 * ends the account's sessions and links at once.
 */
@Injectable()
export class PortalAccountsService {
  private readonly logger = new Logger(PortalAccountsService.name);

  constructor(
    private readonly tenant: TenantConnection,
    private readonly context: RequestContext,
    private readonly audit: AuditLog,
    private readonly mail: MailOutbox,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {}

  async invite(clientId: string, dto: CreatePortalInviteDto, publicUrl: string): Promise<PortalAccountDto> {
    const email = normalizeEmail(dto.email);
    const { account, token } = await this.tenant
      .transaction(async (m) => {
        // Invitations of one client take turns: two at once for the same new address would both find no
        // account and both insert (the second failing on the unique email).
        const client: unknown[] = await m.query(`SELECT 1 FROM clients WHERE id = $1 FOR UPDATE`, [clientId]);
        if (!client.length) throw clientNotFound();
        const repo = m.getRepository(PortalAccount);
        let account = await repo.findOne({ where: { email }, lock: { mode: 'pessimistic_write' } });
        if (account && account.clientId !== clientId) throw portalEmailTaken();
        // A disabled account stays disabled until staff enable it: no link that would not work is mailed.
        if (account?.disabledAt) throw portalAccountDisabled();
        if (!account) account = await repo.save(repo.create({ clientId, email, name: dto.name ?? null, passwordHash: null, disabledAt: null, lastLoginAt: null }));
        else if (dto.name !== undefined && dto.name !== null) await repo.update({ id: account.id }, { name: (account.name = dto.name) });
        const token = await issuePortalToken(m, account.id, 'invite', this.config.portal.inviteTtlMs, this.clock.now());
        await this.audit.record(m, { action: 'portal_account.invited', targetType: 'portal_account', targetId: account.id, details: { clientId, email } });
        return { account, token };
      })
      .catch((err: unknown) => {
        // Another client's invitation of the same address committed first (different clients do not take turns).
        if (pgErrorCode(err) === '23505') throw portalEmailTaken();
        throw err;
      });
    const studio = await this.studio();
    try {
      await this.mail.send({
        to: email,
        kind: 'portal-invite',
        senderName: studio.name,
        ...portalInviteMail({ link: `${publicUrl}/portal/${studio.slug}/accept-invite?token=${token}`, validityMs: this.config.portal.inviteTtlMs, studioName: studio.name }),
      });
    } catch (err) {
      this.logger.warn({ portalAccountId: account.id, mailError: mailErrorForLog(err, false) }, 'Portal invitation mail not sent');
      throw portalInviteNotMailed();
    }
    return toPortalAccountDto(account);
  }

  async list(clientId: string): Promise<PortalAccountListDto> {
    return this.tenant.run(async (m) => {
      if (!(await m.query(`SELECT 1 FROM clients WHERE id = $1`, [clientId])).length) throw clientNotFound();
      const accounts = await m.getRepository(PortalAccount).find({ where: { clientId }, order: { createdAt: 'ASC', id: 'ASC' } });
      return { items: accounts.map(toPortalAccountDto) };
    });
  }

  /** Disables (its sessions and unused links end in the same transaction) or enables an account. */
  async setDisabled(clientId: string, accountId: string, disabled: boolean): Promise<PortalAccountDto> {
    return this.tenant.transaction(async (m) => {
      const account = await this.lockAccount(m, clientId, accountId);
      if ((account.disabledAt !== null) === disabled) return toPortalAccountDto(account); // already so: nothing to record
      account.disabledAt = disabled ? this.clock.now() : null;
      await m.query(`UPDATE client_portal_accounts SET disabled_at = $2 WHERE id = $1`, [account.id, account.disabledAt]);
      if (disabled) {
        await m.query(`DELETE FROM client_portal_sessions WHERE account_id = $1`, [account.id]);
        await m.query(`DELETE FROM client_portal_tokens WHERE account_id = $1 AND used_at IS NULL`, [account.id]);
      }
      await this.audit.record(m, {
        action: disabled ? 'portal_account.disabled' : 'portal_account.enabled',
        targetType: 'portal_account',
        targetId: account.id,
        details: { clientId, email: account.email },
      });
      return toPortalAccountDto(account);
    });
  }

  private async lockAccount(m: EntityManager, clientId: string, accountId: string): Promise<PortalAccount> {
    const account = await m.getRepository(PortalAccount).findOne({ where: { id: accountId, clientId }, lock: { mode: 'pessimistic_write' } });
    if (!account) throw portalAccountNotFound();
    return account;
  }

  private async studio(): Promise<{ name: string; slug: string }> {
    const [row] = (await this.control.query(`SELECT name, slug FROM organizations WHERE id = $1`, [this.context.tenantId()])) as Array<{ name: string; slug: string }>;
    return row;
  }
}
