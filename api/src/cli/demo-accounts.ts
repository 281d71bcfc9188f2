/**
 * The demo's accounts unless `rsm seed --demo --email/--password` say otherwise (also RSM_DEMO's on start-up).
 * Its own module: the CLI loads the seed itself (and the whole API with it) only when the command runs.
 */
export const DEMO_DEFAULTS = { email: 'owner@demo.example.com', password: 'demo studio 2026' };
