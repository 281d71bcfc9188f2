import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { Server } from 'node:http';

/**
 * Whether this instance is shutting down (issue 8, graceful shutdown). While it drains, readiness
 * answers 503 and every response closes its connection, so keep-alive clients (a proxy) reconnect
 * to another instance instead of holding this one open.
 */
@Injectable()
export class ShutdownState {
  draining = false;
}

/** Marks responses sent while draining `Connection: close` (requests already in flight included). */
export function closeConnectionsWhileDraining(fastify: FastifyInstance, state: ShutdownState): void {
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (state.draining) reply.header('connection', 'close');
    done(null, payload);
  });
}

/**
 * Stops accepting connections at once (and closes idle keep-alive ones), then waits for the requests
 * in flight to be answered, at most `timeoutMs`; after that closes what is left. Resolves with how
 * many connections were still busy at the deadline (0: everything that had started was answered).
 * The rest of the shutdown (job worker, pools) comes after this, so those requests still had them.
 */
export async function drainHttp(server: Server, state: ShutdownState, timeoutMs: number): Promise<number> {
  state.draining = true;
  if (!server.listening) return 0;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), timeoutMs)));
  const outcome = await Promise.race([closed, deadline]);
  clearTimeout(timer);
  if (outcome !== 'deadline') return 0;
  const busy = await new Promise<number>((resolve) => server.getConnections((err, count) => resolve(err ? 0 : count)));
  server.closeAllConnections();
  await closed;
  return busy;
}
