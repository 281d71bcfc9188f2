import type { INestApplicationContext } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { DEMO_DEFAULTS } from './demo-accounts.js';
import { DemoSeed } from './demo-seed.service.js';

/**
 * Issue 8, `npm start` offers the demo: on a first run (the control database has no organization yet),
 * RSM_DEMO=true seeds the demo studio (the same DemoSeed as `rsm seed --demo`) and says how to log in;
 * without it, one line says how to get one. Once any studio exists it says nothing: not a first run.
 * (Not in production: DemoSeed refuses, and no hint is given.) A failed seed is reported and the app keeps serving (the demo is a convenience, not a dependency).
 * Returns the lines to print.
 */
export async function offerDemoOnFirstStart(app: INestApplicationContext, config: AppConfig, baseUrl: string): Promise<string[]> {
  const control = app.get<DataSource>(CONTROL_DATA_SOURCE);
  const [{ any }] = (await control.query(`SELECT EXISTS (SELECT 1 FROM organizations) AS any`)) as Array<{ any: boolean }>;
  if (any) return [];
  if (!config.demoOnFirstStart) {
    if (config.env === 'production') return []; // a demo with known passwords is refused there anyway
    return ['No studio yet: sign up in the browser, or get a demo studio with `RSM_DEMO=true npm start` (or `npm run rsm -- seed --demo`).'];
  }
  try {
    const demo = await DemoSeed.from(app).seed(DEMO_DEFAULTS);
    return [
      `RSM_DEMO: seeded "${demo.studioName}" (${demo.bookings.total} bookings, ${demo.counts.clients} clients, ${demo.projects.projects} projects). Log in at ${baseUrl}/login`,
      `  owner:     ${demo.owner.email} / ${demo.owner.password}`,
      ...demo.engineers.map((e) => `  engineer:  ${e.email} / ${e.password}`),
    ];
  } catch (err) {
    return [`RSM_DEMO: the demo studio could not be seeded: ${err instanceof Error ? err.message : String(err)}`];
  }
}
