import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, Not } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { StripeAccount } from '../control/stripe-account.entity.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { StripeConnectionDto, StripeOnboardingDto } from './dto/stripe.dto.js';
import { accountStatus, callStripe } from './stripe-calls.js';
import { STRIPE_CLIENT, type StripeClient } from './stripe-client.js';
import { noConnection, onlinePaymentOff } from './stripe-problems.js';

/**
 * The studio's connected Stripe account (Connect, Express): control `stripe_accounts` maps it to the
 * studio, which is how Connect webhooks find their tenant. At most one live account per studio;
 * a disconnected one stays as history (its late refunds and disputes still reach the studio).
 */
@Injectable()
export class StripeConnectionService {
  constructor(
    @Inject(STRIPE_CLIENT) private readonly stripe: StripeClient,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
  ) {}

  private get organizationId(): string {
    return this.tenant.tenantId;
  }

  /** The studio's live (not disconnected) account, if any. */
  liveAccount(organizationId: string): Promise<StripeAccount | null> {
    return this.control.getRepository(StripeAccount).findOne({ where: { organizationId, status: Not('disconnected') } });
  }

  async get(): Promise<StripeConnectionDto> {
    const account = await this.liveAccount(this.organizationId);
    return {
      enabled: this.stripe !== null,
      status: account ? (account.status as StripeConnectionDto['status']) : 'none',
      accountId: account?.accountId ?? null,
      chargesEnabled: account?.chargesEnabled ?? false,
      payoutsEnabled: account?.payoutsEnabled ?? false,
      detailsSubmitted: account?.detailsSubmitted ?? false,
    };
  }

  /**
   * Creates the connected account when the studio has none, then a fresh onboarding link to it. The
   * account's idempotency key is per studio and connection (how many accounts it had before), so a
   * retried or doubled click gets the same account, while reconnecting after a disconnect makes a new one.
   */
  async connect(appOrigin: string): Promise<StripeOnboardingDto> {
    const stripe = this.stripe;
    if (!stripe) throw onlinePaymentOff();
    const organizationId = this.organizationId;
    let account = await this.liveAccount(organizationId);
    if (!account) {
      const before = await this.control.getRepository(StripeAccount).count({ where: { organizationId } });
      const created = await callStripe('create the connected account', () =>
        stripe.accounts.create(
          { type: 'express', metadata: { organizationId }, capabilities: { card_payments: { requested: true }, transfers: { requested: true } } },
          { idempotencyKey: `rsm-connect-${organizationId}-${before}` },
        ),
      );
      // A concurrent click inserted the same account (same key): nothing to do, read it back.
      await this.control.query(
        `INSERT INTO stripe_accounts (account_id, organization_id, status, charges_enabled, payouts_enabled, details_submitted)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [created.id, organizationId, accountStatus(created), created.charges_enabled ?? false, created.payouts_enabled ?? false, created.details_submitted ?? false],
      );
      account = await this.liveAccount(organizationId);
      if (!account) throw new Error('The connected account was neither inserted nor found');
      await this.tenant.transaction((m) =>
        this.audit.record(m, { action: 'stripe.connection_started', targetType: 'stripe_account', targetId: null, details: { accountId: account!.accountId } }),
      );
    }
    const accountId = account.accountId;
    // An account link is single-use and short-lived: each request gets a new one (its own key, reused by the SDK's retries).
    const link = await callStripe('create the onboarding link', () =>
      stripe.accountLinks.create(
        { account: accountId, type: 'account_onboarding', refresh_url: `${appOrigin}/settings/payments?stripe=refresh`, return_url: `${appOrigin}/settings/payments?stripe=return` },
        { idempotencyKey: `rsm-account-link-${accountId}-${randomUUID()}` },
      ),
    );
    return { onboardingUrl: link.url };
  }

  /** Re-reads the account from Stripe (after onboarding, or when a webhook was missed). */
  async refresh(): Promise<StripeConnectionDto> {
    const stripe = this.stripe;
    if (!stripe) throw onlinePaymentOff();
    const account = await this.liveAccount(this.organizationId);
    if (!account) throw noConnection();
    const fresh = await callStripe('read the connected account', () => stripe.accounts.retrieve(account.accountId));
    await this.applyAccount(fresh);
    return this.get();
  }

  /** Copies Stripe's view of an account onto its row (a disconnected row stays disconnected). */
  async applyAccount(fresh: { id: string; details_submitted?: boolean; charges_enabled?: boolean; payouts_enabled?: boolean }): Promise<void> {
    await this.control.query(
      `UPDATE stripe_accounts SET status = $2, charges_enabled = $3, payouts_enabled = $4, details_submitted = $5, updated_at = now()
        WHERE account_id = $1 AND status <> 'disconnected'`,
      [
        fresh.id,
        accountStatus({ details_submitted: fresh.details_submitted ?? false, charges_enabled: fresh.charges_enabled ?? false }),
        fresh.charges_enabled ?? false,
        fresh.payouts_enabled ?? false,
        fresh.details_submitted ?? false,
      ],
    );
  }

  /** Marks the live account disconnected: no new checkouts; its past payments and late events still count. */
  async disconnect(): Promise<void> {
    const organizationId = this.organizationId;
    const rows = (await this.control.query(
      `UPDATE stripe_accounts SET status = 'disconnected', disconnected_at = now(), updated_at = now()
        WHERE organization_id = $1 AND status <> 'disconnected' RETURNING account_id`,
      [organizationId],
    )) as [Array<{ account_id: string }>, number];
    const accountId = rows[0][0]?.account_id;
    if (!accountId) throw noConnection();
    await this.tenant.transaction((m) => this.audit.record(m, { action: 'stripe.disconnected', targetType: 'stripe_account', targetId: null, details: { accountId } }));
  }
}
