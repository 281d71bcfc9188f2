import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemDto } from '../common/problem.js';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Recording Studio Manager API')
    .setDescription(
      'REST API of Recording Studio Manager. Errors are RFC 9457 `application/problem+json`. ' +
        'Staff authenticate with the session cookie set by `POST /api/v1/auth/login`.',
    )
    .setVersion('1')
    .addCookieAuth('rsm_session', { type: 'apiKey', in: 'cookie', name: 'rsm_session', description: '`__Host-rsm_session` when served over HTTPS' })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controllerKey, methodKey) => methodKey,
    extraModels: [ProblemDto],
  });
  return sortKeys(document) as OpenAPIObject;
}

/** Deeply sorted object keys (arrays keep their order) so the committed spec diffs cleanly. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function setupSwaggerUi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
}
