import { HttpStatus } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ProblemException } from '../common/problem.js';

/** Where a client stands against one limit, for the RateLimit-* headers. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Until the window (or the block) ends. */
  msBeforeReset: number;
}

/** 429 problem (type .../rate-limited). The guards copy `state` into Retry-After and RateLimit-*. */
export class RateLimitedProblem extends ProblemException {
  constructor(
    readonly state: RateLimitState,
    detail = 'Too many requests; retry after the time given in Retry-After.',
  ) {
    super(HttpStatus.TOO_MANY_REQUESTS, 'rate-limited', detail);
  }
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * RateLimit-Limit / -Remaining / -Reset as in the IETF httpapi draft (Reset in delta seconds), plus
 * Retry-After on a 429.
 */
export function setRateLimitHeaders(reply: FastifyReply, state: RateLimitState, refused = false): void {
  reply.header('ratelimit-limit', String(state.limit));
  reply.header('ratelimit-remaining', String(refused ? 0 : state.remaining));
  reply.header('ratelimit-reset', String(seconds(state.msBeforeReset)));
  if (refused) reply.header('retry-after', String(seconds(state.msBeforeReset)));
}

/** Runs a limiter check; on a 429 puts its headers on the reply before the problem is rendered. */
export async function withRateLimitHeaders<T>(reply: FastifyReply, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (err) {
    if (err instanceof RateLimitedProblem) setRateLimitHeaders(reply, err.state, true);
    throw err;
  }
}
