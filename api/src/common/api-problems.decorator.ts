import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT, PROBLEM_RESPONSES } from '../openapi/problem-responses.js';

/**
 * Documents problem+json responses that only this route can return (409 on sign-up, 401 on a wrong
 * password, 503 where a public route reaches a database). The ones every route of a kind returns
 * (401 and 503 behind a session, 403/413/415 on unsafe methods, 404 with an id, 429, 500) are added
 * from the route's metadata by the OpenAPI post-processor (openapi/contract.ts): do not repeat them.
 */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: PROBLEM_RESPONSES[status]?.description ?? 'Error', content: PROBLEM_CONTENT }),
    ),
  );
}

/**
 * Documents a problem whose body carries more than the shared ProblemDto: `extension` (a DTO class) adds
 * its properties to the problem's (e.g. a 409 booking conflict's `conflicts`). The OpenAPI post-processor
 * keeps this schema and adds the shared description and headers.
 */
export function ApiProblemWith(status: number, extension: Function) {
  return applyDecorators(
    ApiExtraModels(extension),
    ApiResponse({
      status,
      description: PROBLEM_RESPONSES[status]?.description ?? 'Error',
      content: { 'application/problem+json': { schema: { allOf: [{ $ref: '#/components/schemas/ProblemDto' }, { $ref: getSchemaPath(extension) }] } } },
    }),
  );
}
