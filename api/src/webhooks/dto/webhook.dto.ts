import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUrl, MaxLength, ValidateIf } from 'class-validator';
import { blankToNull, trim } from '../../common/input-transforms.js';
import { PagedListDto, PageQueryDto } from '../../common/pagination.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../webhook-delivery.entity.js';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from '../webhook-events.js';

const EVENT_FILTER_VALUES = [ALL_EVENTS, ...WEBHOOK_EVENT_TYPES];

export class CreateWebhookEndpointDto {
  @ApiProperty({ format: 'uri', maxLength: 2048, example: 'https://hooks.example.com/rsm', description: 'http or https; not a private, loopback or link-local address in production' })
  @Transform(trim)
  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true }, { message: 'url must be an http or https URL' })
  url: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiProperty({ type: [String], enum: EVENT_FILTER_VALUES, minItems: 1, maxItems: 50, uniqueItems: true, description: 'The event types to send, or `*` for all of them' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsIn(EVENT_FILTER_VALUES, { each: true })
  events: string[];

  @ApiPropertyOptional({ type: Boolean, description: 'Absent on create: true' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/** Only the fields sent change. Enabling a disabled endpoint clears its failure record. */
export class UpdateWebhookEndpointDto extends CreateWebhookEndpointDto {
  @ApiPropertyOptional({ format: 'uri', maxLength: 2048 })
  @ValidateIf((o: UpdateWebhookEndpointDto) => o.url !== undefined)
  declare url: string;

  @ApiPropertyOptional({ type: [String], enum: EVENT_FILTER_VALUES, minItems: 1, maxItems: 50, uniqueItems: true })
  @ValidateIf((o: UpdateWebhookEndpointDto) => o.events !== undefined)
  declare events: string[];
}

export class WebhookEndpointDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uri', maxLength: 2048 })
  url: string;

  @ApiProperty({ type: String, nullable: true, maxLength: 500 })
  description: string | null;

  @ApiProperty({ type: [String], enum: EVENT_FILTER_VALUES, maxItems: 50 })
  events: string[];

  @ApiProperty()
  enabled: boolean;

  @ApiProperty({ type: String, nullable: true, maxLength: 200, description: 'Set when the system disabled it (3 days of failures)' })
  disabledReason: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Since when every attempt has failed; null after a success' })
  failingSince: string | null;

  @ApiProperty({ maxLength: 20, example: 'whsec_…x9Qa', description: 'The last characters of the signing secret (the secret itself is shown only when created or rolled)' })
  secretHint: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class WebhookEndpointWithSecretDto extends WebhookEndpointDto {
  @ApiProperty({ minLength: 49, maxLength: 49, pattern: '^whsec_[A-Za-z0-9_-]{43}$', description: 'The signing secret, shown in this answer only (docs/webhooks.md: verifying a delivery)' })
  secret: string;
}

export class WebhookEndpointListDto extends PagedListDto(WebhookEndpointDto) {}
export class ListWebhookEndpointsQueryDto extends PageQueryDto {}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'Also the `Webhook-Id` header: the same on every attempt' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  endpointId: string;

  @ApiProperty({ maxLength: 60, description: 'The body\'s `id`: `evt_<n>` for an event, `ping_<delivery id>` for a test' })
  messageId: string;

  @ApiProperty({ maxLength: 100, example: 'booking.created' })
  eventType: string;

  @ApiProperty({ enum: DELIVERY_STATUSES, enumName: 'WebhookDeliveryStatus' })
  status: DeliveryStatus;

  @ApiProperty({ minimum: 0 })
  attemptCount: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextAttemptAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastAttemptAt: string | null;

  @ApiProperty({ type: Number, nullable: true, description: "The receiver's status code; null when none came" })
  lastResponseCode: number | null;

  @ApiProperty({ type: Number, nullable: true })
  lastDurationMs: number | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 500 })
  lastError: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class WebhookDeliveryListDto extends PagedListDto(WebhookDeliveryDto) {}
export class ListWebhookDeliveriesQueryDto extends PageQueryDto {}
