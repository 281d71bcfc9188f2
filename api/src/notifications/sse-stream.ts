import type { ServerResponse } from 'node:http';

/** One Server-Sent Event. */
export interface SseEvent {
  /** Left out for events that must not move the client's Last-Event-ID (issue 13, board: `board.changed`). */
  id?: string;
  event: string;
  data: unknown;
}

/**
 * Issue 13: the wire side of one Server-Sent Events response, and nothing else (who may read what is
 * NotificationStreams'). The controller opens it on the raw response it took over from Fastify; staff and
 * (later) portal streams share it. Headers for proxies: no buffering (X-Accel-Buffering), no caching, and
 * no compression (identity: a compressing proxy would hold events back).
 */
export class SseStream {
  private closed = false;
  private readonly closeListeners: Array<() => void> = [];
  private readonly drainListeners: Array<() => void> = [];

  private constructor(private readonly response: ServerResponse) {
    response.on('close', () => this.markClosed());
    response.on('drain', () => {
      for (const listener of this.drainListeners) listener();
    });
  }

  /** Writes the status line and headers (`extraHeaders` first: request id, security headers) and the retry hint. */
  static open(response: ServerResponse, options: { retryMs: number; extraHeaders?: Record<string, string | string[] | number | undefined> }): SseStream {
    const headers: Record<string, string | string[] | number> = {};
    for (const [name, value] of Object.entries(options.extraHeaders ?? {})) if (value !== undefined && !/^content-(length|type)$/i.test(name)) headers[name] = value;
    response.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'content-encoding': 'identity',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    response.socket?.setTimeout(0); // the keep-alive comments are the liveness check, not the server's idle timeout
    response.socket?.setNoDelay(true);
    const stream = new SseStream(response);
    stream.write(`retry: ${options.retryMs}\n\n`);
    return stream;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** True while the client is not reading what was written (the socket's buffer is full): write no more until drained. */
  get isBackedUp(): boolean {
    return this.response.writableNeedDrain;
  }

  /** Writes one event; false when the client is backed up (or gone). */
  send(event: SseEvent): boolean {
    const data = JSON.stringify(event.data).replace(/\n/g, '\\n'); // JSON has no raw newline; belt and braces
    return this.write(`${event.id === undefined ? '' : `id: ${event.id}\n`}event: ${event.event.replace(/[\r\n]/g, '')}\ndata: ${data}\n\n`);
  }

  /** A comment line: keeps proxies and the client's connection alive, never shown as an event. */
  comment(text: string): boolean {
    return this.write(`: ${text.replace(/[\r\n]/g, ' ')}\n\n`);
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  onDrain(listener: () => void): void {
    this.drainListeners.push(listener);
  }

  /** Ends the response (session over, shutdown); the client's EventSource reconnects per `retry:`. */
  close(): void {
    if (!this.closed) this.response.end();
    this.markClosed();
  }

  private write(chunk: string): boolean {
    if (this.closed) return false;
    return this.response.write(chunk);
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
