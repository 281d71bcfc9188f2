import type { WebhookEndpoint } from '#lib/api/client.ts';
import { bodyConstraints } from '#lib/validation.ts';

/** Issue 13, webhooks: the filter value meaning "every event type". */
export const ALL_EVENTS = '*';

type EventType = Exclude<WebhookEndpoint['events'][number], '*'>;

/**
 * The event types an endpoint can choose (docs/webhooks.md), in the API's order: read at build time from
 * openapi.json's enum for an endpoint's `events` (the API's WEBHOOK_EVENT_TYPES), so a type the API adds
 * is offered here without a second list to keep in step.
 */
export const WEBHOOK_EVENTS = (bodyConstraints('CreateWebhookEndpointDto').properties.events.items?.enum ?? []).filter(
	(type): type is EventType => type !== ALL_EVENTS
);
