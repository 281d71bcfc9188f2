import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isApiKeyCaller } from '../auth/auth.types.js';
import { RequestContext } from '../common/request-context.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { TenantDataSources } from '../tenancy/tenant-data-sources.service.js';
import { type AuditAction, type AuditActorType, AuditEntry, type AuditTargetType } from './audit-entry.entity.js';

/** What happened: `resource.verb`, the record it happened to, and a few facts worth keeping. */
export interface AuditEvent {
  action: AuditAction;
  targetType: AuditTargetType;
  targetId: string | null;
  /** Small and free of secrets (never a token, a password or a key). */
  details?: Record<string, unknown>;
}

/** Who did it. Taken from the request's caller unless given (an invitee accepting has no caller yet). */
export interface AuditActor {
  type: AuditActorType;
  id: string | null;
  label: string | null;
}

/** A client acting in the portal: its portal account, labelled with the account's email (issue 12). */
export function portalAccountActor(account: { id: string; email: string }): AuditActor {
  return { type: 'portal-account', id: account.id, label: account.email };
}

/**
 * The one way anything is written to a studio's audit log (DESIGN.md: every write through one helper).
 *
 *  - Tenant data: call `record(manager, event)` with the manager of the change's own tenant
 *    transaction, so the entry commits or rolls back with the change.
 *  - Control data (members, invites, API keys, sessions, passwords): `around(organizationId, change,
 *    describe)` opens the studio's tenant transaction first, runs the control change (its own
 *    transaction), then writes the entry and commits. A change that fails writes no entry; a studio
 *    database that is down fails the request before the change is made. Only a failure between the
 *    control commit and the tenant commit can lose an entry (two databases, no two-phase commit).
 */
@Injectable()
export class AuditLog {
  constructor(
    private readonly context: RequestContext,
    private readonly dataSources: TenantDataSources,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {}

  /** Writes one entry with the caller's tenant transaction `manager`. */
  async record(manager: EntityManager, event: AuditEvent, actor?: AuditActor): Promise<void> {
    const who = actor ?? (await this.currentActor());
    await manager.getRepository(AuditEntry).insert({
      actorType: who.type,
      actorId: who.id,
      actorLabel: who.label,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId,
      ip: this.context.ip() ?? null,
      details: (event.details ?? {}) as never, // jsonb: TypeORM's deep-partial type does not fit a free-form object
    });
  }

  /**
   * Runs a control-database `change` of studio `organizationId` and records it (see the class comment).
   * `alsoInTenant` (issue 13: an outbox event) writes more in the same tenant transaction as the entry.
   */
  async around<T>(organizationId: string, change: () => Promise<T>, describe: (result: T) => AuditEvent, actor?: AuditActor, alsoInTenant?: (manager: EntityManager, result: T) => Promise<void>): Promise<T> {
    const who = actor ?? (await this.currentActor());
    return this.dataSources.withTenant(organizationId, (ds) =>
      ds.transaction(async (manager) => {
        const result = await change();
        await this.record(manager, describe(result), who);
        await alsoInTenant?.(manager, result);
        return result;
      }),
    );
  }

  /**
   * `around` for a change that concerns several studios at once (a password reset concerns every
   * studio of the user): one entry in each, the studios' transactions nested around the one change,
   * so a change that fails writes no entry anywhere. No studio: the change alone, unrecorded.
   */
  async aroundEach<T>(organizationIds: string[], change: () => Promise<T>, describe: (result: T) => AuditEvent, actor?: AuditActor): Promise<T> {
    const [first, ...rest] = organizationIds;
    if (!first) return change();
    const who = actor ?? (await this.currentActor());
    return this.around(first, () => this.aroundEach(rest, change, describe, who), describe, who);
  }

  /**
   * The request's caller as an actor: the user (by email) or the API key (by name), as the guard read
   * them with the session or key (no query inside the caller's tenant transaction).
   */
  async currentActor(): Promise<AuditActor> {
    const caller = this.context.principal();
    // Issue 12: a portal client acts as its portal account (e.g. a checkout started from the portal).
    const portal = this.context.portalPrincipal();
    if (!caller && portal) return portalAccountActor({ id: portal.accountId, email: portal.email });
    if (!caller) throw new Error('AuditLog needs an authenticated caller or an explicit actor');
    if (isApiKeyCaller(caller)) {
      if (caller.label !== undefined) return { type: 'api-key', id: caller.apiKeyId, label: caller.label };
      const [key] = (await this.control.query(`SELECT name FROM api_keys WHERE id = $1`, [caller.apiKeyId])) as Array<{ name: string }>;
      return { type: 'api-key', id: caller.apiKeyId, label: key?.name ?? null };
    }
    return caller.label !== undefined ? { type: 'user', id: caller.userId, label: caller.label } : this.userActor(caller.userId);
  }

  async userActor(userId: string): Promise<AuditActor> {
    const [user] = (await this.control.query(`SELECT email FROM users WHERE id = $1`, [userId])) as Array<{ email: string }>;
    return { type: 'user', id: userId, label: user?.email ?? null };
  }
}
