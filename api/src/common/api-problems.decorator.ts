import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ProblemDto } from './problem.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (problem+json with field errors)',
  401: 'No valid session',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  410: 'Gone: the link expired or was already used',
  429: 'Too many requests (problem+json with Retry-After and RateLimit-* headers)',
  503: 'The studio database is unavailable; retry later',
};

/** Documents the problem+json error responses of a route. */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } } }),
    ),
  );
}
