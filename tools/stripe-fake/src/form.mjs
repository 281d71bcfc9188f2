/**
 * Stripe's request bodies are application/x-www-form-urlencoded with bracketed keys, as the official
 * SDK writes them: `metadata[invoiceId]=…`, `line_items[0][price_data][unit_amount]=…`. This turns
 * them back into objects; numeric-looking bracket segments become array indexes.
 */
export function parseForm(text) {
  const root = {};
  for (const [fullKey, value] of new URLSearchParams(text)) {
    const path = keyPath(fullKey);
    let node = root;
    for (let i = 0; i < path.length - 1; i++) {
      const segment = path[i];
      const nextIsIndex = /^\d+$/.test(path[i + 1]);
      if (node[segment] === undefined) node[segment] = nextIsIndex ? [] : {};
      node = node[segment];
    }
    node[path[path.length - 1]] = value;
  }
  return root;
}

function keyPath(key) {
  const open = key.indexOf('[');
  if (open < 0) return [key];
  const segments = [key.slice(0, open)];
  for (const match of key.slice(open).matchAll(/\[([^\]]*)\]/g)) segments.push(match[1]);
  return segments;
}

/** A positive or zero integer parameter (Stripe's amounts are integers in minor units). */
export function integerParam(value) {
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d+$/.test(String(value))) return NaN;
  return Number(value);
}
