/**
 * Text PostgreSQL cannot store as sent: NUL (22021 "invalid byte sequence") and lone UTF-16
 * surrogates (node-postgres would silently turn them into U+FFFD). Refused at the edge as a 400.
 */
export function isStorableText(text: string): boolean {
  // String.prototype.isWellFormed (ES2024, Node 20+): false when a surrogate is unpaired.
  return !text.includes('\u0000') && (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/**
 * Deeper than any request this API accepts (its DTOs nest two levels). A deep enough document
 * overflows class-transformer's recursion: refused before any DTO code sees it.
 */
export const MAX_JSON_DEPTH = 32;

export type UnsafeInput = { field: string; reason: 'too-deep' | 'bad-text' };

/**
 * Walks a parsed JSON value (or a query/params object): the first string, key or nesting level
 * that is not acceptable, or undefined. Never recurses deeper than MAX_JSON_DEPTH + 1 levels.
 */
export function findUnsafeInput(value: unknown, path = '', depth = 0): UnsafeInput | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : { field: path || '(value)', reason: 'bad-text' };
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_JSON_DEPTH) return { field: path || '(value)', reason: 'too-deep' };
  const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  for (const [key, child] of entries) {
    const field = path ? `${path}.${key}` : key;
    if (!isStorableText(key)) return { field: path || '(key)', reason: 'bad-text' };
    const found = findUnsafeInput(child, field, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export const UNSAFE_INPUT_MESSAGES: Record<UnsafeInput['reason'], string> = {
  'too-deep': `must not be nested more than ${MAX_JSON_DEPTH} levels deep`,
  'bad-text': 'must not contain NUL characters or unpaired UTF-16 surrogates',
};
