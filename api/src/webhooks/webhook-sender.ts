import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup, literalHostRefused, PrivateAddressError } from './webhook-url-guard.js';

export interface SendResult {
  /** The receiver's status code; null when no response came (timeout, refused, DNS, SSRF guard). */
  status: number | null;
  durationMs: number;
  error: string | null;
}

/**
 * Issue 13, webhooks: one POST of a signed body, with node:http(s) (no redirect is followed: a 3xx is a
 * failure, and cannot bounce a delivery to an internal address). Bounded by `timeoutMs` from start to
 * response headers; the response body is drained and ignored. With `allowPrivate` false every address
 * the request would connect to is checked first (guardedLookup).
 */
export function sendWebhook(url: string, body: string, headers: Record<string, string>, options: { timeoutMs: number; allowPrivate: boolean }): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const target = new URL(url);
    const refused = options.allowPrivate ? null : literalHostRefused(target);
    if (refused) return resolve({ status: null, durationMs: 0, error: new PrivateAddressError(refused).message });
    const requestOptions: RequestOptions = {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'RecordingStudioManager-Webhooks/1' },
      agent: false, // a fresh connection each time: a pooled socket would skip the address check
      signal: AbortSignal.timeout(options.timeoutMs),
      ...(options.allowPrivate ? {} : { lookup: guardedLookup as RequestOptions['lookup'] }),
    };
    const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, requestOptions, (res) => {
      const status = res.statusCode ?? null;
      res.resume(); // drain without keeping it
      res.on('error', () => undefined);
      resolve({ status, durationMs: elapsed(), error: null });
      req.destroy();
    });
    req.on('error', (err: Error) => {
      const message = err.name === 'TimeoutError' || err.name === 'AbortError' ? `timed out after ${options.timeoutMs} ms` : err.message;
      resolve({ status: null, durationMs: elapsed(), error: message.slice(0, 500) });
    });
    req.end(body);
  });
}
