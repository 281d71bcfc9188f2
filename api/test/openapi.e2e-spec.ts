import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOpenApiJson } from '../src/openapi/write-openapi.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('openapi.json', () => {
  it('is what the code generates (run `npm run openapi` and commit when this fails)', async () => {
    const committed = readFileSync(resolve(root, 'openapi.json'), 'utf8');
    expect(committed).toBe(await generateOpenApiJson());
  });

  it("matches the web app's generated client types (web/src/lib/api/schema.d.ts)", async () => {
    const dir = mkdtempSync(resolve(tmpdir(), 'rsm-openapi-'));
    writeFileSync(resolve(dir, 'openapi.json'), await generateOpenApiJson());
    execFileSync(process.execPath, [resolve(root, 'node_modules/openapi-typescript/bin/cli.js'), resolve(dir, 'openapi.json'), '-o', resolve(dir, 'schema.d.ts')], { stdio: 'ignore' });
    expect(readFileSync(resolve(root, 'web/src/lib/api/schema.d.ts'), 'utf8')).toBe(readFileSync(resolve(dir, 'schema.d.ts'), 'utf8'));
  });

  it('names every operation after its controller method and documents problem responses', async () => {
    const spec = JSON.parse(await generateOpenApiJson());
    const ops = Object.values(spec.paths).flatMap((p) => Object.values(p as Record<string, { operationId: string; responses: object }>));
    expect(ops.map((o) => o.operationId).sort()).toEqual(
      ['createClient', 'deleteClient', 'getClient', 'listClients', 'live', 'login', 'logout', 'me', 'ready', 'register', 'resendVerification', 'updateClient', 'verifyEmail'],
    );
    expect(spec.paths['/api/v1/clients/{id}'].get.responses['404'].content['application/problem+json']).toBeDefined();
    expect(spec.components.schemas.ProblemDto).toBeDefined();
  });
});
