/** An error answered in Stripe's shape: `{ error: { type, message, param?, code? } }` with its status. */
export class StripeFakeError extends Error {
  constructor(status, type, message, extra = {}) {
    super(message);
    this.status = status;
    this.body = { error: { type, message, ...extra } };
  }
}

export const invalid = (message, param, code) => new StripeFakeError(400, 'invalid_request_error', message, { ...(param ? { param } : {}), ...(code ? { code } : {}) });

export const missing = (kind, id, param = 'id') =>
  new StripeFakeError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, { param, code: 'resource_missing' });
