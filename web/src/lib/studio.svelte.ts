/**
 * The signed-in studio's formatting settings. Studios cannot set a time zone or currency yet (a
 * later issue adds them to the API); until then the browser's time zone and EUR are used, in one
 * place so that the change lands here only.
 */
import { browserTimeZone, type StudioFormat } from './format.ts';

class Studio implements StudioFormat {
	timeZone = $state(typeof Intl === 'undefined' ? 'UTC' : browserTimeZone());
	currency = $state('EUR');
}

export const studio = new Studio();
