/**
 * The signed-in studio's formatting settings: its time zone and default currency, read from
 * GET /api/v1/studio when the staff app opens (issue 9) and after the settings page saves them.
 * Until they arrive, the browser's time zone and EUR.
 */
import { api, settle, type StudioSettings } from './api/client.ts';
import { browserTimeZone, type StudioFormat } from './format.ts';

class Studio implements StudioFormat {
	timeZone = $state(typeof Intl === 'undefined' ? 'UTC' : browserTimeZone());
	currency = $state('EUR');

	apply(settings: Pick<StudioSettings, 'timeZone' | 'defaultCurrency'>) {
		this.timeZone = settings.timeZone;
		this.currency = settings.defaultCurrency;
	}

	/** Reads the studio's settings; keeps the current ones when that fails (formatting is not worth an error). */
	async refresh(): Promise<void> {
		const result = await settle(api.GET('/api/v1/studio'));
		if (result.ok) this.apply(result.data);
	}
}

export const studio = new Studio();
