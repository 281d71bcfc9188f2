import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  await globalThis.__RSM_PG__?.stop();
  if (globalThis.__RSM_PG_DIR__) rmSync(globalThis.__RSM_PG_DIR__, { recursive: true, force: true });
}
