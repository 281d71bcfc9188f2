import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import {
  CreateWebhookEndpointDto,
  ListWebhookDeliveriesQueryDto,
  ListWebhookEndpointsQueryDto,
  UpdateWebhookEndpointDto,
  WebhookDeliveryDto,
  WebhookDeliveryListDto,
  WebhookEndpointDto,
  WebhookEndpointListDto,
  WebhookEndpointWithSecretDto,
} from './dto/webhook.dto.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';

// Issue 13, webhooks: admins and owners (sessions, or their API keys: integrators automate this).
@ApiTags('webhooks')
@ApiCookieAuth()
@ApiProblems(401, 403, 503)
@Controller('api/v1')
export class WebhooksController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Post('webhook-endpoints')
  @Access('admin')
  @ApiOperation({
    summary: 'Add a webhook endpoint; its signing secret is in this answer only',
    description: 'The URL must be http(s); in production it may not be, or resolve to, a private, loopback or link-local address (checked again at every send). See docs/webhooks.md.',
  })
  @ApiCreatedResponse({ type: WebhookEndpointWithSecretDto })
  @ApiProblems(400)
  createWebhookEndpoint(@Body() dto: CreateWebhookEndpointDto): Promise<WebhookEndpointWithSecretDto> {
    return this.endpoints.create(dto);
  }

  @Get('webhook-endpoints')
  @Access('admin')
  @ApiOperation({ summary: "The studio's webhook endpoints, newest first (never their secrets)", description: 'Cursor pagination: pass `nextCursor` back as `cursor`. `secretHint` shows the last characters of each secret.' })
  @ApiOkResponse({ type: WebhookEndpointListDto })
  @ApiProblems(400)
  listWebhookEndpoints(@Query() query: ListWebhookEndpointsQueryDto): Promise<WebhookEndpointListDto> {
    return this.endpoints.list(query);
  }

  @Get('webhook-endpoints/:id')
  @Access('admin')
  @ApiOperation({ summary: 'One webhook endpoint', description: "Another studio's endpoint is a 404, like one that does not exist. Never its secret." })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiProblems(400, 404)
  getWebhookEndpoint(@Param('id', uuidParam) id: string): Promise<WebhookEndpointDto> {
    return this.endpoints.get(id);
  }

  @Patch('webhook-endpoints/:id')
  @Access('admin')
  @ApiOperation({ summary: 'Change an endpoint (URL, description, event filter, enabled)', description: 'Only the fields sent change. Enabling a disabled endpoint clears its failure record.' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiProblems(400, 404)
  updateWebhookEndpoint(@Param('id', uuidParam) id: string, @Body() dto: UpdateWebhookEndpointDto): Promise<WebhookEndpointDto> {
    return this.endpoints.update(id, dto);
  }

  @Delete('webhook-endpoints/:id')
  @Access('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an endpoint and its delivery log', description: 'Nothing more is sent to it, retries included.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 404)
  deleteWebhookEndpoint(@Param('id', uuidParam) id: string): Promise<void> {
    return this.endpoints.remove(id);
  }

  @Post('webhook-endpoints/:id/roll-secret')
  @Access('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Replace the signing secret; the new one is in this answer only', description: 'Deliveries from now on are signed with the new secret only.' })
  @ApiOkResponse({ type: WebhookEndpointWithSecretDto })
  @ApiProblems(400, 404)
  rollWebhookSecret(@Param('id', uuidParam) id: string): Promise<WebhookEndpointWithSecretDto> {
    return this.endpoints.rollSecret(id);
  }

  @Get('webhook-endpoints/:id/deliveries')
  @Access('admin')
  @ApiOperation({ summary: "An endpoint's delivery log, newest first", description: 'Status, attempts, the last response code, duration and error.' })
  @ApiOkResponse({ type: WebhookDeliveryListDto })
  @ApiProblems(400, 404)
  listWebhookDeliveries(@Param('id', uuidParam) id: string, @Query() query: ListWebhookDeliveriesQueryDto): Promise<WebhookDeliveryListDto> {
    return this.endpoints.deliveries(id, query);
  }

  @Post('webhook-endpoints/:id/test')
  @Access('admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a `ping` event to the endpoint now', description: 'Whatever its event filter; the delivery appears in its log.' })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiProblems(400, 404, 409)
  testWebhookEndpoint(@Param('id', uuidParam) id: string): Promise<WebhookDeliveryDto> {
    return this.endpoints.test(id);
  }

  @Post('webhook-deliveries/:id/redeliver')
  @Access('admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a delivery again now', description: 'Same `Webhook-Id` and body, a fresh signature; retried again for up to 3 days if it fails. 409 while its endpoint is disabled, or while an attempt of it is still waiting for the receiver (`webhook-delivery-in-flight`).' })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiProblems(400, 404, 409)
  redeliverWebhook(@Param('id', uuidParam) id: string): Promise<WebhookDeliveryDto> {
    return this.endpoints.redeliver(id);
  }
}
