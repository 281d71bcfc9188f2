import type { DataSource } from 'typeorm';

/**
 * The studios background work visits: those with a provisioned database that are not suspended. One
 * definition for every job that walks studios (start-up sweeps, the daily late notices), so a new
 * rule — say, skipping studios being moved — is written once. (StudioSweep.run selects the same studios
 * with its due filter joined in.)
 */
export async function activeStudioIds(control: DataSource): Promise<string[]> {
  const rows = (await control.query(
    `SELECT t.organization_id FROM tenant_databases t JOIN organizations o ON o.id = t.organization_id WHERE o.suspended_at IS NULL`,
  )) as Array<{ organization_id: string }>;
  return rows.map((row) => row.organization_id);
}
