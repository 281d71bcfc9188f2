// Modules that Vite plugins make up at build time (see vite/).
declare module 'virtual:api-constraints' {
	/** JSON-schema keywords the API validates a request-body field with. */
	export interface FieldConstraint {
		type?: string;
		format?: string;
		minLength?: number;
		maxLength?: number;
		pattern?: string;
		nullable?: boolean;
		minimum?: number;
		maximum?: number;
		enum?: unknown[];
		/** An array field whose items are one of these values. */
		items?: { enum: unknown[] };
	}
	export interface BodyConstraints {
		required: string[];
		properties: Record<string, FieldConstraint>;
	}
	/** Request-body schema name (e.g. CreateClientDto) → its constraints. */
	const constraints: Record<string, BodyConstraints>;
	export default constraints;
}

declare module 'virtual:api-access' {
	/** `"METHOD /path"` (e.g. `"POST /api/v1/invites"`) → the roles its x-rsm-roles allow; [] when public. */
	const access: Record<string, string[]>;
	export default access;
}

declare module 'virtual:currency-exponents' {
	/** ISO 4217 code → digits of its minor unit (EUR 2, JPY 0, IQD 3), as the API's money.ts counts them. */
	const exponents: Record<string, number>;
	export default exponents;
}
