import { Inject, Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { RequestContext } from '../common/request-context.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { StripeAccount } from '../control/stripe-account.entity.js';
import { SubscriptionEvents } from '../subscription/subscription-events.service.js';
import type { WebhookReceivedDto } from './dto/stripe.dto.js';
import { callStripe } from './stripe-calls.js';
import { STRIPE_CLIENT, type StripeClient, verifyStripeEvent } from './stripe-client.js';
import { StripeConnectionService } from './stripe-connection.service.js';
import { badWebhook, onlinePaymentOff } from './stripe-problems.js';
import { metadataOf, StripeWebhookEffects } from './stripe-webhook-effects.js';

const RECEIVED: WebhookReceivedDto = { received: true };

/**
 * The two webhook endpoints: verify the signature over the raw body, then find whose event it is.
 * A Connect event belongs to the studio that owns `event.account` in control `stripe_accounts` — never
 * to whatever its metadata says; metadata naming another studio is refused (a forged or crossed
 * object). The studio's work runs as that tenant's (RequestContext.runForTenant), like a job's.
 */
@Injectable()
export class StripeWebhooksService {
  private readonly logger = new Logger('StripeWebhooks');

  constructor(
    @Inject(STRIPE_CLIENT) private readonly stripe: StripeClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly context: RequestContext,
    private readonly connection: StripeConnectionService,
    private readonly effects: StripeWebhookEffects,
    private readonly subscriptions: SubscriptionEvents,
  ) {}

  private verify(body: string, signature: string | undefined, secret: string | undefined): Stripe.Event {
    if (!this.stripe || !secret) throw onlinePaymentOff();
    if (!signature) throw badWebhook('The Stripe-Signature header is missing.');
    try {
      return verifyStripeEvent(body, signature, secret);
    } catch (err) {
      throw badWebhook(`The Stripe signature does not verify: ${(err as Error).message}`);
    }
  }

  /** Platform events: the studios' own subscriptions (SubscriptionEvents); each recorded once, with its effect. */
  async receivePlatform(body: string, signature: string | undefined): Promise<WebhookReceivedDto> {
    const event = this.verify(body, signature, this.config.stripe.webhookSecret);
    await this.subscriptions.apply(event);
    return RECEIVED;
  }

  async receiveConnect(body: string, signature: string | undefined): Promise<WebhookReceivedDto> {
    const event = this.verify(body, signature, this.config.stripe.connectWebhookSecret);
    if (!event.account) {
      this.logger.warn({ eventId: event.id, type: event.type }, 'A Connect event without an account: ignored');
      return RECEIVED;
    }
    const owner = await this.control.getRepository(StripeAccount).findOne({ where: { accountId: event.account } });
    if (!owner) {
      // Signed by Stripe, yet not an account of ours (another platform's test data): nothing to do, and no retries wanted.
      this.logger.warn({ eventId: event.id, type: event.type, account: event.account }, 'An event for an unknown connected account: ignored');
      return RECEIVED;
    }
    const claimed = metadataOf(event.data.object).organizationId;
    if (claimed && claimed !== owner.organizationId) {
      this.logger.warn({ eventId: event.id, account: event.account, claimed, owner: owner.organizationId }, 'Event metadata names another studio than its account: refused');
      throw badWebhook("The event's metadata names another studio than the one its account belongs to.");
    }
    if (event.type === 'account.updated') {
      // Events can arrive out of order: the account as Stripe has it now is what counts.
      const stripe = this.stripe!;
      const fresh = await callStripe('read the connected account', () => stripe.accounts.retrieve(owner.accountId));
      await this.connection.applyAccount(fresh);
      return RECEIVED;
    }
    await this.context.runForTenant(owner.organizationId, () => this.effects.apply(event, owner.accountId, owner.organizationId));
    return RECEIVED;
  }
}
