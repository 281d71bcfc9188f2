import { Controller, Headers, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { WebhookReceivedDto } from './dto/stripe.dto.js';
import { KeepRawBody, RawBody } from './raw-body.js';
import { StripeWebhooksService } from './stripe-webhooks.service.js';

const SIGNATURE = ApiHeader({ name: 'Stripe-Signature', required: true, schema: { type: 'string', maxLength: 2000 }, description: '`t=<unix>,v1=<HMAC-SHA256 of "t.body">` (Stripe signs every delivery)' });

// Issue 11, stripe: public, because Stripe has no session; the signature over the raw body is the authentication.
@ApiTags('stripe')
@Controller('api/v1/webhooks/stripe')
export class StripeWebhooksController {
  constructor(private readonly webhooks: StripeWebhooksService) {}

  @Post()
  @Public()
  @KeepRawBody()
  @HttpCode(HttpStatus.OK)
  @SIGNATURE
  @ApiOperation({ summary: "Stripe's platform events", description: 'The body is a Stripe event (application/json) exactly as Stripe sent it; verified with STRIPE_WEBHOOK_SECRET over the raw bytes (tolerance 300 s). A bad or missing signature is a 400 and nothing is written.' })
  @ApiOkResponse({ type: WebhookReceivedDto })
  @ApiProblems(400, 409, 503)
  receiveStripePlatformEvent(@RawBody() body: string, @Headers('stripe-signature') signature: string | undefined): Promise<WebhookReceivedDto> {
    return this.webhooks.receivePlatform(body, signature);
  }

  @Post('connect')
  @Public()
  @KeepRawBody()
  @HttpCode(HttpStatus.OK)
  @SIGNATURE
  @ApiOperation({
    summary: "Events of the studios' connected accounts",
    description:
      "The body is a Stripe event (application/json) exactly as Stripe sent it; verified with STRIPE_CONNECT_WEBHOOK_SECRET over the raw bytes (tolerance 300 s). Routed to the studio that owns `event.account`; metadata naming another studio is refused. A replay is a 200 that changes nothing.",
  })
  @ApiOkResponse({ type: WebhookReceivedDto })
  @ApiProblems(400, 409, 502, 503)
  receiveStripeConnectEvent(@RawBody() body: string, @Headers('stripe-signature') signature: string | undefined): Promise<WebhookReceivedDto> {
    return this.webhooks.receiveConnect(body, signature);
  }
}
