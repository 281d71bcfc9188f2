import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOpenApiJson } from '../src/openapi/write-openapi.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('openapi.json', () => {
  it('is what the code generates (run `npm run openapi` and commit when this fails)', async () => {
    const committed = readFileSync(resolve(root, 'openapi.json'), 'utf8');
    expect(committed).toBe(await generateOpenApiJson());
  });

  it('names every operation after its controller method and documents problem responses', async () => {
    const spec = JSON.parse(await generateOpenApiJson());
    const ops = Object.values(spec.paths).flatMap((p) => Object.values(p as Record<string, { operationId: string; responses: object }>));
    expect(ops.map((o) => o.operationId).sort()).toEqual(
      ['createClient', 'deleteClient', 'getClient', 'listClients', 'live', 'login', 'logout', 'me', 'ready', 'register', 'updateClient'],
    );
    expect(spec.paths['/api/v1/clients/{id}'].get.responses['404'].content['application/problem+json']).toBeDefined();
    expect(spec.components.schemas.ProblemDto).toBeDefined();
  });
});
