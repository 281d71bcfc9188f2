import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { TenantProvisioner } from '../tenancy/tenant-provisioner.service.js';

/**
 * What happens to a studio whose owner never verifies their email (sign-up is anonymous, so anyone
 * can claim any address): it can be used for UNVERIFIED_STUDIO_DAYS, is then suspended (the session
 * guard refuses its staff requests from the deadline on; `suspendOverdue` records it), and
 * UNVERIFIED_STUDIO_GRACE_DAYS after the deadline its database is dropped and its control rows are
 * deleted, which frees the email and the slug for whoever really owns them. Deleting rather than
 * marking deleted: there is nothing left to restore, and a kept row would keep the email taken.
 * Both steps are run by the maintenance job.
 */
@Injectable()
export class UnverifiedStudios {
  private readonly logger = new Logger(UnverifiedStudios.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly provisioner: TenantProvisioner,
  ) {}

  /** When a studio signed up now must have verified its owner's email. */
  deadlineFromNow(): Date {
    return new Date(Date.now() + this.config.signup.unverifiedUsableMs);
  }

  /** Records the suspension of studios past their deadline. Returns their ids. */
  async suspendOverdue(): Promise<string[]> {
    const [rows] = (await this.control.query(
      `UPDATE organizations SET suspended_at = now()
        WHERE unverified_until <= now() AND suspended_at IS NULL
        RETURNING id`,
    )) as [Array<{ id: string }>, number];
    for (const { id } of rows) this.logger.log({ organizationId: id }, 'Studio suspended: its owner has not verified their email');
    return rows.map((r) => r.id);
  }

  /** Drops the studios whose grace period after the deadline has passed. Returns their ids. */
  async dropAbandoned(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.control.query(
      `SELECT id FROM organizations WHERE unverified_until <= now() - $1 * interval '1 millisecond' ORDER BY unverified_until`,
      [this.config.signup.unverifiedGraceMs],
    );
    const dropped: string[] = [];
    for (const { id } of rows) {
      try {
        if (await this.drop(id)) dropped.push(id);
      } catch (err) {
        // The next run retries: the registry row stays (archived, never served) until the drop succeeded.
        this.logger.error({ organizationId: id, err: String(err) }, 'Could not drop an abandoned studio; will retry');
      }
    }
    return dropped;
  }

  /**
   * 1. In one transaction, re-check under a row lock (a verification may have just landed) and mark
   *    the registry entry `archived`, so no pool opens on it from here on.
   * 2. Drop the database (WITH FORCE ends open connections; IF EXISTS makes a retry harmless).
   * 3. Delete the organization (memberships, sessions and the registry row cascade) and the users it
   *    leaves without any studio. Until this commits the registry row says `archived`, never `ready`.
   * Once step 1 committed, a verification link no longer lifts the probation (EmailVerification.verify
   * refuses archived studios), so the studio stays due and a failed step 2 or 3 is retried next run.
   */
  private async drop(organizationId: string): Promise<boolean> {
    const databaseName = await this.control.transaction(async (m) => {
      const due = await m.query(
        `SELECT id FROM organizations WHERE id = $1 AND unverified_until <= now() - $2 * interval '1 millisecond' FOR UPDATE`,
        [organizationId, this.config.signup.unverifiedGraceMs],
      );
      if (!due.length) return null;
      const [registry] = (await m.query(
        `UPDATE tenant_databases SET status = 'archived', updated_at = now() WHERE organization_id = $1 RETURNING database_name`,
        [organizationId],
      )) as [Array<{ database_name: string }>, number];
      return registry[0]?.database_name ?? '';
    });
    if (databaseName === null) return false;
    if (databaseName) await this.provisioner.dropDatabase(databaseName);
    await this.control.transaction(async (m) => {
      const members: Array<{ user_id: string }> = await m.query(`SELECT user_id FROM memberships WHERE organization_id = $1`, [organizationId]);
      await m.query(`DELETE FROM organizations WHERE id = $1`, [organizationId]);
      await m.query(
        `DELETE FROM users u WHERE u.id = ANY($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id)`,
        [members.map((r) => r.user_id)],
      );
    });
    this.logger.log({ organizationId, databaseName }, 'Dropped a studio whose owner never verified their email');
    return true;
  }
}
