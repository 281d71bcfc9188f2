/**
 * The path of a request URL as the router sees it (percent-decoding undone, query dropped), for
 * decisions made on the raw URL: `/%61pi/v1/…` is routed like `/api/v1/…` and must be classified
 * like it. A malformed escape leaves the path as it is (the router answers it with a 400 anyway).
 */
export function decodedPath(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0];
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
