/**
 * The problem+json responses of the API, one shared definition per status (components.responses),
 * so every operation that can answer, say, 429 points at the same documented response.
 */
export const PROBLEM_RESPONSES: Record<number, { name: string; description: string }> = {
  400: { name: 'BadRequest', description: 'Invalid input: field errors for the body or query, or a malformed body, URL or id' },
  401: { name: 'Unauthorized', description: 'No valid session or API key (missing, expired, ended or revoked); log in again' },
  402: { name: 'PaymentRequired', description: "The studio is read-only because its subscription is past due (issue 11): nothing is lost and reads work; the owner pays to make changes again" },
  403: { name: 'Forbidden', description: 'Refused: an unsafe request from another site (Origin check), a role without the permission, or a studio suspended until its owner verifies their email' },
  404: { name: 'NotFound', description: 'No such resource in your studio' },
  409: { name: 'Conflict', description: 'Conflicts with the current state (for example an email already registered)' },
  414: { name: 'UriTooLong', description: 'A path parameter is longer than any id (over 100 characters)' },
  410: { name: 'Gone', description: 'The link expired, was replaced or was already used' },
  413: { name: 'PayloadTooLarge', description: 'The request body is larger than the server accepts' },
  415: { name: 'UnsupportedMediaType', description: 'The request body is not application/json' },
  416: { name: 'RangeNotSatisfiable', description: 'The Range starts past the end of the file (issue 10, files); Content-Range says its size' },
  429: { name: 'TooManyRequests', description: 'Rate limited; retry after Retry-After seconds' },
  500: { name: 'InternalServerError', description: 'An unexpected error (a bug); logged under the requestId, never with a stack trace in the body' },
  503: { name: 'ServiceUnavailable', description: 'A database is unavailable or busy; retry after Retry-After seconds' },
};

export const PROBLEM_CONTENT = { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } };
