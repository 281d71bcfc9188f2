import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_EVENTS, WEBHOOK_EVENTS } from './events.ts';

describe('webhook event types offered by the endpoint dialog', () => {
	it('are the API’s own list (openapi.json), in its order, without the “every event” value', () => {
		const spec = JSON.parse(readFileSync(new URL('../../../../openapi.json', import.meta.url), 'utf8'));
		const fromApi: string[] = spec.components.schemas.CreateWebhookEndpointDto.properties.events.items.enum;
		expect(fromApi).toContain(ALL_EVENTS);
		expect(WEBHOOK_EVENTS).toEqual(fromApi.filter((type) => type !== ALL_EVENTS));
		expect(WEBHOOK_EVENTS).toContain('booking.created');
	});
});
