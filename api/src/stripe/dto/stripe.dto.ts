import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

export class StripeConnectionDto {
  @ApiProperty({ description: 'Online payment is configured on this installation (STRIPE_SECRET_KEY)' })
  enabled: boolean;

  @ApiProperty({ enum: ['none', 'onboarding', 'active', 'restricted'], description: 'none: never connected or disconnected' })
  status: 'none' | 'onboarding' | 'active' | 'restricted';

  @ApiProperty({ type: String, nullable: true, maxLength: 255, example: 'acct_1PqR…' })
  accountId: string | null;

  @ApiProperty()
  chargesEnabled: boolean;

  @ApiProperty()
  payoutsEnabled: boolean;

  @ApiProperty()
  detailsSubmitted: boolean;
}

export class StripeOnboardingDto {
  @ApiProperty({ maxLength: 2048, description: "Stripe's onboarding page for the studio's account (single use, expires in minutes)" })
  onboardingUrl: string;
}

export class CreateCheckoutDto {
  @ApiProperty({ required: false, format: 'uuid', description: 'Pay one share of a split invoice (required when the invoice is split)' })
  @IsOptional()
  @IsUUID('all', { message: 'shareId must be a UUID' })
  shareId?: string;
}

export class CheckoutDto {
  @ApiProperty({ maxLength: 2048, description: 'The hosted checkout page to send the payer to' })
  url: string;

  @ApiProperty({ maxLength: 255, example: 'cs_test_…' })
  sessionId: string;

  @ApiProperty({ description: 'What the payer is asked for, in minor units of the invoice currency' })
  amountMinor: number;
}

export class WebhookReceivedDto {
  @ApiProperty({ description: 'The event was verified; its effect is recorded (or it was already, or it needs none)' })
  received: boolean;
}
