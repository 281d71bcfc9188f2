/** DI token of this app's prom-client Registry (one per app instance, so tests can run several). */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
