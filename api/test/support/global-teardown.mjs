import { leaveRunTempDir } from './run-temp-dir.mjs';

export default async function globalTeardown() {
  await globalThis.__RSM_PG__?.stop();
  leaveRunTempDir(); // removes the run's temp directory; throws if anything else was left in the temp folder
}
