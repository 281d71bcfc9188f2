import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem.js';

/**
 * Bounds that keep every list of the reviews API one response (no pagination): far above a real
 * project's needs, enforced when adding (409 `limit-reached`) and declared as maxItems in openapi.json.
 */
export const MAX_DELIVERABLES_PER_PROJECT = 500;
export const MAX_VERSIONS_PER_DELIVERABLE = 200;
/** Top-level comments and replies together. */
export const MAX_COMMENTS_PER_VERSION = 1000;

export const limitReached = (what: string, max: number) =>
  new ProblemException(HttpStatus.CONFLICT, 'limit-reached', `${what} is full: at most ${max}.`);
