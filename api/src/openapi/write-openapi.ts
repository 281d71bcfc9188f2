/**
 * Writes ../openapi.json from the code (booting the app module without a database or a port), then
 * regenerates the web app's typed client from it. Run: `npm run openapi` at the repo root.
 */
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config/app-config.js';
import { buildOpenApiDocument } from './swagger.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The spec as committed: sorted keys, two-space indent, trailing newline. */
export async function generateOpenApiJson(): Promise<string> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  // preview: resolve the module graph for metadata only; no provider (no database) is instantiated.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  const json = JSON.stringify(buildOpenApiDocument(app), null, 2) + '\n';
  await app.close();
  return json;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const json = await generateOpenApiJson();
  writeFileSync(resolve(root, 'openapi.json'), json);
  execFileSync(
    process.execPath,
    [resolve(root, 'node_modules/openapi-typescript/bin/cli.js'), resolve(root, 'openapi.json'), '-o', resolve(root, 'web/src/lib/api/schema.d.ts')],
    { stdio: 'inherit' },
  );
  console.log('Wrote openapi.json and web/src/lib/api/schema.d.ts');
}
