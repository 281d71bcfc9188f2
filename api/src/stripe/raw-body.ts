import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { RawBodyRequest } from '../common/request-input.js';

/** Marks a route whose JSON body is also kept as received (common/request-input.ts), for signature checks. */
export const KeepRawBody = () => RouteConfig({ rawBody: true });

/** The raw JSON text of a @KeepRawBody() route ('' when the request had no JSON body). */
export const RawBody = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => ctx.switchToHttp().getRequest<RawBodyRequest>().rawBody ?? '');
