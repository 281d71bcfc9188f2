import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import type { SubscriptionStatus } from '../control/organization.entity.js';
import { studioReadOnlySql } from '../auth/studio-standing.js';
import type { SubscriptionDto, SubscriptionStandingDto } from './dto/subscription.dto.js';

interface StandingRow {
  subscription_status: SubscriptionStatus;
  current_period_end: Date | null;
  past_due_since: Date | null;
  stripe_subscription_id: string | null;
  read_only: boolean;
}

/**
 * Issue 11: the studio's own subscription to the platform (Stripe Billing on the platform account).
 * Read-only standing uses the same SQL as the guard (auth/studio-standing.ts), so what the page says
 * is what the API enforces.
 */
@Injectable()
export class SubscriptionService {
  constructor(
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async standing(organizationId: string): Promise<SubscriptionStandingDto> {
    const row = await this.row(organizationId);
    return { status: row.subscription_status, currentPeriodEnd: row.current_period_end?.toISOString() ?? null, readOnly: row.read_only };
  }

  async details(organizationId: string): Promise<SubscriptionDto> {
    const row = await this.row(organizationId);
    const { graceDays, priceId } = this.config.subscription;
    const graceMs = graceDays * 86_400_000;
    const lapsedAt =
      row.subscription_status === 'past_due'
        ? row.past_due_since
        : row.subscription_status === 'canceled' || (row.subscription_status === 'trialing' && priceId && !row.stripe_subscription_id)
          ? row.current_period_end
          : null;
    return {
      status: row.subscription_status,
      currentPeriodEnd: row.current_period_end?.toISOString() ?? null,
      readOnly: row.read_only,
      pastDueSince: row.past_due_since?.toISOString() ?? null,
      readOnlyFrom: lapsedAt ? new Date(lapsedAt.getTime() + graceMs).toISOString() : null,
      graceDays,
      billingAvailable: priceId !== undefined && this.config.stripe.secretKey !== undefined,
      subscribed: row.stripe_subscription_id !== null,
    };
  }

  private async row(organizationId: string): Promise<StandingRow> {
    const [row] = (await this.control.query(
      `SELECT o.subscription_status, o.current_period_end, o.past_due_since, o.stripe_subscription_id, ${studioReadOnlySql(this.config.subscription)} AS read_only
         FROM organizations o WHERE o.id = $1`,
      [organizationId],
    )) as StandingRow[];
    if (!row) throw new Error(`No organization ${organizationId}`);
    return row;
  }
}
