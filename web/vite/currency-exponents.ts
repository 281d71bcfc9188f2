/**
 * Vite plugin: `import exponents from 'virtual:currency-exponents'` gives each ISO 4217 currency's
 * minor-unit exponent (EUR 2, JPY 0, IQD 3), from the same `currency-codes` data the API uses
 * (api/src/money/money.ts). WHY: the browser's Intl follows CLDR, which disagrees with ISO 4217 for
 * HUF, COP, IDR, IQD, PKR and others (CLDR 0 decimals, ISO 2 or 3): typing 15000 HUF would send
 * 15000 minor units, which the API reads as 150.00 HUF.
 */
import { createRequire } from 'node:module';

const ID = 'virtual:currency-exponents';
const RESOLVED = '\0' + ID;

/** The two Vite plugin hooks used, typed here so the plugin fits whichever Vite copy loads it (as openapi-module.ts). */
interface VirtualModulePlugin {
	name: string;
	resolveId(id: string): string | undefined;
	load(id: string): string | undefined;
}

export function currencyExponents(): VirtualModulePlugin {
	return {
		name: 'rsm-currency-exponents',
		resolveId: (id) => (id === ID ? RESOLVED : undefined),
		load(id) {
			if (id !== RESOLVED) return undefined;
			const codes = createRequire(import.meta.url)('currency-codes') as { data: Array<{ code: string; digits: number }> };
			const exponents = Object.fromEntries(codes.data.map((c) => [c.code, c.digits]));
			return `export default ${JSON.stringify(exponents)};`;
		}
	};
}
