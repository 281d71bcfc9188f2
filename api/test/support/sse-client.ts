import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedEvent {
  id: string;
  event: string;
  data: Record<string, unknown>;
}

export interface SseClient {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Events received so far, in order. */
  events: ReceivedEvent[];
  /** Comment lines (keep-alives) and the retry hint received so far. */
  comments: string[];
  retry: number | undefined;
  /** The body of a refused (non-200) response. */
  body: string;
  ended: Promise<void>;
  isEnded(): boolean;
  /** Stops reading (the socket stays open): a stalled client. */
  stall(): void;
  close(): void;
}

/** The base URL of an app that listens on an ephemeral port of 127.0.0.1 (listening first if needed). */
export async function baseUrl(app: NestFastifyApplication): Promise<string> {
  const server = app.getHttpServer();
  if (!server.listening) await app.listen(0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * Issue 13: a Server-Sent Events client for tests, over a real socket: resolves once the response
 * headers are in, then parses events as they arrive (a plain HTTP client, not a browser EventSource,
 * so reconnects are explicit in the tests).
 */
export function openStream(url: string, headers: Record<string, string>): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let buffer = '';
      let ended = false;
      let endedResolve!: () => void;
      const client: SseClient = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        events: [],
        comments: [],
        retry: undefined,
        body: '',
        ended: new Promise<void>((r) => (endedResolve = r)),
        isEnded: () => ended,
        stall: () => res.pause(),
        close: () => req.destroy(),
      };
      const finish = () => {
        ended = true;
        endedResolve();
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (client.status !== 200) {
          client.body += chunk;
          return;
        }
        buffer += chunk;
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) client.comments.push(line.slice(1).trim());
            else {
              const colon = line.indexOf(':');
              fields[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
            }
          }
          if (fields.retry !== undefined) client.retry = Number(fields.retry);
          if (fields.data !== undefined) client.events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) as Record<string, unknown> });
        }
      });
      resolve(client);
    });
    req.on('error', reject);
  });
}

/** Polls `check` every 50 ms until it holds (no timing assertion: only a bound so a failure ends). */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, attempts = 300): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
