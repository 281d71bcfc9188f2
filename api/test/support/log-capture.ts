import { Writable } from 'node:stream';

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

/**
 * A pino destination that keeps every line, for tests that read the app's logs back. One per test file, given
 * to the file's first app: nestjs-pino keeps the first pino-http instance it builds for the whole module
 * registry (rootLogger.js), so a later app in the same file logs to the first app's destination, not its own.
 */
export class LogCapture extends Writable {
  readonly raw: string[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.raw.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }

  /** Everything logged so far, as one string: for "never prints X" checks. */
  text(): string {
    return this.raw.join('\n');
  }

  lines(): LogLine[] {
    return this.raw.map((line) => JSON.parse(line) as LogLine);
  }

  clear(): void {
    this.raw.length = 0;
  }
}

/** pino lines are written asynchronously by some paths: give them a moment to arrive. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
