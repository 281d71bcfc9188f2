// PostgreSQL's own floor for cold starts (issue 14): lib/connect-rate.mjs run in its own process, as
// the load generator is, over each studio's own role on its own database. Used by many-tenants (the
// ceiling of new connections per second) and cold-tenant (the latency of one bare connection).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runToCompletion } from './proc.mjs';

const libDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(libDir, '../..');

/** Each studio's URL as its own tenant role, through the API's own TenantRoles (api/dist), as the app's pools connect. */
export async function tenantRoleUrls({ prefix, secretKey, controlUrl, organizationIds }) {
  const { TenantRoles } = await import(pathToFileURL(path.join(rootDir, 'api/dist/tenancy/tenant-roles.js')).href);
  const roles = new TenantRoles({ tenancy: { databasePrefix: prefix }, secretKey, databaseUrl: controlUrl });
  return organizationIds.map((id) => roles.connectionUrl(roles.roleFor(id), id));
}

/**
 * Bare connections (connect, `SELECT 1`, close) to studios drawn uniformly from `urls`, `connections`
 * at a time for `duration` seconds: { operations, failures, duration, perSec, p50, p99 }. Throws if
 * any failed or none completed.
 */
export async function bareConnectionRate({ urls, connections, duration, seed = 1 }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rsm-bench-connect-'));
  try {
    const spec = path.join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ urls, distribution: 'uniform', seed, connections, duration }));
    const { code, stdout, stderr } = await runToCompletion(process.execPath, [path.join(libDir, 'connect-rate.mjs'), spec], {
      cwd: path.dirname(libDir), env: process.env, timeoutMs: (duration + 60) * 1000,
    });
    if (code !== 0) throw new Error(`connect-rate exited ${code}: ${stderr.slice(-1500)}`);
    const result = JSON.parse(stdout.trim().split('\n').pop());
    if (result.failures > 0 || result.operations === 0) throw new Error(`connect-rate: ${JSON.stringify(result)}`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
