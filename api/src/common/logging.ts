import type { IncomingMessage } from 'node:http';
import type { Options } from 'pino-http';
import type { AppConfig } from '../config/app-config.js';
import { requestIdFrom } from './request-id.js';

/** pino-http options of the app's one logger (request lines and every Nest Logger call). */
export function pinoHttpOptions(config: AppConfig): Options {
  return {
    level: config.logLevel,
    // The id Fastify gave the request (see requestIdFrom), so logs and problem bodies agree.
    genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? requestIdFrom(req),
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    ...(config.env === 'development' && process.stdout.isTTY
      ? { transport: { target: 'pino-pretty', options: { singleLine: true } } }
      : {}),
  };
}
