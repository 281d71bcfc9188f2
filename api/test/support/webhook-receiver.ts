import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as sent (what a signature is computed over). */
  body: string;
}

/**
 * Issue 13, webhooks: a real HTTP receiver on 127.0.0.1 for tests. `respond` decides each answer: a status
 * code, or 'hang' to keep the request open until `release()` (a stalled receiver).
 */
export async function startReceiver(respond: (n: number) => number | 'hang' = () => 200) {
  const received: ReceivedWebhook[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = respond(received.length);
      if (answer === 'hang') return void hanging.push(res);
      res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    /** Requests still waiting for an answer. */
    get open() {
      return hanging.filter((r) => !r.writableEnded).length;
    },
    release() {
      for (const res of hanging.splice(0)) if (!res.writableEnded) res.writeHead(200).end();
    },
    async close() {
      this.release();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
